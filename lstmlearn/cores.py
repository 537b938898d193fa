"""The recurrent cores a Model can use, behind one small interface (notebooks 07-09).

    name                        parameters (dict keys)     state      runs on
    "rnn"                       W_x, W_h, b                h          lstmlearn.engine.rnn
    "lstm"                      W_x, W_h, b                h, c       lstmlearn.engine.lstm
    "gru"                       W_x, W_h, b_x, b_h         h          lstmlearn.engine.gru
    "lstm-no_forget",           W_x, W_h, b, w_c           h, c       lstmlearn.engine.variants
    "lstm-coupled", "lstm-peephole", "lstm-no_output_activation"
    "slstm", "mlstm"            see lstmlearn.xlstm_cores  (empty memory at every sequence; notebook 11)

A model keeps its parameters in one dict of named arrays, so the optimisers and the
checkpoints treat every core alike. Each core is one Core line in CORES: its record
(LSTMParams, RNNParams, GRUParams, VariantParams), the page's init, the engine's forward
and backward, and whether its state has a cell. Every core trains on the engine, which
gives the same numbers as the pages lstm.py, rnn.py, gru.py and variants.py, faster. A
model's forget_bias goes to whatever gate keeps the old memory (Core.bias names the init's
keyword): b_f of an LSTM, -b_i of the coupled variant (f = 1 - i), the update-gate bias of
the GRU; the vanilla RNN has none. A new recurrent architecture is one more line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import engine
from .gru import GRUParams, init_gru
from .params import LSTMParams, RNNParams, init_lstm, init_rnn
from .variants import VariantParams, init_variant
from .xlstm_cores import MLSTMCore, SLSTMCore


@dataclass(frozen=True)
class Core:
    """What a recurrent core offers a Model: its parameter names, whether its state has a
    cell c, and init, forward and backward over a dict of named arrays.

    record : the core's parameter record (a NamedTuple); names are its fields
    init_fn : the page's init, (D, H, rng, [bias=forget_bias,] dtype=...) -> record
    bias : the init keyword that takes the model's forget_bias (None: the core has none)
    forward_fn : the engine's forward, (X, p, h0) or, with a cell, (X, p, h0, c0) -> (Hs, trace)
    backward_fn : the engine's backward, (dHs, trace, p, truncate=...) -> grads with .dparams
    has_cell : True if the state is (h, c), False if it is h alone
    variant : the variant's name, passed after p (and first to init_fn), for variants.py's cores
    """

    record: type
    init_fn: Callable
    bias: str | None
    forward_fn: Callable
    backward_fn: Callable
    has_cell: bool
    variant: str | None = None

    @property
    def names(self) -> tuple:
        """The parameter names, in the order of the core's record."""
        return self.record._fields

    @property
    def _variant(self) -> tuple:
        return () if self.variant is None else (self.variant,)

    def params(self, d: dict):
        """The core's record from a model's dict of arrays (other keys, like the readout's, are ignored)."""
        return self.record(*(d[k] for k in self.names))

    def init(self, D: int, H: int, rng, forget_bias: float, dtype) -> dict:
        """New parameters for input size D and hidden size H, as a dict of arrays."""
        bias = {} if self.bias is None else {self.bias: forget_bias}
        return self.init_fn(*self._variant, D, H, rng, **bias, dtype=dtype)._asdict()

    def forward(self, X, d: dict, h0, c0) -> tuple:
        """Run the core over X (T, B, D): returns (Hs, trace, h_T, c_T), c_T None without a cell."""
        if not self.has_cell:
            Hs, trace = self.forward_fn(X, self.params(d), h0)
            return Hs, trace, Hs[-1], None
        Hs, trace = self.forward_fn(X, self.params(d), *self._variant, h0, c0)
        return Hs, trace, trace.h[-1], trace.c[-1]

    def backward(self, dHs, trace, d: dict, truncate) -> dict:
        """dL/d(every parameter) as a dict, from dHs (T, B, H) and the forward trace."""
        return self.backward_fn(dHs, trace, self.params(d), *self._variant, truncate=truncate).dparams._asdict()


CORES = {  # name -> Core(record, init, forget-bias keyword, engine forward, engine backward, has a cell)
    "lstm": Core(LSTMParams, init_lstm, "forget_bias", engine.lstm_forward, engine.lstm_backward, True),
    "rnn": Core(RNNParams, init_rnn, None, engine.rnn_forward, engine.rnn_backward, False),
    "gru": Core(GRUParams, init_gru, "update_bias", engine.gru_forward, engine.gru_backward, False),
    **{
        f"lstm-{v}": Core(
            VariantParams, init_variant, "forget_bias", engine.variant_forward, engine.variant_backward, True, v
        )
        for v in ("no_forget", "coupled", "peephole", "no_output_activation")
    },
    # xLSTM's cores start every sequence from an empty memory and refuse a carried state (xlstm_cores.py)
    "slstm": SLSTMCore(),
    "mlstm": MLSTMCore(),
}
