"""The adding problem, exactly as Hochreiter & Schmidhuber (1997), experiment 4 (notebook 07).

Each step is a pair x_t = (value, marker): value uniform in [-1, 1], marker in {-1, 0, 1}.

    length     L drawn uniformly from the integers T .. T + T//10, one per sequence
    marker 1   exactly two steps: p1 among the first 10 steps (0 .. 9),
               p2 among the first T//2 - 1 steps (0 .. T//2 - 2), p2 != p1
    marker -1  the first and the last step (unless the first step is one of the two marked
               steps: then it carries marker 1, the marker that tells the model to add it)
    marker 0   every other step
    X1, X2     the values at p1 and p2; if a marked step is the very first step, its value
               is set to 0 ("X1 is set to 0", 1997), so it adds nothing
    target     y = 0.5 + (X1 + X2) / 4,  read after the last step (many-to-one)
    correct    |prediction - y| < 0.04

Our reading of the ambiguous points: the two marked steps are distinct; T/2 is T//2 and
T/10 is T//10 for odd T; each sequence of a batch has its own length (shorter sequences
are padded with zeros at the end and read at their own last step via `lengths`).

Chance baselines, for always predicting 0.5 (the best constant). When neither marked step
is the first, MSE = Var((X1+X2)/4) = (2/3)/16 = 1/24 ~ 0.0417, and the prediction is
correct when |X1 + X2| < 0.16, with probability 0.16 - 0.16^2/4 = 0.1536 (X1 + X2 has
the triangular density (2 - |s|)/4): the figures usually quoted. The zeroing rule makes
the exact values a little lower: the first step is marked with probability
q = 1/10 + (9/10) / (T//2 - 2), and then only one uniform value counts, so

    MSE = (1/24)(1 - q/2)             (0.0388 for T = 50, 0.0392 for T = 100)
    P(correct) = (1 - q) 0.1536 + q 0.16

adding_baseline(T) returns these exact values; the Task uses them.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_positive_int
from .base import Batch, Task, check_rng

TOLERANCE = 0.04


def adding_baseline(T: int) -> dict:
    """Exact MSE and fraction correct of always predicting 0.5 (see the module docstring)."""
    q = 0.1 + 0.9 / (T // 2 - 2)  # probability that the first step is one of the marked ones
    both = 2 * TOLERANCE * 2 - (2 * TOLERANCE * 2) ** 2 / 4  # P(|X1 + X2| < 0.16) = 0.1536
    return {"loss": (1.0 - q / 2) / 24.0, "score": (1 - q) * both + q * 4 * TOLERANCE}


def adding_problem(rng: np.random.Generator, batch_size: int, T: int) -> Batch:
    """A batch of the adding problem with minimal length T (T >= 24, so 10 < T//2 - 1).

    Returns Batch(X (L_max, B, 2), Y (B, 1), lengths (B,), info={"p1", "p2" (B,) marker steps}).
    """
    check_rng(rng)
    check_positive_int("batch_size", batch_size)
    check_positive_int("T", T)
    if T < 24:
        raise ValueError(
            f"T must be at least 24 so that the first T//2 - 1 steps contain the "
            f"first 10 (where X1 is marked), but it is {T}."
        )
    B = batch_size
    lengths = rng.integers(T, T + T // 10 + 1, size=B)  # T .. T + T//10 inclusive
    L = int(lengths.max())
    steps = np.arange(L)[:, None]  # (L, 1)
    valid = steps < lengths  # (L, B)
    values = rng.uniform(-1.0, 1.0, size=(L, B)) * valid
    p1 = rng.integers(0, 10, size=B)
    r = rng.integers(0, T // 2 - 2, size=B)  # one of the other T//2 - 2 early steps
    p2 = r + (r >= p1)  # skip p1: uniform over {0 .. T//2 - 2} minus {p1}
    markers = np.zeros((L, B))
    markers[0] = -1.0
    markers[lengths - 1, np.arange(B)] = -1.0
    markers[p1, np.arange(B)] = 1.0
    markers[p2, np.arange(B)] = 1.0
    values[0] = np.where((p1 == 0) | (p2 == 0), 0.0, values[0])  # a marked first step adds 0
    X1, X2 = values[p1, np.arange(B)], values[p2, np.arange(B)]
    Y = (0.5 + (X1 + X2) / 4.0)[:, None]  # (B, 1)
    X = np.stack([values, markers], axis=-1)  # (L, B, 2)
    return Batch(X, Y, None, lengths, {"p1": p1, "p2": p2})


def adding_correct(Y_pred, batch: Batch) -> float:
    """Fraction of sequences with |prediction - target| < 0.04."""
    return float(np.mean(np.abs(np.asarray(Y_pred)[:, 0] - batch.Y[:, 0]) < TOLERANCE))


def adding_task(T: int) -> Task:
    """The adding problem as a Task: MSE loss, read at the last step, score = fraction correct."""
    return Task(
        name=f"adding T={T}",
        input_size=2,
        output_size=1,
        readout="last",
        loss="mse",
        one_hot=False,
        sample=lambda rng, batch_size, step=0: adding_problem(rng, batch_size, T),
        score_fn=adding_correct,
        score_name="fraction correct (|error| < 0.04)",
        baseline=adding_baseline(T),
    )
