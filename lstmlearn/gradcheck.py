"""Numerical gradient checking by central differences (notebook 06).

The classic estimate, one entry w at a time (order=2):

    dL/dw  ~  (L(w + eps) - L(w - eps)) / (2 eps)                              error ~ eps^2

Its error has two parts: the Taylor remainder, of order eps^2, and the rounding error
of L divided by eps. At float64 they balance near eps = 1e-5 with an error near 1e-10,
which is not enough to show 1e-7 relative agreement on gradient entries of size 1e-4.
The default (order=4) uses two more evaluations to cancel the eps^2 term:

    dL/dw  ~  (8 (L(w + eps) - L(w - eps)) - (L(w + 2 eps) - L(w - 2 eps))) / (12 eps)
                                                                               error ~ eps^4

and with eps = 1e-3 reaches errors near 1e-13. Check in float64: float32 rounding
alone is about 1e-7 / eps.

A check is only as good as the numbers it compares: a NaN or inf on either side (a loss
that is not finite near the point, an analytic gradient that overflowed) fails the check
and the report names the array and the entry, rather than skipping it.
"""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np


def numerical_gradient(loss: Callable[..., float], arrays: Mapping[str, np.ndarray], name: str,
                       eps: float | None = None, indices=None, order: int = 4) -> np.ndarray:
    """Central-difference estimate of dL/d arrays[name], entry by entry.

    `loss(**arrays)` must return a scalar. The arrays are copied; the originals are not
    touched. `indices` (a list of index tuples) restricts the estimate to those entries;
    the others are left as NaN. `order` is 2 or 4 (see the module docstring); `eps`
    defaults to 1e-5 for order 2 and 1e-3 for order 4.
    """
    if order not in (2, 4):
        raise ValueError(f"order must be 2 or 4, but it is {order!r}.")
    eps = _check_eps(eps) if eps is not None else (1e-5 if order == 2 else 1e-3)
    work = {k: np.array(v, dtype=np.float64) for k, v in arrays.items()}
    w = work[name]
    try:
        loss(**work)
    except Exception as err:
        raise type(err)(f"loss(**arrays) failed before any difference was taken: {type(err).__name__}: {err}. "
                        f"gradcheck calls loss with every entry of arrays as a keyword argument "
                        f"({', '.join(sorted(arrays))}); check that loss takes exactly these.") from err

    def loss_at(idx, value):
        w[idx] = value
        return _scalar(loss(**work))

    grad = np.full(w.shape, np.nan)
    for idx in (np.ndindex(w.shape) if indices is None else indices):
        old = w[idx]
        d1 = loss_at(idx, old + eps) - loss_at(idx, old - eps)
        if order == 2:
            grad[idx] = d1 / (2 * eps)
        else:
            d2 = loss_at(idx, old + 2 * eps) - loss_at(idx, old - 2 * eps)
            grad[idx] = (8 * d1 - d2) / (12 * eps)
        w[idx] = old
    return grad


def _check_eps(eps):
    if isinstance(eps, bool) or not isinstance(eps, (int, float, np.integer, np.floating)):
        raise TypeError(f"eps (the finite-difference step) must be a number, but it is {eps!r}.")
    if not (np.isfinite(eps) and eps > 0):
        raise ValueError(f"eps (the finite-difference step) must be a positive finite number such as "
                         f"1e-3, but it is {eps!r}: with it no difference can estimate a gradient.")
    return float(eps)


def _scalar(value):
    """The loss's value as a float; a clear TypeError if it is not one number."""
    arr = np.asarray(value)
    if arr.size != 1 or np.iscomplexobj(arr) or arr.dtype.kind not in "biuf":
        what = f"an array of shape {arr.shape}" if arr.size != 1 else f"a {type(value).__name__}"
        raise TypeError(f"loss must return a single number (the scalar loss), but it returned {what}. "
                        f"Sum or average it, e.g. return np.sum(...).")
    return float(arr.reshape(()))


class GradcheckReport(dict):
    """Maximum relative error per array name; `report.ok(tol)` and a readable table.

    A NaN or inf gradient entry (numerical or analytic) counts as an error of inf, and
    `report.problems[name]` says which entry it was.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems: dict[str, str] = {}

    def ok(self, tol: float = 1e-7) -> bool:
        """True if every array's maximum relative error is below `tol` (and none is NaN or inf)."""
        return not self.problems and all(err < tol for err in self.values())

    def __ior__(self, other):  # report |= gradcheck(...) keeps the other report's problems too
        super().__ior__(other)
        self.problems.update(getattr(other, "problems", {}))
        return self

    def __or__(self, other):
        merged = GradcheckReport(self)
        merged.problems.update(self.problems)
        merged |= other
        return merged

    def __repr__(self):
        width = max([len(k) for k in self] + [5])
        rows = [f"{'array':<{width}}  max relative error"]
        rows += [f"{k:<{width}}  {err:.2e}" for k, err in self.items()]
        rows += [f"{k}: {text}" for k, text in self.problems.items()]
        return "\n".join(rows)

    def _repr_pretty_(self, printer, cycle):
        printer.text(repr(self))


def relative_error(analytic, numerical, atol: float = 1e-6) -> np.ndarray:
    """|a - n| / max(|a|, |n|, atol), elementwise.

    Entries where both gradients are smaller than `atol` are compared with atol in the
    denominator, so rounding noise around a true zero does not count as a large error.
    """
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numerical, dtype=np.float64)
    return np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), atol)


def gradcheck(loss: Callable[..., float], arrays: Mapping[str, np.ndarray],
              grads: Mapping[str, np.ndarray], eps: float | None = None, atol: float = 1e-6,
              max_entries: int | None = None, rng: np.random.Generator | None = None,
              order: int = 4) -> GradcheckReport:
    """Compare analytic gradients with central differences, array by array.

    Parameters
    ----------
    loss : function called as loss(**arrays) returning a scalar
    arrays : name -> array, the point at which to check (not modified)
    grads : name -> analytic gradient of the loss, same shape as arrays[name]; only
        these names are checked
    eps, order : finite-difference step and order (see numerical_gradient)
    atol : see relative_error
    max_entries : check at most this many entries per array, chosen with `rng`
        (all entries if None)

    Returns a GradcheckReport: name -> maximum relative error over the checked entries.

    Example
    -------
    >>> p = init_lstm(2, 3, rng=np.random.default_rng(0))
    >>> X = np.random.default_rng(1).normal(size=(4, 1, 2))
    >>> def loss(W_x, W_h, b): return lstm_forward(X, LSTMParams(W_x, W_h, b))[0].sum()
    >>> Hs, trace = lstm_forward(X, p)
    >>> g = lstm_backward(np.ones_like(Hs), trace, p)
    >>> gradcheck(loss, p._asdict(), g.dparams._asdict()).ok()
    True
    """
    for name, d in (("arrays", arrays), ("grads", grads)):
        if not isinstance(d, Mapping):
            raise TypeError(f"{name} must be a dict name -> array, but it is a {type(d).__name__}.")
    if not grads:
        raise ValueError("grads is empty, so nothing would be checked; pass the analytic gradients "
                         "as a dict name -> array, e.g. {'W': dW}.")
    if max_entries is not None and (isinstance(max_entries, bool) or not isinstance(max_entries, (int, np.integer))
                                    or max_entries < 1):
        raise ValueError(f"max_entries must be a whole number >= 1 (or None for every entry), "
                         f"but it is {max_entries!r}.")
    if eps is not None:
        eps = _check_eps(eps)
    report = GradcheckReport()
    for name, analytic in grads.items():
        if name not in arrays:
            raise KeyError(f"grads has {name!r} but arrays does not; arrays has {sorted(arrays)}.")
        analytic = np.asarray(analytic)
        if analytic.dtype.kind not in "biuf":
            raise TypeError(f"grads[{name!r}] must be an array of real numbers, but it has dtype {analytic.dtype}.")
        if np.asarray(arrays[name]).dtype.kind not in "biuf":
            raise TypeError(f"arrays[{name!r}] must be an array of real numbers, but it has dtype "
                            f"{np.asarray(arrays[name]).dtype}.")
        if analytic.shape != np.shape(arrays[name]):
            raise ValueError(f"grads[{name!r}] has shape {analytic.shape} but arrays[{name!r}] "
                             f"has shape {np.shape(arrays[name])}; they must match.")
        indices = None
        if max_entries is not None and analytic.size > max_entries:
            if rng is None:
                raise ValueError("max_entries needs an rng to choose the entries, "
                                 "e.g. rng=np.random.default_rng(0).")
            flat = rng.choice(analytic.size, size=max_entries, replace=False)
            indices = [np.unravel_index(k, analytic.shape) for k in flat]
        numerical = numerical_gradient(loss, arrays, name, eps, indices, order)
        checked = np.zeros(analytic.shape, dtype=bool)
        if indices is None:
            checked[...] = True
        else:
            for idx in indices:
                checked[idx] = True
        problem = _first_non_finite(analytic, numerical, checked)
        with np.errstate(invalid="ignore"):  # inf - inf where a gradient is inf: reported below
            report[name] = float(relative_error(analytic[checked], numerical[checked], atol).max(initial=0.0))
        if problem:
            report[name] = float("inf")
            report.problems[name] = problem
    return report


def _first_non_finite(analytic, numerical, checked):
    """A sentence naming the first checked entry where either gradient is NaN or inf, or ''."""
    for side, values, why in (
            ("numerical", numerical, "the loss is not finite near this point (log or sqrt of a "
                                     "negative number? an overflow?), so the gradient cannot be checked here"),
            ("analytic", np.asarray(analytic, dtype=np.float64), "the backward pass produced it")):
        bad = checked & ~np.isfinite(values)
        if bad.any():
            idx = tuple(int(k) for k in np.argwhere(bad)[0])
            return (f"the {side} gradient is {values[idx]} at index {idx} ({int(bad.sum())} such "
                    f"entr{'y' if bad.sum() == 1 else 'ies'}): {why}.")
    return ""
