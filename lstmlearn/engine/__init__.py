"""The engine: the sequence passes that training runs, fused and in place.

lstmlearn.lstm, rnn, gru and variants are the pages a learner reads beside the notebooks:
one equation a line, one step at a time, each sequence pass a loop over the step. The
functions here compute the same numbers faster (the input products of every step in one
matrix product, the weight gradients in one product after the loop, the LSTM's state
written in place) with code that no longer reads like the equations:

    lstm_forward, lstm_backward           (engine/lstm.py)      as lstmlearn.lstm
    rnn_forward, rnn_backward             (engine/rnn.py)       as lstmlearn.rnn
    gru_forward, gru_backward             (engine/gru.py)       as lstmlearn.gru
    variant_forward, variant_backward     (engine/variants.py)  as lstmlearn.variants

Same arguments, same records. lstmlearn.cores trains with them, benchmarks/bench_lstm.py
times the LSTM, and tests/test_engine.py holds pages and engine together: outputs and every
gradient agree to 1e-12 in float64, over shapes, truncation windows and initial states.
"""

from .gru import gru_backward, gru_forward
from .lstm import lstm_backward, lstm_forward
from .rnn import rnn_backward, rnn_forward
from .variants import variant_backward, variant_forward

__all__ = ["gru_backward", "gru_forward", "lstm_backward", "lstm_forward", "rnn_backward", "rnn_forward",
           "variant_backward", "variant_forward"]
