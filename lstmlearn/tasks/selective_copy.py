"""Selective copying (Gu & Dao 2023, section 4.1.1): copy the tokens, skip the noise (notebook 10).

Symbols: 0 the blank (noise), 1 .. K the tokens, K + 1 the marker (inputs only).

    input   L steps: n tokens at random, sorted, distinct positions, blanks elsewhere;
            then n markers                                                  length L + n
    target  L blanks, then the n tokens in their order                      length L + n
    mask    1 on the last n steps only: only the copies are scored

Unlike the copy task of notebook 07, the tokens' positions vary from sequence to sequence, so
a time-invariant filter (a constant decay, as in S4) cannot know when to write: the decay
must depend on the input. Mamba's Table 1: S4 18.3 %, S6 97.0 % at L = 4096 (K = 16, n = 16).
Chance: accuracy 1/K on the copies.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_positive_int
from .base import Batch, Task, check_rng


def selective_copy_problem(rng: np.random.Generator, batch_size: int, L: int, n_tokens: int = 4, K: int = 8) -> Batch:
    """X (L + n, B) ids, Y (L + n, B) ids, mask (L + n, B), info {"positions": (n, B) steps from 0}."""
    check_rng(rng)
    for name, value in (("batch_size", batch_size), ("L", L), ("n_tokens", n_tokens), ("K", K)):
        check_positive_int(name, value)
    if n_tokens > L:
        raise ValueError(
            f"n_tokens must be at most L (the tokens sit at distinct steps), but it is {n_tokens} > L = {L}."
        )
    B, n = batch_size, n_tokens
    positions = np.sort(np.stack([rng.choice(L, size=n, replace=False) for _ in range(B)], axis=1), axis=0)  # (n, B)
    tokens = rng.integers(1, K + 1, size=(n, B))
    X = np.zeros((L + n, B), dtype=np.int64)
    X[positions, np.arange(B)] = tokens
    X[L:] = K + 1
    Y = np.zeros((L + n, B), dtype=np.int64)
    Y[L:] = tokens
    mask = np.zeros((L + n, B))
    mask[L:] = 1.0
    return Batch(X, Y, mask, None, {"positions": positions})


def copies_correct(Y_pred, batch: Batch) -> float:
    """Fraction of the copied tokens predicted right (argmax over the masked steps)."""
    hit = np.asarray(Y_pred).argmax(-1) == batch.Y
    return float(hit[batch.mask > 0].mean())


def selective_copy_task(L: int, n_tokens: int = 4, K: int = 8) -> Task:
    """Selective copying as a Task: cross-entropy on the copies, score = fraction copied right."""
    return Task(
        name=f"selective copy L={L} n={n_tokens} K={K}",
        input_size=K + 2,
        output_size=K + 1,
        readout="all",
        loss="xent",
        one_hot=True,
        sample=lambda rng, batch_size, step=0: selective_copy_problem(rng, batch_size, L, n_tokens, K),
        score_fn=copies_correct,
        score_name="fraction of the tokens copied",
        baseline={"loss": float(np.log(K)), "score": 1.0 / K},
    )
