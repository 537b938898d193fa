"""Build the course notebooks from their sources, execute them, and save them with outputs.

    python tools/build_notebooks.py                 # every notebook
    python tools/build_notebooks.py 03 05           # only those whose name starts so
    python tools/build_notebooks.py --check         # are the .ipynb files and tables in step?
    python tools/build_notebooks.py --tables        # only rewrite the tables generated from course.toml

The notebooks are those of notebooks/course.toml (read by tools/manifest.py). Before it
builds, the builder rewrites what is generated from that manifest (tools/course_tables.py:
the README's learning path, notebook 00's map, the "Next:" links, the instructor guide's
timing table, data/README.md's table of records); --check fails when one of them drifts.

Each notebook is written as a Python file in notebooks/src/ in jupytext's "percent"
format (VS Code reads it too), and jupytext's reader reads it. A cell starts at a header
line, and the file starts with one:

    # %% [markdown]
    # # A title
    # Some prose with $\\LaTeX$.

    # %% tags=["nbval-check-output"]
    x = 1 + 1

    # %% tags=["solution"]
    def sigmoid(z): ...

A header is `# %%` (code) or `# %% [markdown]`, optionally followed by `tags=` and a JSON
list of strings; any other line that starts with `# %%`, and any text before the first
header, is an error that names the line, so nothing is silently merged or dropped (lint,
a check of its own before jupytext reads the file).

Tags are saved on the cell. nbval reads its own (e.g. "nbval-check-output": compare the
saved output when the notebook is tested). nbval also reads marker comments such as
`# NBVAL_CHECK_OUTPUT`; a learner should not have to read them, so the builder moves such
a comment line of a code cell to the cell's tags (`# NBVAL_CHECK_OUTPUT` becomes the tag
"nbval-check-output"), and nbval treats the cell exactly as before.

The builder itself reads one tag. A code cell tagged "solution" does not go into the
notebook: its code goes to notebooks/solutions/NN_name.py (one file per notebook, which
runs every solution's self-check), and the notebook gets a short markdown cell in its
place, also tagged "solution", that says how to see it: ll.exercises.solution("name")
or a link to that file. So no viewer (JupyterLab, VS Code, GitHub, nbviewer) can show a
solution by accident, and `python -m lstmlearn learner-copies` (the logic is in
lstmlearn/learner_copies.py) replaces those cells in the copies it writes for a workshop.

Execution runs in notebooks/ with the current Python's kernel and prints each notebook's
wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import NamedTuple

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from course_tables import GeneratedPartError, stale_parts, write_parts  # noqa: E402
from manifest import ManifestError, load  # noqa: E402

from lstmlearn.learner_copies import CHECK_CALL  # noqa: E402  (the exercise a solution checks)

SRC = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks"
SOLUTIONS = OUT / "solutions"
HEADER = re.compile(r"^# %%(?P<md> \[markdown\])?(?: tags=(?P<tags>\[.*\]))?\s*$")
# A line jupytext's percent reader takes as a cell header (jupytext/cell_reader.py, start_code_re
# and alternative_start_code_re); the lint lets through only those that HEADER knows.
JUPYTEXT_HEADER = re.compile(r"^\s*#\s*(%%|<codecell>|In\[[0-9 ]*\]:?)")
# Lines are read as written: a commented magic such as `# %matplotlib` stays a comment.
READ_FORMAT = {"extension": ".py", "format_name": "percent", "comment_magics": False}
NBVAL_MARKERS = ("NBVAL_CHECK_OUTPUT", "NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP", "NBVAL_RAISES_EXCEPTION")


class SourceError(ValueError):
    """A notebook source the builder cannot read without guessing."""


class SourceCell(NamedTuple):
    kind: str  # "code" or "markdown"
    tags: list
    body: str  # the cell's text (markdown without its "# " prefixes)
    line: int  # the line number of its header, from 1


def lint(text: str, name: str = "<source>") -> list[tuple[str, list, int]]:
    """The (kind, tags, line) of each cell header of a percent-format source, in order.

    The strict check of cell headers, before jupytext reads the cells: raises SourceError,
    naming the line, for a `# %%` line that is not a header this builder knows (jupytext
    would read `#%%`, `# %%time`, an indented `# %%`, `# <codecell>` or `# In[1]:` as a cell
    of its own, or take words after `# %%` as a title), tags that are not a JSON list of
    strings, a markdown cell tagged "solution", or text before the first header."""
    headers = []
    for n, line in enumerate(text.splitlines(), 1):
        if HEADER.match(line):
            m = HEADER.match(line)
            kind = "markdown" if m.group("md") else "code"
            tags = _tags(m.group("tags"), name, n) if m.group("tags") else []
            if kind == "markdown" and "solution" in tags:
                raise SourceError(
                    f'{name}, line {n}: a markdown cell cannot be tagged "solution": it would be shown in '
                    f'every viewer. Write the solution as a code cell (`# %% tags=["solution"]`); the builder '
                    f"moves it to notebooks/solutions/ and leaves a pointer in the notebook."
                )
            headers.append((kind, tags, n))
        elif line.startswith("# %%") or JUPYTEXT_HEADER.match(line):
            raise SourceError(
                f"{name}, line {n}: {line!r} is not a cell header this builder knows. Write `# %%` for a "
                f'code cell or `# %% [markdown]` for text, optionally followed by tags=["..."] (a JSON '
                f'list of strings), e.g. `# %% tags=["nbval-check-output"]`.'
            )
        elif not headers and line.strip():
            raise SourceError(
                f"{name}, line {n}: text before the first cell header ({line.strip()[:60]!r}) would be lost. "
                f"Start the file with `# %% [markdown]` or `# %%`."
            )
    return headers


def split_cells(text: str, name: str = "<source>") -> list[SourceCell]:
    """A percent-format source -> its cells, in order: checked by lint, read by jupytext.

    Of what jupytext gives a cell, the builder keeps its kind, its tags and its text (a code
    cell's without blank lines at either end; a markdown cell's as jupytext uncomments it,
    where a lone `#` line is an empty line of the text); the metadata jupytext adds to write
    the file back the same way (`lines_to_next_cell`, for example) is left out, as a notebook
    has no use for it. Magics are read as written (READ_FORMAT)."""
    headers = lint(text, name)
    if not headers:
        return []
    first = headers[0][2]  # lint let only blank lines stand before it; jupytext would make them a cell
    read = jupytext.reads("\n".join(text.splitlines()[first - 1 :]) + "\n", fmt=READ_FORMAT).cells
    cells = [
        SourceCell(
            c.cell_type,
            c.metadata.get("tags", []),
            c.source if c.cell_type == "markdown" else c.source.strip("\n"),
            line,
        )
        for c, (*_, line) in zip(read, headers)
    ]
    if [(c.kind, c.tags) for c in cells] != [h[:2] for h in headers] or len(read) != len(headers):
        raise SourceError(
            f"{name}: jupytext reads {len(read)} cells where the headers say {len(headers)}, or reads a kind or "
            f"tags the headers do not say; a header line inside a string, perhaps. Move it out of the string."
        )
    return cells


def _tags(raw: str, name: str, n: int) -> list:
    try:
        tags = json.loads(raw)
    except json.JSONDecodeError as err:
        raise SourceError(
            f"{name}, line {n}: tags={raw} is not valid JSON ({err.msg}); write a list of "
            f'double-quoted strings, e.g. tags=["solution"].'
        ) from None
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise SourceError(
            f'{name}, line {n}: tags must be a JSON list of strings, e.g. tags=["solution"], but it is {raw}.'
        )
    return tags


def nbval_markers_to_tags(code: str, tags: list) -> tuple[str, list]:
    """(code without its nbval marker comment lines, tags with the matching nbval tags added)."""
    kept, tags = [], list(tags)
    for line in code.splitlines():
        marker = line.strip().lstrip("#").strip()
        if line.strip().startswith("#") and marker in NBVAL_MARKERS:
            tag = marker.lower().replace("_", "-")
            tags += [] if tag in tags else [tag]
        else:
            kept.append(line)
    return "\n".join(kept).strip("\n"), tags


def solution_pointer(solution_code: str, stem: str) -> str:
    """The markdown that stands in the notebook where a solution cell was."""
    link = f"[solutions/{stem}.py](solutions/{stem}.py)"
    names = CHECK_CALL.findall(solution_code)
    if not names:
        return f"**Solution:** after trying, open {link}."
    calls = " or ".join(f'`ll.exercises.solution("{n}")`' for n in dict.fromkeys(names))
    return f"**Solution:** after trying, run {calls} in a new cell, or open {link}."


def parse(text: str, stem: str = "notebook") -> nbformat.NotebookNode:
    """A percent-format source -> a notebook without outputs. `stem` is the notebook's file
    name without .ipynb (it names the solutions file and appears in error messages)."""
    cells = []
    for sc in split_cells(text, f"{stem}.py"):
        if sc.kind == "markdown":
            cell = nbformat.v4.new_markdown_cell(sc.body)
        elif "solution" in sc.tags:  # the code goes to solutions/; the notebook says where
            cell = nbformat.v4.new_markdown_cell(solution_pointer(sc.body, stem))
        else:
            body, tags = nbval_markers_to_tags(sc.body, sc.tags)
            cell = nbformat.v4.new_code_cell(body)
            sc = sc._replace(tags=tags)
        if sc.tags:
            cell.metadata["tags"] = sc.tags
        cells.append(cell)
    for n, cell in enumerate(cells):
        cell.id = f"cell-{n:03d}"  # stable ids keep diffs small
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def solutions_file(text: str, stem: str) -> str | None:
    """The text of notebooks/solutions/<stem>.py: every solution cell of the source, each
    under a `# %% <exercise names>` line, after the imports the notebooks use. None if the
    source has no solution."""
    cells = split_cells(text, f"{stem}.py")
    solutions = [c for c in cells if c.kind == "code" and "solution" in c.tags]
    if not solutions:
        return None
    title = next((c.body.splitlines()[0].lstrip("# ").strip() for c in cells if c.kind == "markdown" and c.body), stem)
    numpy = "\nimport numpy as np\n" if any("np." in sc.body for sc in solutions) else ""
    parts = [
        f'''"""Solutions to the exercises of notebook {title}.

Try each exercise in the notebook first. To see one solution at a time, run
ll.exercises.solution("name") in the notebook. Run this file to check them all:

    python solutions/{stem}.py          (from the notebooks/ folder)

Written by tools/build_notebooks.py from notebooks/src/{stem}.py: edit that file, not this one.
"""
{numpy}
import lstmlearn as ll
'''
    ]
    for n, sc in enumerate(solutions, 1):
        names = ", ".join(dict.fromkeys(CHECK_CALL.findall(sc.body))) or f"solution {n}"
        parts.append(f"\n# %% {names}\n{sc.body}\n")
    return "\n".join(parts)


def execute(nb: nbformat.NotebookNode) -> float:
    from nbclient import NotebookClient

    # The kernel imports this checkout's lstmlearn, whatever is installed elsewhere.
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p])

    t0 = time.perf_counter()
    NotebookClient(
        nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(OUT)}}, store_widget_state=True
    ).execute()
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


def stale_solutions(srcs) -> list:
    """Names of solutions files that differ from what their sources give (or should not exist)."""
    stale = []
    for src in srcs:
        want, path = solutions_file(src.read_text(), src.stem), SOLUTIONS / f"{src.stem}.py"
        have = path.read_text() if path.exists() else None
        if want != have:
            stale.append(f"solutions/{path.name}")
    return stale


def write_solutions(src: Path) -> None:
    text, path = solutions_file(src.read_text(), src.stem), SOLUTIONS / f"{src.stem}.py"
    if text is None:
        path.unlink(missing_ok=True)
        return
    SOLUTIONS.mkdir(exist_ok=True)
    path.write_text(text)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Build, execute and save the course notebooks.")
    ap.add_argument("prefixes", nargs="*", help="only notebooks whose name starts with one of these")
    ap.add_argument("--check", action="store_true", help="only check that every .ipynb matches its source")
    ap.add_argument("--no-execute", action="store_true", help="write the notebooks without running them")
    ap.add_argument("--tables", action="store_true", help="only rewrite the parts generated from course.toml")
    args = ap.parse_args(argv)
    stale = []
    try:
        for src in sorted(SRC.glob("*.py")):  # the strict lint of cell headers, before anything is written
            split_cells(src.read_text(), src.name)
        stems = [nb.stem for nb in load(OUT / "course.toml")]
        unlisted = sorted(p.name for p in SRC.glob("*.py") if p.stem not in stems)
        if unlisted:
            raise ManifestError(
                f"notebooks/src/ has {', '.join(unlisted)}, which notebooks/course.toml does not list: add a "
                f"[[notebook]] entry for it (see CONTRIBUTING.md)."
            )
        if args.check:
            stale += stale_parts(OUT.parent)
        else:
            for path in write_parts(OUT.parent):
                print(f"{path}: generated parts rewritten from notebooks/course.toml", flush=True)
        if args.tables:
            return 0
        srcs = [SRC / f"{s}.py" for s in stems if not args.prefixes or s.startswith(tuple(args.prefixes))]
        for src in srcs:
            target = OUT / f"{src.stem}.ipynb"
            nb = parse(src.read_text(), src.stem)
            if args.check:
                if not target.exists() or sources(nbformat.read(target, as_version=4)) != sources(nb):
                    stale.append(target.name)
                continue
            write_solutions(src)
            seconds = 0.0 if args.no_execute else execute(nb)
            nbformat.write(as_jupyterlab_saves(nb), target)
            print(f"{target.name}: {seconds:.1f} s", flush=True)
        if args.check:
            stale += stale_solutions(srcs)
    except (SourceError, ManifestError, GeneratedPartError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if stale:
        print("out of step with notebooks/src (run tools/build_notebooks.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
