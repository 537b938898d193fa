"""The copy task of Arjovsky, Shah & Bengio (2016) (notebook 07).

Symbols: 0 is the blank, 1 .. 8 the alphabet, 9 the delimiter (inputs only).

    input   s_1 .. s_10, then T - 1 blanks, the delimiter, then 10 blanks    length T + 20
    target  T + 10 blanks, then s_1 .. s_10                                  length T + 20

The model predicts a symbol at every step (softmax over the 9 outputs: blank and 1 .. 8)
and must reproduce the ten symbols after a gap of T steps.

Memoryless baseline: predict the blank with certainty for the first T + 10 steps and a
uniform guess among 8 symbols for the last 10, cross-entropy 10 log 8 / (T + 20) nats per
step; its score (the fraction of the last ten symbols recalled) is 1/8.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_positive_int
from .base import Batch, Task, check_rng

N_SYMBOLS, N_COPY = 8, 10
BLANK, DELIMITER = 0, N_SYMBOLS + 1


def copy_problem(rng: np.random.Generator, batch_size: int, T: int) -> Batch:
    """A batch of the copy task with gap T: X (T+20, B) input ids, Y (T+20, B) target ids."""
    check_rng(rng)
    check_positive_int("batch_size", batch_size)
    check_positive_int("T", T)
    B, n = batch_size, N_COPY
    symbols = rng.integers(1, N_SYMBOLS + 1, size=(n, B))
    X = np.zeros((T + 2 * n, B), dtype=np.int64)
    X[:n] = symbols
    X[n + T - 1] = DELIMITER
    Y = np.zeros((T + 2 * n, B), dtype=np.int64)
    Y[T + n :] = symbols
    return Batch(X, Y, None, None)


def copy_baseline(T: int) -> float:
    """Memoryless cross-entropy 10 log 8 / (T + 20), in nats per step."""
    return N_COPY * np.log(N_SYMBOLS) / (T + 2 * N_COPY)


def copy_recall(Y_pred, batch: Batch) -> float:
    """Fraction of the last ten symbols predicted correctly (argmax)."""
    return float(np.mean(np.asarray(Y_pred)[-N_COPY:].argmax(-1) == batch.Y[-N_COPY:]))


def copy_task(T: int) -> Task:
    """The copy task as a Task: cross-entropy at every step, score = fraction recalled."""
    return Task(
        name=f"copy T={T}",
        input_size=N_SYMBOLS + 2,
        output_size=N_SYMBOLS + 1,
        readout="all",
        loss="xent",
        one_hot=True,
        sample=lambda rng, batch_size, step=0: copy_problem(rng, batch_size, T),
        score_fn=copy_recall,
        score_name="fraction of the 10 symbols recalled",
        baseline={"loss": float(copy_baseline(T)), "score": 1.0 / N_SYMBOLS},
    )
