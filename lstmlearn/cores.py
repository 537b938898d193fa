"""The recurrent cores a Model can use, behind one small interface (notebooks 07-09).

    name                        parameters (dict keys)     state      runs on
    "rnn"                       W_x, W_h, b                h          lstmlearn.engine.rnn
    "lstm"                      W_x, W_h, b                h, c       lstmlearn.engine.lstm
    "gru"                       W_x, W_h, b_x, b_h         h          lstmlearn.engine.gru
    "lstm-no_forget",           W_x, W_h, b, w_c           h, c       lstmlearn.engine.variants
    "lstm-coupled", "lstm-peephole", "lstm-no_output_activation"
    "slstm", "mlstm"            see lstmlearn.xlstm_cores  (empty memory at every sequence; notebook 11)

A model keeps its parameters in one dict of named arrays, so the optimisers and the
checkpoints treat every core alike. Each core's adapter below turns that dict into the
core's own record (LSTMParams, RNNParams, GRUParams, VariantParams) and calls its
functions: every core trains on the engine, which gives the same numbers as the pages
lstm.py, rnn.py, gru.py and variants.py, faster. A model's forget_bias goes to
whatever gate keeps the old memory: b_f of an LSTM, -b_i of the coupled variant
(f = 1 - i), the update-gate bias of the GRU; the vanilla RNN has none.
"""

from __future__ import annotations

from . import engine
from .gru import GRUParams, init_gru
from .params import LSTMParams, RNNParams, init_lstm, init_rnn
from .variants import VariantParams, init_variant
from .xlstm_cores import MLSTMCore, SLSTMCore


class Core:
    """What every recurrent core offers a Model: its parameter names, whether its state has a
    cell c, and init, forward and backward over a dict of named arrays.

    record : the core's parameter record (a NamedTuple); names are its fields
    has_cell : True if the state is (h, c), False if it is h alone
    """

    record = None
    has_cell = False

    @property
    def names(self) -> tuple:
        """The parameter names, in the order of the core's record."""
        return self.record._fields

    def params(self, d: dict):
        """The core's record from a model's dict of arrays (other keys, like the readout's, are ignored)."""
        return self.record(*(d[k] for k in self.names))

    def init(self, D: int, H: int, rng, forget_bias: float, dtype) -> dict:
        """New parameters for input size D and hidden size H, as a dict of arrays."""
        raise NotImplementedError

    def forward(self, X, d: dict, h0, c0) -> tuple:
        """Run the core over X (T, B, D): returns (Hs, trace, h_T, c_T), c_T None without a cell."""
        raise NotImplementedError

    def backward(self, dHs, trace, d: dict, truncate) -> dict:
        """dL/d(every parameter) as a dict, from dHs (T, B, H) and the forward trace."""
        raise NotImplementedError


class LSTMCore(Core):
    """The LSTM of lstm.py, trained on lstmlearn.engine.lstm; forget_bias goes to b_f."""

    record, has_cell = LSTMParams, True

    def init(self, D, H, rng, forget_bias, dtype):
        """init_lstm's weights as a dict."""
        return init_lstm(D, H, rng, forget_bias=forget_bias, dtype=dtype)._asdict()

    def forward(self, X, d, h0, c0):
        """engine.lstm_forward; the final state is the trace's last h and c."""
        Hs, trace = engine.lstm_forward(X, self.params(d), h0, c0)
        return Hs, trace, trace.h[-1], trace.c[-1]

    def backward(self, dHs, trace, d, truncate):
        """engine.lstm_backward's weight gradients as a dict."""
        return engine.lstm_backward(dHs, trace, self.params(d), truncate=truncate).dparams._asdict()


class RNNCore(Core):
    """The vanilla tanh RNN of rnn.py, trained on lstmlearn.engine.rnn; it has no forget bias."""

    record, has_cell = RNNParams, False

    def init(self, D, H, rng, forget_bias, dtype):
        """init_rnn's weights as a dict (forget_bias is ignored: nothing keeps memory by a gate)."""
        return init_rnn(D, H, rng, dtype=dtype)._asdict()

    def forward(self, X, d, h0, c0):
        """engine.rnn_forward from h0 (c0 is ignored)."""
        Hs, trace = engine.rnn_forward(X, self.params(d), h0)
        return Hs, trace, Hs[-1], None

    def backward(self, dHs, trace, d, truncate):
        """engine.rnn_backward's weight gradients as a dict."""
        return engine.rnn_backward(dHs, trace, self.params(d), truncate=truncate).dparams._asdict()


class GRUCore(Core):
    """The GRU of gru.py, trained on lstmlearn.engine.gru; forget_bias goes to the update gate, which plays the forget gate's role."""

    record, has_cell = GRUParams, False

    def init(self, D, H, rng, forget_bias, dtype):
        """init_gru's weights as a dict, with update_bias = forget_bias."""
        return init_gru(D, H, rng, update_bias=forget_bias, dtype=dtype)._asdict()

    def forward(self, X, d, h0, c0):
        """engine.gru_forward from h0 (c0 is ignored)."""
        Hs, trace = engine.gru_forward(X, self.params(d), h0)
        return Hs, trace, Hs[-1], None

    def backward(self, dHs, trace, d, truncate):
        """engine.gru_backward's weight gradients as a dict."""
        return engine.gru_backward(dHs, trace, self.params(d), truncate=truncate).dparams._asdict()


class VariantCore(Core):
    """One LSTM variant of variants.py, trained on lstmlearn.engine.variants, named by `variant` ("no_forget", "coupled", ...)."""

    record, has_cell = VariantParams, True

    def __init__(self, variant: str):
        self.variant = variant

    def init(self, D, H, rng, forget_bias, dtype):
        """init_variant's weights as a dict (forget_bias as init_variant places it)."""
        return init_variant(self.variant, D, H, rng, forget_bias=forget_bias, dtype=dtype)._asdict()

    def forward(self, X, d, h0, c0):
        """engine.variant_forward; the final state is the trace's last h and c."""
        Hs, trace = engine.variant_forward(X, self.params(d), self.variant, h0, c0)
        return Hs, trace, trace.h[-1], trace.c[-1]

    def backward(self, dHs, trace, d, truncate):
        """engine.variant_backward's weight gradients as a dict."""
        return engine.variant_backward(dHs, trace, self.params(d), self.variant, truncate=truncate).dparams._asdict()


CORES = {
    "lstm": LSTMCore(),
    "rnn": RNNCore(),
    "gru": GRUCore(),
    **{f"lstm-{v}": VariantCore(v) for v in ("no_forget", "coupled", "peephole", "no_output_activation")},
    "slstm": SLSTMCore(),
    "mlstm": MLSTMCore(),
}
