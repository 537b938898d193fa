"""Parity of a bit string, with length extrapolation (notebook 10).

    input   x_1 .. x_L, each bit 0 or 1 (ids 0, 1), L uniform in min_length .. max_length,
            padded with 0 to the batch's longest L (a 0 leaves the parity as it is)
    target  (x_1 + ... + x_L) mod 2, read at the sequence's own last step (many-to-one)

Train on lengths 3-20 and test on 40-128: a model that has learnt the rule (flip a state bit
at every 1) keeps its accuracy; one that has learnt the training lengths falls to chance.
Grazzi et al. (2024) prove that a linear recurrence whose decays are all in (0, 1) cannot
flip a state and so cannot do parity at every length; a decay in (-1, 1) can.
Chance: accuracy 1/2, cross-entropy log 2.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_positive_int
from .base import Batch, Task, check_rng
from .temporal_order import accuracy


def parity_problem(rng: np.random.Generator, batch_size: int, min_length: int = 3, max_length: int = 20) -> Batch:
    """X (L_max, B) bit ids, Y (B,) parities, lengths (B,) uniform in min_length .. max_length."""
    check_rng(rng)
    check_positive_int("batch_size", batch_size)
    check_positive_int("min_length", min_length)
    check_positive_int("max_length", max_length)
    if max_length < min_length:
        raise ValueError(
            f"max_length must be at least min_length, but they are {max_length} and {min_length}: "
            f"swap them, e.g. parity_problem(rng, B, min_length={max_length}, max_length={min_length})."
        )
    lengths = rng.integers(min_length, max_length + 1, size=batch_size)
    L = int(lengths.max())
    bits = rng.integers(0, 2, size=(L, batch_size))
    bits[np.arange(L)[:, None] >= lengths] = 0  # (L, B): the padding
    return Batch(bits.astype(np.int64), bits.sum(axis=0) % 2, None, lengths)


def parity_task(min_length: int = 3, max_length: int = 20) -> Task:
    """Parity on lengths min_length .. max_length as a Task: cross-entropy at the last step, score = accuracy."""
    return Task(
        name=f"parity L={min_length}..{max_length}",
        input_size=2,
        output_size=2,
        readout="last",
        loss="xent",
        one_hot=True,
        sample=lambda rng, batch_size, step=0: parity_problem(rng, batch_size, min_length, max_length),
        score_fn=accuracy,
        score_name="accuracy",
        baseline={"loss": float(np.log(2)), "score": 0.5},
    )
