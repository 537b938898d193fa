"""Build the course notebooks from their sources, execute them, and save them with outputs.

    python tools/build_notebooks.py                 # every notebook
    python tools/build_notebooks.py 03 05           # only those whose name starts so
    python tools/build_notebooks.py --check         # are the .ipynb files in step with src/?

Each notebook is written as a Python file in notebooks/src/ in the "percent" format
that Jupytext and VS Code also read:

    # %% [markdown]
    # # A title
    # Some prose with $\\LaTeX$.

    # %%
    x = 1 + 1

    # %% tags=["solution"]
    def sigmoid_solution(z): ...

A code cell tagged "solution" is saved collapsed (its source hidden until the learner
clicks it), so solutions are there after trying but not seen by accident;
tools/learner_copies.py removes them. Execution runs in notebooks/ with the current
Python's kernel and prints each notebook's wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks"
HEADER = re.compile(r"^# %%(?P<md> \[markdown\])?(?: tags=(?P<tags>\[.*\]))?\s*$")


def parse(text: str) -> nbformat.NotebookNode:
    """A percent-format source -> a notebook without outputs."""
    cells, kind, tags, lines = [], None, [], []

    def flush():
        if kind is None:
            return
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(re.sub(r"^# ?", "", ln) for ln in body.splitlines())
            cell = nbformat.v4.new_markdown_cell(body)
        else:
            cell = nbformat.v4.new_code_cell(body)
        if tags:
            cell.metadata["tags"] = tags
        if "solution" in tags:
            cell.metadata["jupyter"] = {"source_hidden": True}
        cells.append(cell)

    for line in text.splitlines():
        m = HEADER.match(line)
        if m:
            flush()
            kind = "markdown" if m.group("md") else "code"
            tags = json.loads(m.group("tags")) if m.group("tags") else []
            lines = []
        elif kind is not None:
            lines.append(line)
    flush()
    for n, cell in enumerate(cells):
        cell.id = f"cell-{n:03d}"  # stable ids keep diffs small
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def execute(nb: nbformat.NotebookNode) -> float:
    from nbclient import NotebookClient

    # The kernel imports this checkout's lstmlearn, whatever is installed elsewhere.
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p])

    t0 = time.perf_counter()
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(OUT)}},
                   store_widget_state=True).execute()
    return time.perf_counter() - t0


def as_jupyterlab_saves(value):
    """`value` (a notebook, or any part of it) with its numbers as JupyterLab saves them.

    JupyterLab holds a notebook as JavaScript numbers, in which 8.0 is 8: on saving, a
    whole-valued float (the widget state's slider bounds, for example) comes back as an
    int. Saving them so here, with the kernelspec JupyterLab writes (parse), means that
    opening a notebook does not mark it modified and saving it changes nothing.
    """
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:  # JavaScript writes 1e21 as 1e+21
        return int(value)
    if isinstance(value, dict):
        return type(value)({k: as_jupyterlab_saves(v) for k, v in value.items()})
    if isinstance(value, list):
        return [as_jupyterlab_saves(v) for v in value]
    return value


def sources(nb) -> list:
    return [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in nb.cells]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Build, execute and save the course notebooks.")
    ap.add_argument("prefixes", nargs="*", help="only notebooks whose name starts with one of these")
    ap.add_argument("--check", action="store_true", help="only check that every .ipynb matches its source")
    ap.add_argument("--no-execute", action="store_true", help="write the notebooks without running them")
    args = ap.parse_args(argv)
    srcs = sorted(p for p in SRC.glob("*.py") if not args.prefixes or p.stem.startswith(tuple(args.prefixes)))
    stale = []
    for src in srcs:
        target = OUT / f"{src.stem}.ipynb"
        nb = parse(src.read_text())
        if args.check:
            if not target.exists() or sources(nbformat.read(target, as_version=4)) != sources(nb):
                stale.append(target.name)
            continue
        seconds = 0.0 if args.no_execute else execute(nb)
        nbformat.write(as_jupyterlab_saves(nb), target)
        print(f"{target.name}: {seconds:.1f} s", flush=True)
    if stale:
        print("out of step with notebooks/src (run tools/build_notebooks.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
