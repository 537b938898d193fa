"""Temporal order, Hochreiter & Schmidhuber (1997), task 6a (notebook 07).

Symbols (ids 0 .. 7): a b c d X Y B E.

    length   L uniform in 100 .. 110
    step 1   E;  step L  B              (steps counted from 1, as in the paper)
    t1       uniform in 10 .. 20, symbol X or Y
    t2       uniform in 50 .. 60, symbol X or Y
    others   uniform in {a, b, c, d}
    class    XX = 0, XY = 1, YX = 2, YY = 3, read after the last step (many-to-one)

The relevant symbols are 30 to 50 steps apart and the model must keep their order.
Chance: accuracy 1/4, cross-entropy log 4.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_positive_int
from .base import Batch, Task, check_rng

SYMBOLS = "abcdXYBE"
CLASSES = ("XX", "XY", "YX", "YY")


def temporal_order_problem(rng: np.random.Generator, batch_size: int) -> Batch:
    """A batch of task 6a: X (L_max, B) ids, Y (B,) classes, lengths (B,), info t1, t2 (1-based)."""
    check_rng(rng)
    check_positive_int("batch_size", batch_size)
    B = batch_size
    lengths = rng.integers(100, 111, size=B)
    L = int(lengths.max())
    X = rng.integers(0, 4, size=(L, B))  # a b c d
    X[0] = SYMBOLS.index("E")
    X[lengths - 1, np.arange(B)] = SYMBOLS.index("B")
    t1 = rng.integers(10, 21, size=B)
    t2 = rng.integers(50, 61, size=B)
    first, second = rng.integers(0, 2, size=B), rng.integers(0, 2, size=B)  # 0 = X, 1 = Y
    X[t1 - 1, np.arange(B)] = SYMBOLS.index("X") + first
    X[t2 - 1, np.arange(B)] = SYMBOLS.index("X") + second
    X[np.arange(L)[:, None] >= lengths] = 0  # padding after the end
    Y = 2 * first + second
    return Batch(X, Y, None, lengths, {"t1": t1, "t2": t2})


def accuracy(Y_pred, batch: Batch) -> float:
    """Fraction of sequences whose argmax class is right."""
    return float(np.mean(np.asarray(Y_pred).argmax(-1) == batch.Y))


def temporal_order_task() -> Task:
    """Task 6a as a Task: cross-entropy at the last step, score = accuracy."""
    return Task(
        name="temporal order 6a",
        input_size=len(SYMBOLS),
        output_size=len(CLASSES),
        readout="last",
        loss="xent",
        one_hot=True,
        sample=lambda rng, batch_size, step=0: temporal_order_problem(rng, batch_size),
        score_fn=accuracy,
        score_name="accuracy",
        baseline={"loss": float(np.log(4)), "score": 0.25},
    )
