"""The course manifest, notebooks/course.toml: one Notebook record per notebook, in order.

    from manifest import load          (with tools/ on sys.path)
    notebooks = load()                 # [Notebook(number="00", stem="00_start_here", ...), ...]

Everything that lists the notebooks reads them here: tools/build_notebooks.py (the generated
tables and links), the tests, benchmarks/workshop_load.py and benchmarks/bench_widgets.py.
The fields are described at the top of course.toml. A field missing, unknown or of the wrong
type is an error that names the notebook and the field.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, fields
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover (Python 3.10)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "notebooks" / "course.toml"


class ManifestError(ValueError):
    """The manifest cannot be read without guessing."""


@dataclass(frozen=True)
class Notebook:
    """One notebook of the course, as notebooks/course.toml describes it."""

    number: str
    stem: str
    title: str
    short: str
    able_to: str
    question: str
    minutes: int
    run_seconds: int
    waits: str
    explorers: tuple
    exercises: tuple
    records: tuple
    slow: bool
    misconceptions: tuple

    @property
    def ipynb(self) -> str:
        return f"{self.stem}.ipynb"

    @property
    def heading(self) -> str:
        """ "NN · Title", as the notebook's first heading and the "Next:" links write it."""
        return f"{self.number} · {self.title}"

    @property
    def name(self) -> str:
        """The title as a table cell writes it: its first letter lower-case, unless an acronym."""
        t, first = self.title, self.title.split()[0]
        return t if len(first) > 1 and first.isupper() else t[0].lower() + t[1:]


_TYPES = {int: "a whole number", str: "text in quotes", bool: "true or false", tuple: "a list of names in quotes"}


def load(path: Path = MANIFEST) -> list[Notebook]:
    """The notebooks of the manifest at `path`, in order. Raises ManifestError with the fix."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ManifestError(f"{path}: not valid TOML ({err}).") from None
    entries = data.get("notebook")
    if not isinstance(entries, list) or not entries:
        raise ManifestError(f"{path}: expected one [[notebook]] table per notebook, found none.")
    kinds = {f.name: {"int": int, "str": str, "bool": bool, "tuple": tuple}[f.type] for f in fields(Notebook)}
    notebooks = []
    for k, entry in enumerate(entries, 1):
        where = f"{path}, notebook {k} ({entry.get('stem', 'no stem')})"
        missing, unknown = sorted(set(kinds) - set(entry)), sorted(set(entry) - set(kinds))
        if missing or unknown:
            raise ManifestError(
                f"{where}: "
                + "; ".join(
                    ([f"missing {', '.join(missing)}"] if missing else [])
                    + ([f"unknown field {', '.join(unknown)}"] if unknown else [])
                )
                + f". The fields are: {', '.join(kinds)} (described at the top of course.toml)."
            )
        values = {}
        for key, kind in kinds.items():
            value = entry[key]
            if kind is tuple and isinstance(value, list) and all(isinstance(v, str) for v in value):
                value = tuple(value)
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise ManifestError(f"{where}: {key} must be {_TYPES[kind]}, but it is {value!r}.")
            values[key] = value
        nb = Notebook(**values)
        if not re.fullmatch(r"\d{2,}", nb.number) or not nb.stem.startswith(nb.number + "_"):
            raise ManifestError(
                f"{where}: number {nb.number!r} must be two or more digits and the stem {nb.stem!r} must "
                f'start with it and an underscore, e.g. number = "10", stem = "10_attention".'
            )
        if notebooks and int(nb.number) <= int(notebooks[-1].number):
            raise ManifestError(
                f"{where}: number {nb.number} does not follow {notebooks[-1].number}; list the notebooks in "
                f"order, each number above the one before."
            )
        notebooks.append(nb)
    return notebooks
