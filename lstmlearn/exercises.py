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

`exercises()` lists every exercise with the notebook it belongs to.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .activations import sigmoid as _sigmoid
from .lstm import _cell_backward, lstm_forward, lstm_step
from .memory import half_life
from .optim import clip_grad_norm, global_norm
from .params import LSTMParams, RNNParams, init_lstm
from .rnn import rnn_step


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


def _diagnose(ex, fn, cases):
    """The hint of the first known mistake that gives the learner's answers on every case."""
    for hint, wrong in ex.mistakes.items():
        try:
            with np.errstate(all="ignore"):
                if all(_compare(fn(**_copy(k)), wrong(**_copy(k)), 1e-6, 1e-9) is None for k in cases):
                    return hint
        except Exception:
            continue
    return ""


# ---- the exercises of notebooks 01-06 ------------------------------------------------------

def _scalars_and_arrays(rng):
    return [dict(z=0.0), dict(z=2.0), dict(z=-3.5), dict(z=rng.normal(size=(3, 4)) * 4)]


register("sigmoid", Exercise(
    "03", "sigmoid(z) = 1 / (1 + exp(-z)), elementwise", _sigmoid, _scalars_and_arrays,
    mistakes={
        "check the sign in the exponent: sigmoid(z) = 1 / (1 + exp(-z)).": lambda z: 1 / (1 + np.exp(z)),
        "that is tanh; the sigmoid squashes into (0, 1), not (-1, 1).": lambda z: np.tanh(z),
        "a sigmoid is smooth, not a 0/1 step: it returns a fraction between 0 and 1.":
            lambda z: (np.asarray(z) > 0).astype(float),
    }))


def _gd_inputs(rng):
    return [dict(w=0.5, grad=2.0, lr=0.1), dict(w=-1.0, grad=-0.3, lr=0.5), dict(w=rng.normal(size=3), grad=rng.normal(size=3), lr=0.01)]


register("gd_step", Exercise(
    "01", "one gradient-descent step: w_new = w - lr * dL/dw",
    lambda w, grad, lr: np.asarray(w) - lr * np.asarray(grad), _gd_inputs,
    mistakes={"gradient descent goes *against* the gradient: subtract lr * grad.":
              lambda w, grad, lr: np.asarray(w) + lr * np.asarray(grad),
              "multiply the gradient by the learning rate lr.": lambda w, grad, lr: np.asarray(w) - np.asarray(grad)}))


def _rnn_inputs(rng):
    out = []
    for B, D, H in [(1, 1, 1), (2, 3, 4), (5, 2, 3)]:
        out.append(dict(x=rng.normal(size=(B, D)), h_prev=rng.normal(size=(B, H)),
                        W_x=rng.normal(size=(D, H)), W_h=rng.normal(size=(H, H)), b=rng.normal(size=H)))
    return out


register("rnn_step", Exercise(
    "01", "h = tanh(x @ W_x + h_prev @ W_h + b)",
    lambda x, h_prev, W_x, W_h, b: rnn_step(x, h_prev, RNNParams(W_x, W_h, b)).h, _rnn_inputs,
    mistakes={"the new hidden state depends on h_prev too: add h_prev @ W_h.":
              lambda x, h_prev, W_x, W_h, b: np.tanh(x @ W_x + b),
              "squash the sum with tanh.": lambda x, h_prev, W_x, W_h, b: x @ W_x + h_prev @ W_h + b}))


def _clip_inputs(rng):
    return [dict(grads={"W": np.array([[3.0, 0.0]]), "b": np.array([4.0])}, max_norm=1.0),
            dict(grads={"W": np.array([[0.3, 0.0]]), "b": np.array([0.4])}, max_norm=1.0),
            dict(grads={"W_h": rng.normal(size=(4, 4)) * 10, "W_x": rng.normal(size=(2, 4))}, max_norm=5.0)]


register("clip_grad_norm", Exercise(
    "02", "global-norm clipping: if ||g|| > c then g <- c g / ||g||; return (clipped dict, norm before)",
    clip_grad_norm, _clip_inputs,
    mistakes={"clip by the *global* norm over all arrays together, not each array on its own.":
              lambda grads, max_norm: ({k: v * min(1.0, max_norm / np.linalg.norm(v)) for k, v in grads.items()},
                                       global_norm(grads)),
              "only rescale when the norm is larger than max_norm; small gradients stay as they are.":
              lambda grads, max_norm: ({k: v * max_norm / global_norm(grads) for k, v in grads.items()},
                                       global_norm(grads))}))


def _jacobian_inputs(rng):
    return [dict(h=np.array([0.5]), W_h=np.array([[0.8]])),
            dict(h=np.tanh(rng.normal(size=4)), W_h=rng.normal(size=(4, 4))),
            dict(h=np.tanh(rng.normal(size=6)), W_h=rng.normal(size=(6, 6)))]


register("rnn_jacobian", Exercise(
    "02", "J = diag(1 - h^2) @ W_h.T, the Jacobian of one tanh step in the row-vector convention",
    lambda h, W_h: (1 - h ** 2)[:, None] * W_h.T, _jacobian_inputs,
    mistakes={"with row vectors the Jacobian uses W_h.T, the transpose (row k of J belongs to unit k of h_t).":
              lambda h, W_h: (1 - h ** 2)[:, None] * W_h,
              "scale the *rows* (one per unit of h_t): (1 - h**2)[:, None] * W_h.T, not the columns.":
              lambda h, W_h: W_h.T * (1 - h ** 2)[None, :],
              "include tanh's derivative 1 - h**2: the Jacobian is diag(1 - h**2) @ W_h.T.":
              lambda h, W_h: W_h.T}))


def _gate_inputs(rng):
    out = []
    for B, D, H in [(1, 1, 1), (2, 3, 4), (3, 2, 5)]:
        out.append(dict(x=rng.normal(size=(B, D)), h_prev=rng.normal(size=(B, H)),
                        W_x=rng.normal(size=(D, H)), W_h=rng.normal(size=(H, H)), b=rng.normal(size=H)))
    return out


register("forget_gate", Exercise(
    "03", "f = sigmoid(x @ W_xf + h_prev @ W_hf + b_f)",
    lambda x, h_prev, W_x, W_h, b: _sigmoid(x @ W_x + h_prev @ W_h + b), _gate_inputs,
    mistakes={"a gate uses the sigmoid, so its values lie in (0, 1); tanh is for the candidate g.":
              lambda x, h_prev, W_x, W_h, b: np.tanh(x @ W_x + h_prev @ W_h + b),
              "the gate sees both x and h_prev (their concatenation [h_prev, x]).":
              lambda x, h_prev, W_x, W_h, b: _sigmoid(x @ W_x + b)}))

register("candidate", Exercise(
    "03", "g = tanh(x @ W_xg + h_prev @ W_hg + b_g)",
    lambda x, h_prev, W_x, W_h, b: np.tanh(x @ W_x + h_prev @ W_h + b), _gate_inputs,
    mistakes={"the candidate uses tanh (values in (-1, 1)), not the sigmoid.":
              lambda x, h_prev, W_x, W_h, b: _sigmoid(x @ W_x + h_prev @ W_h + b)}))


def _cell_inputs(rng):
    H = 4
    return [dict(f=np.array([1.0]), i=np.array([0.0]), g=np.array([0.7]), c_prev=np.array([2.0])),
            dict(f=rng.uniform(size=H), i=rng.uniform(size=H), g=rng.uniform(-1, 1, size=H), c_prev=rng.normal(size=H))]


register("cell_update", Exercise(
    "04", "c = f * c_prev + i * g",
    lambda f, i, g, c_prev: f * c_prev + i * g, _cell_inputs,
    mistakes={"the input gate i scales the candidate g: add i * g, not g alone.": lambda f, i, g, c_prev: f * c_prev + g,
              "the forget gate multiplies the *old* cell state c_prev.": lambda f, i, g, c_prev: c_prev + i * g,
              "the update is additive: f * c_prev + i * g.": lambda f, i, g, c_prev: f * c_prev * i * g}))

register("half_life", Exercise(
    "04", "steps until f**t falls to one half: ln(1/2) / ln(f)",
    half_life,
    lambda rng: [dict(f=0.5), dict(f=0.9), dict(f=0.99), dict(f=np.array([0.7, 0.95, 0.999]))],
    mistakes={"solve f**t = 1/2 for t: t = ln(1/2) / ln(f) (both logarithms are negative).": lambda f: np.log(f) / np.log(0.5),
              "use the natural logarithm of one half, ln(0.5), in the numerator.": lambda f: 1 / np.log(f)}))


def _step_inputs(rng):
    out = []
    for B, D, H in [(1, 1, 1), (2, 3, 4), (4, 2, 3)]:
        p = init_lstm(D, H, rng=rng)
        out.append(dict(x=rng.normal(size=(B, D)), h_prev=rng.normal(size=(B, H)),
                        c_prev=rng.normal(size=(B, H)), p=p))
    return out


def _step_ref(x, h_prev, c_prev, p):
    s = lstm_step(x, h_prev, c_prev, p)
    return s.h, s.c


register("lstm_step", Exercise(
    "05", "one whole LSTM step: return (h, c)", _step_ref, _step_inputs,
    mistakes={"h = o * tanh(c): the cell state goes through tanh before the output gate.":
              lambda x, h_prev, c_prev, p: (lambda s: (s.o * s.c, s.c))(lstm_step(x, h_prev, c_prev, p)),
              "PyTorch's gate order is i, f, g, o: columns H:2H of W_x are the forget gate.":
              lambda x, h_prev, c_prev, p: _step_ref(x, h_prev, c_prev, _swap_if(p))}))


def _sequence_inputs(rng):
    out = []
    for T, B, D, H in [(1, 1, 1, 1), (5, 2, 3, 4), (8, 3, 2, 3)]:
        out.append(dict(X=rng.normal(size=(T, B, D)), p=init_lstm(D, H, rng=rng)))
    return out


def _sequence_without_c(X, p):
    h, Hs = np.zeros((X.shape[1], p.hidden_size)), []
    for x in X:
        h = lstm_step(x, h, np.zeros_like(h), p).h
        Hs.append(h)
    return np.stack(Hs)


register("lstm_sequence", Exercise(
    "05", "run lstm_step over X (T, B, D) from zeros; return Hs (T, B, H)",
    lambda X, p: lstm_forward(X, p)[0], _sequence_inputs,
    mistakes={"hand on the cell state too: each step needs the c that the previous step returned (s.c).":
              _sequence_without_c}))


def _swap_if(p):
    H = p.hidden_size
    perm = np.r_[H:2 * H, 0:H, 2 * H:4 * H]  # i and f swapped
    return LSTMParams(p.W_x[:, perm], p.W_h[:, perm], p.b[perm])


def _bwd_inputs(rng):
    out = []
    for B, D, H in [(1, 1, 1), (2, 3, 4), (3, 2, 5)]:
        p = init_lstm(D, H, rng=rng)
        s = lstm_step(rng.normal(size=(B, D)), rng.normal(size=(B, H)), rng.normal(size=(B, H)), p)
        out.append(dict(dh=rng.normal(size=(B, H)), dc=rng.normal(size=(B, H)), s=s))
    return out


def _bwd_ref(dh, dc, s):
    _, dc_total = _cell_backward(dh, dc, s.i, s.f, s.g, s.o, s.c_prev, s.tanh_c)
    return dc_total, dc_total * s.f


register("cell_backward", Exercise(
    "06", "(dL/dc_t total, dL/dc_{t-1}) from dh, dc and an LSTMStep s", _bwd_ref, _bwd_inputs,
    mistakes={"dc_t gets two contributions: the dc coming back from c_{t+1}, and dh * o * (1 - tanh(c)^2) through h = o tanh(c).":
              lambda dh, dc, s: (dc, dc * s.f),
              "along the cell path dc_{t-1} = dc_t * f: the forget gate, not the input gate.":
              lambda dh, dc, s: (lambda d: (d, d * s.i))(dc + dh * s.o * (1 - s.tanh_c ** 2))}))


def _dz_ref(dh, dc, s):
    dz, _ = _cell_backward(dh, dc, s.i, s.f, s.g, s.o, s.c_prev, s.tanh_c)
    return tuple(np.split(dz, 4, axis=-1))  # dz_i, dz_f, dz_g, dz_o


register("gate_grads", Exercise(
    "06", "(dz_i, dz_f, dz_g, dz_o): gradients of the four pre-activations", _dz_ref, _bwd_inputs,
    mistakes={"the sigmoid's derivative is s (1 - s) and tanh's is 1 - t^2, written with the stored outputs.":
              lambda dh, dc, s: (lambda d: (d * s.g, d * s.c_prev, d * s.i, dh * s.tanh_c))(dc + dh * s.o * (1 - s.tanh_c ** 2))}))
