"""The full model (core + readout): gradients for every parameter, state passing, lengths."""

import numpy as np
import pytest

import lstmlearn as ll

T, B, D, H, K = 5, 3, 2, 3, 4


def problem(core, readout, loss, seed, one_hot=False):
    rng = np.random.default_rng(seed)
    model = ll.Model(core, D, H, K, readout, loss, one_hot)
    params = ll.init_model(model, rng)
    params["b_y"] = rng.normal(size=K)  # non-zero readout bias
    X = rng.integers(0, D, size=(T, B)) if one_hot else rng.normal(size=(T, B, D))
    shape = (T, B) if readout == "all" else (B,)
    Y = rng.integers(0, K, size=shape) if loss == "xent" else rng.normal(size=shape + (K,))
    mask = (rng.random(shape) < 0.7).astype(float)
    mask.flat[0] = 1.0
    lengths = rng.integers(2, T + 1, size=B) if readout == "last" else None
    h = rng.normal(size=(B, H)) * 0.5
    state = ll.State(h, rng.normal(size=(B, H)) * 0.5 if core.startswith("lstm") else None)
    return model, params, X, Y, mask, lengths, state


def independent_loss(model, X, Y, mask, lengths, state):
    """The loss from forward() and the loss function only (no backward pass involved)."""
    loss_fn = ll.mse if model.loss == "mse" else ll.softmax_cross_entropy

    def loss(**params):
        return loss_fn(ll.forward(params, X, model, state, lengths).Y, Y, mask)[0]

    return loss


@pytest.mark.parametrize("core", ["lstm", "rnn"])
@pytest.mark.parametrize("readout", ["last", "all"])
@pytest.mark.parametrize("loss", ["mse", "xent"])
def test_gradients_of_every_parameter(core, readout, loss):
    model, params, X, Y, mask, lengths, state = problem(core, readout, loss, seed=len(core + readout + loss))
    value, grads = ll.loss_and_grads(params, X, Y, model, mask=mask, lengths=lengths, state=state)
    assert set(grads) == set(params) == {"W_x", "W_h", "b", "W_y", "b_y"}
    f = independent_loss(model, X, Y, mask, lengths, state)
    assert value == pytest.approx(f(**params), rel=1e-12)
    report = ll.gradcheck(f, params, grads)
    assert report.ok(1e-7), report


# (the xLSTM cores start every sequence from an empty memory and train with full BPTT: tests/test_xlstm_cores.py)
@pytest.mark.parametrize("core", sorted(set(ll.cores.CORES) - {"lstm", "rnn", "slstm", "mlstm"}))
def test_gradients_of_every_parameter_for_the_other_cores(core):
    model, params, X, Y, mask, lengths, state = problem(core, "last", "xent", seed=11)
    value, grads = ll.loss_and_grads(params, X, Y, model, mask=mask, lengths=lengths, state=state)
    assert set(grads) == set(params) == set(ll.cores.CORES[core].names) | {"W_y", "b_y"}
    report = ll.gradcheck(independent_loss(model, X, Y, mask, lengths, state), params, grads)
    assert report.ok(1e-7), report
    _, cut = ll.loss_and_grads(params, X, Y, model, mask=mask, lengths=lengths, state=state, truncate=2)
    assert any(not np.allclose(cut[k], grads[k]) for k in ll.cores.CORES[core].names)  # truncation is applied


def test_gradients_with_one_hot_inputs():
    model, params, X, Y, mask, lengths, state = problem("lstm", "all", "xent", seed=7, one_hot=True)
    _, grads = ll.loss_and_grads(params, X, Y, model, mask=mask, state=state)
    report = ll.gradcheck(independent_loss(model, X, Y, mask, None, state), params, grads)
    assert report.ok(1e-7), report


@pytest.mark.parametrize("core", ["lstm", "rnn"])
def test_state_carries_across_chunks(core):
    model, params, X, *_ = problem(core, "all", "mse", seed=3)
    whole = ll.forward(params, X, model)
    first = ll.forward(params, X[:2], model)
    second = ll.forward(params, X[2:], model, first.state)
    np.testing.assert_allclose(np.concatenate([first.Y, second.Y]), whole.Y, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(second.state.h, whole.state.h, rtol=1e-13)
    _, _, final = ll.loss_and_grads(params, X[:2], np.zeros((2, B, K)), model, return_state=True)
    np.testing.assert_array_equal(final.h, first.state.h)


def test_padding_after_a_sequence_does_not_change_its_prediction():
    model, params, X, *_ = problem("lstm", "last", "mse", seed=4)
    lengths = np.array([2, 5, 3])
    Y = ll.predict(params, X, model, lengths=lengths)
    X2 = X.copy()
    X2[2:, 0] = 99.0  # change the padding of sequence 0 only
    X2[3:, 2] = -7.0
    np.testing.assert_array_equal(ll.predict(params, X2, model, lengths=lengths), Y)
    np.testing.assert_allclose(Y[0], ll.predict(params, X[:2, :1], model)[0])


def test_one_hot_input_equals_explicit_one_hot_vectors():
    model, params, X, *_ = problem("lstm", "all", "xent", seed=5, one_hot=True)
    dense = ll.Model("lstm", D, H, K, "all", "xent", one_hot=False)
    np.testing.assert_array_equal(ll.predict(params, X, model), ll.predict(params, np.eye(D)[X], dense))


def test_forget_bias_and_shapes_of_init():
    model = ll.Model("lstm", 3, 4, 2)
    p = ll.init_model(model, np.random.default_rng(0), forget_bias=1.0)
    assert p["W_x"].shape == (3, 16) and p["W_y"].shape == (4, 2) and p["b_y"].shape == (2,)
    assert p["b"][4:8].min() > 1.0 - 2 / 2  # uniform(-1/2, 1/2) twice, plus 1
    assert not p["b_y"].any()


def test_bad_input_names_the_argument():
    model, params, X, Y, mask, lengths, state = problem("lstm", "last", "mse", seed=6)
    with pytest.raises(ValueError, match="core must be one of"):
        ll.Model("transformer", 1, 1, 1)
    with pytest.raises(KeyError, match="params is missing"):
        ll.forward({k: v for k, v in params.items() if k != "W_y"}, X, model)
    with pytest.raises(ValueError, match=r"lengths must lie in \[1, T\]"):
        ll.forward(params, X, model, lengths=np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="params\\['W_y'\\] should have shape"):
        ll.forward({**params, "W_y": np.zeros((H, K + 1))}, X, model)
    with pytest.raises(ValueError, match="X should have shape"):
        ll.forward(params, X[:, :, 0], model)
    with pytest.raises(ValueError, match="target contains nan"):
        ll.loss_and_grads(params, X, Y * np.nan, model)
    with np.errstate(over="ignore"), pytest.raises(FloatingPointError, match="the loss is inf"):
        ll.loss_and_grads({**params, "W_y": params["W_y"] * 1e200}, X, Y, model)


@pytest.mark.parametrize("core", sorted(ll.cores.CORES))
@pytest.mark.parametrize("which", ["first", "W_y", "b_y"])
def test_predict_with_non_finite_weights_names_the_parameter(core, which):
    model = ll.Model(core, D, H, K)
    params = ll.init_model(model, np.random.default_rng(0))
    name = next(iter(params)) if which == "first" else which
    params[name] = params[name] * np.nan
    with pytest.raises(ValueError, match=rf"params\['{name}'\] contains nan"):
        ll.predict(params, np.zeros((T, B, D)), model)


def test_integer_weights_are_refused():
    model = ll.Model("lstm", D, H, K)
    params = ll.init_model(model, np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"params\['b_y'\] must be a floating-point array"):
        ll.predict({**params, "b_y": np.zeros(K, dtype=int)}, np.zeros((T, B, D)), model)
