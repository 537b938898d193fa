"""benchmarks/char_windowed.py: the windowed-LSTM control is the full-context model when the window holds all."""

import sys
from pathlib import Path

import numpy as np

import lstmlearn as ll
from lstmlearn import tasks

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from char_windowed import full_context_bits, windowed_bits  # noqa: E402


def small_model(seed=0):
    vocab = tasks.Vocab.from_text("ab{c}d\n")
    task = tasks.text_task(vocab.encode("ab{c}d\nab{cc}d\n" * 4), vocab, 2, 5)
    model = task.model("lstm", 6)
    return ll.init_model(model, np.random.default_rng(seed), forget_bias=1.0), model, vocab


def test_a_window_that_holds_the_whole_prefix_is_full_context():
    params, model, vocab = small_model()
    ids = np.random.default_rng(1).integers(0, vocab.size, size=12)
    full = full_context_bits(params, model, ids)  # (11,)
    for w in (1, 4, 11):
        windowed = windowed_bits(params, model, ids, w)  # positions t = w - 1 .. 10
        assert windowed.shape == (len(ids) - w,)
        np.testing.assert_allclose(windowed[0], full[w - 1], rtol=1e-12)  # at t = w - 1 the window is the prefix


def test_full_context_bits_are_the_models_cross_entropy():
    params, model, vocab = small_model(2)
    ids = np.random.default_rng(3).integers(0, vocab.size, size=9)
    Y = ll.forward(params, ids[:-1, None], model).Y[:, 0]  # (8, V)
    p = np.exp(Y - Y.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    np.testing.assert_allclose(full_context_bits(params, model, ids), -np.log2(p[np.arange(8), ids[1:]]), rtol=1e-10)


def test_a_short_window_forgets_what_came_before_it():
    params, model, vocab = small_model(4)
    a, b = vocab.encode("abab{c"), vocab.encode("dddd{c")
    ids_a, ids_b = np.concatenate([a, vocab.encode("}")]), np.concatenate([b, vocab.encode("}")])
    assert windowed_bits(params, model, ids_a, 2)[-1] == windowed_bits(params, model, ids_b, 2)[-1]
    assert full_context_bits(params, model, ids_a)[-1] != full_context_bits(params, model, ids_b)[-1]
