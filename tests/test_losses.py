"""Losses: values worked by hand, gradients checked numerically, masks and stability."""

import numpy as np
import pytest

import lstmlearn as ll


def test_mse_by_hand_mean_over_counted_entries():
    pred = np.array([[1.0, 2.0], [3.0, 5.0], [0.0, 0.0]])
    target = np.array([[0.0, 2.0], [3.0, 3.0], [9.0, 9.0]])
    mask = np.array([1.0, 1.0, 0.0])  # the third position does not count
    loss, d = ll.mse(pred, target, mask)
    assert loss == pytest.approx((1.0 + 0.0 + 0.0 + 4.0) / 4)
    np.testing.assert_allclose(d, 2 / 4 * np.array([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]]))


def test_cross_entropy_by_hand():
    logits = np.array([[0.0, 0.0, 0.0, 0.0], [np.log(3.0), 0.0, 0.0, 0.0]])
    loss, d = ll.softmax_cross_entropy(logits, np.array([2, 0]))
    assert loss == pytest.approx((np.log(4) + np.log(2)) / 2)
    np.testing.assert_allclose(d[0], [0.125, 0.125, -0.375, 0.125])
    np.testing.assert_allclose(d[1], [(0.5 - 1) / 2, 1 / 12, 1 / 12, 1 / 12])


@pytest.mark.parametrize("seed", range(3))
def test_mse_gradient_with_mask(seed):
    rng = np.random.default_rng(seed)
    pred, target = rng.normal(size=(4, 3, 2)), rng.normal(size=(4, 3, 2))
    mask = (rng.random((4, 3)) < 0.6).astype(float)
    mask[0, 0] = 1.0
    _, d = ll.mse(pred, target, mask)
    report = ll.gradcheck(lambda pred: ll.mse(pred, target, mask)[0], {"pred": pred}, {"pred": d})
    assert report.ok(1e-7), report


@pytest.mark.parametrize("seed", range(3))
def test_cross_entropy_gradient_with_mask(seed):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(5, 3, 4)) * 3
    y = rng.integers(0, 4, size=(5, 3))
    mask = (rng.random((5, 3)) < 0.6).astype(float)
    mask[0, 0] = 1.0
    _, d = ll.softmax_cross_entropy(logits, y, mask)
    report = ll.gradcheck(lambda logits: ll.softmax_cross_entropy(logits, y, mask)[0],
                          {"logits": logits}, {"logits": d})
    assert report.ok(1e-7), report
    assert np.all(d[mask == 0] == 0)


def test_cross_entropy_is_stable_for_huge_logits():
    logits = np.array([[1000.0, 0.0, -1000.0]])
    loss, d = ll.softmax_cross_entropy(logits, np.array([1]))
    assert loss == pytest.approx(1000.0)
    np.testing.assert_allclose(d, [[1.0, -1.0, 0.0]])


def test_masked_out_positions_do_not_change_the_loss():
    rng = np.random.default_rng(0)
    logits, y = rng.normal(size=(6, 5)), rng.integers(0, 5, size=6)
    mask = np.array([1, 1, 1, 0, 0, 0.0])
    full, _ = ll.softmax_cross_entropy(logits[:3], y[:3])
    masked, _ = ll.softmax_cross_entropy(logits, y, mask)
    assert masked == pytest.approx(full)


def test_bad_inputs_name_the_argument():
    with pytest.raises(TypeError, match="targets must hold integer class ids"):
        ll.softmax_cross_entropy(np.zeros((2, 3)), np.zeros(2))
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 3\)"):
        ll.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="target should have shape"):
        ll.mse(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="mask counts no position"):
        ll.mse(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros(2))
    with pytest.raises(ValueError, match="mask should have shape"):
        ll.mse(np.zeros((2, 3)), np.zeros((2, 3)), np.ones(3))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_mse_refuses_non_finite_targets_and_predictions(bad):
    target = np.zeros((2, 3))
    target[1, 2] = bad
    with pytest.raises(ValueError, match=r"target contains .* at index \(1, 2\)"):
        ll.mse(np.zeros((2, 3)), target)
    with pytest.raises(ValueError, match=r"pred contains"):
        ll.mse(target, np.zeros((2, 3)))


@pytest.mark.parametrize("shape", [(0, 3), (2, 0), (0,)])
def test_mse_on_empty_input_names_the_argument(shape):
    with pytest.raises(ValueError, match=r"pred .*empty|pred should"):
        ll.mse(np.zeros(shape), np.zeros(shape))


def test_cross_entropy_on_empty_input_names_the_argument():
    with pytest.raises(ValueError, match="logits .*empty"):
        ll.softmax_cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match="logits .*empty"):
        ll.softmax_cross_entropy(np.zeros((2, 0)), np.zeros(2, dtype=int))
