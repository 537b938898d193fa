"""Interpretable-cell helpers, and the temperature and forget-bias explorers driven headless."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn.interpret import highlight, text_features, unit_correlations


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_text_features_by_hand():
    text = 'ab\n{"k": [12.5]}'  # a, b, newline, {, ", k, ", :, space, [, 1, 2, ., 5, ], }
    f = text_features(text)
    assert len(f["column"]) == len(text) == 16
    np.testing.assert_array_equal(f["column"], [0, 1, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    np.testing.assert_array_equal(f["in_quote"], [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    # a bracket counts as inside what it opens or closes
    np.testing.assert_array_equal(f["depth"], [0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1])
    np.testing.assert_array_equal(f["in_number"], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0])


def test_unit_correlations_against_numpy():
    rng = np.random.default_rng(0)
    feats = {"a": rng.normal(size=50), "b": rng.normal(size=50), "flat": np.ones(50)}
    acts = np.stack([feats["a"] * 2 + 1, -feats["b"], rng.normal(size=50)], axis=1)
    C = unit_correlations(acts, feats)
    assert C.shape == (3, 3)
    assert C[0, 0] == pytest.approx(1.0) and C[1, 1] == pytest.approx(-1.0)
    assert C[2, 0] == pytest.approx(np.corrcoef(acts[:, 2], feats["a"])[0, 1])
    assert np.all(C[:, 2] == 0)  # a constant feature correlates with nothing
    with pytest.raises(ValueError, match="activations has 49 rows"):
        unit_correlations(acts[:49], feats)


def test_highlight_colours_each_character():
    out = highlight("a<\n", [-1.0, 0.0, 1.0])
    assert out.count("<span") == 3 and "&lt;" in out and "<br>" in out
    with pytest.raises(ValueError, match="values has 2 entries"):
        highlight("abc", [0, 1])


def _char_model():
    params, model, meta = ll.load_model(Path(__file__).resolve().parents[1] / "data" / "models" / "char_lstm.npz")
    return {k: v.astype(np.float64) for k, v in params.items()}, model, ll.tasks.Vocab(str(meta["chars"]))


def test_temperature_explorer_matches_softmax_and_sampling():
    params, model, vocab = _char_model()
    e = ll.widgets.temperature_explorer(params, model, vocab, prime="The ", n=40, temperature=1.0)
    assert set(e.controls) == {"temperature", "prime", "n", "seed"}
    logits = ll.forward(params, vocab.encode("The ")[:, None], model).Y[-1, 0]
    for tau in (0.5, 1.5):
        e.controls["temperature"].value = tau
        z = logits / tau
        p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        np.testing.assert_allclose(e.values["p"], p, rtol=1e-10)
        assert e.values["top"][0] == (vocab.chars[int(np.argmax(p))], pytest.approx(p.max()))
        expected = ll.tasks.sample_text(params, model, vocab, np.random.default_rng(0), 40, tau, prime="The ")
        assert e.values["text"] == expected and len(e.values["text"]) == 44
    e.controls["prime"].value = '{"'
    assert e.values["text"].startswith('{"')


def test_forget_bias_explorer_on_a_small_record():
    runs = [{"forget_bias": b, "eval_step": [0, 100], "score": [0.15, s], "final_score": s,
             "first_step_reaching_target": 100 if s >= 0.95 else None, "baseline": {"score": 0.154}}
            for b, s in [(0.0, 0.2), (0.0, 0.1), (3.0, 0.99), (3.0, 0.97)]]
    e = ll.widgets.forget_bias_explorer({"runs": runs})
    e.controls["forget_bias"].value = 3.0
    assert e.values["reached"] == 2 and e.values["final_mean"] == pytest.approx(0.98)
    assert e.values["f0"] == pytest.approx(1 / (1 + np.exp(-3.0)))
    e.controls["forget_bias"].value = 0.0
    assert e.values["reached"] == 0 and e.values["half_life"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="no recorded run has forget_bias = 1.0"):
        ll.widgets.forget_bias_values(runs, 1.0)
