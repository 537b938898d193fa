"""The engine of the LSTM variants: lstmlearn.variants' equations with the input products of
all steps in one matrix product and the weight products of the backward pass done once, for
training. Same arguments, records and numbers as lstmlearn.variants.variant_forward and
variant_backward; the vanilla variant runs on lstmlearn.engine.lstm."""

from __future__ import annotations

import numpy as np

from .._checks import check_backward_inputs, check_sequence, state_or_zeros
from ..activations import sigmoid
from ..bptt import truncated_backward
from ..lstm import LSTMStep
from ..params import LSTMParams
from ..variants import LAYOUTS, VariantGrads, VariantParams, check_variant_params
from .lstm import lstm_backward, lstm_forward


def variant_forward(X, p: VariantParams, variant: str, h0=None, c0=None):
    """Run `variant` over X (T, B, D) from h0, c0; see lstmlearn.variants.variant_forward."""
    check_variant_params(p, variant)
    if variant == "vanilla":
        return lstm_forward(X, LSTMParams(p.W_x, p.W_h, p.b), h0, c0)
    X = check_sequence("X", X, p)
    T, B, D = X.shape
    H = p.hidden_size
    h = state_or_zeros("h0", h0, (B, H), p.dtype)
    c = state_or_zeros("c0", c0, (B, H), p.dtype)
    XW = (X.reshape(T * B, D) @ p.W_x).reshape(T, B, -1) + p.b  # input parts of every step
    steps = []
    for t in range(T):
        s = _step(XW[t], h, c, p, variant)
        steps.append(s._replace(x=X[t]))
        h, c = s.h, s.c
    trace = LSTMStep(*(np.stack(a) for a in zip(*steps)))
    return trace.h, trace


def _step(xw, h_prev, c_prev, p, variant):
    """The step from xw = x @ W_x + b: lstmlearn.variants.variant_step's equations, on fused blocks."""
    H, layout = p.hidden_size, LAYOUTS[variant]
    z = xw + h_prev @ p.W_h  # (B, kH)
    block = {k: z[..., n * H:(n + 1) * H] for n, k in enumerate(layout)}
    w_ci, w_cf, w_co = np.split(p.w_c, 3) if variant == "peephole" else (0.0, 0.0, 0.0)
    i = sigmoid(block["i"] + w_ci * c_prev)
    if variant == "no_forget":
        f = np.ones_like(i)
    elif variant == "coupled":
        f = 1.0 - i
    else:
        f = sigmoid(block["f"] + w_cf * c_prev)
    g = np.tanh(block["g"])
    c = f * c_prev + i * g
    o = sigmoid(block["o"] + w_co * c)
    act_c = c if variant == "no_output_activation" else np.tanh(c)
    return LSTMStep(None, h_prev, c_prev, i, f, g, o, c, act_c, o * act_c)


def variant_backward(dHs, trace: LSTMStep, p: VariantParams, variant: str, dh_T=None, dc_T=None,
                     truncate=None) -> VariantGrads:
    """Backpropagation through time for a variant's trace; see lstmlearn.variants.variant_backward
    (its equations are variant_step_backward's). Truncation runs lstmlearn.bptt over this
    function's exact passes."""
    check_variant_params(p, variant)
    T, B, H = trace.h.shape
    dHs, dh, dc = check_backward_inputs(dHs, (T, B, H), p.dtype, truncate, dh_T=dh_T, dc_T=dc_T)
    if variant == "no_forget" and not np.all(trace.f == 1.0):
        raise ValueError("trace was not made by variant 'no_forget' (its f is not 1); "
                         "pass the same variant as to variant_forward.")
    if truncate is not None and truncate < T:
        return truncated_backward(variant_backward, dHs, trace, truncate, (p, variant), dict(dh_T=dh, dc_T=dc))
    if variant == "vanilla":
        g = lstm_backward(dHs, trace, LSTMParams(p.W_x, p.W_h, p.b), dh, dc)
        return VariantGrads(VariantParams(*g.dparams, np.zeros(0, p.dtype)), *g[1:])
    layout, peep = LAYOUTS[variant], variant == "peephole"
    w_ci, w_cf, w_co = np.split(p.w_c, 3) if peep else (0.0, 0.0, 0.0)
    dZ = np.empty((T, B, len(layout) * H), p.dtype)
    dw_c = np.zeros(3 * H if peep else 0, p.dtype)
    dh_all, dc_all = np.empty((T, B, H), p.dtype), np.empty((T, B, H), p.dtype)
    for t in reversed(range(T)):
        i, f, g, o, c_prev, c, a = (getattr(trace, k)[t] for k in ("i", "f", "g", "o", "c_prev", "c", "tanh_c"))
        dh = dh_all[t] = dh + dHs[t]
        dz = {"o": dh * a * o * (1.0 - o)}
        da = 1.0 if variant == "no_output_activation" else 1.0 - a * a
        dc = dc_all[t] = dc + dh * o * da + dz["o"] * w_co
        di = dc * (g - c_prev) if variant == "coupled" else dc * g
        dz["i"] = di * i * (1.0 - i)
        dz["g"] = dc * i * (1.0 - g * g)
        if "f" in layout:
            dz["f"] = dc * c_prev * f * (1.0 - f)
        if peep:
            dw_c += np.concatenate([(dz["i"] * c_prev).sum(0), (dz["f"] * c_prev).sum(0), (dz["o"] * c).sum(0)])
        dZ[t] = np.concatenate([dz[k] for k in layout], axis=-1)
        dc = dc * f + dz["i"] * w_ci + dz.get("f", 0.0) * w_cf  # dL/dc_{t-1}
        dh = dZ[t] @ p.W_h.T  # dL/dh_{t-1}
    D, k = p.input_size, len(layout)
    dZ2 = dZ.reshape(T * B, k * H)
    dparams = VariantParams(trace.x.reshape(T * B, D).T @ dZ2, trace.h_prev.reshape(T * B, H).T @ dZ2,
                            dZ2.sum(axis=0), dw_c)
    return VariantGrads(dparams, (dZ2 @ p.W_x.T).reshape(T, B, D), dh, dc, dh_all, dc_all)
