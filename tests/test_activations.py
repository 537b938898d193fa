"""The squashing functions and their derivatives written through their outputs."""

import numpy as np
import pytest

import lstmlearn as ll


def test_sigmoid_limits_and_precision():
    with np.errstate(all="raise"):
        s = ll.sigmoid(np.array([-1e4, -800.0, -30.0, 0.0, 30.0, 1e4]))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    assert s[2] == pytest.approx(9.357622968840175e-14, rel=1e-12)
    x = np.linspace(-20, 20, 101)
    np.testing.assert_allclose(ll.sigmoid(x), 0.5 * (1 + np.tanh(x / 2)), rtol=1e-13, atol=1e-16)
    s32 = ll.sigmoid(np.array([-1e4, 1e4], dtype=np.float32))
    assert s32.dtype == np.float32 and s32[0] == 0 and s32[1] == 1
    assert np.all((ll.sigmoid(np.linspace(-15, 15, 31)) > 0) & (ll.sigmoid(np.linspace(-15, 15, 31)) < 1))


def test_activation_derivatives_from_outputs():
    from lstmlearn.activations import sigmoid_grad_from_output, tanh_grad_from_output
    z, eps = np.linspace(-4, 4, 17), 1e-6
    num = (ll.sigmoid(z + eps) - ll.sigmoid(z - eps)) / (2 * eps)
    np.testing.assert_allclose(sigmoid_grad_from_output(ll.sigmoid(z)), num, rtol=1e-8)
    num = (np.tanh(z + eps) - np.tanh(z - eps)) / (2 * eps)
    np.testing.assert_allclose(tanh_grad_from_output(np.tanh(z)), num, rtol=1e-8)
