"""Multi-query associative recall, MQAR (Arora, Eyuboglu et al. 2023, "Zoology") (notebook 11).

A sequence of length T over a vocabulary of V ids starts with n key-value pairs, then asks
for the values of the keys again, each key once, at random places:

    input   k_1 v_1 k_2 v_2 .. k_n v_n   then T - 2n ids: the n keys, each at an even offset,
                                          and random ids (or 0) everywhere else
    target  at the place of each queried key k_j: its value v_j (masked out everywhere else)

Keys come from 1 .. V/2 - 1 and values from V/2 .. V - 1, each key and each value at most
once in a sequence (the random filler ids may repeat them, unasked, as in Zoology). As in Zoology's generator, the offsets of the queries after the pairs
follow a power law, p(gap = g) ~ power_a g^(power_a - 1) for g = 1 .. (T - 2n) / 2: with the
default power_a = 0.01 most queries come soon after the pairs, some far away.

A single recurrent layer whose input is the current token alone can store a value only
under what it remembers of the key before it; the mLSTM layer, with no recurrence outside its
memory C, cannot do that at all. The xLSTM block (and Zoology's models) put a short causal
convolution before the cell for this. mqar_task(previous_token=True) gives every model the
same stand-in: its input at step t is the token and the one before it, one-hot, side by side
(previous_token_inputs).

Chance baseline: a model that cannot remember the pairs can still learn that a value follows,
and guess among the V/2 values: accuracy 2 / V; cross-entropy log(V/2) per query.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_positive_int
from .base import Batch, Task, check_rng


def mqar_problem(
    rng: np.random.Generator,
    batch_size: int,
    vocab_size: int = 64,
    seq_len: int = 64,
    num_kv_pairs: int = 8,
    power_a: float = 0.01,
    random_non_queries: bool = True,
) -> Batch:
    """A batch of MQAR: X (T, B) input ids, Y (T, B) target ids, mask (T, B) 1 at the queries.

    info["keys"], info["values"] : (B, n) the pairs of each sequence; info["query_at"] : (B, n)
    the time index of each key's query.
    """
    check_rng(rng)
    for name, v in (("batch_size", batch_size), ("vocab_size", vocab_size), ("seq_len", seq_len)):
        check_positive_int(name, v)
    check_positive_int("num_kv_pairs", num_kv_pairs)
    n, T, V = num_kv_pairs, seq_len, vocab_size
    if T % 2 or 4 * n > T:
        raise ValueError(
            f"seq_len must be even and at least 4 num_kv_pairs (the pairs, then room for every query), but "
            f"seq_len = {T} and num_kv_pairs = {n}. Raise seq_len to {max(4 * n, T + T % 2)} or lower num_kv_pairs."
        )
    if n > V // 2 - 1:
        raise ValueError(
            f"vocab_size = {V} leaves {V // 2 - 1} keys (ids 1 .. V/2 - 1), fewer than num_kv_pairs = {n}: "
            f"raise vocab_size to at least {2 * n + 2}."
        )
    if not (isinstance(power_a, (int, float)) and 0 < power_a <= 1):
        raise ValueError(f"power_a must be a number in (0, 1] (1 is uniform), but it is {power_a!r}.")
    B = batch_size
    keys = np.stack([rng.choice(np.arange(1, V // 2), size=n, replace=False) for _ in range(B)])
    values = np.stack([rng.choice(np.arange(V // 2, V), size=n, replace=False) for _ in range(B)])
    space = (T - 2 * n) // 2
    p = power_a * np.arange(1, space + 1) ** (power_a - 1.0)
    p /= p.sum()
    gaps = np.stack([rng.choice(space, size=n, replace=False, p=p) for _ in range(B)])  # (B, n)
    query_at = 2 * n + 2 * gaps  # (B, n) time index of each query
    X = rng.integers(0, V, size=(B, T)) if random_non_queries else np.zeros((B, T), dtype=np.int64)
    X[:, 0 : 2 * n : 2], X[:, 1 : 2 * n : 2] = keys, values
    Y = np.zeros((B, T), dtype=np.int64)
    mask = np.zeros((B, T))
    rows = np.arange(B)[:, None]
    X[rows, query_at] = keys
    Y[rows, query_at] = values
    mask[rows, query_at] = 1.0
    info = dict(keys=keys, values=values, query_at=query_at)
    return Batch(X.T.astype(np.int64), Y.T, mask.T, None, info)


def previous_token_inputs(X, vocab_size: int) -> np.ndarray:
    """(T, B) ids -> (T, B, 2V) floats: one-hot x_t, then one-hot x_{t-1} (zeros at the first step)."""
    X = np.asarray(X)
    eye = np.eye(vocab_size)
    prev = np.zeros((X.shape[0], X.shape[1], vocab_size))
    prev[1:] = eye[X[:-1]]
    return np.concatenate([eye[X], prev], axis=-1)


def mqar_accuracy(Y_pred, batch: Batch) -> float:
    """Fraction of the queries whose value is predicted (argmax) correctly."""
    hit = np.asarray(Y_pred).argmax(-1) == batch.Y
    return float((hit * batch.mask).sum() / batch.mask.sum())


def mqar_task(
    vocab_size: int = 64, seq_len: int = 64, num_kv_pairs: int = 8, power_a: float = 0.01, previous_token: bool = False
) -> Task:
    """MQAR as a Task: cross-entropy at the queries, score = fraction of the values recalled.

    previous_token : inputs are previous_token_inputs (T, B, 2V) floats instead of one-hot ids.
    """

    def sample(rng, batch_size, step=0):
        b = mqar_problem(rng, batch_size, vocab_size, seq_len, num_kv_pairs, power_a)
        return b._replace(X=previous_token_inputs(b.X, vocab_size)) if previous_token else b

    sample(np.random.default_rng(0), 1)  # check the settings now, not at the first batch
    return Task(
        name=f"MQAR V={vocab_size} T={seq_len} pairs={num_kv_pairs}"
        + (" (token and previous token)" if previous_token else ""),
        input_size=2 * vocab_size if previous_token else vocab_size,
        output_size=vocab_size,
        readout="all",
        loss="xent",
        one_hot=not previous_token,
        sample=sample,
        score_fn=mqar_accuracy,
        score_name="fraction of the queried values recalled",
        baseline={"loss": float(np.log(vocab_size // 2)), "score": 2.0 / vocab_size},
    )
