"""Remember the first symbol: the smallest long-lag task, for quick demos (notebook 07).

    x_0 = s, one of K symbols (ids 1 .. K); x_1 .. x_lag are blanks (id 0)
    target: s - 1 (class 0 .. K-1), read after the last step

The answer depends only on a step `lag` steps back. Chance: accuracy 1/K, loss log K.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_positive_int
from .base import Batch, Task, check_rng
from .temporal_order import accuracy


def remember_problem(rng: np.random.Generator, batch_size: int, lag: int, n_symbols: int = 4) -> Batch:
    """A batch: X (lag + 1, B) ids, Y (B,) classes."""
    check_rng(rng)
    for name, v in (("batch_size", batch_size), ("lag", lag), ("n_symbols", n_symbols)):
        check_positive_int(name, v)
    s = rng.integers(1, n_symbols + 1, size=batch_size)
    X = np.zeros((lag + 1, batch_size), dtype=np.int64)
    X[0] = s
    return Batch(X, s - 1, None, None)


def remember_task(lag: int, n_symbols: int = 4) -> Task:
    """The task as a Task: cross-entropy at the last step, score = accuracy."""
    return Task(
        name=f"remember after {lag} steps", input_size=n_symbols + 1, output_size=n_symbols,
        readout="last", loss="xent", one_hot=True,
        sample=lambda rng, batch_size, step=0: remember_problem(rng, batch_size, lag, n_symbols),
        score_fn=accuracy, score_name="accuracy",
        baseline={"loss": float(np.log(n_symbols)), "score": 1.0 / n_symbols},
    )
