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


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m lstmlearn learner-copies",
                                 description="Write solution-free copies of the course notebooks.")
    ap.add_argument("out_dir", help="folder for the copies, e.g. learner_notebooks")
    ap.add_argument("--notebooks", default="notebooks", help="the course's notebooks folder (default: notebooks)")
    args = ap.parse_args(argv)
    report = write_learner_copies(args.notebooks, args.out_dir)
    for name, n in report.items():
        print(f"{name}: {n} solution(s) removed")
    print(f"Copies written to {Path(args.out_dir).resolve()}")
    return 0
