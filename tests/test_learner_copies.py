"""Learner copies: every solution is replaced by a note, no solution text leaks, the copies read
correctly and still run."""

import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from lstmlearn.learner_copies import STUB_TAG, strip_solutions, write_learner_copies

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
sys.path.insert(0, str(ROOT / "tools"))
import build_notebooks  # noqa: E402


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    out = tmp_path_factory.mktemp("learner")
    return out, write_learner_copies(NOTEBOOKS, out)


def _tags(cell):
    return cell.metadata.get("tags", [])


def solution_lines(stem):
    """The lines of a notebook's solutions that the notebook does not show anyway (its exercise
    cells repeat a solution's `def` line and check call)."""
    cells = build_notebooks.split_cells((NOTEBOOKS / "src" / f"{stem}.py").read_text(), stem)
    shown = "\n".join(c.body for c in cells if "solution" not in c.tags)
    bodies = [c.body for c in cells if c.kind == "code" and "solution" in c.tags]
    return {
        ln.strip()
        for b in bodies
        for ln in b.splitlines()
        if len(ln.strip()) > 12 and not ln.strip().startswith("#") and ln.strip() not in shown
    }


def test_every_solution_is_replaced_by_a_note_and_no_solution_leaks(copies):
    out, report = copies
    assert set(report) == {p.name for p in NOTEBOOKS.glob("*.ipynb")}
    assert not (out / "solutions").exists()  # the solutions folder stays with the course
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        original = nbformat.read(path, as_version=4)
        copy = nbformat.read(out / path.name, as_version=4)
        solutions = [c for c in original.cells if "solution" in _tags(c)]
        exercises = [c for c in original.cells if "exercise" in _tags(c)]
        stubs = [c for c in copy.cells if STUB_TAG in _tags(c)]
        assert len(stubs) == len(solutions) == report[path.name] >= len(exercises), path.name
        assert not any("solution" in _tags(c) for c in copy.cells)
        text = nbformat.writes(copy)
        for line in solution_lines(path.stem):
            assert line not in text, (path.name, line)
        for stub in stubs:
            assert "not included in this copy" in stub.source and "Hint" in stub.source
            assert stub.cell_type == "markdown" or stub.outputs == []
        assert "solutions/" not in text and "exercises.solution(" not in text  # no pointer to what is gone
        assert "Correct:" not in text  # no output of a passing solution check is left


def test_copies_read_correctly_without_the_solutions(copies):
    """No text of a copy refers to a solution it no longer has."""
    out, _ = copies
    for path in sorted(out.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                text = cell.source.lower()
                for phrase in (
                    "this version",
                    "the solution above",
                    "the solution below",
                    "open after trying",
                    "solution cell",
                    "collapsed",
                ):
                    assert phrase not in text, (path.name, phrase, cell.source[:120])


def test_a_notebook_built_with_solution_code_cells_is_stripped_too():
    """Notebooks built before solutions moved to notebooks/solutions/ kept them in code cells."""
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "def sigmoid(z):\n    raise NotImplementedError", metadata={"tags": ["exercise"]}
            ),
            nbformat.v4.new_markdown_cell("**Solution** (open after trying)"),
            nbformat.v4.new_code_cell(
                "def sigmoid_solution(z):\n    return 1 / (1 + np.exp(-z))\n\n\n"
                "ll.exercises.check('sigmoid', sigmoid_solution)",
                metadata={"tags": ["solution"], "jupyter": {"source_hidden": True}},
                outputs=[nbformat.v4.new_output("stream", text="Correct: sigmoid gives the right numbers")],
            ),
            nbformat.v4.new_markdown_cell(
                '**Solution:** after trying, run `ll.exercises.solution("sigmoid")` in a '
                "new cell, or open [solutions/03_gates.py](solutions/03_gates.py).",
                metadata={"tags": ["solution"]},
            ),
        ]
    )
    assert strip_solutions(nb) == 2
    heading, stub, note = nb.cells[1:]
    assert heading.source == "**Solution**: not included in this copy of the notebook; your instructor has it."
    assert stub.outputs == [] and "jupyter" not in stub.metadata and "np.exp" not in stub.source
    assert stub.source.startswith("# The solution is not included") and "# Hint (sigmoid):" in stub.source
    assert note.cell_type == "markdown" and note.source.startswith("**Solution:** not included in this copy")
    assert "Hint for `sigmoid`: sigmoid(z) = 1 / (1 + exp(-z)), elementwise" in note.source
    assert "solutions/" not in note.source


def test_a_bare_solution_heading_above_a_note_is_dropped():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("**Solution** (open after trying)"),
            nbformat.v4.new_markdown_cell(
                "**Solution:** after trying, open [solutions/x.py](solutions/x.py).", metadata={"tags": ["solution"]}
            ),
        ]
    )
    assert strip_solutions(nb) == 1
    assert [c.source for c in nb.cells] == [
        "**Solution:** not included in this copy of the notebook; your instructor has it."
    ]


def test_hints_are_escaped_for_markdown():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell('run `ll.exercises.solution("half_life")`', metadata={"tags": ["solution"]})
        ]
    )
    strip_solutions(nb)
    assert r"f\*\*t" in nb.cells[0].source  # f**t, not the start of bold text


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
