"""`python -m lstmlearn learner-copies OUT_DIR`: notebooks without their solutions.

For a workshop, an instructor hands out copies in which every solution is replaced by a
short note that says the solution is not in this copy and repeats the exercise's task as
a hint. Everything else, including the exercises and their self-checks, stays as it is,
so each copy still opens and runs.

A notebook marks its solutions with the cell tag "solution". tools/build_notebooks.py
keeps the solutions themselves in notebooks/solutions/ (which the copies leave out) and
puts a markdown cell tagged "solution" in the notebook that says how to see one; a copy
replaces that cell. Notebooks built before that kept each solution in a collapsed code
cell tagged "solution"; a copy replaces such a cell with a commented stub, and the
"**Solution**" heading above it with a note.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from . import exercises

STUB_TAG = "solution-removed"
CHECK_CALL = re.compile(r"""check\(\s*["']([\w-]+)["']""")
GONE = "not included in this copy of the notebook; your instructor has it."


def hints_for(cell_source: str) -> list:
    """(exercise name, its task as a hint) for every exercise a solution cell checks or names."""
    names = dict.fromkeys(CHECK_CALL.findall(cell_source) + re.findall(r"""solution\(\s*["']([\w-]+)["']""", cell_source))
    tasks = exercises.exercises()
    return [(n, tasks[n].split(": ", 1)[-1]) for n in names if n in tasks]


def _markdown_text(text: str) -> str:
    """`text` with the characters markdown would read as emphasis or code escaped."""
    return re.sub(r"([\\`*_])", r"\\\1", text)


def stub_for(solution_source: str) -> str:
    """The code that replaces one solution code cell: a comment with the exercise's task as a hint."""
    lines = ["# The solution is not included in this copy of the notebook.",
             "# Write your answer in the exercise cell above and run its check."]
    lines += [f"# Hint ({name}): {task}" for name, task in hints_for(solution_source)]
    return "\n".join(lines)


def note_for(pointer_source: str) -> str:
    """The markdown that replaces one solution pointer: where the solution went, and a hint."""
    text = f"**Solution:** {GONE}"
    hints = [f"Hint for `{name}`: {_markdown_text(task)}" for name, task in hints_for(pointer_source)]
    return "\n\n".join([text] + hints)


def strip_solutions(nb: nbformat.NotebookNode) -> int:
    """Replace every solution cell of `nb` in place; return how many were replaced."""
    replaced, drop = 0, []
    for k, cell in enumerate(nb.cells):
        if "solution" not in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "code":  # a notebook built with the solution in a collapsed cell
            cell.source = stub_for(cell.source)
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("jupyter", None)  # nothing left to hide
            heading = nb.cells[k - 1] if k > 0 else None
            if heading is not None and heading.cell_type == "markdown" and heading.source.startswith("**Solution**"):
                heading.source = f"**Solution**: {GONE}"
        else:  # the pointer to notebooks/solutions/
            cell.source = note_for(cell.source)
            heading = nb.cells[k - 1] if k > 0 else None
            if heading is not None and heading.cell_type == "markdown" and _is_solution_heading(heading.source):
                drop.append(k - 1)  # a bare "**Solution**" heading says nothing the note does not
        cell.metadata["tags"] = [t for t in cell.metadata["tags"] if t != "solution"] + [STUB_TAG]
        replaced += 1
    nb.cells = [c for k, c in enumerate(nb.cells) if k not in drop]
    return replaced


def _is_solution_heading(text: str) -> bool:
    return text.startswith("**Solution**") and len(text.splitlines()) == 1 and len(text) < 60


def write_learner_copies(notebooks_dir, out_dir) -> dict:
    """Write a solution-free copy of every notebook in `notebooks_dir` into `out_dir`.

    Returns {notebook file name: number of solutions removed}. `out_dir` is created if
    needed; it must not be `notebooks_dir` itself (that would delete the solutions).
    """
    src, out = Path(notebooks_dir).resolve(), Path(out_dir).resolve()
    if src == out:
        raise ValueError(f"out_dir must differ from notebooks_dir ({src}): the copies replace the solutions.")
    paths = sorted(src.glob("*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no notebooks (*.ipynb) in {src}; pass the course's notebooks/ folder.")
    out.mkdir(parents=True, exist_ok=True)
    report = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        report[path.name] = strip_solutions(nb)
        nbformat.write(nb, out / path.name)
    return report


PROG = "python -m lstmlearn learner-copies"


class _Misuse(Exception):
    """A command-line argument that cannot work; the message says why and what to do."""


def _check_folders(src: Path, out: Path) -> None:
    """Refuse, before writing anything, the folders that cannot work."""
    if not src.exists():
        raise _Misuse(f"the notebooks folder {src} does not exist; pass the course's notebooks/ folder with "
                      "--notebooks, or leave --notebooks out to use the course's own")
    if not src.is_dir():
        raise _Misuse(f"--notebooks {src} is not a folder; pass the folder that holds the notebooks")
    if not any(src.glob("*.ipynb")):
        raise _Misuse(f"no notebooks (*.ipynb) in {src}; pass the course's notebooks/ folder with --notebooks")
    resolved_src, resolved_out = src.resolve(), out.resolve()
    if resolved_out == resolved_src:
        raise _Misuse(f"out_dir must differ from the notebooks folder ({src}): the copies would replace the "
                      "solutions")
    if resolved_src in resolved_out.parents:
        raise _Misuse(f"out_dir {out} is inside the notebooks folder {src}; choose a folder outside it, "
                      "e.g. learner_notebooks")
    if out.exists() and not out.is_dir():
        raise _Misuse(f"out_dir {out} is a file, not a folder; choose a folder for the copies")


def main(argv=None) -> int:
    """`python -m lstmlearn learner-copies OUT_DIR [--notebooks DIR] [--overwrite]`.

    Writes the solution-free copies into OUT_DIR. Returns the exit status: 0 written, 2 a
    misuse (a folder that does not exist or holds no notebooks, OUT_DIR inside the notebooks
    or a file, copies that would overwrite different files without --overwrite), 1 a file
    that could not be written. Each error is one line on stderr.
    """
    import argparse
    import filecmp
    import shutil
    import sys
    import tempfile

    from .paths import course_root

    ap = argparse.ArgumentParser(prog=PROG, description="Write solution-free copies of the course notebooks.")
    ap.add_argument("out_dir", help="folder for the copies, e.g. learner_notebooks")
    ap.add_argument("--notebooks", default=None,
                    help="the notebooks to copy (default: the course's own, wherever it is installed)")
    ap.add_argument("--overwrite", action="store_true", help="replace copies already in out_dir that differ")
    args = ap.parse_args(argv)
    out = Path(args.out_dir)
    try:
        src = Path(args.notebooks) if args.notebooks is not None else course_root() / "notebooks"
        _check_folders(src, out)
        with tempfile.TemporaryDirectory(prefix="lstmlearn-learner-") as tmp:
            report = write_learner_copies(src, tmp)
            differing = [name for name in report
                         if (out / name).exists() and not filecmp.cmp(out / name, Path(tmp, name), shallow=False)]
            if differing and not args.overwrite:
                raise _Misuse(f"{out} already holds different copies of {', '.join(differing)}; pass --overwrite "
                              "to replace them, or choose another folder")
            out.mkdir(parents=True, exist_ok=True)
            for name in report:
                shutil.copyfile(Path(tmp, name), out / name)
    except _Misuse as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        where = f" {err.filename}" if err.filename else ""
        print(f"{PROG}: error: could not read or write{where}: {err.strerror or err}", file=sys.stderr)
        return 1
    for name, n in report.items():
        print(f"{name}: {n} solution(s) removed")
    print(f"Copies written to {out.resolve()}")
    return 0
