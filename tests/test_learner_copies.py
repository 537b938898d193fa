"""Learner copies: every solution is stubbed, no solution text leaks, the copies still run."""

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from lstmlearn.learner_copies import STUB_TAG, write_learner_copies

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    out = tmp_path_factory.mktemp("learner")
    return out, write_learner_copies(NOTEBOOKS, out)


def _tags(cell):
    return cell.metadata.get("tags", [])


def test_every_exercise_is_followed_by_a_stub_and_no_solution_leaks(copies):
    out, report = copies
    assert set(report) == {p.name for p in NOTEBOOKS.glob("*.ipynb")}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        original = nbformat.read(path, as_version=4)
        copy = nbformat.read(out / path.name, as_version=4)
        solutions = [c for c in original.cells if "solution" in _tags(c)]
        exercises = [c for c in original.cells if "exercise" in _tags(c)]
        stubs = [c for c in copy.cells if STUB_TAG in _tags(c)]
        assert len(stubs) == len(solutions) == report[path.name] >= len(exercises), path.name
        assert not any("solution" in _tags(c) for c in copy.cells)
        text = nbformat.writes(copy)
        given = "\n".join(c.source for c in original.cells if "solution" not in _tags(c))
        for sol in solutions:
            for line in sol.source.splitlines():  # no line of a solution body survives...
                body = line.strip()
                if body in given:  # ...except what the notebook shows anyway (scaffolding, equations)
                    continue
                if body and not body.startswith(("#", "ll.exercises.check", "def ")) and len(body) > 12:
                    assert body not in text, (path.name, body)
            for name in re.findall(r"def (\w+)", sol.source):
                assert name not in text, (path.name, name)
        for stub in stubs:
            assert stub.outputs == [] and "not included in this copy" in stub.source and "Hint" in stub.source
        assert "✅" not in text  # no output of a passing solution check is left


def test_copies_run_up_to_the_first_exercise(copies):
    out, _ = copies
    for path in sorted(out.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        first = next((k for k, c in enumerate(nb.cells) if "exercise" in _tags(c)), len(nb.cells))
        nb.cells = nb.cells[:first]
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(out)}}).execute()


def test_refuses_to_overwrite_the_course(tmp_path):
    with pytest.raises(ValueError, match="must differ"):
        write_learner_copies(NOTEBOOKS, NOTEBOOKS)
    with pytest.raises(FileNotFoundError, match="no notebooks"):
        write_learner_copies(tmp_path, tmp_path / "out")


def test_no_notebook_cell_needs_a_solution_to_run():
    """So a learner copy runs beyond the exercises too: only solution cells use solution functions."""
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        defined = {n for c in nb.cells if "solution" in _tags(c) for n in re.findall(r"def (\w+)", c.source)}
        for c in nb.cells:
            if c.cell_type == "code" and "solution" not in _tags(c):
                used = {n for n in defined if re.search(rf"\b{n}\b", c.source)}
                assert not used, (path.name, used)


def test_data_dir_found_from_anywhere(tmp_path, monkeypatch):
    import lstmlearn as ll

    monkeypatch.chdir(tmp_path)
    assert (ll.data_dir() / "corpus.txt").is_file()
    monkeypatch.setenv("LSTMLEARN_DATA", str(ROOT / "data"))
    assert ll.data_dir() == ROOT / "data"
