"""Character n-gram models with interpolated Kneser-Ney smoothing: the baseline a character
LSTM has to beat (notebook 08).

An order-n model predicts the next character w from the n - 1 characters h before it, by
counting. Counts alone give probability 0 to anything not seen in training (and infinitely
many bits when it turns up), so the counts are smoothed: a discount D is taken from every
seen count and shared out through the next lower order, whose context h' is h without its
first character (Kneser & Ney 1995, in the interpolated form of Chen & Goodman 1999):

    P(w | h) = ( max(c(h w) - D, 0)  +  D * N(h)  * P(w | h') ) / c(h)

    c(h w)  how often w followed h;  c(h) = sum over w of c(h w)
    N(h)    how many different characters followed h (each gave up D)
    P(w | "") at the bottom interpolates, in the same way, with the uniform 1 / V

A context never seen in training (c(h) = 0) leaves P(w | h') as it is. At the highest order
c counts occurrences; at every lower order it counts *continuations*: c(h w) is the number of
different characters seen before h w. (A character that often follows "Jurge" but nothing
else, like "n", should get little weight when the longer context is unseen; its raw count
would give it a lot.) D = n1 / (n1 + 2 n2) per order, from the numbers of counts that are
exactly 1 and 2 (Ney, Essen & Kneser 1994). The probabilities over the V characters sum to 1
at every order because each discount taken is given back: sum of max(c - D, 0) is c(h) - D N(h).

    model = fit_ngram(text, order=6)
    ngram_prob(model, "The ga", "t")        P("t" | "he ga")
    ngram_distribution(model, "The ga")     (V,) over model.vocab
    ngram_bpc(model, heldout_text)          bits per character on a text
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from ._checks import check_positive_int


@dataclass(frozen=True)
class NGram:
    """A fitted model. tables[k] maps each context of k characters to its Counter of next
    characters (occurrences for k = order - 1, continuation counts below); totals[k] and
    types[k] map the context to c(h) and N(h); discounts[k] is D for contexts of k characters."""

    order: int
    vocab: str
    tables: tuple
    totals: tuple
    types: tuple
    discounts: tuple


def fit_ngram(text: str, order: int, vocab: str | None = None) -> NGram:
    """Count the n-grams of `text` (n = order, the context has order - 1 characters).

    vocab : every character the model may be asked about (default: those of text); each gets
        at least the uniform share 1 / V, scaled down by the discounts.
    """
    check_positive_int("order", order)
    vocab = "".join(sorted(set(text))) if vocab is None else vocab
    unknown = sorted(set(text) - set(vocab))
    if unknown:
        raise ValueError(
            f"text has characters that are not in vocab: {unknown[:10]}. Pass a vocab that "
            f"contains every character of the text (or leave vocab=None)."
        )
    if len(text) < order:
        raise ValueError(f"text has {len(text)} characters, too few for an order-{order} model.")
    top = order - 1
    tables = [None] * order
    tables[top] = defaultdict(Counter)
    for i in range(top, len(text)):  # occurrences of (h, w) with h the top - 1 characters before w
        tables[top][text[i - top : i]][text[i]] += 1
    for k in range(top - 1, -1, -1):  # continuation counts: distinct characters seen before h w
        tables[k] = defaultdict(Counter)
        for gram in {text[i : i + k + 2] for i in range(len(text) - k - 1)}:
            tables[k][gram[1 : k + 1]][gram[-1]] += 1
    totals = tuple({h: sum(c.values()) for h, c in t.items()} for t in tables)
    types = tuple({h: len(c) for h, c in t.items()} for t in tables)
    discounts = tuple(_discount(t) for t in tables)
    return NGram(order, vocab, tuple(dict(t) for t in tables), totals, types, discounts)


def _discount(table) -> float:
    """D = n1 / (n1 + 2 n2): n1, n2 the numbers of counts equal to 1 and to 2."""
    values = Counter(v for c in table.values() for v in c.values())
    n1, n2 = values[1], values[2]
    return n1 / (n1 + 2 * n2) if n1 + n2 > 0 else 0.5


def ngram_prob(model: NGram, context: str, ch: str) -> float:
    """P(ch | the last order - 1 characters of context), interpolated Kneser-Ney."""
    if ch not in model.vocab:
        raise ValueError(f"{ch!r} is not in the model's vocabulary.")
    p = 1.0 / len(model.vocab)
    for k in range(min(model.order - 1, len(context)) + 1):  # from the shortest context up
        h = context[len(context) - k :]
        counts = model.tables[k].get(h)
        if counts is None:  # context never seen: keep the lower order's estimate
            continue
        D = model.discounts[k]
        p = (max(counts.get(ch, 0) - D, 0.0) + D * model.types[k][h] * p) / model.totals[k][h]
    return p


def ngram_distribution(model: NGram, context: str) -> np.ndarray:
    """(V,) probabilities of every character of model.vocab after `context`; they sum to 1."""
    return np.array([ngram_prob(model, context, ch) for ch in model.vocab])


def ngram_bpc(model: NGram, text: str) -> float:
    """Bits per character on text[1:], each character predicted from the ones before it in
    `text` (the first is not predicted, as when an LSTM reads text from a zero state)."""
    if len(text) < 2:
        raise ValueError(f"text needs at least 2 characters to score, but it has {len(text)}.")
    n = model.order - 1
    bits = [-np.log2(ngram_prob(model, text[max(0, i - n) : i], text[i])) for i in range(1, len(text))]
    return float(np.mean(bits))
