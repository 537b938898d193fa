"""The controls of the interpretable-cell search (lstmlearn/interpret.py): the linear probe,
the window of recent characters, the strongest unit per feature, reading a text."""

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn.interpret import (
    FEATURES,
    linear_probe,
    read_text,
    strongest_units,
    text_features,
    unit_correlations,
    window_features,
)


def test_in_record_by_hand():
    f = text_features('ab {"k": [1]} c')
    np.testing.assert_array_equal(f["in_record"], [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
    np.testing.assert_array_equal(f["in_record"], f["depth"] > 0)
    assert tuple(f) == FEATURES


def test_linear_probe_finds_a_linear_feature_and_not_noise():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(2000, 10)) * rng.uniform(0.1, 10, size=10) + rng.normal(size=10)
    y = A @ rng.normal(size=10) + 3.0
    assert linear_probe(A, y, ridge=1e-9) == pytest.approx(1.0, abs=1e-6)
    noise = rng.normal(size=2000)
    assert abs(linear_probe(A, noise)) < 0.02  # no better than predicting the mean
    # the probe never sees the scored half: a feature that changes meaning there is not predicted
    y2 = np.concatenate([A[:1000, 0], -A[1000:, 0]])
    assert linear_probe(A, y2) < -1.0


def test_linear_probe_matches_ridge_regression_by_hand():
    rng = np.random.default_rng(1)
    A, y = rng.normal(size=(300, 4)), rng.normal(size=300)
    n, ridge = 150, 0.1
    Z = (A - A[:n].mean(0)) / A[:n].std(0)
    w = np.linalg.solve(Z[:n].T @ Z[:n] / n + ridge * np.eye(4), Z[:n].T @ (y[:n] - y[:n].mean()) / n)
    pred = Z[n:] @ w + y[:n].mean()
    expected = 1 - np.mean((y[n:] - pred) ** 2) / np.var(y[n:])
    assert linear_probe(A, y, ridge=ridge) == pytest.approx(expected, rel=1e-12)


def test_linear_probe_errors():
    with pytest.raises(ValueError, match=r"A should be \(N, H\) and y \(N,\)"):
        linear_probe(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="train_fraction"):
        linear_probe(np.zeros((5, 2)), np.zeros(5), train_fraction=1.0)


def test_window_features_by_hand():
    W = window_features([2, 0, 1], vocab_size=3, k=2)  # columns: current char (3), previous char (3)
    np.testing.assert_array_equal(W, [[0, 0, 1, 0, 0, 0], [1, 0, 0, 0, 0, 1], [0, 1, 0, 1, 0, 0]])


def test_strongest_units_keeps_the_sign():
    corr = np.array([[0.1, -0.9], [-0.5, 0.2], [0.3, 0.0]])
    units, r = strongest_units(corr)
    np.testing.assert_array_equal(units, [1, 0])
    np.testing.assert_array_equal(r, [-0.5, -0.9])
    with pytest.raises(ValueError, match="corr should be"):
        strongest_units(np.zeros(3))


def test_read_text_is_the_forward_trace():
    model = ll.Model("lstm", input_size=5, hidden_size=4, output_size=5, readout="all", loss="xent", one_hot=True)
    params = ll.init_model(model, np.random.default_rng(0), forget_bias=2.0)
    ids = np.array([0, 3, 1, 4, 4, 2])
    acts = read_text(params, model, ids)
    trace = ll.forward(params, ids[:, None], model).trace
    np.testing.assert_array_equal(acts["h"], trace.h[:, 0])
    np.testing.assert_array_equal(acts["c"], trace.c[:, 0])
    np.testing.assert_allclose(acts["tanh_c"], np.tanh(trace.c[:, 0]))
    assert acts["h"].shape == (6, 4)
    in_chunks = read_text(params, model, ids, chunk=4)  # 4 + 2 characters, the state carried across
    for key in acts:
        np.testing.assert_allclose(in_chunks[key], acts[key], rtol=1e-12, atol=1e-14)
    # a unit that copies a feature is found by the search
    feats = {"first": acts["h"][:, 2] * 3 - 1, "other": np.arange(6.0)}
    units, r = strongest_units(unit_correlations(acts["h"], feats))
    assert units[0] == 2 and r[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="1-D array"):
        read_text(params, model, ids[:, None])
    rnn = ll.Model("rnn", input_size=5, hidden_size=4, output_size=5, readout="all", loss="xent", one_hot=True)
    with pytest.raises(ValueError, match="cell state"):
        read_text(ll.init_model(rnn, np.random.default_rng(0)), rnn, ids)


def test_switch_test_by_hand():
    from lstmlearn.interpret import switch_test

    text = 'ab {"x": 1}\n\ncd {y}\n\ne'
    inside = np.array([0, 0, 0] + [1] * 8 + [0, 0, 0, 0, 0] + [1] * 3 + [0, 0, 0], dtype=bool)
    assert len(inside) == len(text)
    perfect = np.where(inside, -0.9, 0.8)  # a switch whose sign is turned (negative inside)
    late = perfect.copy()
    late[11] = -0.5  # the first record's switch stays on one character past its brace
    r = switch_test(perfect, text)
    assert (r["sign"], r["wrong_side"], r["records"], r["on_at_brace"], r["off_after"]) == (-1, 0, 2, 2, [1, 1])
    r = switch_test(late, text)
    assert (r["wrong_side"], r["off_after"]) == (1, [2, 1])
    slow = perfect.copy()
    slow[[3, 16]] = 0.8  # both records switch on one character after the brace
    r = switch_test(slow, text)
    assert (r["wrong_side"], r["on_at_brace"]) == (2, 0)
    with pytest.raises(ValueError, match="one value per character"):
        switch_test(perfect[:-1], text)
    with pytest.raises(ValueError, match="prose and at least one record"):
        switch_test(np.ones(5), "plain")
