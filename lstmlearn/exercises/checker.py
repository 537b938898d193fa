"""Self-checks for the notebooks' exercises.

Each exercise asks the learner to write one small function. `check(name, fn)` calls it
on a few inputs, compares with lstmlearn's own answer and prints one friendly line:
a verdict word first ("Correct:", "Not yet:", "Not attempted yet:", ...), then the
error the function raised or where the numbers differ, with a hint when the mistake is a
common one. It never raises, so a notebook
run top to bottom keeps going whatever the learner wrote. Its result is true or false.

    >>> def sigmoid(z):
    ...     return 1 / (1 + np.exp(-z))
    >>> check("sigmoid", sigmoid)
    Correct: sigmoid gives the right numbers on 4 test inputs.

The exercises come from the registry (registry.py), which merges the tables of basics.py,
backprop.py and training.py.

What a check guards against, beyond wrong numbers:
- reference and learner each get their own deep copy of every input, the expected values
  are computed before the learner's function runs, and a function that changes its inputs
  in place (a common bug: `g *= scale` on the caller's arrays) is told so;
- a function that does not return within `time_limit` seconds (an endless loop) is
  stopped: it runs in a worker thread, which is interrupted by an exception raised inside
  it (threads, not signals: signals reach only the main thread and do not exist on
  Windows; a thread that was only abandoned would keep the kernel busy). A call stuck
  inside one long numpy operation, or any C call that holds the interpreter (the GIL), such
  as sum(range(3 * 10**8)), cannot be interrupted: it ends when that call does, the cell is
  frozen until then, and the message says so. (A limit enforced from another process could
  stop it, but the learner's function, defined in the notebook, would have to be sent to that
  process, which cannot be done on every platform; so the checker does not.)
- a result that cannot even be read as numbers (its own `__array__` raises) is the answer's
  failure, reported as such, not the checker's;
- complex or non-numeric results are refused, whatever their real part;
- a function that calls lstmlearn's own answer (an exercise's `own`, e.g. `ll.lstm_forward`
  for the exercise of writing that loop) is refused, however it reaches it (an alias, a
  wrapper, another lstmlearn function that calls it): the worker thread records every Python
  call (sys.setprofile, for that thread only) and looks for the answer's code object.

In a notebook the message is shown as text that wraps between words (JupyterLab breaks
printed output anywhere in a word), its verdict word in bold and in colour (green, red,
grey, amber) as a second cue; elsewhere it is printed. The words carry the meaning: a
screen reader, a printout or a machine without colour emoji fonts tells them apart.
"""

from __future__ import annotations

import contextvars
import copy
import ctypes
import html
import re
import sys
import threading
import time
import traceback

import numpy as np

from .registry import REGISTRY as _REGISTRY

# Each message starts with one of these words; the colour (WCAG AA contrast on white) is a second cue.
VERDICTS = {
    "Correct:": "#1a7f37",
    "Not yet:": "#b3261e",
    "Not attempted yet:": "#57606a",
    "Too slow:": "#9a6700",
    "Cannot check:": "#57606a",
    "Checker fault:": "#9a6700",
    "Close:": "#1a7f37",  # a prediction (answers.reveal)
    "Off:": "#b3261e",
    "Not predicted yet:": "#57606a",
}

TIME_LIMIT = 5.0  # seconds a check gives the learner's function, over all its test inputs


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


def check(name: str, fn, verbose: bool = True, time_limit: float = TIME_LIMIT) -> CheckResult:
    """Check the learner's function `fn` for exercise `name`; show one message; never raise.

    `time_limit` : seconds the function may take over all test inputs before it is stopped.
    """
    try:
        ok, message = _check(name, fn, time.perf_counter() + time_limit, time_limit)
    except Exception as err:  # a fault in the checker must not stop the learner's notebook
        ok, message = (
            False,
            f"Checker fault: {name}: the checker itself failed ({type(err).__name__}: {err}); your answer was not judged.",
        )
    if verbose:
        _show_message(message)
    return CheckResult(ok, plain(message))


def _check(name, fn, deadline, time_limit):
    if name not in _REGISTRY:
        return (
            False,
            f"Cannot check: there is no exercise called {name!r}. The exercises are: {', '.join(sorted(_REGISTRY))}.",
        )
    ex = _REGISTRY[name]
    if fn is None or fn is Ellipsis:
        return False, f"Not attempted yet: {name}. Write your function, then run this cell again."
    if not callable(fn):
        return False, f"Not yet: {name}: expected a function, but got {type(fn).__name__} {fn!r}."
    cases = ex.make_inputs(np.random.default_rng(12345))
    for n, kwargs in enumerate(cases, 1):
        want = copy.deepcopy(ex.reference(**copy.deepcopy(kwargs)))  # before the learner's code runs
        given = copy.deepcopy(kwargs)
        entered = []
        outcome, got = _call(fn, given, deadline, watch=ex.own, entered=entered)
        late = time.perf_counter() - deadline
        if outcome == "timeout" or late > _UNINTERRUPTIBLE:
            return False, (
                f"Too slow: {name}: your function did not return within {time_limit:g} s on test input {n} "
                f"({_show(kwargs)}), so it was stopped. Look for a loop that never ends (a `while` "
                f"whose condition never becomes false, a counter that is never updated)."
            ) + (_overran(late) if late > _UNINTERRUPTIBLE else "")
        if outcome == "raised":
            err = got
            if isinstance(err, NotImplementedError):
                return False, (
                    f"Not attempted yet: {name}. Replace `raise NotImplementedError` "
                    f"with your code and run this cell again."
                )
            where = traceback.extract_tb(err.__traceback__)[-1]
            line = f" (line {where.lineno}: `{where.line}`)" if where.line else ""
            return False, (
                f"Not yet: {name}: your function raised {type(err).__name__}: {err}{line} on test input {n}: {_show(kwargs)}."
            )
        if entered:
            own = entered[0]
            return False, (
                f"Not yet: {name}: your function calls lstmlearn's own `{own.__module__}.{own.__qualname__}`, "
                f"which computes this exercise's answer, so the check would compare lstmlearn with itself. "
                f"Write the computation yourself, from the smaller pieces the exercise names."
            )
        changed = [k for k in kwargs if not _identical(given[k], kwargs[k])]
        if changed:
            names = " and ".join(changed)
            return False, (
                f"Not yet: {name}: your function changed its input {names} in place on test input {n} "
                f"({_show(kwargs)}). The caller's arrays must stay as they were: compute new arrays "
                f"(`g = g * scale`, not `g *= scale` or `g[...] = ...` on an input)."
            )
        problem = _compare(got, want, ex.rtol, ex.atol)
        if problem:
            hint = _diagnose(ex, fn, cases, deadline)
            return False, (
                f"Not yet: {name}: on test input {n} ({_show(kwargs)}) {problem}"
                + (f"\n   Hint: {hint}" if hint else "")
            )
    return True, f"Correct: {name} gives the right numbers on {len(cases)} test inputs."


_UNINTERRUPTIBLE = 1.0  # seconds past the limit after which the function was not stopped, but ended by itself


def _overran(late: float) -> str:
    return (
        f" It could only be stopped {late:.0f} s after the limit: it was inside one long call that "
        f"holds Python's interpreter (such as sum(range(3 * 10**8)) or one huge numpy operation), "
        f"which nothing in the notebook can interrupt; such a call ends only when it is done."
    )


class _OutOfTime(BaseException):
    """Raised inside a learner's function that did not return in time, to stop it."""


def _call(fn, kwargs, deadline, watch=(), entered=None):
    """("returned", value), ("raised", exception) or ("timeout", None): fn(**kwargs) run in a
    worker thread (with the caller's context: numpy's error state, the notebook's output)
    and stopped at `deadline` (a time.perf_counter() value). Each function of `watch` that
    runs during the call, directly or from anything fn calls, is appended to `entered`."""
    outcome = {}
    codes = {f.__code__: f for f in watch}

    def profile(frame, event, arg):
        if event == "call" and frame.f_code in codes:
            entered.append(codes[frame.f_code])

    def work():
        if codes:
            sys.setprofile(profile)  # this thread only
        try:
            with np.errstate(all="ignore"):
                outcome["returned"] = fn(**kwargs)
        except _OutOfTime:
            outcome["stopped"] = None
        except BaseException as err:  # the learner's code failed: reported, never raised here
            outcome["raised"] = err
        finally:
            if codes:
                sys.setprofile(None)

    def run(context=contextvars.copy_context()):
        try:
            context.run(work)
        except _OutOfTime:  # arrived just as the function returned
            pass

    worker = threading.Thread(target=run, daemon=True, name="lstmlearn exercise check")
    worker.start()
    try:
        while worker.is_alive() and time.perf_counter() < deadline:
            worker.join(min(0.05, max(deadline - time.perf_counter(), 0.0)))
    except BaseException:  # Ctrl-C or the kernel's interrupt while waiting: stop the worker too
        _stop(worker)
        raise
    if worker.is_alive():
        _stop(worker)
        return "timeout", None
    if "raised" in outcome:
        return "raised", outcome["raised"]
    return "returned", outcome.get("returned")


def _stop(worker, patience=1.0):
    """Raise _OutOfTime inside `worker` until it ends (a function that catches every exception
    gets it again), for up to `patience` seconds."""
    end = time.perf_counter() + patience
    while worker.is_alive() and time.perf_counter() < end:
        hit = ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident), ctypes.py_object(_OutOfTime))
        if hit > 1:  # cannot happen for one thread id; undo rather than hit others
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident), None)
        worker.join(0.05)


def _identical(a, b) -> bool:
    """Are a and b the same values (NaN equal to NaN), through dicts, tuples and lists?"""
    if isinstance(b, dict):
        return isinstance(a, dict) and set(a) == set(b) and all(_identical(a[k], b[k]) for k in b)
    if isinstance(b, (tuple, list)):
        return isinstance(a, (tuple, list)) and len(a) == len(b) and all(map(_identical, a, b))
    if isinstance(b, np.ndarray) or isinstance(a, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    try:
        return bool(a == b) or (a != a and b != b)
    except Exception:
        return a is b


def _in_notebook() -> bool:
    """Running in a Jupyter kernel (where rich output can be shown)?"""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and getattr(shell, "kernel", None) is not None


def _display(bundle) -> None:
    from IPython.display import display

    display(bundle, raw=True)


def _show_message(message: str) -> None:
    """Print the message; in a notebook show it as text that wraps between words.

    JupyterLab shows printed output with `word-break: break-all`, which cuts words at
    the edge of the output area; an HTML block with normal word breaking reads as prose.
    """
    if not _in_notebook():
        print(plain(message))
        return
    _display({"text/plain": plain(message), "text/html": _html(message)})


# A hint stresses a word as Markdown does, *against*: a star that touches a word on its inside
# only. `lr * grad` (spaces) and `h**2` (a star beside a letter or another star) are left alone.
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_CODE_SPAN = re.compile(r"(`[^`]+`)")


def _outside_code(message: str, change) -> str:
    """`message` with `change` applied to the text outside its `code spans`."""
    return "".join(part if _CODE_SPAN.fullmatch(part) else change(part) for part in _CODE_SPAN.split(message))


def plain(message: str) -> str:
    """The message as plain text (a terminal, the text/plain of a notebook): without the stars
    of its emphasis ("goes against the gradient"), code and all else as written."""
    return _outside_code(message, lambda text: _EMPHASIS.sub(r"\1", text))


def _html(message: str) -> str:
    emphasised = _outside_code(html.escape(message, quote=False), lambda text: _EMPHASIS.sub(r"<em>\1</em>", text))
    body = re.sub(r"`([^`]+)`", r"<code>\1</code>", emphasised)
    body = _VERDICT_AT_LINE_START.sub(
        lambda m: f'<strong style="color: {VERDICTS[m.group(1)]}">{m.group(1)}</strong>', body
    )
    return (
        '<div class="lstmlearn-check" style="white-space: pre-wrap; word-break: normal; '
        "overflow-wrap: break-word; font-family: var(--jp-code-font-family, monospace); "
        'font-size: var(--jp-code-font-size, 13px); line-height: var(--jp-code-line-height, 1.4)">'
        f"{body}</div>"
    )


_VERDICT_AT_LINE_START = re.compile("^(" + "|".join(map(re.escape, VERDICTS)) + ")", re.M)


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
        g = np.asarray(got)
    except (TypeError, ValueError):
        return f"expected numbers, but got {type(got).__name__}."
    except Exception as err:  # the result's own __array__ (or __len__ ...) failed: the answer's fault
        return (
            f"your function returned a {type(got).__name__}, and reading it as numbers failed inside it "
            f"({type(err).__name__}: {err}): return a numpy array or a number."
        )
    if np.iscomplexobj(g):
        return (
            "your result is complex (it has an imaginary part), but the answer is real: "
            "a square root or a power of a negative number, perhaps?"
        )
    if g.dtype.kind not in "biuf":
        return (
            f"expected numbers, but got {type(got).__name__}" + (f" of {g.dtype}" if g.dtype.kind == "O" else "") + "."
        )
    g = g.astype(float)
    w = np.asarray(want, dtype=float)
    if g.shape != w.shape:
        return f"expected shape {w.shape}, but got shape {g.shape}."
    if not np.all(np.isfinite(g)):
        return "your result contains NaN or inf."
    bad = ~np.isclose(g, w, rtol=rtol, atol=atol)
    if bad.any():
        idx = tuple(int(k) for k in np.argwhere(bad)[0])
        at = f" at index {idx}" if g.ndim else ""
        want_text, got_text = _distinct(float(w[idx] if g.ndim else w), float(g[idx] if g.ndim else g))
        return f"expected {want_text}{at}, but got {got_text}."
    return None


def _distinct(a, b):
    """a and b as text, with 6 significant digits or as many more as it takes to tell them apart."""
    for digits in range(6, 18):
        a_text, b_text = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if a_text != b_text:
            break
    return a_text, b_text


def _same(a, b):
    """Equal to 1e-6, NaN matching NaN (a known mistake may produce NaN too)."""
    if isinstance(b, dict):
        return isinstance(a, dict) and set(a) == set(b) and all(_same(a[k], b[k]) for k in b)
    if isinstance(b, tuple):
        return isinstance(a, (tuple, list)) and len(a) == len(b) and all(map(_same, a, b))
    try:
        a, b = np.asarray(a), np.asarray(b)
    except Exception:  # not numbers, or a result whose __array__ fails: not the same
        return False
    if a.dtype.kind not in "biufc" or b.dtype.kind not in "biufc" or a.shape != b.shape:
        return False
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-9, equal_nan=True))


def _diagnose(ex, fn, cases, deadline):
    """The hint of the first known mistake that gives the learner's answers on every case."""
    answers = []
    for kwargs in cases:
        outcome, got = _call(fn, copy.deepcopy(kwargs), deadline)
        if outcome != "returned":
            return ""
        answers.append(got)
    for hint, wrong in ex.mistakes.items():
        try:
            with np.errstate(all="ignore"):
                if all(_same(got, wrong(**copy.deepcopy(k))) for got, k in zip(answers, cases)):
                    return hint
        except Exception:
            continue
    return ""
