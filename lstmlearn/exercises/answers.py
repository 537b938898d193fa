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

import math
import re
from numbers import Real
from pathlib import Path

from .checker import _show_message
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
        print(f"Not available: {err}")
        return
    print(f"Solution of {name}: paste it into the exercise cell, or compare it with yours.\n")
    print(code)


def reveal(predictions: dict, actual: dict, within=None, tolerance=0.05, logit_tolerance=0.5, rtol=0.005) -> None:
    """Print each prediction beside the value it predicts; nothing of a value not predicted.

    predictions : name -> your number, or None while you have not predicted it yet
    actual : name -> the value the notebook computed (every name of `predictions` must be here)
    within : name -> (lo, hi), the open range of a squashed value: (0, 1) for a sigmoid gate,
        (-1, 1) for tanh. Such a prediction is close when it is within `tolerance` of the value
        and within `logit_tolerance` of it on the logit scale, log(u / (1 - u)) with u the
        position in (lo, hi): near a bound what matters is the distance to it, so 0.999 for
        0.9933 is off (1 - 0.001 against 1 - 0.0067, a factor 6.7). A prediction on a bound
        is told why the function never reaches it.
    rtol : every other prediction is close when it is within rtol (relative) of the value, or
        1e-3 of it when the value is (nearly) 0
    Shows one line per prediction, its verdict word first (Close:, Off:, Not predicted yet:); never raises, so a notebook run top to bottom goes on.
    """
    if not isinstance(predictions, dict) or not predictions:
        print('Cannot check: predictions should be a dict of name -> your number (or None), e.g. {"f": 0.9}.')
        return
    within = within or {}
    width = max(len(str(k)) for k in predictions)
    lines = []  # (verdict word, the rest of the line)
    for key, guess in predictions.items():
        label = f"{key!s:<{width}}"
        if key not in actual:
            lines.append(("Cannot check:", f"{label}  is not one of the values: {', '.join(map(str, actual))}."))
        elif guess is None:
            lines.append(("Not predicted yet:", f"{label}  replace None with your number and run the cell again."))
        elif not isinstance(guess, Real) or isinstance(guess, bool) or not math.isfinite(guess):
            lines.append(("Cannot check:", f"{label}  a prediction should be a number, but it is {guess!r}."))
        else:
            value, guess = float(actual[key]), float(guess)
            if key in within:
                close, shown, note = _judge_squashed(guess, value, within[key], tolerance, logit_tolerance)
            else:
                off = abs(guess - value)
                close = off <= max(rtol * abs(value), 1e-3) + 1e-12
                shown, note = f"{value:.4f}", ("close" if close else f"off by {off:.3g}")
            lines.append(
                ("Close:" if close else "Off:", f"{label}  you predicted {guess:.4g}, the cell gives {shown} ({note})")
            )
    pad = max(len(word) for word, _ in lines)
    _show_message("\n".join(f"{word:<{pad}} {rest}" for word, rest in lines))


_NEVER = {(0.0, 1.0): "a sigmoid", (-1.0, 1.0): "tanh"}


def _judge_squashed(guess, value, within, tolerance, logit_tolerance):
    """(close?, the value as text, note) for a prediction of a value in the open range `within`."""
    lo, hi = map(float, within)
    from ..plots.style import number_text  # here, not at import: it loads matplotlib

    shown = number_text(value, 4, within=(lo, hi))
    if guess in (lo, hi):
        what = _NEVER.get((lo, hi), "this squashed value")
        towards = "grows" if guess == hi else "falls"
        return (
            False,
            shown,
            (
                f"{what} never reaches {guess:g}: it comes closer and closer as its input {towards}, "
                f"but for any finite input it stays inside ({lo:g}, {hi:g})"
            ),
        )
    if not lo < guess < hi:
        return False, shown, f"a value of this kind lies between {lo:g} and {hi:g}"

    def logit(v):
        u = (v - lo) / (hi - lo)
        return math.log(u) - math.log1p(-u)

    off, off_logit = abs(guess - value), abs(logit(guess) - logit(value))
    if off <= tolerance + 1e-12 and off_logit <= logit_tolerance + 1e-12:
        return True, shown, "close"
    bound = hi if value > (lo + hi) / 2 else lo
    gap, guess_gap = abs(bound - value), abs(bound - guess)
    if off <= tolerance + 1e-12 and guess_gap < 0.5 * (hi - lo):  # near the bound, but not near enough
        ratio, size = max(gap, guess_gap) / min(gap, guess_gap), "small" if guess_gap < gap else "large"
        return (
            False,
            shown,
            (
                f"it is {gap:.2g} from {bound:g}, you predicted {guess_gap:.2g} from {bound:g}: so near {bound:g} "
                f"that distance is what counts, and yours is {ratio:.2g} times too {size}"
            ),
        )
    return False, shown, f"off by {off:.3g}"
