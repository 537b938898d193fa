"""Numerical gradient checking: a right gradient passes, a wrong one is caught."""

import numpy as np
import pytest

import lstmlearn as ll


def test_gradcheck_catches_a_wrong_gradient():
    X = np.random.default_rng(0).normal(size=(3, 4))

    def loss(W):
        return np.sum(np.tanh(X @ W))

    W = np.random.default_rng(1).normal(size=(4, 2))
    right = X.T @ (1 - np.tanh(X @ W) ** 2)
    assert ll.gradcheck(loss, {"W": W}, {"W": right}).ok(1e-9)
    wrong = right.copy()
    wrong[2, 1] *= 1.001
    report = ll.gradcheck(loss, {"W": W}, {"W": wrong})
    assert not report.ok(1e-7) and report["W"] == pytest.approx(1e-3, rel=1e-2)
    assert "max relative error" in repr(report)
    some = ll.gradcheck(loss, {"W": W}, {"W": right}, max_entries=3, rng=np.random.default_rng(0), order=2)
    assert some.ok(1e-7)
    with pytest.raises(ValueError, match="max_entries needs an rng"):
        ll.gradcheck(loss, {"W": W}, {"W": right}, max_entries=3)
    with pytest.raises(ValueError, match="has shape"):
        ll.gradcheck(loss, {"W": W}, {"W": right.T})
