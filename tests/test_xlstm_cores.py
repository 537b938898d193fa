"""The sLSTM and mLSTM cores (lstmlearn.xlstm_cores): gradients of a whole model, and their limits."""

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn.tasks.mqar import mqar_task
from lstmlearn.xlstm_cores import MLSTMLayerParams, init_mlstm_layer, mlstm_layer_backward, mlstm_layer_forward


@pytest.mark.parametrize("core", ["slstm", "mlstm"])
@pytest.mark.parametrize("seed", [0, 1])
def test_model_gradients_match_numerical(core, seed):
    rng = np.random.default_rng(seed)
    task = mqar_task(vocab_size=12, seq_len=16, num_kv_pairs=2)
    model = task.model(core, hidden_size=4)
    params = ll.init_model(model, rng, forget_bias=2.0)
    params = {k: v + rng.uniform(-0.3, 0.3, v.shape) for k, v in params.items()}  # non-zero biases everywhere
    batch = task.sample(rng, 3)
    loss, grads = ll.loss_and_grads(params, batch.X, batch.Y, model, mask=batch.mask)

    def f(**arrays):
        return ll.loss_and_grads(arrays, batch.X, batch.Y, model, mask=batch.mask)[0]

    # the mLSTM's readout divides by n . q: a step of 1e-4, errors absolute below gradients of 1e-3
    report = ll.gradcheck(f, params, grads, eps=1e-4, atol=1e-3, max_entries=40, rng=rng)
    assert report.ok(1e-7), report


def test_mlstm_layer_gradients_for_real_inputs():
    rng = np.random.default_rng(2)
    p = init_mlstm_layer(3, 4, rng, forget_bias=1.0)
    p = MLSTMLayerParams(p.W_x, p.b + rng.uniform(-0.5, 0.5, p.b.shape))
    X, W = rng.normal(size=(6, 2, 3)), rng.normal(size=(6, 2, 4))
    Hs, tr = mlstm_layer_forward(X, p)
    g = mlstm_layer_backward(W, tr, p)

    def loss(W_x, b):
        return np.sum(W * mlstm_layer_forward(X, MLSTMLayerParams(W_x, b))[0])

    report = ll.gradcheck(loss, p._asdict(), g._asdict(), eps=1e-4, atol=1e-3)
    assert report.ok(1e-7), report


def test_the_mlstm_layer_is_the_cell_with_projections_and_an_output_gate():
    rng = np.random.default_rng(3)
    H = 4
    p = init_mlstm_layer(3, H, rng)
    X = rng.normal(size=(5, 2, 3))
    a = X @ p.W_x + p.b
    h_tilde, _ = ll.mlstm_recurrent(  # the recurrent form: the layer runs the parallel one
        a[..., :H], a[..., H : 2 * H], a[..., 2 * H : 3 * H], a[..., 4 * H], a[..., 4 * H + 1]
    )
    o = 1 / (1 + np.exp(-a[..., 3 * H : 4 * H]))
    np.testing.assert_allclose(mlstm_layer_forward(X, p)[0], o * h_tilde, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("core", ["slstm", "mlstm"])
def test_a_carried_state_or_truncation_is_refused(core):
    rng = np.random.default_rng(0)
    model = ll.Model(core, 5, 4, 3, readout="all", loss="xent", one_hot=True)
    params = ll.init_model(model, rng)
    X, Y = rng.integers(0, 5, (4, 2)), rng.integers(0, 3, (4, 2))
    state = ll.State(np.ones((2, 4)), None)
    with pytest.raises(ValueError, match="starts every sequence from an empty memory"):
        ll.loss_and_grads(params, X, Y, model, state=state)
    with pytest.raises(ValueError, match="truncate must be None"):
        ll.loss_and_grads(params, X, Y, model, truncate=2)
