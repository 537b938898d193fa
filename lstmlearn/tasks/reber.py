"""The embedded Reber grammar, Hochreiter & Schmidhuber (1997), experiment 1 (notebook 07).

Symbols (ids 0 .. 6): B T P S X V E. The Reber grammar, as transitions between states:

    start --B--> 0
    0 --T--> 1    0 --P--> 2
    1 --S--> 1    1 --X--> 3
    2 --T--> 2    2 --V--> 4
    3 --X--> 2    3 --S--> 5
    4 --P--> 3    4 --V--> 5
    5 --E--> end

(each branch taken with probability 1/2). An embedded string is B, then T or P, then a
Reber string, then the same T or P again, then E: the second-to-last symbol depends on
the second, however long the string in between.

Next-symbol prediction: the input is the string without its last symbol, the target the
string without its first (many-to-many, masked after each string's end). Scores:

    strings correct  a string counts when, at every step, the k most probable predicted
                     symbols are exactly the k symbols the grammar allows next (the 1997
                     criterion, with "above a threshold" read as "the top k")
    final accuracy   the fraction of strings whose second-to-last symbol (T or P) is the
                     most probable prediction: the long-range dependency alone

A model that knows the inner grammar but forgets the branch gets every step right except
the second-to-last, half the time: baseline 0.5 for both scores.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_positive_int
from .base import Batch, Task, check_rng

SYMBOLS = "BTPSXVE"
GRAPH = {
    0: (("T", 1), ("P", 2)),
    1: (("S", 1), ("X", 3)),
    2: (("T", 2), ("V", 4)),
    3: (("X", 2), ("S", 5)),
    4: (("P", 3), ("V", 5)),
    5: (("E", None),),
}


def reber_string(rng: np.random.Generator) -> tuple[str, list]:
    """One embedded Reber string and, for each of its symbols but the last, the set of
    symbols allowed next."""
    branch = "TP"[rng.integers(2)]
    s, allowed = "B", [{"T", "P"}]
    s += branch
    allowed.append({"B"})
    s += "B"
    state = 0
    while state is not None:
        options = GRAPH[state]
        allowed.append({sym for sym, _ in options})
        sym, state = options[rng.integers(len(options))]
        s += sym
    allowed.append({branch})  # after the inner E: the branch taken at the start
    s += branch
    allowed.append({"E"})
    s += "E"
    return s, allowed


def reber_problem(rng: np.random.Generator, batch_size: int) -> Batch:
    """A batch: X, Y (L_max, B) ids; mask (L_max, B); info "allowed" (L_max, B, 7) bool and
    "lengths" (B,) number of predictions per string."""
    check_rng(rng)
    check_positive_int("batch_size", batch_size)
    strings = [reber_string(rng) for _ in range(batch_size)]
    L = max(len(s) for s, _ in strings) - 1
    X = np.zeros((L, batch_size), dtype=np.int64)
    Y = np.zeros((L, batch_size), dtype=np.int64)
    mask = np.zeros((L, batch_size))
    allowed = np.zeros((L, batch_size, len(SYMBOLS)), dtype=bool)
    n = np.array([len(s) - 1 for s, _ in strings])
    for b, (s, sets) in enumerate(strings):
        ids = [SYMBOLS.index(ch) for ch in s]
        X[: n[b], b], Y[: n[b], b], mask[: n[b], b] = ids[:-1], ids[1:], 1.0
        for t, options in enumerate(sets):
            allowed[t, b, [SYMBOLS.index(ch) for ch in options]] = True
    return Batch(X, Y, mask, None, {"allowed": allowed, "n": n})


def reber_strings_correct(Y_pred, batch: Batch) -> float:
    """Fraction of strings where the top-k predictions equal the allowed set at every step."""
    Y_pred = np.asarray(Y_pred)
    allowed, mask = batch.info["allowed"], batch.mask > 0
    k = allowed.sum(-1)  # (L, B)
    order = np.argsort(-Y_pred, axis=-1)  # most probable first
    rank = np.argsort(order, axis=-1)  # rank of every symbol
    top_k = rank < k[..., None]
    step_ok = (top_k == allowed).all(-1) | ~mask
    return float(step_ok.all(0).mean())


def reber_final_accuracy(Y_pred, batch: Batch) -> float:
    """Fraction of strings whose second-to-last symbol is the most probable prediction."""
    t = batch.info["n"] - 2  # prediction step of the second-to-last symbol
    B = len(t)
    return float(np.mean(np.asarray(Y_pred)[t, np.arange(B)].argmax(-1) == batch.Y[t, np.arange(B)]))


def reber_task() -> Task:
    """The embedded Reber grammar as a Task: next-symbol cross-entropy, score = strings correct."""
    return Task(
        name="embedded Reber grammar",
        input_size=len(SYMBOLS),
        output_size=len(SYMBOLS),
        readout="all",
        loss="xent",
        one_hot=True,
        sample=lambda rng, batch_size, step=0: reber_problem(rng, batch_size),
        score_fn=reber_strings_correct,
        score_name="fraction of strings correct",
        baseline={"score": 0.5},
    )
