"""The temperature explorer (notebook 08) driven headless on the shipped character model."""

import warnings
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


@pytest.fixture(scope="module")
def char_model():
    return _char_model()


def test_prime_with_characters_the_model_never_saw_is_used_without_them(char_model):
    params, model, vocab = char_model
    e = ll.widgets.temperature_explorer(params, model, vocab, prime="The ", n=20)
    e.controls["prime"].value = "The café 😀 "  # the model knows neither é nor the emoji
    assert e.values["skipped"] == ["é", "😀"] and e.values["prime"] == "The caf  "
    expected = ll.tasks.sample_text(params, model, vocab, np.random.default_rng(0), 20, 0.8, prime="The caf  ")
    assert e.values["text"] == expected
    assert "never seen" in e.readout and "<code>é</code>" in e.readout and "<code>😀</code>" in e.readout
    e.controls["prime"].value = "\u202e\x00"  # invisible characters are named by their code points
    assert "U+202E" in e.readout and "U+0000" in e.readout and "\u202e" not in e.readout
    assert e.values["fallback"] and e.values["prime"] == " " and "no character the model knows" in e.readout


def test_empty_prime_is_said_to_start_after_a_space(char_model):
    params, model, vocab = char_model
    e = ll.widgets.temperature_explorer(params, model, vocab, prime="", n=10)
    assert e.values["prime"] == " " and e.values["fallback"] and e.values["skipped"] == []
    assert "sampling starts after" in e.readout
    e.controls["prime"].value = "{"
    assert not e.values["fallback"] and "sampling starts after" not in e.readout


def test_seed_control_refuses_negative_seeds(char_model):
    params, model, vocab = char_model
    e = ll.widgets.temperature_explorer(params, model, vocab, n=15, seed=3)
    assert e.controls["seed"].min == 0
    e.controls["seed"].value = -1  # clamped by the control, as the browser's box does
    assert e.controls["seed"].value == 0
    rng = np.random.default_rng(0)
    assert e.values["text"] == ll.tasks.sample_text(params, model, vocab, rng, 15, 0.8, prime="The ")
    e.controls["seed"].value = 2**40
    assert e.controls["seed"].value == 2**32 - 1
    for bad in (-1, 2**32, 1.5, "7"):
        with pytest.raises(ValueError, match="seed must be an integer"):
            ll.widgets.temperature_explorer(params, model, vocab, seed=bad)


def test_next_char_distribution_names_a_bad_prime_or_temperature(char_model):
    params, model, vocab = char_model
    with pytest.raises(ValueError, match="prime contains characters the model has never seen: \\['é'\\]"):
        ll.widgets.next_char_distribution(params, model, vocab, "café", 1.0)
    for t in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="^temperature must be"):
            ll.widgets.next_char_distribution(params, model, vocab, "The ", t)


PRIMES = ["", " ", "The ", "é", "😀", "naïve café", "\x00", "\u202e", "\n\n", "a" * 300, "ﬁ", "e\u0301", "{\"",
          "<b>&amp;"]


def test_every_value_the_controls_accept_gives_an_answer(char_model):
    """Table-driven fuzz of the four controls, then a seeded rapid sequence of all of them:
    each value is refused by its control (a TraitError naming it) or shown with no NaN, no
    numpy floating-point error and no warning."""
    params, model, vocab = char_model
    e = ll.widgets.temperature_explorer(params, model, vocab, n=10)
    nan, inf = float("nan"), float("inf")
    table = {"temperature": [nan, inf, -inf, 0.0, -1.0, 1e-300, 1e300, 0.1, 2.0, 0.123456],
             "n": [-1, 0, 10, 11, 600, 601, 10**12],
             "seed": [-1, 0, 1, 2**32 - 1, 2**32, -(2**70), 2**70],
             "prime": PRIMES}
    refused = {("temperature", "nan")}

    def check():
        assert np.all(np.isfinite(e.values["p"])) and abs(e.values["p"].sum() - 1) < 1e-9
        assert e.values["text"].startswith(e.values["prime"])
        assert len(e.values["text"]) == len(e.values["prime"]) + e.controls["n"].value
        assert e.picture.startswith(b"\x89PNG")

    def put(name, value):
        try:
            e.controls[name].value = value
        except Exception as error:  # only NaN is refused, with the control's name
            assert (name, str(value)) in refused, f"{name} = {value!r}: {error!r}"
            assert name in str(error)
            return
        assert (name, str(value)) not in refused, f"{name} = {value!r} was accepted"
        check()

    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, values in table.items():
            for value in values:
                put(name, value)
            e.controls["n"].value = 10
        rng = np.random.default_rng(0)
        for _ in range(30):
            name = str(rng.choice(list(table)))
            value = table[name][rng.integers(len(table[name]))]
            put(name, value)
            if name == "n":
                e.controls["n"].value = 10
