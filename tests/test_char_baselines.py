"""The floor of notebook 08: the information of data/make_corpus.py's random choices, counted
by a tracing random generator (benchmarks/char_baselines.py)."""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cb():
    spec = importlib.util.spec_from_file_location("char_baselines", ROOT / "benchmarks" / "char_baselines.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tracer_hands_out_what_the_generator_would(cb):
    traced, plain = cb.TracingRNG(5), np.random.default_rng(5)
    assert traced.integers(7) == plain.integers(7)
    assert traced.integers(2, 500) == plain.integers(2, 500)
    assert float(traced.random()) == plain.random()
    assert traced.choice(["a", "b", "c"]) == plain.choice(["a", "b", "c"])
    assert list(traced.choice(list("abcdef"), size=3, replace=False)) == list(
        plain.choice(list("abcdef"), size=3, replace=False)
    )
    assert float(traced.uniform(-1, 1)) == plain.uniform(-1, 1)
    assert traced.bits == pytest.approx(math.log2(7) + math.log2(498) + math.log2(3) + math.log2(6 * 5 * 4))


def test_comparisons_count_the_interval_they_leave(cb):
    rng = cb.TracingRNG(0)
    r = cb._Uniform(0.3, rng)
    assert not r < 0.25 and r < 0.4  # the thresholds of make_corpus.value()
    assert rng.bits == pytest.approx(-math.log2(0.4 - 0.25))
    assert r < 0.7  # already known from r < 0.4: no information
    assert rng.bits == pytest.approx(-math.log2(0.15))


@pytest.mark.parametrize(
    "value, printed, width",
    [
        (0.1234, "0.123", 0.001),
        (-0.0002, "-0.000", 0.0005),
        (0.0002, "0.000", 0.0005),
        (0.9999, "1.000", 0.0005),
        (-0.9998, "-1.000", 0.0005),
    ],
)
def test_a_printed_number_carries_the_width_of_its_rounding_interval(cb, value, printed, width):
    rng = cb.TracingRNG(0)
    assert f"{cb._Printed(value, rng, -1.0, 1.0):.3f}" == printed
    assert rng.bits == pytest.approx(-math.log2(width / 2))


def test_traced_rerun_writes_the_shipped_corpus(cb):
    text, bits, chars = cb.generator_information(seed=0)
    assert text == (ROOT / "data" / "corpus.txt").read_text()
    assert chars.sum() == len(text) and len(bits) == len(chars)
    assert np.all(bits > 0)
    rate, (low, high) = cb.ratio_estimate(bits, chars, np.random.default_rng(0), resamples=200)
    assert low <= rate <= high and 0 < rate < np.log2(len(set(text)))


def test_streams_are_those_the_lstm_is_scored_on(cb):
    from lstmlearn import tasks

    text = "".join(chr(97 + k % 26) for k in range(1000))
    streams = cb.stream_texts(text, 4)
    ids = np.array([ord(ch) for ch in text])
    S = tasks.streams(ids, 4)
    assert streams == ["".join(map(chr, S[:, b])) for b in range(4)]
