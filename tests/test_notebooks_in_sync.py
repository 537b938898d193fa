"""Every notebook is built from its source in notebooks/src/ and saved with its outputs, and
the builder reads a source exactly: no cell is silently merged, dropped or guessed."""

import json
import re
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
    assert build_notebooks.sources(saved) == build_notebooks.sources(
        build_notebooks.parse(src.read_text(), src.stem)
    ), f"{target.name} is out of step with {src.name}: run python tools/build_notebooks.py {src.stem[:2]}"
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
    nb = build_notebooks.parse(
        "# %% [markdown]\n# # Title\n# text\n\n# %%\nx = 1\n\n"
        '# %% tags=["solution"]\ndef f(z):\n    return 2 * z\n\n\nll.exercises.check("sigmoid", f)\n',
        "07_demo",
    )
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "markdown"]
    assert nb.cells[0].source == "# Title\ntext"
    pointer = nb.cells[2]
    assert pointer.metadata["tags"] == ["solution"]
    assert 'll.exercises.solution("sigmoid")' in pointer.source
    assert "[solutions/07_demo.py](solutions/07_demo.py)" in pointer.source
    assert "return 2 * z" not in nbformat.writes(nb)  # the solution itself is not in the notebook


def test_solutions_file_holds_every_solution_under_its_exercise_names():
    src = (
        '# %% [markdown]\n# # 07 · Demo\n\n# %% tags=["exercise"]\ndef f(z):\n    raise NotImplementedError\n\n'
        '# %% tags=["solution"]\ndef f(z):\n    return 2 * z\n\n\nll.exercises.check("a", f)\nll.exercises.check("b", f)\n\n'
        '# %% tags=["solution"]\ng = 3\n'
    )
    text = build_notebooks.solutions_file(src, "07_demo")
    assert "Solutions to the exercises of notebook 07 · Demo" in text
    assert "\n# %% a, b\ndef f(z):\n    return 2 * z\n" in text and "\n# %% solution 2\ng = 3\n" in text
    assert "import lstmlearn as ll" in text and "raise NotImplementedError" not in text
    compile(text, "07_demo.py", "exec")
    assert build_notebooks.solutions_file("# %%\nx = 1\n", "00_x") is None


def test_nbval_marker_comments_become_tags():
    nb = build_notebooks.parse(
        "# %%\n# NBVAL_CHECK_OUTPUT\nx = 1\n\n"
        '# %% tags=["nbval-check-output"]\n# NBVAL_CHECK_OUTPUT\ny = 2\n\n'
        '# %% tags=["exercise"]\n#  NBVAL_SKIP\nz = 3  # NBVAL_SKIP in a comment after code stays\n'
    )
    assert [(c.source, c.metadata["tags"]) for c in nb.cells] == [
        ("x = 1", ["nbval-check-output"]),
        ("y = 2", ["nbval-check-output"]),
        ("z = 3  # NBVAL_SKIP in a comment after code stays", ["exercise", "nbval-skip"]),
    ]


# ---- the reader: jupytext's, checked against the hand-written parser it replaced ----
#
# Until jupytext read the sources, the builder split them with this parser (kept here as the
# reference, unchanged but for the error messages, which the lint now gives). On every source
# of the course, jupytext's reader gives the same cells: kinds, tags, texts and header lines.

REFERENCE_HEADER = re.compile(r"^# %%(?P<md> \[markdown\])?(?: tags=(?P<tags>\[.*\]))?\s*$")


def reference_split_cells(text):
    """The hand-written parser's cells of a source: (kind, tags, body, header line)."""
    cells, header, lines = [], None, []

    def flush():
        if header is None:
            return
        kind, tags, line = header
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(re.sub(r"^# ?", "", ln) for ln in body.splitlines())
        cells.append((kind, tags, body, line))

    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("# %%"):
            m = REFERENCE_HEADER.match(line)
            assert m, f"line {n}: the reference parser does not know {line!r}"
            flush()
            header, lines = ("markdown" if m.group("md") else "code", json.loads(m.group("tags") or "[]"), n), []
        elif header is not None:
            lines.append(line)
        else:
            assert not line.strip(), f"line {n}: text before the first header"
    flush()
    return cells


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_jupytext_reads_every_source_as_the_hand_written_parser_did(src):
    text = src.read_text()
    assert [tuple(c) for c in build_notebooks.split_cells(text, src.name)] == reference_split_cells(text)


def test_the_reference_comparison_covers_every_cell_of_the_course():
    cells = [c for src in SOURCES for c in reference_split_cells(src.read_text())]
    assert len(cells) == sum(src.read_text().count("\n# %%") + src.read_text().startswith("# %%") for src in SOURCES)
    assert {c[0] for c in cells} == {"code", "markdown"} and any(c[1] for c in cells)


def test_the_builder_keeps_what_jupytext_would_change_or_add():
    cells = build_notebooks.split_cells("\n# %%\n\nx = 1\n# %matplotlib inline\n\n\n\n# %% [markdown]\n# t\n")
    assert [(c.kind, c.body) for c in cells] == [("code", "x = 1\n# %matplotlib inline"), ("markdown", "t")]
    nb = build_notebooks.parse("# %%\ndef f():\n    pass\n\n\n\n# %%\ny = 2\n")
    assert [dict(c.metadata) for c in nb.cells] == [{}, {}]  # no lines_to_next_cell


@pytest.mark.parametrize(
    "text, message",
    [
        ("# %% [md]\n# text\n", r"line 1: '# %% \[md\]' is not a cell header"),
        ("# %%\nx = 1\n# %%time\ny = 2\n", r"line 3: '# %%time' is not a cell header"),
        ("# %%\nx = 1\n#%%\ny = 2\n", r"line 3: '#%%' is not a cell header"),
        ("# %%\nif x:\n    # %% [markdown]\n", r"line 3: '    # %% \[markdown\]' is not a cell header"),
        ("# %%\nx = 1\n# In[2]:\n", r"line 3: '# In\[2\]:' is not a cell header"),
        ('# %%\ns = """\n# %%\n"""\n', r"jupytext reads 1 cells where the headers say 2"),
        ("# %% tags=['solution']\nx = 1\n", r"line 1: tags=\['solution'\] is not valid JSON"),
        ('# %% tags=["a", 1]\nx = 1\n', r"line 1: tags must be a JSON list of strings"),
        ("import numpy as np\n\n# %%\nx = 1\n", r"line 1: text before the first cell header \('import numpy as np'\)"),
        ('# %% [markdown] tags=["solution"]\n# the answer\n', r"line 1: a markdown cell cannot be tagged \"solution\""),
    ],
)
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


# ---- quotes: a notebook that shows lines of lstmlearn keeps them as they are in the file ----
#
# In a markdown cell, a marker names a file and a function:
#
#     <!-- quote lstmlearn/lstm.py lstm_step -->       each quoted line is a line of the function
#     <!-- quote-all lstmlearn/lstm.py lstm_step -->   ... and together, in order, they are every
#                                                      code line between the first and the last
#
# The quoted lines are the inline code spans of the cell that are statements (`a = ...`,
# `return ...`; "..." inside one stands for any text) and the lines of its fenced code blocks
# (a line "..." skips lines of the function; the others follow one another as in the file).
# A marker's quotes run to the next marker or the end of the cell.
# Comments and blank lines of the function are not lines here; a quoted line keeps its comment
# only if the file has the same one.

import ast  # noqa: E402

MARKER = re.compile(r"<!--\s*(quote|quote-all)\s+(\S+)\s+(\w+)\s*-->")


def function_lines(path, name):
    """The code lines of function `name` in `path`, stripped, without its signature and docstring."""
    source = (ROOT / path).read_text()
    tree = ast.parse(source)
    defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name]
    assert defs, f"{path} has no function {name}"
    body = defs[0].body
    if isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        body = body[1:]  # the docstring
    lines = source.splitlines()[body[0].lineno - 1 : defs[0].end_lineno]
    return [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]


def _same(quoted, line):
    pattern = r"\s*".join(re.escape(part) if part != "..." else ".*" for part in re.split(r"(\.\.\.)", quoted))
    return re.fullmatch(pattern, line) or re.fullmatch(pattern, line.split("  # ")[0])


def check_quotes(cell_source):
    """Problems with the quotes of one markdown cell (an empty list if it quotes faithfully).
    A marker's quotes are those between it and the next marker (or the end of the cell)."""
    marks = list(MARKER.finditer(cell_source))
    ends = [m.start() for m in marks[1:]] + [len(cell_source)]
    return [p for m, end in zip(marks, ends) for p in _check_segment(*m.groups(), cell_source[m.end() : end])]


def _check_segment(kind, path, name, cell_source):
    problems = []
    code = function_lines(path, name)
    found = []
    for block in re.findall(r"```python\n(.*?)```", cell_source, flags=re.S):
        where, gap = None, False
        for raw in block.splitlines():
            q = raw.strip()
            if not q:
                continue
            if q == "...":
                gap = True
                continue
            start = 0 if where is None else where + 1
            hits = [k for k in range(start, len(code)) if _same(q, code[k])]
            if not hits or (where is not None and not gap and hits[0] != where + 1):
                problems.append(f"`{q}` is not {'the next line' if hits else 'a line'} of {name} in {path}")
                break
            where, gap = hits[0], False
            found.append(where)
    inline = [
        s
        for s in re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", cell_source, flags=re.S))
        if " = " in s or s.startswith("return ")
    ]
    for q in inline:
        hits = [k for k, line in enumerate(code) if _same(q, line)]
        if not hits:
            problems.append(f"`{q}` is not a line of {name} in {path}")
        else:
            found.append(hits[0])
    if kind == "quote-all" and not problems:
        if found != list(range(found[0], found[-1] + 1)):
            missing = [code[k] for k in range(found[0], found[-1] + 1) if k not in found]
            problems.append(f"the quotes of {name} are not every line in order (missing or moved: {missing})")
    if not found and not problems:
        problems.append(f"the {kind} marker of {name} quotes nothing")
    return problems


QUOTING = [s for s in SOURCES if MARKER.search(s.read_text())]


@pytest.mark.parametrize("src", QUOTING, ids=lambda p: p.stem)
def test_quoted_code_matches_the_file(src):
    nb = build_notebooks.parse(src.read_text())
    problems = [p for c in nb.cells if c.cell_type == "markdown" for p in check_quotes(c.source)]
    assert not problems, f"{src.name} quotes lstmlearn wrongly:\n" + "\n".join(problems)


def test_notebooks_05_and_06_quote_the_page():
    assert {s.stem[:2] for s in QUOTING} >= {"05", "06"}


def test_a_quote_that_no_longer_matches_fails():
    good = "<!-- quote-all lstmlearn/lstm.py lstm_step -->\n`i = sigmoid(z_i)` `f = sigmoid(z_f)`"
    assert check_quotes(good) == []
    assert check_quotes(good.replace("z_f", "z_g"))  # not a line of lstm_step
    assert check_quotes(good.replace("`i = sigmoid(z_i)` `f", "`f = sigmoid(z_f)` `i").replace("(z_i)`", "(z_i)`"))
    assert check_quotes(
        "<!-- quote-all lstmlearn/lstm.py lstm_step -->\n`i = sigmoid(z_i)` `g = np.tanh(z_g)`"
    )  # f left out
    block = "<!-- quote lstmlearn/lstm.py lstm_step -->\n```python\nc = f * c_prev + i * g\nh = o * tanh_c\n```"
    assert check_quotes(block)  # tanh_c = ... stands between them in the file
    assert check_quotes(block.replace("h = o", "...\nh = o")) == []


# ---- a rebuild is compared with the committed notebook apart from timestamps and model ids ----

sys.path.insert(0, str(ROOT / "tools"))
import compare_builds  # noqa: E402


def test_a_rebuild_differs_only_where_it_changed_and_not_in_timestamps_or_model_ids():
    import uuid

    text = (ROOT / "notebooks" / "03_gates.ipynb").read_text()
    ids = sorted(set(compare_builds.MODEL_ID.findall(text)))
    assert len(ids) > 10  # 03 saves its explorer's widget state
    rebuilt = text
    for old in ids:
        rebuilt = rebuilt.replace(old, uuid.uuid4().hex)
    rebuilt = re.sub(r'"(iopub\.\w+\.?\w*|shell\.execute_reply)": "[^"]+"', r'"\1": "2030-01-01T00:00:00Z"', rebuilt)
    assert rebuilt != text and compare_builds.canonical(rebuilt) == compare_builds.canonical(text)
    nb = json.loads(rebuilt)
    nb["cells"][0]["source"] = nb["cells"][0]["source"][:-1] + ["changed"]
    assert compare_builds.canonical(json.dumps(nb)) != compare_builds.canonical(text)
