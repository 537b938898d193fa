"""The three scans of h_t = a_t h_{t-1} + b_t agree to 1e-12, the reverse-scan backward matches
central differences, and the direct product underflows where the log-space form holds."""

import numpy as np
import pytest

from lstmlearn import gradcheck
from lstmlearn.scan import (
    combine,
    g,
    log_g,
    scan_backward,
    scan_direct,
    scan_doubling,
    scan_log,
    scan_log_backward,
    scan_loop,
)


def random_ab(T, shape, seed, signed=False):
    rng = np.random.default_rng(seed)
    a = rng.uniform(-1 if signed else 0.05, 1, size=(T, *shape))
    b = rng.normal(size=(T, *shape))
    h0 = rng.normal(size=shape)
    return a, b, h0


def test_a_hand_worked_example():
    a = np.array([0.5, 2.0, 0.0])
    b = np.array([1.0, -1.0, 3.0])
    # h1 = 0.5 * 4 + 1 = 3, h2 = 2 * 3 - 1 = 5, h3 = 0 * 5 + 3 = 3
    for scan in (scan_loop, scan_doubling):
        np.testing.assert_allclose(scan(a, b, np.array(4.0)), [3.0, 5.0, 3.0], rtol=0, atol=1e-15)
    direct = scan_direct(a, b, np.array(4.0))  # divides by A_3 = 0: exact algebra, not a method
    np.testing.assert_allclose(direct[:2], [3.0, 5.0], rtol=1e-15)
    assert np.isnan(direct[2])


def test_combine_is_associative_and_composes_the_maps():
    rng = np.random.default_rng(0)
    s1, s2, s3 = [tuple(rng.normal(size=(2, 4))) for _ in range(3)]
    left, right = combine(combine(s1, s2), s3), combine(s1, combine(s2, s3))
    np.testing.assert_allclose(left, right, rtol=1e-14)
    h = rng.normal(size=4)
    a, b = combine(s1, s2)
    np.testing.assert_allclose(a * h + b, s2[0] * (s1[0] * h + s1[1]) + s2[1], rtol=1e-14)


@pytest.mark.parametrize("T", [1, 2, 3, 7, 8, 9, 64, 100])
@pytest.mark.parametrize("shape", [(), (3,), (2, 5)])
@pytest.mark.parametrize("with_h0", [False, True])
def test_doubling_agrees_with_the_loop(T, shape, with_h0):
    a, b, h0 = random_ab(T, shape, seed=T, signed=True)
    h0 = h0 if with_h0 else None
    np.testing.assert_allclose(scan_doubling(a, b, h0), scan_loop(a, b, h0), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("T", [1, 5, 33, 200])
@pytest.mark.parametrize("with_h0", [False, True])
def test_log_space_agrees_with_the_loop_for_positive_a_and_b(T, with_h0):
    rng = np.random.default_rng(T)
    a = rng.uniform(0.05, 1.0, size=(T, 2, 3))
    b = rng.uniform(0.01, 2.0, size=(T, 2, 3))
    h0 = rng.uniform(0.1, 1.0, size=(2, 3)) if with_h0 else None
    log_h = scan_log(np.log(a), np.log(b), None if h0 is None else np.log(h0))
    np.testing.assert_allclose(np.exp(log_h), scan_loop(a, b, h0), rtol=1e-12, atol=0)


def test_the_direct_product_underflows_where_the_log_space_scan_holds():
    T = 400
    a = np.full((T, 2), 0.1)  # A_t = 0.1^t is 0 in float64 after about 323 steps
    b = np.full((T, 2), 0.5)
    reference = scan_loop(a, b)  # tends to 0.5 / 0.9
    assert np.cumprod(a, axis=0)[-1, 0] == 0.0
    direct = scan_direct(a, b)
    assert not np.isfinite(direct[-1]).any()  # 0 * inf
    np.testing.assert_allclose(direct[:100], reference[:100], rtol=1e-12)  # fine while A_t is representable
    np.testing.assert_allclose(np.exp(scan_log(np.log(a), np.log(b))), reference, rtol=1e-12)


def test_g_is_positive_continuous_and_log_g_is_its_log():
    x = np.array([-800.0, -30.0, -1.0, -1e-12, 0.0, 1e-12, 1.0, 50.0])
    assert (g(x[1:]) > 0).all()
    np.testing.assert_allclose(g(np.array([-1e-12, 0.0, 1e-12])), 0.5, atol=1e-11)
    np.testing.assert_allclose(np.exp(log_g(x[1:])), g(x[1:]), rtol=1e-14)
    assert np.isfinite(log_g(x)).all() and log_g(x)[0] == pytest.approx(-800.0)  # g underflows, log g does not


def loss_through(scan, W, use_h0=True):
    def loss(a, b, h0):
        return float(np.sum(W * scan(a, b, h0 if use_h0 else None)))

    return loss


@pytest.mark.parametrize("scan", [scan_loop, scan_doubling])
@pytest.mark.parametrize("T, shape, seed", [(1, (3,), 0), (6, (2, 3), 1), (13, (4,), 2)])
def test_reverse_scan_backward_matches_central_differences(scan, T, shape, seed):
    a, b, h0 = random_ab(T, shape, seed, signed=True)
    W = np.random.default_rng(seed + 100).normal(size=a.shape)  # loss = sum_t W_t . h_t, so dy = W
    h = scan_loop(a, b, h0)
    grads = scan_backward(W, a, h, h0, scan=scan)
    report = gradcheck(loss_through(scan_loop, W), dict(a=a, b=b, h0=h0), dict(a=grads.da, b=grads.db, h0=grads.dh0))
    assert report.ok(1e-8), report


def test_backward_without_h0_has_a_zero_state_gradient_path():
    a, b, _ = random_ab(9, (3,), 5)
    W = np.random.default_rng(6).normal(size=a.shape)
    grads = scan_backward(W, a, scan_loop(a, b))
    report = gradcheck(
        loss_through(scan_loop, W, use_h0=False), dict(a=a, b=b, h0=np.zeros(3)), dict(a=grads.da, b=grads.db)
    )
    assert report.ok(1e-8), report


def test_gradient_along_the_state_is_the_product_of_the_as():
    a, b, h0 = random_ab(10, (2,), 7)
    dy = np.zeros_like(a)
    dy[-1] = 1.0  # L = sum h_T
    grads = scan_backward(dy, a, scan_loop(a, b, h0), h0)
    for t in range(10):
        np.testing.assert_allclose(grads.db[t], np.prod(a[t + 1 :], axis=0), rtol=1e-13)
    np.testing.assert_allclose(grads.dh0, np.prod(a, axis=0), rtol=1e-13)


def test_log_space_backward_matches_central_differences():
    rng = np.random.default_rng(3)
    log_a = np.log(rng.uniform(0.2, 1.0, size=(8, 3)))
    log_b = rng.normal(size=(8, 3))
    log_h0 = rng.normal(size=3)
    W = rng.normal(size=(8, 3))

    def loss(log_a, log_b, log_h0):
        return float(np.sum(W * np.exp(scan_log(log_a, log_b, log_h0))))

    grads = scan_log_backward(W, log_a, log_b, scan_log(log_a, log_b, log_h0), log_h0)
    arrays = dict(log_a=log_a, log_b=log_b, log_h0=log_h0)
    report = gradcheck(loss, arrays, dict(log_a=grads.da, log_b=grads.db, log_h0=grads.dh0))
    assert report.ok(1e-8), report


@pytest.mark.parametrize(
    "args, match",
    [
        ((np.ones((3, 2)), np.ones((3, 4))), r"b should have shape \(3, 2\)"),
        ((np.ones((0, 2)), np.ones((0, 2))), "T >= 1"),
        ((np.ones((3, 2)), np.ones((3, 2)), np.ones(3)), "h0 should have shape"),
        ((np.array([1.0, np.nan]), np.ones(2)), "a contains nan"),
        ((np.ones(3, dtype=int), np.ones(3)), "floating-point"),
    ],
)
def test_bad_input_names_the_argument(args, match):
    for scan in (scan_loop, scan_doubling):
        with pytest.raises((ValueError, TypeError), match=match):
            scan(*args)
