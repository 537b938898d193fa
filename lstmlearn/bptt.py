"""Truncated backpropagation through time, written once for every core (notebook 06).

With truncate = k, the loss at step t sends its gradient back through the k steps
t, t-1, ..., t-k+1 and no further: the state entering that window is treated as a
constant. That is the exact backward pass run on the window, with the loss of step t
alone, once for every step t, and the results added:

    grads = sum over t = 1 .. T of  backward(steps max(1, t-k+1) .. t of the trace, loss of step t only)

This is Williams & Peng's (1990) truncated BPTT with a backward pass at every step,
TBPTT(k1 = 1, k2 = k) in Sutskever's (2013) notation. It does k times the work of one full
backward pass and saves no memory: the forward trace of every step is kept. The other
truncation, training on chunks whose state is carried across the border but whose gradient
is not (lstmlearn.tasks.text, notebook 08), is TBPTT(k1 = k2 = chunk length) and costs one
backward pass per chunk. lstmlearn.engine computes this sum in one sweep.
"""

from __future__ import annotations

import numpy as np


def truncated_backward(backward, dHs, trace, k: int, args: tuple = (), final: dict | None = None):
    """The sum above, for any core's exact backward pass.

    backward : e.g. lstm_backward, called as backward(dHs_window, trace_window, *args, **final)
    dHs : (T, B, H) dL/dh_t for every step
    trace : the forward trace (a record whose array fields are stacked over time)
    k : the window, 1 <= k
    args : the backward pass's other arguments, e.g. (p,) or (p, variant)
    final : gradients into the final state, e.g. dict(dh_T=..., dc_T=...); they belong to
        the loss of the last step, so only its window receives them

    Returns the backward pass's own record (LSTMGrads, RNNGrads, ...): dparams summed over
    the windows; dX, dh, dc (one row per step) summed where windows overlap; dh0, dc0 from
    the windows that start at step 1 (the others stop at a constant state).
    """
    T = len(dHs)
    total = None
    for t in range(T):
        first = max(t - k + 1, 0)  # the window: steps first + 1 .. t + 1 in the notebooks' numbering
        window = type(trace)(*(a[first:t + 1] if isinstance(a, np.ndarray) else a for a in trace))
        loss_t = np.zeros_like(dHs[first:t + 1])
        loss_t[-1] = dHs[t]  # the loss of step t alone
        g = backward(loss_t, window, *args, **(final if final and t == T - 1 else {}))
        if total is None:
            total = {name: _zeros_like_total(name, value, T) for name, value in g._asdict().items()}
        for name, value in g._asdict().items():
            if name == "dparams":  # the same weights in every window: their gradients add
                for acc, d in zip(total[name], value):
                    acc += d
            elif name.endswith("0"):  # dh0, dc0: only a window that starts at step 1 reaches them
                if first == 0:
                    total[name] += value
            else:  # dX, dh, dc: one row per step of the window
                total[name][first:t + 1] += value
    return type(g)(**total)


def _zeros_like_total(name, value, T):
    if name == "dparams":
        return type(value)(*(np.zeros_like(a) for a in value))
    if name.endswith("0"):
        return np.zeros_like(value)
    return np.zeros((T,) + value.shape[1:], dtype=value.dtype)
