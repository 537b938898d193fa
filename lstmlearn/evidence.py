"""One standard of evidence for every comparison the course draws (notebooks 07 to 09).

Training a network is a random experiment: the seed fixes the initial weights and the
stream of training batches, and another seed can end somewhere else. So every comparison
in the course (LSTM against RNN, one variant against another, one forget bias against
another) runs at least MIN_SEEDS = 5 seeds per configuration, and is read with one rule:

    1. Report each configuration's median and range (lowest to highest) over its seeds.
    2. Call a difference between two configurations real only when an exact two-sided
       permutation test of the rank sum (Wilcoxon-Mann-Whitney) on the per-seed values
       gives p < ALPHA = 0.05.
    3. Otherwise say "no evidence either way": not "the same", not "a small loss".

Why ranks: a run that never reaches its target within the step budget has no "steps to
target"; give it np.inf and it ties with the other such runs at the bottom of the ranking,
which is exactly what we know about it. Yes/no outcomes (solved or not) work the same way
with values 0 and 1. With 5 seeds against 5 there are C(10, 5) = 252 ways to split the ten
values, so the smallest possible p is 2/252 = 0.008: the test declares a difference only
when (nearly) every seed of one configuration beats every seed of the other. 3 of 5 seeds
against 5 of 5 is p = 0.44, no evidence either way.

    summary(values)          -> Summary: median, low, high, n            "0.97 (0.95 to 0.99, 5 seeds)"
    permutation_test(a, b)   -> two-sided p
    compare(a, b, ...)       -> Comparison: both summaries, p, and the verdict in words
    tally(comparisons)       -> Tally: which of several comparisons found the first configuration better,
                                worse, or no evidence either way; its sentence() is what a key point says
    table(header, rows)      -> Table: results shown as a table in a notebook, markdown in a terminal

A sentence that compares ("beats", "no evidence either way") is printed from compare() or tally()
on the record, never typed: "every gated network beats the RNN" cannot appear when one comparison
gives no evidence either way, because tally().sentence() then says so.
"""

from __future__ import annotations

import html
import itertools
import math
from typing import NamedTuple

import numpy as np

ALPHA = 0.05  # a difference is called real when p < ALPHA
MIN_SEEDS = 5  # seeds per configuration for any comparison the course draws
EXACT_LIMIT = 500_000  # beyond this many splits, the p-value is estimated by random splits


class Summary(NamedTuple):
    """Median and range of one configuration's per-seed values."""

    median: float
    low: float
    high: float
    n: int

    def format(self, fmt="{:.3g}"):
        """'median (low to high, n seeds)'; inf (never reached) prints as 'not reached'."""

        def show(v):
            return "not reached" if np.isinf(v) else fmt.format(v)

        if self.n == 1:
            return f"{show(self.median)} (1 seed)"
        if self.low == self.high:
            return f"{show(self.median)} (all {self.n} seeds)"
        return f"{show(self.median)} ({show(self.low)} to {show(self.high)}, {self.n} seeds)"

    def __str__(self):
        return self.format()


class Comparison(NamedTuple):
    """Two configurations compared under the course's standard (see the module docstring)."""

    names: tuple  # (name of a, name of b)
    a: Summary
    b: Summary
    p: float  # two-sided exact permutation p-value of the rank sum; nan with too few seeds
    real: bool  # p < ALPHA with at least MIN_SEEDS seeds on each side
    better: str | None  # the name of the better configuration when the difference is real
    verdict: str  # the sentence to print

    def __str__(self):
        return self.verdict


def _values(name, values):
    a = np.asarray(values, dtype=float).ravel()
    if a.size == 0:
        raise ValueError(f"{name} is empty: give one value per seed.")
    if np.isnan(a).any():
        raise ValueError(
            f"{name} contains NaN at positions {np.flatnonzero(np.isnan(a)).tolist()}: "
            f"every seed needs a value (use np.inf for 'never reached the target')."
        )
    return a


def summary(values) -> Summary:
    """Median, lowest and highest of per-seed values (np.inf allowed: 'never reached')."""
    a = _values("values", values)
    return Summary(float(np.median(a)), float(a.min()), float(a.max()), int(a.size))


def _midranks(x):
    """Ranks 1..n of x, ties sharing the mean of their ranks (inf ties at the top)."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x))
    sorted_x = x[order]
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and sorted_x[j + 1] == sorted_x[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def permutation_test(a, b, *, seed: int = 0, resamples: int = 200_000) -> float:
    """Two-sided p-value of the rank-sum statistic under random relabelling of a and b.

    Exact (every split of the pooled values into groups of len(a) and len(b)) when there are
    at most EXACT_LIMIT splits; otherwise estimated from `resamples` random splits drawn with
    np.random.default_rng(seed). p = P(|S - E[S]| >= |s - E[S]|), S the rank sum of group a.
    """
    a, b = _values("a", a), _values("b", b)
    pooled = np.concatenate([a, b])
    ranks = _midranks(pooled)
    n, k = len(pooled), len(a)
    expected = k * (n + 1) / 2
    observed = abs(ranks[:k].sum() - expected)
    tol = 1e-9 * max(1.0, observed)
    if math.comb(n, k) <= EXACT_LIMIT:
        idx = np.array(list(itertools.combinations(range(n), k)), dtype=np.intp).reshape(-1, k)
        sums = ranks[idx].sum(axis=1)
        return float(np.mean(np.abs(sums - expected) >= observed - tol))
    rng = np.random.default_rng(seed)
    hits = 0
    for start in range(0, resamples, 10_000):
        m = min(10_000, resamples - start)
        perms = rng.permuted(np.tile(ranks, (m, 1)), axis=1)
        hits += int(np.sum(np.abs(perms[:, :k].sum(axis=1) - expected) >= observed - tol))
    return (hits + 1) / (resamples + 1)


def compare(a, b, names=("a", "b"), *, higher_is_better: bool = True, fmt="{:.3g}") -> Comparison:
    """Compare per-seed values of two configurations under the course's standard.

    a, b : one value per seed (np.inf allowed, e.g. steps to a target never reached)
    names : what to call them in the verdict
    higher_is_better : True for scores (accuracy), False for losses or steps to target

    With fewer than MIN_SEEDS seeds on either side the verdict says so and `real` is False.
    """
    sa, sb = summary(a), summary(b)
    name_a, name_b = names
    described = f"{name_a}: {sa.format(fmt)}; {name_b}: {sb.format(fmt)}"
    if min(sa.n, sb.n) < MIN_SEEDS:
        return Comparison(
            tuple(names),
            sa,
            sb,
            float("nan"),
            False,
            None,
            f"{described}. Too few seeds to compare (the standard needs {MIN_SEEDS} each).",
        )
    p = permutation_test(a, b)
    if p < ALPHA:
        ra = _midranks(np.concatenate([_values("a", a), _values("b", b)]))[: sa.n].mean()
        a_higher = ra > (sa.n + sb.n + 1) / 2
        better = name_a if a_higher == higher_is_better else name_b
        return Comparison(
            tuple(names), sa, sb, p, True, better, f"{described}. {better} is better (p = {p:.2g} < {ALPHA})."
        )
    return Comparison(tuple(names), sa, sb, p, False, None, f"{described}. No evidence either way (p = {p:.2g}).")


class Tally(NamedTuple):
    """Several comparisons sorted by their verdict for the first-named configuration of each."""

    better: tuple  # comparisons whose first configuration is better (p < ALPHA)
    worse: tuple  # ... whose second configuration is better
    undecided: tuple  # no evidence either way, or too few seeds

    @property
    def n(self) -> int:
        """How many comparisons the tally holds."""
        return len(self.better) + len(self.worse) + len(self.undecided)

    @property
    def every_better(self) -> bool:
        """True only when every comparison found the first configuration better."""
        return self.n > 0 and len(self.better) == self.n

    def sentence(self, verb: str = "better") -> str:
        """'better in 15 of 18 comparisons; no evidence either way in 2 (x against y, p = 1), ...'."""

        def which(cs):
            return ", ".join(f"{c.names[0]} against {c.names[1]}, p = {c.p:.2g}" for c in cs)

        if self.n == 0:
            raise ValueError("tally has no comparisons: give at least one Comparison from compare().")
        if self.every_better:
            return f"{verb} in every one of the {self.n} comparisons"
        parts = [f"{verb} in {len(self.better)} of {self.n} comparisons"]
        if self.undecided:
            parts.append(f"no evidence either way in {len(self.undecided)} ({which(self.undecided)})")
        if self.worse:
            parts.append(f"worse in {len(self.worse)} ({which(self.worse)})")
        return "; ".join(parts)

    def __str__(self):
        return self.sentence()


def tally(comparisons) -> Tally:
    """Sort Comparisons (from compare) by their verdict for the configuration named first in each."""
    comparisons = tuple(comparisons)
    for n, c in enumerate(comparisons):
        if not isinstance(c, Comparison):
            raise TypeError(
                f"comparisons[{n}] is a {type(c).__name__}, expected a Comparison: build it with compare()."
            )
    better = tuple(c for c in comparisons if c.real and c.better == c.names[0])
    worse = tuple(c for c in comparisons if c.real and c.better != c.names[0])
    undecided = tuple(c for c in comparisons if not c.real)
    return Tally(better, worse, undecided)


class Table(NamedTuple):
    """Rows of cells under a header: an HTML table in Jupyter, a markdown table as text."""

    header: tuple
    rows: tuple

    def _repr_html_(self):
        def row(cells, tag):
            return (
                "<tr>"
                + "".join(f"<{tag} style='text-align:left'>{html.escape(str(c))}</{tag}>" for c in cells)
                + "</tr>"
            )

        body = "".join(row(r, "td") for r in self.rows)
        return f"<table><thead>{row(self.header, 'th')}</thead><tbody>{body}</tbody></table>"

    def __str__(self):
        lines = [self.header, ["---"] * len(self.header), *self.rows]
        return "\n".join("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |" for cells in lines)

    __repr__ = __str__


def table(header, rows) -> Table:
    """A results table from a header and rows of cells (any values; shown with str).

    Every row must have one cell per header entry.
    """
    header, rows = tuple(header), tuple(tuple(r) for r in rows)
    for n, r in enumerate(rows):
        if len(r) != len(header):
            raise ValueError(f"row {n} has {len(r)} cells, but the header has {len(header)}: {r!r}.")
    return Table(header, rows)
