"""Agreement with PyTorch (outputs and every gradient), where torch is importable: nn.LSTM,
nn.LSTMCell, nn.RNN, nn.GRU, and every LSTM variant written with torch's autograd.

Both PyTorch bias vectors are non-zero, so a converter that drops or double-counts
one of them fails here. These tests skip without torch, except where the environment
variable LSTMLEARN_REQUIRE_TORCH=1 says torch must be there (one CI job sets it).
"""

import os

import numpy as np
import pytest

import lstmlearn as ll
from helpers import variant_problem
from lstmlearn.gru import GRUParams, gru_backward, gru_forward
from lstmlearn.variants import VARIANTS, variant_backward, variant_forward

if os.environ.get("LSTMLEARN_REQUIRE_TORCH") == "1":  # set in CI, where torch is installed: never skip there
    import torch
else:
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (set LSTMLEARN_REQUIRE_TORCH=1 to fail instead)")


def _randomise(module, rng):
    with torch.no_grad():
        for name, prm in module.named_parameters():
            prm.copy_(torch.from_numpy(rng.uniform(-0.6, 0.6, size=tuple(prm.shape))))
            if name.startswith("bias"):
                assert prm.abs().min() > 0


@pytest.mark.parametrize("T,B,D,H,seed", [(1, 1, 1, 1, 0), (7, 3, 4, 5, 1), (20, 2, 3, 8, 2), (5, 6, 10, 3, 3)])
def test_lstm_matches_torch(T, B, D, H, seed):
    rng = np.random.default_rng(seed)
    lstm = torch.nn.LSTM(D, H).double()
    _randomise(lstm, rng)
    p = ll.LSTMParams.from_pytorch(lstm.state_dict())
    X, h0, c0, W = rng.normal(size=(T, B, D)), rng.normal(size=(B, H)), rng.normal(size=(B, H)), rng.normal(size=(T, B, H))
    Wc = rng.normal(size=(B, H))  # a loss on the final cell state too

    Xt, h0t, c0t = (torch.tensor(a, requires_grad=True) for a in (X, h0[None], c0[None]))
    out, (hT, cT) = lstm(Xt, (h0t, c0t))
    ((out * torch.from_numpy(W)).sum() + (cT[0] * torch.from_numpy(Wc)).sum()).backward()

    Hs, tr = ll.lstm_forward(X, p, h0, c0)
    np.testing.assert_allclose(Hs, out.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(tr.c[-1], cT[0].detach().numpy(), rtol=1e-12, atol=1e-14)
    g = ll.lstm_backward(W, tr, p, dc_T=Wc)
    close = dict(rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g.dX, Xt.grad.numpy(), **close)
    np.testing.assert_allclose(g.dh0, h0t.grad[0].numpy(), **close)
    np.testing.assert_allclose(g.dc0, c0t.grad[0].numpy(), **close)
    np.testing.assert_allclose(g.dparams.W_x, lstm.weight_ih_l0.grad.numpy().T, **close)
    np.testing.assert_allclose(g.dparams.W_h, lstm.weight_hh_l0.grad.numpy().T, **close)
    # dL/d(bias_ih) = dL/d(bias_hh) = dL/db, since b is their sum
    np.testing.assert_allclose(g.dparams.b, lstm.bias_ih_l0.grad.numpy(), **close)
    np.testing.assert_allclose(g.dparams.b, lstm.bias_hh_l0.grad.numpy(), **close)


def test_to_pytorch_reproduces_outputs_float32():
    rng = np.random.default_rng(4)
    p = ll.init_lstm(3, 6, rng=rng, forget_bias=1.0, dtype=np.float32)
    lstm = torch.nn.LSTM(3, 6)
    lstm.load_state_dict(p.to_pytorch(tensors=True))
    X = rng.normal(size=(12, 2, 3)).astype(np.float32)
    with torch.no_grad():
        out, _ = lstm(torch.from_numpy(X))
    np.testing.assert_allclose(ll.lstm_forward(X, p)[0], out.numpy(), rtol=1e-5, atol=1e-6)


def test_lstm_cell_state_dict():
    rng = np.random.default_rng(5)
    cell = torch.nn.LSTMCell(4, 3).double()
    _randomise(cell, rng)
    p = ll.LSTMParams.from_pytorch(cell.state_dict())
    x, h, c = rng.normal(size=(2, 4)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    with torch.no_grad():
        ht, ct = cell(torch.from_numpy(x), (torch.from_numpy(h), torch.from_numpy(c)))
    s = ll.lstm_step(x, h, c, p)
    np.testing.assert_allclose(s.h, ht.numpy(), rtol=1e-12)
    np.testing.assert_allclose(s.c, ct.numpy(), rtol=1e-12)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_rnn_matches_torch(activation):
    rng = np.random.default_rng(6)
    T, B, D, H = 9, 3, 4, 5
    rnn = torch.nn.RNN(D, H, nonlinearity=activation).double()
    _randomise(rnn, rng)
    p = ll.RNNParams.from_pytorch(rnn.state_dict())
    X, h0, W = rng.normal(size=(T, B, D)), rng.normal(size=(B, H)), rng.normal(size=(T, B, H))
    Xt, h0t = torch.tensor(X, requires_grad=True), torch.tensor(h0[None], requires_grad=True)
    out, _ = rnn(Xt, h0t)
    (out * torch.from_numpy(W)).sum().backward()
    Hs, tr = ll.rnn_forward(X, p, h0, activation)
    np.testing.assert_allclose(Hs, out.detach().numpy(), rtol=1e-12, atol=1e-14)
    g = ll.rnn_backward(W, tr, p)
    close = dict(rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g.dX, Xt.grad.numpy(), **close)
    np.testing.assert_allclose(g.dh0, h0t.grad[0].numpy(), **close)
    np.testing.assert_allclose(g.dparams.W_x, rnn.weight_ih_l0.grad.numpy().T, **close)
    np.testing.assert_allclose(g.dparams.W_h, rnn.weight_hh_l0.grad.numpy().T, **close)
    np.testing.assert_allclose(g.dparams.b, rnn.bias_hh_l0.grad.numpy(), **close)
    back = ll.RNNParams.from_pytorch(p.to_pytorch())
    np.testing.assert_allclose(back.b, p.b)


def test_default_init_matches_torch_distribution():
    """Our uniform(-1/sqrt(H), 1/sqrt(H)) bound is torch's: compare the largest |weight| drawn."""
    H = 64
    lstm = torch.nn.LSTM(8, H)
    p = ll.init_lstm(8, H, rng=np.random.default_rng(0), forget_bias=0.0)
    t_max = lstm.weight_hh_l0.detach().abs().max().item()
    assert abs(t_max - np.abs(p.W_h).max()) < 0.01 / np.sqrt(H)
    t_b = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach().numpy()
    assert abs(t_b.std() - p.b.std()) < 0.25 * t_b.std()  # both are sums of two uniforms


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_from_pytorch_converts_reduced_precision_tensors(dtype):
    """numpy has no bfloat16: its values are read exactly through float32, never with torch's own error."""
    lstm = torch.nn.LSTM(3, 4).to(dtype)
    p = ll.LSTMParams.from_pytorch(lstm.state_dict())
    want = lstm.weight_ih_l0.detach().float().numpy().T
    np.testing.assert_array_equal(p.W_x.astype(np.float32), want)
    p64 = ll.LSTMParams.from_pytorch(lstm.state_dict(), dtype=np.float64)
    assert p64.dtype == np.float64
    np.testing.assert_array_equal(p64.W_x, want.astype(np.float64))


def test_from_pytorch_refuses_a_dtype_numpy_cannot_hold():
    sd = {k: v.to(torch.complex64) for k, v in torch.nn.LSTM(2, 3).state_dict().items()}
    with pytest.raises(TypeError, match=r"weight_ih_l0.*complex64.*float"):
        ll.LSTMParams.from_pytorch(sd)


def test_from_pytorch_bidirectional_lstm():
    rng = np.random.default_rng(7)
    lstm = torch.nn.LSTM(3, 4, bidirectional=True).double()
    _randomise(lstm, rng)
    with pytest.raises(ValueError, match="_reverse"):
        ll.LSTMParams.from_pytorch(lstm.state_dict())
    fwd = ll.LSTMParams.from_pytorch(lstm.state_dict(), direction="forward")
    rev = ll.LSTMParams.from_pytorch(lstm.state_dict(), direction="reverse")
    X = rng.normal(size=(6, 2, 3))
    with torch.no_grad():
        out, _ = lstm(torch.from_numpy(X))
    np.testing.assert_allclose(ll.lstm_forward(X, fwd)[0], out[..., :4].numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ll.lstm_forward(X[::-1], rev)[0][::-1], out[..., 4:].numpy(), rtol=1e-12, atol=1e-14)


def test_gru_matches_torch():
    rng = np.random.default_rng(4)
    T, B, D, H = 8, 3, 4, 5
    gru = torch.nn.GRU(D, H).double()
    with torch.no_grad():
        for prm in gru.parameters():
            prm.copy_(torch.from_numpy(rng.uniform(-0.7, 0.7, size=tuple(prm.shape))))
    p = GRUParams.from_pytorch(gru.state_dict())
    X, h0, W = rng.normal(size=(T, B, D)), rng.normal(size=(B, H)), rng.normal(size=(T, B, H))
    Xt, h0t = torch.tensor(X, requires_grad=True), torch.tensor(h0[None], requires_grad=True)
    out, _ = gru(Xt, h0t)
    (out * torch.from_numpy(W)).sum().backward()
    Hs, tr = gru_forward(X, p, h0)
    np.testing.assert_allclose(Hs, out.detach().numpy(), rtol=1e-12, atol=1e-14)
    g = gru_backward(W, tr, p)
    close = dict(rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g.dX, Xt.grad.numpy(), **close)
    np.testing.assert_allclose(g.dh0, h0t.grad[0].numpy(), **close)
    np.testing.assert_allclose(g.dparams.W_x, gru.weight_ih_l0.grad.numpy().T, **close)
    np.testing.assert_allclose(g.dparams.W_h, gru.weight_hh_l0.grad.numpy().T, **close)
    np.testing.assert_allclose(g.dparams.b_x, gru.bias_ih_l0.grad.numpy(), **close)
    np.testing.assert_allclose(g.dparams.b_h, gru.bias_hh_l0.grad.numpy(), **close)
    back = p.to_pytorch()
    np.testing.assert_array_equal(back["bias_hh_l0"], p.b_h)


def _torch_variant(torch, variant, W_x, W_h, b, w_c, X, h0, c0):
    """The variant written independently with torch operations, for autograd."""
    H = W_h.shape[0]
    h, c, outs = h0, c0, []
    for x in X:
        z = x @ W_x + h @ W_h + b
        blocks = dict(zip("ifgo" if z.shape[-1] == 4 * H else "igo", torch.split(z, H, dim=-1)))
        pi, pf, po = torch.split(w_c, H) if variant == "peephole" else (0, 0, 0)
        i = torch.sigmoid(blocks["i"] + pi * c)
        f = {"no_forget": torch.ones_like(i), "coupled": 1 - i}.get(variant)
        if f is None:
            f = torch.sigmoid(blocks["f"] + pf * c)
        c = f * c + i * torch.tanh(blocks["g"])
        o = torch.sigmoid(blocks["o"] + po * c)
        h = o * (c if variant == "no_output_activation" else torch.tanh(c))
        outs.append(h)
    return torch.stack(outs)


@pytest.mark.parametrize("variant", VARIANTS)
def test_variants_match_torch_autograd(variant):
    p, X, h0, c0, W = variant_problem(variant, T=12, B=3, D=2, H=5, seed=7)
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in
               dict(W_x=p.W_x, W_h=p.W_h, b=p.b, w_c=p.w_c, X=X, h0=h0, c0=c0).items()}
    out = _torch_variant(torch, variant, **tensors)
    (out * torch.from_numpy(W)).sum().backward()
    Hs, tr = variant_forward(X, p, variant, h0, c0)
    np.testing.assert_allclose(Hs, out.detach().numpy(), rtol=1e-12, atol=1e-14)
    g = variant_backward(W, tr, p, variant)
    ours = dict(W_x=g.dparams.W_x, W_h=g.dparams.W_h, b=g.dparams.b, w_c=g.dparams.w_c, X=g.dX, h0=g.dh0, c0=g.dc0)
    for k, v in ours.items():
        if v.size == 0:  # w_c of a variant without peepholes: nothing to compare
            assert tensors[k].grad is None or tensors[k].grad.numel() == 0
            continue
        np.testing.assert_allclose(v, tensors[k].grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=k)
