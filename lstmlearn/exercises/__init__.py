"""Self-checks for the notebooks' exercises.

Each exercise asks the learner to write one small function. `check(name, fn)` calls it
on a few inputs, compares with lstmlearn's own answer and prints one friendly line:
a tick, "not attempted yet", the error the function raised, or where the numbers
differ, with a hint when the mistake is a common one. It never raises, so a notebook
run top to bottom keeps going whatever the learner wrote. Its result is true or false.

    >>> def sigmoid(z):
    ...     return 1 / (1 + np.exp(-z))
    >>> check("sigmoid", sigmoid)
    ✅ sigmoid: correct on 4 test inputs.

`exercises()` lists every exercise with the notebook it belongs to. The exercises
themselves are defined beside the notebooks they belong to: basics.py (notebooks 01-05),
backprop.py (06) and training.py (07-09).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Callable

import numpy as np



@dataclass(frozen=True)
class Exercise:
    """One exercise: the reference answer, how to make test inputs, and known wrong answers."""

    notebook: str
    task: str
    reference: Callable
    make_inputs: Callable[[np.random.Generator], list]  # -> list of kwargs dicts
    mistakes: dict = field(default_factory=dict)  # hint -> a wrong function the hint explains
    rtol: float = 1e-7
    atol: float = 1e-9


_REGISTRY: dict[str, Exercise] = {}


def register(name: str, exercise: Exercise) -> None:
    """Add an exercise (notebooks 07-09 register theirs from their own modules)."""
    _REGISTRY[name] = exercise


def exercises() -> dict[str, str]:
    """name -> "notebook: task" for every exercise."""
    return {k: f"{e.notebook}: {e.task}" for k, e in sorted(_REGISTRY.items(), key=lambda kv: kv[1].notebook)}


class CheckResult:
    """What check() found: true if the answer passed. Shows nothing more in a notebook
    (check has printed its message already)."""

    def __init__(self, ok: bool, message: str):
        self.ok, self.message = ok, message

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return f"CheckResult(ok={self.ok})"

    def _ipython_display_(self):
        pass


def check(name: str, fn, verbose: bool = True) -> CheckResult:
    """Check the learner's function `fn` for exercise `name`; print one line; never raise."""
    try:
        ok, message = _check(name, fn)
    except Exception as err:  # a fault in the checker must not stop the learner's notebook
        ok, message = False, f"⚠️ {name}: the checker itself failed ({type(err).__name__}: {err}); your answer was not judged."
    if verbose:
        print(message)
    return CheckResult(ok, message)


def _check(name, fn):
    if name not in _REGISTRY:
        return False, f"❓ There is no exercise called {name!r}. The exercises are: {', '.join(sorted(_REGISTRY))}."
    ex = _REGISTRY[name]
    if fn is None or fn is Ellipsis:
        return False, f"⏳ {name}: not attempted yet. Write your function in the cell above, run it, then run this check."
    if not callable(fn):
        return False, f"❌ {name}: expected a function, but got {type(fn).__name__} {fn!r}."
    cases = ex.make_inputs(np.random.default_rng(12345))
    for n, kwargs in enumerate(cases, 1):
        want = ex.reference(**_copy(kwargs))
        try:
            with np.errstate(all="ignore"):
                got = fn(**_copy(kwargs))
        except NotImplementedError:
            return False, (f"⏳ {name}: not attempted yet. Replace `raise NotImplementedError` "
                           f"with your code, run the cell, then run this check again.")
        except Exception as err:  # the learner's code failed: say where, keep the notebook going
            where = traceback.extract_tb(err.__traceback__)[-1]
            line = f" (line {where.lineno}: `{where.line}`)" if where.line else ""
            return False, (f"❌ {name}: your function raised {type(err).__name__}: {err}{line} "
                           f"on test input {n}: {_show(kwargs)}.")
        problem = _compare(got, want, ex.rtol, ex.atol)
        if problem:
            hint = _diagnose(ex, fn, cases)
            return False, (f"❌ {name}: not yet. On test input {n} ({_show(kwargs)}) {problem}"
                           + (f"\n   Hint: {hint}" if hint else ""))
    return True, f"✅ {name}: correct on {len(cases)} test inputs."


def _copy(kwargs):
    return {k: (np.array(v) if isinstance(v, np.ndarray) else v) for k, v in kwargs.items()}


def _show(kwargs):
    def short(v):
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k!r}: {short(a)}" for k, a in v.items()) + "}"
        if isinstance(v, tuple):  # LSTMParams, LSTMStep, ...
            return f"an {type(v).__name__}"
        a = np.asarray(v)
        if a.size <= 4:
            return np.array2string(a, precision=4) if a.ndim else f"{float(a):.4g}"
        return f"array of shape {a.shape}"
    return ", ".join(f"{k}={short(v)}" for k, v in kwargs.items())


def _compare(got, want, rtol, atol):
    if got is None:
        return "your function returned None: did you forget `return`?"
    if isinstance(want, dict):
        if not isinstance(got, dict) or set(got) != set(want):
            keys = sorted(got) if isinstance(got, dict) else type(got).__name__
            return f"expected a dict with keys {sorted(want)}, but got {keys}."
        for k in want:
            problem = _compare(got[k], want[k], rtol, atol)
            if problem:
                return f"in [{k!r}]: {problem}"
        return None
    if isinstance(want, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            return f"expected {len(want)} results (a tuple), but got {type(got).__name__}."
        for k, (g, w) in enumerate(zip(got, want)):
            problem = _compare(g, w, rtol, atol)
            if problem:
                return f"result {k + 1} of {len(want)}: {problem}"
        return None
    try:
        g = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"expected numbers, but got {type(got).__name__}."
    w = np.asarray(want, dtype=float)
    if g.shape != w.shape:
        return f"expected shape {w.shape}, but got shape {g.shape}."
    if not np.all(np.isfinite(g)):
        return "your result contains NaN or inf."
    bad = ~np.isclose(g, w, rtol=rtol, atol=atol)
    if bad.any():
        idx = tuple(int(k) for k in np.argwhere(bad)[0])
        at = f" at index {idx}" if g.ndim else ""
        return f"expected {float(w[idx] if g.ndim else w):.6g}{at}, but got {float(g[idx] if g.ndim else g):.6g}."
    return None


def _same(a, b):
    """Equal to 1e-6, NaN matching NaN (a known mistake may produce NaN too)."""
    if isinstance(b, dict):
        return isinstance(a, dict) and set(a) == set(b) and all(_same(a[k], b[k]) for k in b)
    if isinstance(b, tuple):
        return isinstance(a, (tuple, list)) and len(a) == len(b) and all(map(_same, a, b))
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9, equal_nan=True))


def _diagnose(ex, fn, cases):
    """The hint of the first known mistake that gives the learner's answers on every case."""
    for hint, wrong in ex.mistakes.items():
        try:
            with np.errstate(all="ignore"):
                if all(_same(fn(**_copy(k)), wrong(**_copy(k))) for k in cases):
                    return hint
        except Exception:
            continue
    return ""


from . import backprop, basics, training  # noqa: E402,F401  (they register their exercises)
from .answers import reveal, solution  # noqa: E402,F401  (solutions and predictions, on request)
