"""Numerical gradient checking: a right gradient passes, a wrong one is caught, a NaN or inf on
either side is a failure, and a check that checks nothing is refused."""

import numpy as np
import pytest

import lstmlearn as ll


def log_loss(w):
    with np.errstate(invalid="ignore"):
        return float(np.sum(np.log(w)))  # NaN where w < 0


def square_loss(w):
    return float(np.sum(w ** 2))


W = np.array([0.5, -1.0, 2.0])


def test_a_nan_numerical_gradient_fails_and_names_the_entry():
    w = np.array([0.5, 1e-4, 2.0])  # log is finite here, but not at w[1] - eps
    report = ll.gradcheck(log_loss, {"w": w}, {"w": 1 / w})
    assert not report.ok()
    assert "w" in report.problems and "(1,)" in report.problems["w"] and "nan" in report.problems["w"]
    assert "(1,)" in repr(report)


def test_an_inf_numerical_gradient_fails():
    def loss(w):
        return float(np.sum(w)) if w[0] < 0.5005 else float("inf")  # inf at w[0] + eps

    report = ll.gradcheck(loss, {"w": W}, {"w": np.ones(3)}, order=2, eps=1e-3)
    assert not report.ok() and "(0,)" in report.problems["w"] and "inf" in report.problems["w"]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_non_finite_analytic_gradient_fails_and_names_the_entry(bad):
    grad = 2 * W
    grad[2] = bad
    report = ll.gradcheck(square_loss, {"w": W}, {"w": grad})
    assert not report.ok()
    assert "analytic" in report.problems["w"] and "(2,)" in report.problems["w"]


@pytest.mark.parametrize("eps", [np.nan, 0.0, -1e-3, np.inf, "0.001"])
def test_a_useless_eps_is_refused(eps):
    with pytest.raises((ValueError, TypeError), match="eps"):
        ll.gradcheck(square_loss, {"w": W}, {"w": 2 * W}, eps=eps)
    with pytest.raises((ValueError, TypeError), match="eps"):
        ll.numerical_gradient(square_loss, {"w": W}, "w", eps=eps)


@pytest.mark.parametrize("max_entries", [0, -2, 1.5, True])
def test_max_entries_must_be_a_whole_number_of_at_least_one(max_entries):
    with pytest.raises(ValueError, match="max_entries"):
        ll.gradcheck(square_loss, {"w": W}, {"w": 2 * W}, max_entries=max_entries, rng=np.random.default_rng(0))


def test_a_check_of_nothing_is_refused():
    with pytest.raises(ValueError, match="grads is empty"):
        ll.gradcheck(square_loss, {"w": W}, {})


def test_a_loss_that_returns_an_array_is_named():
    with pytest.raises(TypeError, match="loss must return a single number"):
        ll.gradcheck(lambda w: w ** 2, {"w": W}, {"w": 2 * W})


def test_sampled_entries_are_checked_and_the_rest_are_not_counted():
    grad = 2 * W
    report = ll.gradcheck(square_loss, {"w": W}, {"w": grad}, max_entries=2, rng=np.random.default_rng(0))
    assert report.ok(1e-9) and not report.problems


def test_merged_reports_keep_their_problems():
    good = ll.gradcheck(square_loss, {"w": W}, {"w": 2 * W})
    bad = ll.gradcheck(lambda v: square_loss(v), {"v": W}, {"v": np.array([2 * W[0], np.nan, 2 * W[2]])})
    assert not (good | bad).ok() and "v" in (good | bad).problems
    good |= bad
    assert not good.ok() and "v" in good.problems


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
