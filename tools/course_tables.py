"""The parts of the course's documents that are generated from notebooks/course.toml.

    python tools/build_notebooks.py --tables        # write them (build_notebooks.py does it first anyway)
    python tools/build_notebooks.py --check         # fails if one of them differs from what it gives

Each generator is a pure function: the manifest's notebooks (and the records registry) in,
the text out. `generated_files(root)` gives, for every file that holds a generated part,
its text with every part rewritten; a file whose text comes back the same is in step.

In README.md, docs/INSTRUCTOR_GUIDE.md and data/README.md a generated part stands between
two marker lines, `<!-- generated: NAME ... -->` and `<!-- end generated: NAME -->`, which
no viewer shows. In a notebook source the part is found by what it is, so that a learner
reading the notebook sees no marker: notebook 00's map is the table under the line
`| # | notebook | the question it answers |`, and the closing of every notebook is its
last lines from `**Next:**` (or, in the last notebook, `**That is the course.**`) on.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from manifest import Notebook, load

MAP_HEADER = "# | # | notebook | the question it answers |"
CLOSING = re.compile(r"^# \*\*(Next:|That is the course\.)\*\*", re.M)


class GeneratedPartError(ValueError):
    """A file has lost the markers (or the anchor) of a part that is generated into it."""


def learning_path(notebooks: list[Notebook]) -> str:
    """The README's table: number, linked title, what a learner leaves able to do, time."""
    rows = ["| # | notebook | you leave able to | time |", "|---|---|---|---|"]
    rows += [
        f"| {nb.number} | [{nb.name}](notebooks/{nb.ipynb}) | {nb.able_to} | {nb.minutes} min |" for nb in notebooks
    ]
    return "\n".join(rows)


def course_map(notebooks: list[Notebook]) -> str:
    """Notebook 00's map of the course (the notebooks after it), as source lines."""
    rows = [MAP_HEADER, "# |---|---|---|"]
    rows += [f"# | {nb.number} | {nb.name} | {nb.question} |" for nb in notebooks[1:]]
    return "\n".join(rows)


def closing(notebooks: list[Notebook], k: int) -> str:
    """The last lines of notebook k's source: the link to the next notebook, or back to the first."""
    if k + 1 < len(notebooks):
        nxt = notebooks[k + 1]
        return f"# **Next:** [{nxt.heading}]({nxt.ipynb})"
    first = notebooks[0]
    return (
        f"# **That is the course.** Go back to [{first.heading}]({first.ipynb}) for the map, or open the\n"
        "# files of `lstmlearn/` side by side with the notebooks: every equation you met is there."
    )


def timing_table(notebooks: list[Notebook]) -> str:
    """The instructor guide's timing table, with the totals in its last row."""
    rows = [
        "| notebook | learner time | execution time (run all, one learner on an idle core) | cells that make people wait |",
        "|---|---|---|---|",
    ]
    rows += [f"| {nb.number} {nb.short} | {nb.minutes} min | {nb.run_seconds} s | {nb.waits} |" for nb in notebooks]
    minutes, seconds = sum(nb.minutes for nb in notebooks), sum(nb.run_seconds for nb in notebooks)
    rows.append(f"| all {len(notebooks)} | {minutes} min | {seconds} s | |")
    return "\n".join(rows)


def records_table(records, notebooks: list[Notebook]) -> str:
    """data/README.md's table of records (benchmarks/records.py's RECORDS), in the notebooks' order."""
    order = {name: k for k, nb in enumerate(notebooks) for name in nb.records}
    rows = ["| record | notebook | what it holds | command | CPU time |", "|---|---|---|---|---|"]
    for r in sorted(records, key=lambda r: order.get(r.name, len(order))):
        rows.append(
            f"| `results/{r.output}` | {r.notebook} | {r.about} | `python benchmarks/records.py --only {r.name}` "
            f"| {r.minutes:g} min |"
        )
    total = sum(r.minutes for r in records)
    rows.append(f"| **all {len(records)}** | | | `python benchmarks/records.py --jobs 2` | {total:.1f} min |")
    return "\n".join(rows)


def replace_between(text: str, name: str, body: str, where: str) -> str:
    """`text` with the lines between the markers of part `name` replaced by `body`."""
    pattern = re.compile(rf"(^<!-- generated: {name}\b[^\n]*-->\n)(.*?)(^<!-- end generated: {name} -->$)", re.M | re.S)
    if len(pattern.findall(text)) != 1:
        raise GeneratedPartError(
            f"{where}: expected one pair of lines '<!-- generated: {name} ... -->' and "
            f"'<!-- end generated: {name} -->' around the generated {name}; put them back around it."
        )
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(3), text)


def with_map(source: str, notebooks: list[Notebook], where: str) -> str:
    """Notebook 00's source with its map regenerated."""
    lines = source.split("\n")
    if MAP_HEADER not in lines:
        raise GeneratedPartError(f"{where}: no line {MAP_HEADER!r}, under which the map of the course is generated.")
    start = lines.index(MAP_HEADER)
    end = start
    while end < len(lines) and lines[end].startswith("# |"):
        end += 1
    return "\n".join(lines[:start] + course_map(notebooks).split("\n") + lines[end:])


def with_closing(source: str, notebooks: list[Notebook], k: int, where: str) -> str:
    """Notebook k's source with its last lines (the link onwards) regenerated."""
    found = list(CLOSING.finditer(source))
    if not found:
        raise GeneratedPartError(
            f"{where}: the source must end with a line that starts '# **Next:**' (or '# **That is the "
            f"course.**'); the link to the next notebook is generated from there to the end."
        )
    return source[: found[-1].start()] + closing(notebooks, k) + "\n"


def check_heading(source: str, nb: Notebook, where: str) -> None:
    """The notebook's first heading must be its number and title from the manifest."""
    want = f"# %% [markdown]\n# # {nb.heading}\n"
    if not source.startswith(want):
        first = "\n".join(source.split("\n")[:2])
        raise GeneratedPartError(
            f"{where}: the source must start with {want!r} (number and title from notebooks/course.toml), "
            f"but starts with {first!r}. Change the title in one of them so that they agree."
        )


def _records(root: Path):
    sys.path.insert(0, str(root / "benchmarks"))
    try:
        import records
    finally:
        sys.path.remove(str(root / "benchmarks"))
    return records.RECORDS


def generated_files(root: Path, notebooks: list[Notebook] | None = None, records=None) -> dict[Path, str]:
    """path -> its text with every generated part rewritten, for every file that holds one."""
    notebooks = load(root / "notebooks" / "course.toml") if notebooks is None else notebooks
    records = _records(root) if records is None else records
    out = {}
    readme = root / "README.md"
    out[readme] = replace_between(readme.read_text(encoding="utf-8"), "learning-path", learning_path(notebooks), readme)
    guide = root / "docs" / "INSTRUCTOR_GUIDE.md"
    out[guide] = replace_between(guide.read_text(encoding="utf-8"), "timing-table", timing_table(notebooks), guide)
    data = root / "data" / "README.md"
    out[data] = replace_between(data.read_text(encoding="utf-8"), "records", records_table(records, notebooks), data)
    for k, nb in enumerate(notebooks):
        path = root / "notebooks" / "src" / f"{nb.stem}.py"
        if not path.exists():
            raise GeneratedPartError(f"notebooks/course.toml lists {nb.stem}, but {path} does not exist.")
        text = path.read_text(encoding="utf-8")
        check_heading(text, nb, path)
        text = with_closing(text, notebooks, k, path)
        out[path] = with_map(text, notebooks, path) if k == 0 else text
    return out


def stale_parts(root: Path) -> list[str]:
    """The files whose generated parts differ from what the manifest gives."""
    return [
        str(p.relative_to(root)) for p, text in generated_files(root).items() if p.read_text(encoding="utf-8") != text
    ]


def write_parts(root: Path) -> list[str]:
    """Rewrite every generated part; the files that changed."""
    changed = []
    for path, text in generated_files(root).items():
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(str(path.relative_to(root)))
    return changed
