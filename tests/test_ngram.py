"""The interpolated Kneser-Ney n-gram model (lstmlearn/ngram.py): a worked example by hand,
an independent brute-force count, and probabilities that sum to one."""

import itertools

import numpy as np
import pytest

from lstmlearn.ngram import fit_ngram, ngram_bpc, ngram_distribution, ngram_prob


def test_worked_example_by_hand():
    # "abab", order 2. Occurrences after "a": b twice; after "b": a once -> D_1 = n1/(n1 + 2 n2) = 1/3.
    # Continuations of the unigram level: "ab" and "ba" give a and b one each -> D_0 = 2/(2 + 0) = 1.
    m = fit_ngram("abab", order=2)
    assert m.discounts == pytest.approx((1.0, 1 / 3))
    assert ngram_prob(m, "", "a") == pytest.approx(0.5)  # (max(1 - 1, 0) + 1 * 2 * 1/2) / 2
    assert ngram_prob(m, "a", "b") == pytest.approx(11 / 12)  # (2 - 1/3 + 1/3 * 1 * 1/2) / 2
    assert ngram_prob(m, "a", "a") == pytest.approx(1 / 12)
    assert ngram_prob(m, "b", "a") == pytest.approx(5 / 6)  # (1 - 1/3 + 1/3 * 1/2) / 1
    assert ngram_prob(m, "xxb", "b") == pytest.approx(1 / 6)  # only the last order - 1 characters count
    bits = -np.log2([ngram_prob(m, "a", "b"), ngram_prob(m, "b", "a")])
    assert ngram_bpc(m, "aba") == pytest.approx(bits.mean())


def brute_force_prob(text, order, vocab, context, ch):
    """The same model, counted by scanning the text for every n-gram separately."""

    def continuations(h, w):  # distinct characters seen right before h w
        g = h + w
        return len({text[i - 1] for i in range(1, len(text) - len(g) + 1) if text[i : i + len(g)] == g})

    def count(k, h, w):
        if k == order - 1:  # the top order counts occurrences
            g = h + w
            return sum(text[i : i + len(g)] == g for i in range(len(text) - len(g) + 1))
        return continuations(h, w)

    def discount(k):
        contexts = {text[i : i + k] for i in range(len(text) - k + 1)}
        values = [count(k, h, w) for h in contexts for w in vocab]
        n1, n2 = values.count(1), values.count(2)
        return n1 / (n1 + 2 * n2) if n1 + n2 else 0.5

    p = 1 / len(vocab)
    for k in range(min(order - 1, len(context)) + 1):
        h = context[len(context) - k :]
        counts = {w: count(k, h, w) for w in vocab}
        total = sum(counts.values())
        if total == 0:
            continue
        D, seen = discount(k), sum(c > 0 for c in counts.values())
        p = (max(counts[ch] - D, 0) + D * seen * p) / total
    return p


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_agrees_with_a_brute_force_count(order):
    rng = np.random.default_rng(order)
    text = "".join(rng.choice(list("abc "), size=60))
    vocab = "abcd "  # d never occurs: it keeps a share of the uniform floor
    m = fit_ngram(text, order, vocab)
    contexts = ["", "a", "ab", " c", "bca", "dd", "abc "]
    for context, ch in itertools.product(contexts, vocab):
        assert ngram_prob(m, context, ch) == pytest.approx(brute_force_prob(text, order, vocab, context, ch), abs=1e-12)


@pytest.mark.parametrize("order", [1, 2, 3, 5, 7])
def test_probabilities_sum_to_one(order):
    rng = np.random.default_rng(0)
    text = "".join(rng.choice(list("the cat sat on a mat."), size=2000))
    m = fit_ngram(text, order)
    for start in rng.integers(0, len(text) - 10, size=20):
        for context in (text[start : start + 8], "zzzz"[:0], "..."):
            p = ngram_distribution(m, context)
            assert p.shape == (len(m.vocab),) and np.all(p > 0)
            assert p.sum() == pytest.approx(1.0, abs=1e-12)


def test_a_repeating_text_is_learned_and_a_shuffled_one_is_not():
    m = fit_ngram("abcde" * 200, 3)
    assert ngram_prob(m, "ab", "c") > 0.99
    assert ngram_bpc(m, "abcde" * 40) < 0.05
    rng = np.random.default_rng(1)
    noise = "".join(rng.choice(list("abcde"), size=4000))
    assert ngram_bpc(fit_ngram(noise[:3000], 3), noise[3000:]) > np.log2(5) - 0.1  # nothing to learn


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="order"):
        fit_ngram("abc", 0)
    with pytest.raises(ValueError, match=r"not in vocab: \['c'\]"):
        fit_ngram("abc", 2, vocab="ab")
    with pytest.raises(ValueError, match="too few"):
        fit_ngram("ab", 3)
    m = fit_ngram("abab", 2)
    with pytest.raises(ValueError, match="'z' is not in the model's vocabulary"):
        ngram_prob(m, "a", "z")
    with pytest.raises(ValueError, match="at least 2 characters"):
        ngram_bpc(m, "a")
