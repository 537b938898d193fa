"""Optimisers and clipping: hand-computed steps, exact clipping, state save and restore."""

import io

import numpy as np
import pytest

import lstmlearn as ll


def test_clip_scales_to_the_threshold_exactly_and_returns_the_norm_before():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[0.0], [4.0]])}  # global norm 5
    clipped, norm = ll.clip_grad_norm(grads, 1.0)
    assert norm == 5.0
    assert ll.global_norm(clipped) == pytest.approx(1.0, rel=1e-15)
    np.testing.assert_allclose(clipped["a"], [0.6, 0.0])
    np.testing.assert_allclose(clipped["b"], [[0.0], [0.8]])
    assert grads["a"][0] == 3.0  # not modified in place


def test_clip_leaves_small_gradients_alone():
    grads = {"a": np.array([0.3, 0.4])}
    clipped, norm = ll.clip_grad_norm(grads, 1.0)
    assert norm == pytest.approx(0.5)
    np.testing.assert_array_equal(clipped["a"], grads["a"])
    with pytest.raises(ValueError, match="max_norm must be a positive number"):
        ll.clip_grad_norm(grads, 0.0)


def test_adam_matches_a_hand_computed_step():
    opt = ll.Adam(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8)
    params = {"w": np.array([1.0, -2.0])}
    state = opt.init(params)
    params, state = opt.step(params, {"w": np.array([0.5, -0.1])}, state)
    # t = 1: m_hat = g and s_hat = g^2, so each weight moves by lr * g / (|g| + eps)
    np.testing.assert_allclose(
        params["w"], [1.0 - 0.1 * 0.5 / (0.5 + 1e-8), -2.0 + 0.1 * 0.1 / (0.1 + 1e-8)], rtol=1e-15
    )
    np.testing.assert_allclose(params["w"], [0.900000002, -1.90000001], rtol=1e-9)
    params, state = opt.step(params, {"w": np.array([0.2, 0.3])}, state)
    # t = 2, first weight: m = 0.9*0.05 + 0.1*0.2 = 0.065, s = 0.999*0.00025 + 0.001*0.04 = 0.00028975
    m_hat, s_hat = 0.065 / (1 - 0.81), 0.00028975 / (1 - 0.999**2)
    assert params["w"][0] == pytest.approx(0.900000002 - 0.1 * m_hat / (np.sqrt(s_hat) + 1e-8), rel=1e-12)
    assert params["w"][0] == pytest.approx(0.900000002 - 0.0898580, rel=1e-6)
    assert int(state["t"]) == 2


def test_sgd_with_momentum_by_hand():
    opt = ll.SGD(lr=0.5, momentum=0.9)
    params = {"w": np.array([1.0])}
    state = opt.init(params)
    params, state = opt.step(params, {"w": np.array([2.0])}, state)  # v = 2, w = 1 - 1 = 0
    params, state = opt.step(params, {"w": np.array([1.0])}, state)  # v = 2.8, w = -1.4
    np.testing.assert_allclose(params["w"], [-1.4])
    np.testing.assert_allclose(state["v/w"], [2.8])


@pytest.mark.parametrize("opt", [ll.Adam(lr=0.01), ll.SGD(lr=0.1, momentum=0.5)])
def test_state_saved_as_arrays_restores_exactly(opt):
    rng = np.random.default_rng(0)
    params = {"W": rng.normal(size=(3, 2)), "b": rng.normal(size=2)}
    grads = [{k: rng.normal(size=v.shape) for k, v in params.items()} for _ in range(4)]
    state = opt.init(params)
    p = params
    for g in grads[:2]:
        p, state = opt.step(p, g, state)
    buf = io.BytesIO()
    np.savez(buf, **state)
    buf.seek(0)
    with np.load(buf, allow_pickle=False) as f:
        restored = {k: f[k] for k in f.files}
    p1, s1, p2, s2 = p, state, p, restored
    for g in grads[2:]:
        p1, s1 = opt.step(p1, g, s1)
        p2, s2 = opt.step(p2, g, s2)
    for k in params:
        np.testing.assert_array_equal(p1[k], p2[k])


def test_optimiser_does_not_modify_its_inputs_and_checks_names():
    opt = ll.Adam()
    params = {"w": np.ones(2)}
    state = opt.init(params)
    opt.step(params, {"w": np.ones(2)}, state)
    assert params["w"].tolist() == [1.0, 1.0] and not state["m/w"].any()
    with pytest.raises(KeyError, match="same names as params"):
        opt.step(params, {"v": np.ones(2)}, state)
    with pytest.raises(ValueError, match="lr"):
        ll.Adam(lr=-1.0).init(params)


# --- bad input is refused where it enters, naming the argument -----------------------------

PARAMS = {"W": np.ones((2, 3)), "b": np.zeros(3)}


@pytest.mark.parametrize("opt", [ll.Adam(), ll.SGD()])
def test_a_gradient_of_the_wrong_shape_is_refused(opt):
    state = opt.init(PARAMS)
    with pytest.raises(ValueError, match=r"grads\['b'\] should have shape \(3,\)"):
        opt.step(PARAMS, {"W": np.ones((2, 3)), "b": np.ones((2, 3))}, state)


@pytest.mark.parametrize("opt", [ll.Adam(), ll.SGD()])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_non_finite_gradient_is_refused(opt, bad):
    state = opt.init(PARAMS)
    with pytest.raises(ValueError, match=r"grads\['W'\] contains"):
        opt.step(PARAMS, {"W": np.full((2, 3), bad), "b": np.ones(3)}, state)


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: ll.Adam(beta1=1), "beta1"),
        (lambda: ll.Adam(beta1=-0.1), "beta1"),
        (lambda: ll.Adam(beta2=1.0), "beta2"),
        (lambda: ll.Adam(beta2=np.nan), "beta2"),
        (lambda: ll.Adam(eps=0.0), "eps"),
        (lambda: ll.Adam(eps=np.inf), "eps"),
        (lambda: ll.Adam(lr=np.nan), "lr"),
        (lambda: ll.Adam(lr=0), "lr"),
        (lambda: ll.SGD(momentum=np.nan), "momentum"),
        (lambda: ll.SGD(momentum=1.0), "momentum"),
        (lambda: ll.SGD(momentum=-0.5), "momentum"),
        (lambda: ll.SGD(lr=np.inf), "lr"),
        (lambda: ll.SGD(lr="0.1"), "lr"),
        (lambda: ll.Adam(beta1=True), "beta1"),
    ],
)
def test_hyperparameters_are_checked_when_the_optimiser_is_made(make, name):
    with pytest.raises(ValueError, match=f"^{name} "):
        make()


def test_sgd_state_given_to_adam_says_whose_state_it_is():
    params = {"w": np.ones(2)}
    with pytest.raises(ValueError, match=r"state.*SGD.*Adam.*init\(params\)"):
        ll.Adam().step(params, {"w": np.ones(2)}, ll.SGD().init(params))
    with pytest.raises(ValueError, match=r"state.*Adam.*SGD"):
        ll.SGD().step(params, {"w": np.ones(2)}, ll.Adam().init(params))


def test_state_of_other_parameters_is_refused():
    opt = ll.Adam()
    state = opt.init({"w": np.ones(2)})
    with pytest.raises(ValueError, match=r"state\['m/w'\] should have shape \(3,\)"):
        opt.step({"w": np.ones(3)}, {"w": np.ones(3)}, state)


def test_non_finite_parameters_are_refused():
    opt = ll.SGD()
    params = {"w": np.array([1.0, np.nan])}
    with pytest.raises(ValueError, match=r"params\['w'\] contains nan"):
        opt.step(params, {"w": np.ones(2)}, opt.init({"w": np.ones(2)}))


def test_clip_refuses_a_boolean_and_a_nan_threshold():
    for bad in (True, np.nan, "1"):
        with pytest.raises(ValueError, match="max_norm must be a positive number"):
            ll.clip_grad_norm({"w": np.ones(2)}, bad)


def test_global_norm_of_huge_but_finite_gradients_is_finite():
    grads = {"a": np.full(4, 1e200), "b": np.array([-3e200])}
    assert ll.global_norm(grads) == pytest.approx(np.sqrt(4 + 9) * 1e200, rel=1e-12)
    clipped, norm = ll.clip_grad_norm(grads, 1.0)
    assert np.isfinite(norm) and ll.global_norm(clipped) == pytest.approx(1.0, rel=1e-12)
    assert ll.global_norm({"a": np.zeros(3)}) == 0.0


# --- half precision ------------------------------------------------------------------------


def half_precision_run(opt, steps=30):
    from lstmlearn import tasks

    task = tasks.adding_task(24)
    model = task.model("lstm", 4)
    params = ll.init_model(model, np.random.default_rng(0), dtype=np.float16)
    return ll.train(model, params, task, opt, steps, batch_size=16, seed=0, progress=False)


def test_adam_refuses_float16_where_eps_underflows_and_says_why():
    with pytest.raises(TypeError, match=r"params\['W'\] is float16.*eps = 1e-08.*rounds to 0.*float32.*SGD"):
        ll.Adam().init({"W": np.ones(3, dtype=np.float16)})
    with pytest.raises(TypeError, match="float16"):
        ll.Adam().step({"W": np.ones(3, np.float16)}, {"W": np.ones(3, np.float16)}, ll.Adam().init({"W": np.ones(3)}))
    with pytest.raises(TypeError, match="divides by zero"):
        half_precision_run(ll.Adam(lr=1e-3))
    assert set(ll.Adam().init({"W": np.ones(3, dtype=np.float32)})) == {"t", "m/W", "s/W"}  # float32 holds 1e-8


def test_sgd_trains_in_float16():
    run = half_precision_run(ll.SGD(lr=0.05), steps=60)
    assert run.params["W_x"].dtype == np.float16 and np.isfinite(run.history.loss).all()
    assert run.history.loss[-10:].mean() < run.history.loss[:10].mean()
