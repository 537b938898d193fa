"""Solutions are seen only on request, in every viewer; every solution passes its check; a
predict-first exercise reveals nothing until the learner has predicted; nbval's markers are
tags, not text in the learner's cells."""

import contextlib
import io
import re
import sys
from pathlib import Path

import nbformat
import pytest

import lstmlearn as ll
from lstmlearn.exercises import answers

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"
sys.path.insert(0, str(ROOT / "tools"))
import build_notebooks  # noqa: E402
from test_learner_copies import solution_lines  # noqa: E402

PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


def _printed(fn, *args, **kwargs):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn(*args, **kwargs)
    return buf.getvalue()


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_no_viewer_can_show_a_solution_because_no_notebook_file_holds_one(path):
    """JupyterLab, VS Code, GitHub and nbviewer all render the .ipynb file; what is not in the file
    (its sources, outputs, attachments, metadata or widget state) none of them can show."""
    text = path.read_text(encoding="utf-8")
    for line in solution_lines(path.stem):
        assert line not in text, (path.name, line)
    nb = nbformat.reads(text, as_version=4)
    for cell in nb.cells:
        if "solution" in cell.metadata.get("tags", []):
            assert cell.cell_type == "markdown" and cell.source.startswith("**Solution:** after trying")


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_nbconvert_html_of_a_notebook_shows_the_pointer_and_no_solution(path):
    """The HTML that nbviewer serves is nbconvert's: the pointer is a link, no solution line is there."""
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    if not any("solution" in c.metadata.get("tags", []) for c in nb.cells):
        pytest.skip("no exercise")
    html, _ = HTMLExporter(template_name="classic").from_notebook_node(nb)
    assert f'href="solutions/{path.stem}.py"' in html
    for line in solution_lines(path.stem):
        assert line not in html and line.replace('"', "&quot;") not in html, (path.name, line)


@pytest.mark.parametrize("path", sorted(SOLUTIONS.glob("*.py")), ids=lambda p: p.stem)
def test_every_solution_passes_its_check(path, monkeypatch):
    monkeypatch.chdir(NOTEBOOKS)
    code = path.read_text(encoding="utf-8")
    calls = re.findall(r"^ll\.exercises\.check\(", code, flags=re.M)
    out = _printed(exec, compile(code, str(path), "exec"), {"__name__": "__main__"})
    assert out.count("Correct:") == len(calls) >= 1, out


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_every_exercise_has_a_solution_that_solution_finds(path, monkeypatch):
    monkeypatch.chdir(NOTEBOOKS)
    cells = nbformat.read(path, as_version=4).cells
    names = {
        n
        for c in cells
        if "exercise" in c.metadata.get("tags", [])
        for n in build_notebooks.CHECK_CALL.findall(c.source)
    }
    for name in names:
        code = answers.solution_code(name)
        assert f'check("{name}"' in code and "raise NotImplementedError" not in code
        out = _printed(ll.exercises.solution, name)
        assert out.startswith(f"Solution of {name}:") and code in out


def test_solution_without_a_solutions_folder_or_for_an_unknown_name_explains(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a learner copy: notebooks without solutions/
    assert "this copy of the course comes without solutions" in _printed(ll.exercises.solution, "sigmoid")
    assert "There is no exercise called 'sigmod'" in _printed(ll.exercises.solution, "sigmod")
    (tmp_path / "solutions").mkdir()
    assert "No solution for 'sigmoid'" in _printed(ll.exercises.solution, "sigmoid")
    assert "def sigmoid" in _printed(ll.exercises.solution, "sigmoid", folder=SOLUTIONS)


def test_reveal_shows_a_value_only_for_a_prediction_made():
    actual = {"f": 0.9866, "c": 1.2, "sign": -1.0}
    out = _printed(ll.exercises.reveal, {"f": None, "c": None, "sign": None}, actual)
    assert out.count("Not predicted yet:") == 3 and "0.98" not in out and "1.2" not in out
    out = _printed(ll.exercises.reveal, {"f": 0.99, "c": 2.0, "sign": None}, actual)
    lines = out.splitlines()
    assert re.match(r"Close: +f ", lines[0]) and "0.9866" in lines[0] and "close" in lines[0]
    assert re.match(r"Off: +c ", lines[1]) and "1.2000" in lines[1] and "off by 0.8" in lines[1]
    assert re.match(r"Not predicted yet: sign ", lines[2]) and "-1" not in lines[2]


def test_reveal_never_raises_on_a_learner_mistake():
    assert "should be a number" in _printed(ll.exercises.reveal, {"f": "one"}, {"f": 1.0})
    assert "is not one of the values: f" in _printed(ll.exercises.reveal, {"g": 1.0}, {"f": 1.0})
    assert "should be a dict" in _printed(ll.exercises.reveal, [0.9], {"f": 1.0})


def test_the_predict_first_cell_of_03_reveals_nothing_when_run_as_saved():
    nb = nbformat.read(NOTEBOOKS / "03_gates.ipynb", as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "ll.exercises.reveal(" in c.source]
    assert len(cells) == 1
    out = "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cells[0].outputs)
    lines = out.strip().splitlines()
    assert len(lines) == 6 and all(line.startswith("Not predicted yet:") for line in lines), out


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_nbval_markers_are_tags_not_comments_in_the_learners_cells(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            assert not re.search(r"^\s*#\s*NBVAL_", cell.source, flags=re.M), (path.name, cell.source[:80])
