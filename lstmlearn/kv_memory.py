"""The mLSTM's memory as a key-value store: write pairs, read with a query, watch them interfere (notebook 11).

With every gate at 1 (i = f = 1), the mLSTM's update is the classic covariance (outer-product)
associative memory:

    C = sum_p v_p k_p^T        (d, d)   store value v_p under key k_p, p = 1 .. P
    n = sum_p k_p              (d,)     the normaliser: the keys written
    h = C q / max(|n . q|, 1)           read with the query q

Reading with a stored key k_j returns v_j (k_j . k_j) + sum_{p != j} v_p (k_p . k_j): the value
asked for, plus crosstalk from every other pair. Orthonormal keys have no crosstalk, but a
d-dimensional space holds at most d of them: beyond P = d pairs, the keys overlap and the
readout's error grows, about like sqrt((P - 1) / d) for random unit keys. interference()
measures it. (The normaliser divides by |n . q| = |sum_p k_p . q|, which the mLSTM needs to
keep h's size in check over long sequences; for the error of a raw read use normalise=False.)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_positive_int, check_rng, check_shape


class Memory(NamedTuple):
    """A key-value memory: C (d, d) and n (d,)."""

    C: np.ndarray
    n: np.ndarray


def store(keys, values) -> Memory:
    """Write P pairs at once: keys, values (P, d). Returns Memory(C = sum_p v_p k_p^T, n = sum_p k_p)."""
    keys, values = as_float_array("keys", keys), as_float_array("values", values)
    check_shape("keys", keys, (None, None), "that is (P, d) = (pairs, key size)")
    check_shape("values", values, keys.shape, f"the shape of keys, (P, d) = {keys.shape}")
    return Memory(values.T @ keys, keys.sum(axis=0))


def read(memory: Memory, q, normalise: bool = True) -> np.ndarray:
    """Read with a query q (d,) or queries (Nq, d): C q / max(|n . q|, 1), or C q if normalise is False."""
    q = as_float_array("q", q)
    d = memory.C.shape[1]
    check_shape("q", q, (None, d) if q.ndim == 2 else (d,), f"that is (d,) or (queries, d) with d = {d}")
    h = q @ memory.C.T
    if not normalise:
        return h
    return h / np.maximum(np.abs(q @ memory.n), 1.0)[..., None] if q.ndim == 2 else h / max(abs(q @ memory.n), 1.0)


def random_unit_vectors(rng: np.random.Generator, count: int, d: int) -> np.ndarray:
    """count random directions in d dimensions, each of length 1: (count, d)."""
    check_rng(rng)
    x = rng.normal(size=(count, d))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def interference(num_pairs, d: int, rng: np.random.Generator, trials: int = 20, orthogonal: bool = False) -> np.ndarray:
    """Mean readout error |h - v_j| / |v_j| when reading stored key k_j, for each P in num_pairs.

    Keys and values are random unit vectors (orthonormal keys where orthogonal and P <= d);
    the raw read C k_j is used. Returns an array of the mean error over trials and pairs, one per P.
    """
    check_positive_int("d", d)
    check_positive_int("trials", trials)
    errors = []
    for P in num_pairs:
        check_positive_int("num_pairs entries", int(P))
        total = 0.0
        for _ in range(trials):
            if orthogonal and P <= d:
                keys = np.linalg.qr(rng.normal(size=(d, d)))[0][:, :P].T
            else:
                keys = random_unit_vectors(rng, P, d)
            values = random_unit_vectors(rng, P, d)
            h = read(store(keys, values), keys, normalise=False)
            total += np.linalg.norm(h - values, axis=1).mean()
        errors.append(total / trials)
    return np.array(errors)
