"""Every notebook is built from its source in notebooks/src/ and saved with its outputs, and
the builder reads a source exactly: no cell is silently merged, dropped or guessed."""

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_notebooks  # noqa: E402

SOURCES = sorted((ROOT / "notebooks" / "src").glob("*.py"))


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_notebook_matches_its_source_and_has_outputs(src):
    target = ROOT / "notebooks" / f"{src.stem}.ipynb"
    assert target.exists(), f"{target.name} is missing: run python tools/build_notebooks.py {src.stem[:2]}"
    saved = nbformat.read(target, as_version=4)
    assert build_notebooks.sources(saved) == build_notebooks.sources(build_notebooks.parse(src.read_text(), src.stem)), (
        f"{target.name} is out of step with {src.name}: run python tools/build_notebooks.py {src.stem[:2]}")
    code = [c for c in saved.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), f"{target.name} was saved without running every cell"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{target.name} has saved error outputs"


def test_every_notebook_has_a_source():
    built = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert built == {p.stem for p in SOURCES}


def test_solutions_files_match_their_sources():
    assert build_notebooks.stale_solutions(SOURCES) == [], "run python tools/build_notebooks.py"
    written = {p.stem for p in (ROOT / "notebooks" / "solutions").glob("*.py")}
    expected = {p.stem for p in SOURCES if build_notebooks.solutions_file(p.read_text(), p.stem)}
    assert written == expected


def test_parse_tags_markdown_and_solution_pointer():
    nb = build_notebooks.parse('# %% [markdown]\n# # Title\n# text\n\n# %%\nx = 1\n\n'
                               '# %% tags=["solution"]\ndef f(z):\n    return 2 * z\n\n\nll.exercises.check("sigmoid", f)\n',
                               "07_demo")
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "markdown"]
    assert nb.cells[0].source == "# Title\ntext"
    pointer = nb.cells[2]
    assert pointer.metadata["tags"] == ["solution"]
    assert 'll.exercises.solution("sigmoid")' in pointer.source
    assert "[solutions/07_demo.py](solutions/07_demo.py)" in pointer.source
    assert "return 2 * z" not in nbformat.writes(nb)  # the solution itself is not in the notebook


def test_solutions_file_holds_every_solution_under_its_exercise_names():
    src = ('# %% [markdown]\n# # 07 · Demo\n\n# %% tags=["exercise"]\ndef f(z):\n    raise NotImplementedError\n\n'
           '# %% tags=["solution"]\ndef f(z):\n    return 2 * z\n\n\nll.exercises.check("a", f)\nll.exercises.check("b", f)\n\n'
           '# %% tags=["solution"]\ng = 3\n')
    text = build_notebooks.solutions_file(src, "07_demo")
    assert "Solutions to the exercises of notebook 07 · Demo" in text
    assert "\n# %% a, b\ndef f(z):\n    return 2 * z\n" in text and "\n# %% solution 2\ng = 3\n" in text
    assert "import lstmlearn as ll" in text and "raise NotImplementedError" not in text
    compile(text, "07_demo.py", "exec")
    assert build_notebooks.solutions_file("# %%\nx = 1\n", "00_x") is None


def test_nbval_marker_comments_become_tags():
    nb = build_notebooks.parse('# %%\n# NBVAL_CHECK_OUTPUT\nx = 1\n\n'
                               '# %% tags=["nbval-check-output"]\n# NBVAL_CHECK_OUTPUT\ny = 2\n\n'
                               '# %% tags=["exercise"]\n#  NBVAL_SKIP\nz = 3  # NBVAL_SKIP in a comment after code stays\n')
    assert [(c.source, c.metadata["tags"]) for c in nb.cells] == [
        ("x = 1", ["nbval-check-output"]), ("y = 2", ["nbval-check-output"]),
        ("z = 3  # NBVAL_SKIP in a comment after code stays", ["exercise", "nbval-skip"])]


@pytest.mark.parametrize("text, message", [
    ("# %% [md]\n# text\n", r"line 1: '# %% \[md\]' is not a cell header"),
    ("# %%\nx = 1\n# %%time\ny = 2\n", r"line 3: '# %%time' is not a cell header"),
    ("# %% tags=['solution']\nx = 1\n", r"line 1: tags=\['solution'\] is not valid JSON"),
    ('# %% tags=["a", 1]\nx = 1\n', r"line 1: tags must be a JSON list of strings"),
    ('import numpy as np\n\n# %%\nx = 1\n', r"line 1: text before the first cell header \('import numpy as np'\)"),
    ('# %% [markdown] tags=["solution"]\n# the answer\n', r"line 1: a markdown cell cannot be tagged \"solution\""),
])
def test_a_source_the_builder_cannot_read_exactly_is_an_error_naming_the_line(text, message):
    with pytest.raises(build_notebooks.SourceError, match=message):
        build_notebooks.parse(text, "99_bad")
    assert "99_bad.py" in str(pytest.raises(build_notebooks.SourceError, build_notebooks.parse, text, "99_bad").value)


def test_blank_lines_before_the_first_header_are_fine():
    assert build_notebooks.parse("\n\n# %%\nx = 1\n").cells[0].source == "x = 1"


def test_the_command_line_reports_a_bad_source_without_a_traceback(tmp_path, monkeypatch, capsys):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "99_bad.py").write_text("x = 1\n# %%\ny = 2\n")
    monkeypatch.setattr(build_notebooks, "SRC", tmp_path / "src")
    monkeypatch.setattr(build_notebooks, "OUT", tmp_path)
    monkeypatch.setattr(build_notebooks, "SOLUTIONS", tmp_path / "solutions")
    assert build_notebooks.main(["--no-execute"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: 99_bad.py, line 1: text before the first cell header") and "Traceback" not in err
    assert not (tmp_path / "99_bad.ipynb").exists()
