"""The temperature explorer (notebook 08) driven headless on the shipped character model."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lstmlearn as ll


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


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
