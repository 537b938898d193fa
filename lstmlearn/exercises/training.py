"""The exercises of notebooks 07 to 09: long-lag tasks, the character model, the variants."""

import numpy as np

from ..gru import gru_step, init_gru
from ..losses import softmax
from ..tasks import adding_problem, bits_per_char, copy_baseline
from .exercise import Exercise

EXERCISES: dict[str, Exercise] = {}  # name -> exercise, the table this module exports


def _adding_inputs(rng):
    cases = []
    for seed in range(3):
        batch = adding_problem(np.random.default_rng(seed), 1, 30)
        n = int(batch.lengths[0])
        cases.append(dict(values=batch.X[:n, 0, 0], markers=batch.X[:n, 0, 1]))
    return cases


EXERCISES["adding_target"] = Exercise(
    "07",
    "y = 0.5 + (X1 + X2) / 4, the values at the two steps whose marker is 1",
    lambda values, markers: 0.5 + np.sum(values[markers == 1]) / 4,
    _adding_inputs,
    mistakes={
        "only the two steps with marker 1 count (marker -1 marks the first and last steps).": lambda values, markers: (
            0.5 + np.sum(values[markers != 0]) / 4
        ),
        "the target is 0.5 + (X1 + X2) / 4: divide the sum by 4 and add 0.5.": lambda values, markers: np.sum(
            values[markers == 1]
        ),
    },
)

EXERCISES["copy_baseline"] = Exercise(
    "07",
    "memoryless cross-entropy of the copy task: 10 log 8 / (T + 20)",
    copy_baseline,
    lambda rng: [dict(T=10), dict(T=20), dict(T=100)],
    mistakes={
        "use the natural logarithm (nats): np.log(8), not np.log2(8).": lambda T: 10 * np.log2(8) / (T + 20),
        "the sequence has T + 20 steps: 10 symbols, T - 1 blanks, a delimiter and 10 more blanks.": lambda T: (
            10 * np.log(8) / T
        ),
    },
)


def _logit_inputs(rng):
    return [
        dict(logits=np.array([2.0, 1.0, 0.0]), temperature=1.0),
        dict(logits=np.array([2.0, 1.0, 0.0]), temperature=0.5),
        dict(logits=rng.normal(size=(4, 6)) * 3, temperature=1.7),
        dict(logits=np.array([1000.0, 0.0, -1000.0]), temperature=1.0),
    ]


EXERCISES["softmax_temperature"] = Exercise(
    "08",
    "p = softmax(logits / temperature) over the last axis, without overflow",
    lambda logits, temperature: softmax(np.asarray(logits) / temperature),
    _logit_inputs,
    mistakes={
        "divide the logits by the temperature (a low temperature sharpens the distribution).": lambda logits, temperature: (
            softmax(np.asarray(logits) * temperature)
        ),
        "subtract the largest logit before np.exp, so that large logits do not overflow.": lambda logits, temperature: (
            lambda e: e / e.sum(-1, keepdims=True)
        )(np.exp(np.asarray(logits) / temperature)),
    },
)

EXERCISES["bits_per_char"] = Exercise(
    "08",
    "bits per character: -mean(log2 p) over the probabilities p given to the true characters",
    lambda p: bits_per_char(-np.mean(np.log(p))),
    lambda rng: [
        dict(p=np.array([0.5, 0.5])),
        dict(p=np.array([0.25, 0.5, 1.0])),
        dict(p=rng.uniform(0.01, 1, 50)),
    ],
    mistakes={
        "bits use log base 2 (np.log2), not the natural logarithm.": lambda p: -np.mean(np.log(p)),
        "take the mean over characters, not the sum.": lambda p: -np.sum(np.log2(p)),
    },
)

EXERCISES["coupled_cell_update"] = Exercise(
    "09",
    "coupled input and forget gates: c = (1 - i) * c_prev + i * g",
    lambda i, g, c_prev: (1 - i) * c_prev + i * g,
    lambda rng: [
        dict(i=np.array([0.0]), g=np.array([0.9]), c_prev=np.array([2.0])),
        dict(i=rng.uniform(size=5), g=rng.uniform(-1, 1, 5), c_prev=rng.normal(size=5)),
    ],
    mistakes={
        "with coupled gates the forget gate is f = 1 - i: keep (1 - i) of c_prev.": lambda i, g, c_prev: c_prev + i * g
    },
)


def _gru_inputs(rng):
    return [
        dict(x=rng.normal(size=(B, D)), h_prev=rng.normal(size=(B, H)), p=init_gru(D, H, rng=rng))
        for B, D, H in [(1, 1, 1), (2, 3, 4), (3, 2, 5)]
    ]


def _gru_reset_outside(x, h_prev, p):
    H = p.hidden_size
    ax, ah = x @ p.W_x + p.b_x, h_prev @ p.W_h + p.b_h
    r = 1 / (1 + np.exp(-(ax[:, :H] + ah[:, :H])))
    z = 1 / (1 + np.exp(-(ax[:, H : 2 * H] + ah[:, H : 2 * H])))
    n = np.tanh(ax[:, 2 * H :] + ah[:, 2 * H :]) * r
    return (1 - z) * n + z * h_prev


EXERCISES["gru_step"] = Exercise(
    "09",
    "one GRU step (torch.nn.GRU's equations, gate order r | z | n): return h",
    lambda x, h_prev, p: gru_step(x, h_prev, p).h,
    _gru_inputs,
    mistakes={
        "h = (1 - z) * n + z * h_prev: z keeps the old state, 1 - z writes the candidate.": lambda x, h_prev, p: (
            lambda s: s.z * s.n + (1 - s.z) * h_prev
        )(gru_step(x, h_prev, p)),
        "the reset gate multiplies the recurrent part inside the tanh: n = tanh(x W_xn + b_xn + r * (h W_hn + b_hn)).": _gru_reset_outside,
    },
)
