"""Where the course's data files are: data_dir() (notebooks 07-09)."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The course's data/ folder (evaluation sets, corpus, trained model, results).

    Looks, in order, at the LSTMLEARN_DATA environment variable, at data/ beside the
    lstmlearn package (the repository the course was installed from with pip install -e),
    and at ../data and ./data from the working directory. A notebook copied anywhere
    therefore still finds the course's files.
    """
    here = Path(__file__).resolve().parent
    candidates = [Path(os.environ["LSTMLEARN_DATA"])] if os.environ.get("LSTMLEARN_DATA") else []
    candidates += [here.parent / "data", Path.cwd().parent / "data", Path.cwd() / "data"]
    for folder in candidates:
        if (folder / "results").is_dir() and (folder / "eval").is_dir():
            return folder
    raise FileNotFoundError(
        "the course's data/ folder was not found (looked in: " + ", ".join(map(str, candidates)) + "). "
        "Install the course from its repository with pip install -e . , or set LSTMLEARN_DATA "
        "to the path of its data/ folder.")
