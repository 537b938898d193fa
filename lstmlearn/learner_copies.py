"""`python -m lstmlearn learner-copies OUT_DIR`: notebooks without their solutions.

For a workshop, an instructor hands out copies in which every solution cell (a code cell
tagged "solution") is replaced by a short stub that says where the solution went and
repeats the exercise's task as a hint; its outputs are removed, and the "Solution" heading
above it says the solution is not in this copy. Everything else, including the exercises
and their self-checks, stays as it is, so each copy still opens and runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from . import exercises

STUB_TAG = "solution-removed"
CHECK_CALL = re.compile(r"""check\(\s*["']([\w-]+)["']""")


def stub_for(solution_source: str) -> str:
    """The code that replaces one solution cell: a comment with the exercise's task as a hint."""
    names = CHECK_CALL.findall(solution_source)
    tasks = [exercises.exercises().get(n) for n in names]
    lines = ["# The solution is not included in this copy of the notebook.",
             "# Write your answer in the exercise cell above and run its check."]
    for name, task in zip(names, tasks):
        if task:
            lines.append(f"# Hint ({name}): {task.split(': ', 1)[-1]}")
    return "\n".join(lines)


def strip_solutions(nb: nbformat.NotebookNode) -> int:
    """Replace every solution cell of `nb` in place; return how many were replaced."""
    replaced = 0
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "solution" in cell.metadata.get("tags", []):
            cell.source = stub_for(cell.source)
            cell.outputs = []
            cell.execution_count = None
            cell.metadata["tags"] = [t for t in cell.metadata["tags"] if t != "solution"] + [STUB_TAG]
            cell.metadata.pop("jupyter", None)  # nothing left to hide
            replaced += 1
            heading = nb.cells[k - 1] if k > 0 else None
            if heading is not None and heading.cell_type == "markdown" and heading.source.startswith("**Solution**"):
                heading.source = "**Solution**: not included in this copy; your instructor has it."
    return replaced


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
