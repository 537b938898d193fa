"""The engine: the LSTM and RNN passes that training runs, fused and in place.

lstmlearn.lstm and lstmlearn.rnn are the pages a learner reads beside notebooks 01-06:
one equation a line, one step at a time. The functions here compute the same numbers
faster (about 2-7 times; see each page's docstring and benchmarks/bench_lstm.py) with
code that no longer reads like the equations:

    lstm_forward, lstm_backward     (engine/lstm.py)  same arguments and records as lstmlearn.lstm
    rnn_forward, rnn_backward       (engine/rnn.py)   same arguments and records as lstmlearn.rnn

lstmlearn.cores trains with them and benchmarks/bench_lstm.py times them. The tests in
tests/test_engine.py hold page and engine together: outputs and every gradient agree to
1e-12 in float64, over shapes, truncation windows and initial states.
"""

from .lstm import lstm_backward, lstm_forward
from .rnn import rnn_backward, rnn_forward

__all__ = ["lstm_backward", "lstm_forward", "rnn_backward", "rnn_forward"]
