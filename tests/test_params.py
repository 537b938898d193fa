"""Parameters: initialisation, per-gate views, and PyTorch's layout read and written without torch."""

import numpy as np
import pytest

import lstmlearn as ll


def test_init_lstm_shapes_range_and_forget_bias():
    D, H = 3, 25
    p = ll.init_lstm(D, H, rng=np.random.default_rng(0), forget_bias=1.0)
    assert p.W_x.shape == (D, 4 * H) and p.W_h.shape == (H, 4 * H) and p.b.shape == (4 * H,)
    k = 1 / np.sqrt(H)
    assert np.abs(p.W_x).max() <= k and np.abs(p.W_h).max() <= k
    assert np.abs(p.W_h).max() > 0.9 * k  # really spread over the range
    assert np.all(np.abs(p.b_i) <= 2 * k)
    assert np.all(np.abs(p.b_f - 1.0) <= 2 * k) and p.b_f.mean() > 0.8
    q = ll.init_lstm(D, H, rng=np.random.default_rng(0), forget_bias=0.0)
    np.testing.assert_allclose(p.b_f - q.b_f, 1.0)
    np.testing.assert_array_equal(p.b_g, q.b_g)


def test_init_is_deterministic_and_dtype():
    a = ll.init_lstm(2, 3, rng=np.random.default_rng(7), dtype=np.float32)
    b = ll.init_lstm(2, 3, rng=np.random.default_rng(7), dtype=np.float32)
    assert a.dtype == np.float32
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        ll.init_lstm(2, 3, rng=0)
    with pytest.raises(ValueError, match="hidden_size must be a whole number"):
        ll.init_lstm(2, 0, rng=np.random.default_rng(0))


def test_gate_views_are_views_in_pytorch_order():
    H = 3
    p = ll.LSTMParams(np.arange(2 * 4 * H, dtype=float).reshape(2, 4 * H),
                      np.zeros((H, 4 * H)), np.arange(4 * H, dtype=float))
    np.testing.assert_array_equal(p.b_i, [0, 1, 2])
    np.testing.assert_array_equal(p.b_f, [3, 4, 5])
    np.testing.assert_array_equal(p.b_g, [6, 7, 8])
    np.testing.assert_array_equal(p.b_o, [9, 10, 11])
    np.testing.assert_array_equal(p.W_xg, p.W_x[:, 6:9])
    p.W_hf[0, 0] = 5.0
    assert p.W_h[0, H] == 5.0
    assert p.gate("o").W_h.shape == (H, H)
    with pytest.raises(ValueError, match="gate must be one of"):
        p.gate("c")


def test_pytorch_round_trip_without_torch():
    rng = np.random.default_rng(1)
    D, H = 3, 4
    sd = {"weight_ih_l0": rng.normal(size=(4 * H, D)), "weight_hh_l0": rng.normal(size=(4 * H, H)),
          "bias_ih_l0": rng.normal(size=4 * H), "bias_hh_l0": rng.normal(size=4 * H)}
    p = ll.LSTMParams.from_pytorch(sd)
    np.testing.assert_array_equal(p.W_x, sd["weight_ih_l0"].T)
    np.testing.assert_allclose(p.b, sd["bias_ih_l0"] + sd["bias_hh_l0"])
    back = p.to_pytorch()
    np.testing.assert_array_equal(back["weight_hh_l0"], sd["weight_hh_l0"])
    np.testing.assert_allclose(back["bias_ih_l0"] + back["bias_hh_l0"], p.b)
    cell = ll.LSTMParams.from_pytorch({k[:-3]: v.tolist() for k, v in sd.items()})  # LSTMCell keys, lists
    np.testing.assert_array_equal(cell.W_h, p.W_h)
    r = ll.RNNParams.from_pytorch({"weight_ih_l0": np.ones((H, D)), "weight_hh_l0": np.eye(H)})
    np.testing.assert_array_equal(r.b, np.zeros(H))
    with pytest.raises(KeyError, match="weight_hh"):
        ll.LSTMParams.from_pytorch({"weight_ih_l0": sd["weight_ih_l0"]})
    with pytest.raises(ValueError, match=r"weight_hh_l0 should have shape \(16, 4\)"):
        ll.LSTMParams.from_pytorch(sd | {"weight_hh_l0": np.ones((12, 4))})


def test_from_pytorch_does_not_import_torch():
    import subprocess
    import sys
    code = ("import numpy as np, sys, lstmlearn as ll; "
            "ll.LSTMParams.from_pytorch({'weight_ih_l0': np.ones((8, 1)), 'weight_hh_l0': np.ones((8, 2))}); "
            "ll.init_lstm(1, 2, rng=np.random.default_rng(0)).to_pytorch(); "
            "assert 'torch' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---- reading PyTorch state dicts: nothing is read partially or dropped unseen ----

def _lstm_state_dict(rng, D=3, H=4, suffix="_l0"):
    return {f"weight_ih{suffix}": rng.normal(size=(4 * H, D)), f"weight_hh{suffix}": rng.normal(size=(4 * H, H)),
            f"bias_ih{suffix}": rng.normal(size=4 * H), f"bias_hh{suffix}": rng.normal(size=4 * H)}


@pytest.mark.parametrize("missing", ["bias_ih_l0", "bias_hh_l0"])
@pytest.mark.parametrize("kind", ["LSTMParams", "RNNParams", "GRUParams"])
def test_from_pytorch_with_one_bias_missing_names_it(kind, missing):
    rng = np.random.default_rng(2)
    gates = {"LSTMParams": 4, "RNNParams": 1, "GRUParams": 3}[kind]
    sd = {k: v[: gates * 4] for k, v in _lstm_state_dict(rng).items() if k != missing}
    with pytest.raises(KeyError, match=missing):
        getattr(ll, kind).from_pytorch(sd)


def test_from_pytorch_without_biases_reads_a_bias_free_layer():
    rng = np.random.default_rng(3)
    sd = {k: v for k, v in _lstm_state_dict(rng).items() if k.startswith("weight")}  # nn.LSTM(bias=False)
    np.testing.assert_array_equal(ll.LSTMParams.from_pytorch(sd).b, np.zeros(16))


def test_from_pytorch_bidirectional_needs_a_direction():
    rng = np.random.default_rng(4)
    sd = _lstm_state_dict(rng) | _lstm_state_dict(rng, suffix="_l0_reverse")
    with pytest.raises(ValueError, match=r"_reverse.*direction='reverse'"):
        ll.LSTMParams.from_pytorch(sd)
    fwd = ll.LSTMParams.from_pytorch(sd, direction="forward")
    rev = ll.LSTMParams.from_pytorch(sd, direction="reverse")
    np.testing.assert_array_equal(fwd.W_x, sd["weight_ih_l0"].T)
    np.testing.assert_array_equal(rev.W_x, sd["weight_ih_l0_reverse"].T)
    np.testing.assert_allclose(rev.b, sd["bias_ih_l0_reverse"] + sd["bias_hh_l0_reverse"])
    with pytest.raises(KeyError, match="weight_ih_l0_reverse"):
        ll.LSTMParams.from_pytorch(_lstm_state_dict(rng), direction="reverse")
    with pytest.raises(ValueError, match="direction must be one of"):
        ll.LSTMParams.from_pytorch(sd, direction="backward")


def test_from_pytorch_names_a_missing_layer_and_a_prefix():
    rng = np.random.default_rng(5)
    with pytest.raises(KeyError, match=r"no layer 1: its layers are 0"):
        ll.LSTMParams.from_pytorch(_lstm_state_dict(rng), layer=1)
    prefixed = {f"lstm.{k}": v for k, v in _lstm_state_dict(rng).items()}
    with pytest.raises(KeyError, match=r"'lstm\.'"):
        ll.LSTMParams.from_pytorch(prefixed)
