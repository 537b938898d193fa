"""The one-layer min-RNN classifier: every gradient against central differences, both readouts."""

import numpy as np
import pytest

from lstmlearn import gradcheck
from lstmlearn.minrnn_model import init_min_rnn_model, min_rnn_model_loss
from lstmlearn.tasks.parity import parity_problem
from lstmlearn.tasks.selective_copy import selective_copy_problem


@pytest.mark.parametrize("kind, signed", [("gru", False), ("gru", True), ("lstm", False)])
@pytest.mark.parametrize("readout", ["last", "all"])
def test_model_gradients_match_central_differences(kind, signed, readout):
    rng = np.random.default_rng(0)
    if readout == "last":
        batch, D, K = parity_problem(rng, 5, 2, 7), 2, 2
    else:
        batch, D, K = selective_copy_problem(rng, 3, 6, 2, 3), 5, 4
    params = init_min_rnn_model(kind, D, 4, K, rng)
    params["b"] = rng.normal(size=params["b"].shape)
    loss, grads, _ = min_rnn_model_loss(params, batch, kind, signed, readout)

    def f(W, b, W_y, b_y):
        return min_rnn_model_loss(dict(W=W, b=b, W_y=W_y, b_y=b_y), batch, kind, signed, readout)[0]

    report = gradcheck(f, params, grads)
    assert report.ok(1e-7), report
