"""Remember the first symbol: the smallest long-lag task, for quick demos (notebook 07).

    x_0 = s, one of K symbols (ids 0 .. K-1)
    x_1 .. x_lag: distractors, drawn uniformly from n_distractors other symbols
                  (ids K .. K + n_distractors - 1)
    target: s, read after the last step (class 0 .. K-1)

The answer depends only on a step `lag` steps back. Chance: accuracy 1/K, loss log K.

With n_distractors=1 every step in between is the same blank and the network runs
without input: it can keep s in one of K attractors of its own dynamics. Random
distractors keep pushing the state around; a gated cell can ignore them.
The LSTM against a vanilla RNN at lag 50 with 4 distractors, five seeds each, is the
record data/results/quick_tasks.json (benchmarks/run_quick_tasks.py; notebook 07 reads it).
"""

from __future__ import annotations

import numpy as np

from .._checks import check_positive_int
from .base import Batch, Task, check_rng
from .temporal_order import accuracy


def remember_problem(
    rng: np.random.Generator, batch_size: int, lag: int, n_symbols: int = 4, n_distractors: int = 4
) -> Batch:
    """A batch: X (lag + 1, B) ids, Y (B,) classes."""
    check_rng(rng)
    for name, v in (
        ("batch_size", batch_size),
        ("lag", lag),
        ("n_symbols", n_symbols),
        ("n_distractors", n_distractors),
    ):
        check_positive_int(name, v)
    s = rng.integers(0, n_symbols, size=batch_size)
    X = rng.integers(n_symbols, n_symbols + n_distractors, size=(lag + 1, batch_size))
    X[0] = s
    return Batch(X, s, None, None)


def remember_task(lag: int, n_symbols: int = 4, n_distractors: int = 4) -> Task:
    """The task as a Task: cross-entropy at the last step, score = accuracy."""
    return Task(
        name=f"remember after {lag} steps",
        input_size=n_symbols + n_distractors,
        output_size=n_symbols,
        readout="last",
        loss="xent",
        one_hot=True,
        sample=lambda rng, batch_size, step=0: remember_problem(rng, batch_size, lag, n_symbols, n_distractors),
        score_fn=accuracy,
        score_name="accuracy",
        baseline={"loss": float(np.log(n_symbols)), "score": 1.0 / n_symbols},
    )
