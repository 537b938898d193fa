"""Where the course's files are: data_dir() (notebooks 07-09) and course_root().

The course's notebooks and data live in the repository as notebooks/ and data/. A wheel
carries the same files inside the package, as lstmlearn/_course/notebooks and
lstmlearn/_course/data (setup.py maps them there at build time), so the course works from
a plain `pip install` with no clone; `python -m lstmlearn course DIR` copies them out.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ENV_VAR = "LSTMLEARN_DATA"


def course_root(package: Path = PACKAGE) -> Path:
    """The folder holding the course's notebooks/ and data/ as shipped.

    In an installed wheel that is lstmlearn/_course; in a clone (an editable install, or
    the tests) it is the repository, beside the package.
    """
    candidates = [package / "_course", package.parent]
    for folder in candidates:
        if (folder / "notebooks").is_dir() and (folder / "data").is_dir():
            return folder
    raise FileNotFoundError(
        "the course's notebooks/ and data/ folders were not found (looked in: "
        + ", ".join(map(str, candidates)) + "). Install the course again: pip install -e . in a clone of "
        "its repository, or pip install --force-reinstall with the wheel or repository you installed it from.")


def _is_data_folder(folder: Path) -> bool:
    return (folder / "results").is_dir() and (folder / "eval").is_dir()


def data_dir() -> Path:
    """The course's data/ folder (evaluation sets, corpus, trained model, results).

    Looks, in order, at
      1. the LSTMLEARN_DATA environment variable, if set: it must name a data folder;
      2. ./data and ../data from the working directory: the data laid out with a copy of
         the course (`python -m lstmlearn course DIR`), or a clone's data/ seen from its
         notebooks/ (Jupyter runs a notebook in its own folder);
      3. the data shipped with the package (course_root()).
    A notebook copied anywhere therefore still finds the course's files.
    """
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        folder = Path(chosen).expanduser()
        if not folder.is_dir():
            raise FileNotFoundError(
                f"{ENV_VAR} is set to {chosen!r}, which does not exist. Point it at the course's data "
                f"folder (the one holding eval/ and results/), or unset it to use the course's own data.")
        if not _is_data_folder(folder):
            raise FileNotFoundError(
                f"{ENV_VAR} is set to {chosen!r}, which is not the course's data folder: it has no eval/ "
                f"and results/ folders. Point it at the folder that does, or unset it to use the "
                f"course's own data.")
        return folder
    candidates = [Path.cwd() / "data", Path.cwd().parent / "data"]
    try:
        candidates.append(course_root() / "data")
    except FileNotFoundError:
        pass
    for folder in candidates:
        if _is_data_folder(folder):
            return folder
    raise FileNotFoundError(
        "the course's data/ folder was not found (looked in: " + ", ".join(map(str, candidates)) + "). "
        "Lay out the course with python -m lstmlearn course DIR and open the notebooks there, or set "
        f"{ENV_VAR} to the path of its data/ folder.")
