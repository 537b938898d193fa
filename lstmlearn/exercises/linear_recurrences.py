"""The exercises of notebook 10: a minGRU step, the scan's combine step, the reverse-scan backward.

The reference answers are lstmlearn's own functions (minrnn.min_rnn_step, scan.combine,
scan.scan_backward): what a learner writes is compared with the page it can open, and a
learner's function that calls one of them is refused.
"""

import numpy as np

from .. import minrnn, scan
from ..minrnn import MinRNNParams, init_min_rnn
from .exercise import Exercise

EXERCISES: dict[str, Exercise] = {}  # name -> exercise, the table this module exports


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _min_gru_inputs(rng):
    cases = []
    for B, D, H in [(1, 1, 1), (2, 3, 4), (3, 2, 5)]:
        p = init_min_rnn(D, H, "gru", rng)
        p = MinRNNParams(p.W, rng.normal(size=p.b.shape))  # non-zero biases, so a missing one shows
        cases.append(dict(x=rng.normal(size=(B, D)), h_prev=rng.normal(size=(B, H)), p=p))
    return cases


def _min_gru_parts(x, p):
    H = p.W.shape[1] // 2
    z = x @ p.W + p.b  # (B, 2H): i | g
    return _sigmoid(z[:, :H]), z[:, H:]


EXERCISES["min_gru_step"] = Exercise(
    "10",
    "one minGRU step: i = sigmoid(x W_i + b_i), g = x W_g + b_g, h = (1 - i) * h_prev + i * g",
    lambda x, h_prev, p: minrnn.min_rnn_step(x, h_prev, p, "gru").h,
    _min_gru_inputs,
    mistakes={
        "i is the share written: h = (1 - i) * h_prev + i * g keeps 1 - i of the old state.": lambda x, h_prev, p: (
            lambda i, g: i * h_prev + (1 - i) * g
        )(*_min_gru_parts(x, p)),
        "minGRU's candidate has no tanh: g = x W_g + b_g, linear in x.": lambda x, h_prev, p: (
            lambda i, g: (1 - i) * h_prev + i * np.tanh(g)
        )(*_min_gru_parts(x, p)),
        "the gates read x alone: there is no h_prev @ W in a minGRU step.": lambda x, h_prev, p: (
            lambda i, g: (1 - i) * h_prev + i * g
        )(_sigmoid((x @ p.W + p.b)[:, : h_prev.shape[1]] + h_prev), _min_gru_parts(x, p)[1]),
    },
    own=(minrnn.min_rnn_step, minrnn.min_rnn_forward, minrnn.min_rnn_parallel, minrnn.min_rnn_trace),
)


def _combine_inputs(rng):
    return [
        dict(left=(np.array([0.5]), np.array([1.0])), right=(np.array([0.25]), np.array([2.0]))),
        dict(left=(rng.uniform(0, 1, 4), rng.normal(size=4)), right=(rng.uniform(-1, 1, 4), rng.normal(size=4))),
        dict(
            left=(rng.uniform(0, 1, (2, 3)), rng.normal(size=(2, 3))),
            right=(rng.uniform(0, 1, (2, 3)), rng.normal(size=(2, 3))),
        ),
    ]


EXERCISES["scan_combine"] = Exercise(
    "10",
    "the combine step (a, b) o (a', b') = (a a', a' b + b'): first h -> a h + b, then h -> a' h + b'",
    lambda left, right: scan.combine(left, right),
    _combine_inputs,
    mistakes={
        "the second step multiplies what the first produced: a' (a h + b) + b' = a a' h + (a' b + b'), "
        "so b is scaled by the *second* step's a'.": lambda left, right: (
            left[0] * right[0],
            left[0] * right[1] + left[1],
        ),
        "b of the first step passes through the second step's multiplication: a' b + b', not b + b'.": lambda left, right: (
            left[0] * right[0],
            left[1] + right[1],
        ),
    },
    own=(scan.combine, scan.scan_doubling),
)


def _backward_inputs(rng):
    cases = []
    for shape in [(1, 1), (5, 1), (6, 3), (7, 2, 2)]:
        a = rng.uniform(-1, 1, shape)
        h = scan.scan_loop(a, rng.normal(size=shape))
        cases.append(dict(dy=rng.normal(size=shape), a=a, h=h))
    return cases


def _reverse_scan(dy, a_next):
    """dh_t = dy_t + a_next_t dh_{t+1}, from the last step back (a learner's loop)."""
    dh = np.empty_like(dy)
    carry = np.zeros_like(dy[0])
    for t in reversed(range(len(dy))):
        dh[t] = carry = dy[t] + a_next[t] * carry
    return dh


def _h_prev(h):
    return np.concatenate([np.zeros_like(h[:1]), h[:-1]])


def _shifted(a):
    return np.concatenate([a[1:], np.zeros_like(a[:1])])


EXERCISES["scan_backward"] = Exercise(
    "10",
    "(da, db) of h_t = a_t h_{t-1} + b_t, h_0 = 0, from dy = dL/dh_t: dh_t = dy_t + a_{t+1} dh_{t+1}, "
    "da_t = dh_t h_{t-1}, db_t = dh_t",
    lambda dy, a, h: tuple(scan.scan_backward(dy, a, h)[:2]),
    _backward_inputs,
    mistakes={
        "h_{t+1} = a_{t+1} h_t + b_{t+1}: the gradient reaching h_t from the step after is multiplied by "
        "a_{t+1}, the next step's decay, not a_t.": lambda dy, a, h: (lambda dh: (dh * _h_prev(h), dh))(
            _reverse_scan(dy, a)
        ),
        "a_t multiplies h_{t-1}, so da_t = dh_t h_{t-1}: the state before the step, not after it.": lambda dy, a, h: (
            lambda dh: (dh * h, dh)
        )(_reverse_scan(dy, _shifted(a))),
        "dh_t is the full gradient into h_t: dy_t plus what comes back from every later step "
        "(a_{t+1} dh_{t+1}), not dy_t alone.": lambda dy, a, h: (dy * _h_prev(h), dy),
        "the backward runs from the last step to the first: dh_T = dy_T, then t = T - 1 down to 1.": lambda dy, a, h: (
            lambda dh: (dh * _h_prev(h), dh)
        )(_reverse_scan(dy[::-1], _shifted(a)[::-1])[::-1]),
    },
    own=(scan.scan_backward, scan.scan_log_backward, minrnn.min_rnn_backward),
)
