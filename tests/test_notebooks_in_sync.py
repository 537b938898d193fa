"""Every notebook is built from its source in notebooks/src/ and saved with its outputs."""

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
    assert build_notebooks.sources(saved) == build_notebooks.sources(build_notebooks.parse(src.read_text())), (
        f"{target.name} is out of step with {src.name}: run python tools/build_notebooks.py {src.stem[:2]}")
    code = [c for c in saved.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), f"{target.name} was saved without running every cell"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{target.name} has saved error outputs"


def test_every_notebook_has_a_source():
    built = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert built == {p.stem for p in SOURCES}


def test_parse_tags_and_markdown():
    nb = build_notebooks.parse('# %% [markdown]\n# # Title\n# text\n\n# %%\nx = 1\n\n# %% tags=["solution"]\ny = 2\n')
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]
    assert nb.cells[0].source == "# Title\ntext"
    assert nb.cells[2].metadata["tags"] == ["solution"] and nb.cells[2].metadata["jupyter"]["source_hidden"]
