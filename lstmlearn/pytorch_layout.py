"""PyTorch's layout of recurrent weights, read and written without importing torch (notebook 05).

torch.nn.RNN, nn.LSTM and nn.GRU keep, for layer l, in their state_dict():

    weight_ih_l{l} (G*H, D)    weight_hh_l{l} (G*H, H)    bias_ih_l{l} (G*H,)    bias_hh_l{l} (G*H,)

with G = 1 (RNN), 4 (LSTM, row blocks i | f | g | o) or 3 (GRU, row blocks r | z | n).
The cells (nn.RNNCell, nn.LSTMCell, nn.GRUCell) use the same names without "_l{l}"; a
bidirectional layer keeps the weights of its reverse direction under "_l{l}_reverse";
a layer made with bias=False has no bias keys at all.

lstmlearn stores the transposes (row-vector convention, x @ W_x): LSTMParams, RNNParams and
GRUParams build themselves from what read_state_dict returns. Nothing here imports torch:
a tensor is recognised by its .detach method.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from ._checks import as_float_array, check_choice, check_shape

KINDS = {1: "RNN", 3: "GRU", 4: "LSTM"}  # gate blocks G -> the torch.nn class
DIRECTIONS = ("forward", "reverse")
_LAYERED = re.compile(r"(?:^|\.)(?:weight|bias)_(?:ih|hh|hr)_l(\d+)(_reverse)?$")  # a prefix "lstm." is allowed


class PyTorchArrays(NamedTuple):
    """One layer's arrays in PyTorch's orientation, as numpy arrays.

    W_ih (G*H, D), W_hh (G*H, H), b_ih and b_hh (G*H,) (zeros for a layer without biases).
    """

    W_ih: np.ndarray
    W_hh: np.ndarray
    b_ih: np.ndarray
    b_hh: np.ndarray


def to_numpy(name: str, value, dtype=None) -> np.ndarray:
    """A torch tensor, numpy array or nested list, as a floating-point numpy array.

    bfloat16 tensors, which numpy cannot hold, come out as float32 (which holds every
    bfloat16 value exactly); other dtypes numpy lacks are refused with a TypeError that
    says how to convert them. With `dtype` the result is cast to it.
    """
    if hasattr(value, "detach"):  # a torch tensor, recognised without importing torch
        value = value.detach().cpu()
        if str(value.dtype) == "torch.bfloat16":
            value = value.float()
        try:
            value = value.numpy()
        except TypeError as err:
            raise TypeError(
                f"{name} is a torch tensor of dtype {value.dtype}, which numpy cannot hold ({err}). "
                f"Convert the state_dict first, for example {{k: v.float() for k, v in state_dict.items()}}."
            ) from None
    return as_float_array(name, value, dtype)


def read_state_dict(state_dict, gates: int, layer: int = 0, dtype=None, direction=None) -> PyTorchArrays:
    """Read one layer (and one direction) of a torch.nn.RNN / LSTM / GRU or Cell state_dict.

    Parameters
    ----------
    state_dict : mapping of names to tensors, numpy arrays or nested lists
    gates : G, the number of row blocks: 1 (RNN), 4 (LSTM) or 3 (GRU)
    layer : which layer of a multi-layer module (0 for a Cell)
    dtype : convert every array to this dtype (default: the dtype of weight_ih)
    direction : "forward" or "reverse" for a bidirectional module, whose state_dict holds
        both; must be left as None (or "forward") otherwise

    Every missing key is an error that names it: both biases or neither (bias=False).
    """
    check_choice("direction", direction, (None, *DIRECTIONS))
    kind = KINDS[gates]
    keys = [str(k) for k in state_dict]
    layered = {m.group(1) for m in map(_LAYERED.search, keys) if m}
    if any(k.endswith("_reverse") for k in keys) and direction is None:
        raise ValueError(
            f"state_dict is that of a bidirectional {kind}: besides weight_ih_l{layer} it holds "
            f"weight_ih_l{layer}_reverse and the other _reverse weights, for the direction that reads "
            f"the sequence backwards. lstmlearn's parameters hold one direction: pass direction='forward' "
            f"for the first, or direction='reverse' for the _reverse weights (run those on X[::-1] and "
            f"flip the outputs back, Hs[::-1])."
        )
    if layered:
        suffix = f"_l{layer}" + ("_reverse" if direction == "reverse" else "")
    else:  # a Cell: one layer, one direction, no suffix
        suffix = "" if layer == 0 and direction != "reverse" else f"_l{layer}" + "_reverse" * (direction == "reverse")
    names = [f"weight_ih{suffix}", f"weight_hh{suffix}"]
    _require(state_dict, names, kind, layer, layered)
    if any(k.startswith("weight_hr") for k in keys):
        raise ValueError("LSTMs with proj_size > 0 (weight_hr_l*) are not supported.")
    biases = [f"bias_ih{suffix}", f"bias_hh{suffix}"]
    present = [b for b in biases if b in state_dict]
    if len(present) == 1:
        missing = [b for b in biases if b not in state_dict][0]
        raise KeyError(
            f"state_dict has {present[0]} but no {missing}. PyTorch's effective bias is their sum, so "
            f"reading one alone would give a wrong bias. Pass both (or neither, for a layer made with bias=False)."
        )
    W_ih = to_numpy(names[0], state_dict[names[0]], dtype)
    W_hh = to_numpy(names[1], state_dict[names[1]], W_ih.dtype)
    H = W_hh.shape[1] if W_hh.ndim == 2 else -1
    check_shape(names[1], W_hh, (gates * H, H), f"that is ({gates}H, H)")
    check_shape(names[0], W_ih, (gates * H, None), f"that is ({gates}H, D)")
    b = [to_numpy(k, state_dict[k], W_ih.dtype) if present else np.zeros(gates * H, W_ih.dtype) for k in biases]
    for k, v in zip(biases, b):
        check_shape(k, v, (gates * H,), f"that is ({gates}H,)")
    return PyTorchArrays(W_ih, W_hh, b[0], b[1])


def write_state_dict(W_x, W_h, b_ih, b_hh, tensors: bool = False) -> dict:
    """One layer in PyTorch's layout (keys weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0)
    from lstmlearn's W_x (D, G*H), W_h (H, G*H) and the two biases (G*H,).

    With tensors=True the values are torch tensors (torch is imported only then), ready for
    load_state_dict; otherwise numpy arrays.
    """
    sd = {
        "weight_ih_l0": np.ascontiguousarray(W_x.T),
        "weight_hh_l0": np.ascontiguousarray(W_h.T),
        "bias_ih_l0": np.array(b_ih),
        "bias_hh_l0": np.array(b_hh),
    }
    if tensors:
        import torch  # only on request: lstmlearn itself never needs torch

        sd = {k: torch.from_numpy(v) for k, v in sd.items()}
    return sd


def _require(state_dict, names, kind, layer, layered):
    missing = [k for k in names if k not in state_dict]
    if not missing:
        return
    advice = f"Pass the state_dict() of a torch.nn.{kind} or nn.{kind}Cell."
    prefixed = sorted({str(k)[: -len(n)] for k in state_dict for n in names if str(k).endswith(n) and str(k) != n})
    if prefixed:
        advice = (f"Its keys carry the prefix {prefixed[0]!r} (a submodule's state_dict inside a larger model): "
                  f"pass {{k.removeprefix({prefixed[0]!r}): v for k, v in state_dict.items()}}.")
    elif layered and f"{layer}" not in layered:
        advice = f"It has no layer {layer}: its layers are {', '.join(sorted(layered, key=int))}."
    elif not layered and layer != 0:
        advice = "It is a Cell's state_dict (no _l suffix), which has one layer: pass layer=0."
    raise KeyError(f"state_dict has no {missing}; it has keys {sorted(map(str, state_dict))}. {advice}")
