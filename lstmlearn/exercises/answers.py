"""Answers a learner sees only on request: an exercise's solution, the values behind a prediction.

    ll.exercises.solution("gd_step")           print the solution of one exercise
    ll.exercises.reveal(predictions, actual)   each prediction beside the value it predicted

Solutions are kept out of the notebooks, so that no viewer (JupyterLab, VS Code, GitHub,
nbviewer) shows one by accident: tools/build_notebooks.py writes them to
notebooks/solutions/NN_name.py, one file per notebook, each solution under a line
`# %% <exercise name>`. solution() reads that file from the folder the notebook runs in.
Learner copies (python -m lstmlearn learner-copies) leave the folder out, and then
solution() says so.

A predict-first exercise must not give its answers away when a learner runs all cells:
reveal() prints a value only for a prediction that has been written in (not None).
"""

from __future__ import annotations

import re
from numbers import Real
from pathlib import Path

from .registry import REGISTRY as _REGISTRY

_BLOCK = re.compile(r"^# %% (.+)$", re.M)


def solutions_folder(folder=None) -> Path | None:
    """The notebooks' solutions/ folder: `folder` if given, else solutions/ (or
    notebooks/solutions/) in the working directory, where a notebook's kernel runs; None
    if there is none."""
    candidates = (
        [Path(folder)] if folder is not None else [Path.cwd() / "solutions", Path.cwd() / "notebooks" / "solutions"]
    )
    return next((c for c in candidates if c.is_dir()), None)


def solution_code(name: str, folder=None) -> str:
    """The code of exercise `name`'s solution, as notebooks/solutions/ holds it.

    Raises LookupError with a message for the learner if the exercise is unknown, or this
    copy of the course has no solutions folder, or the folder has no solution for it.
    """
    if name not in _REGISTRY:
        raise LookupError(f"There is no exercise called {name!r}. The exercises are: {', '.join(sorted(_REGISTRY))}.")
    where = solutions_folder(folder)
    if where is None:
        raise LookupError(
            f"No solutions/ folder next to this notebook (looked in {Path.cwd()}): this copy of the "
            f"course comes without solutions. Ask your instructor, or see notebooks/solutions/ in the "
            f"course's repository."
        )
    notebook = _REGISTRY[name].notebook
    for path in sorted(where.glob(f"{notebook}_*.py")):
        text = path.read_text(encoding="utf-8")
        heads = list(_BLOCK.finditer(text))
        for k, head in enumerate(heads):
            if name in [n.strip() for n in head.group(1).split(",")]:
                end = heads[k + 1].start() if k + 1 < len(heads) else len(text)
                return text[head.end() : end].strip("\n")
    raise LookupError(f"No solution for {name!r} in {where} (it belongs to notebook {notebook}).")


def solution(name: str, folder=None) -> None:
    """Print the solution of exercise `name` (try the exercise first!). Never raises."""
    try:
        code = solution_code(name, folder)
    except LookupError as err:
        print(f"❓ {err}")
        return
    print(f"Solution of {name}: paste it into the exercise cell, or compare it with yours.\n")
    print(code)


def reveal(predictions: dict, actual: dict, tolerance: float = 0.05) -> None:
    """Print each prediction beside the value it predicts; nothing of a value not predicted.

    predictions : name -> your number, or None while you have not predicted it yet
    actual : name -> the value the notebook computed (every name of `predictions` must be here)
    tolerance : a prediction within this distance of the value counts as right
    Prints one line per prediction; never raises, so a notebook run top to bottom goes on.
    """
    if not isinstance(predictions, dict) or not predictions:
        print('❓ predictions should be a dict of name -> your number (or None), e.g. {"f": 0.9}.')
        return
    width = max(len(str(k)) for k in predictions)
    for key, guess in predictions.items():
        label = f"{key!s:<{width}}"
        if key not in actual:
            print(f"❓ {label}  is not one of the values: {', '.join(map(str, actual))}.")
        elif guess is None:
            print(f"⏳ {label}  no prediction yet: replace None with your number and run the cell again.")
        elif not isinstance(guess, Real) or isinstance(guess, bool):
            print(f"❓ {label}  a prediction should be a number, but it is {guess!r}.")
        else:
            value = float(actual[key])
            off = abs(float(guess) - value)
            mark, note = ("✅", "close") if off <= tolerance + 1e-12 else ("❌", f"off by {off:.3g}")
            print(f"{mark} {label}  you predicted {float(guess):.4g}, the cell gives {value:.4f} ({note})")
