"""Interactive explorers for the notebooks (ipywidgets 8). Each function returns an
Explorer with .controls (name -> control), .values (name -> numbers shown), .widget, and
.readout and .picture (the numbers and the figure as the page shows them); the maths lives
in plain lstmlearn functions, so the tests check the same numbers without a browser.
Controls refuse what they cannot show (NaN, a negative seed); readouts never round a gate
below 1 to 1 (lstmlearn.plots.style.number_text).

    gate_explorer()                 one cell, every weight on a slider        (notebook 03)
    cell_state_explorer()           c_t under constant gates, half-life       (notebook 04)
    vanishing_gradient_explorer()   RNN Jacobian norms against the cell path  (notebooks 02, 06)
    sequence_stepper(trace)         a recorded forward pass, step by step     (notebook 05)
    rnn_memory_explorer()           how long an RNN remembers its first input (notebook 01)
    gradient_flow_explorer()        forget bias and truncation against flow   (notebook 06)
    temperature_explorer(...)       sample a trained character model          (notebook 08)
    forget_bias_explorer(record)    recorded runs for each forget bias        (notebook 09)
    linear_recurrence_explorer()    the LSTM against the minLSTM on a sequence (notebook 10)
    kv_memory_explorer()            store key-value pairs, read one back      (notebook 11)

EXPLORERS is the one table of them: name -> Entry(make, title, needs). The course manifest
(notebooks/course.toml) names them per notebook; the tests and benchmarks/bench_widgets.py
read them here. A new explorer is one line in it.
"""

from typing import Callable, NamedTuple

from ._base import Explorer
from .cell_state import cell_state_explorer, cell_state_values
from .forget_bias import forget_bias_explorer, forget_bias_values
from .gate import gate_explorer, gate_values
from .linear_recurrence import linear_recurrence_explorer, linear_recurrence_values
from .kv_memory import kv_memory_explorer, kv_memory_values
from .memory import gradient_flow_explorer, gradient_flow_values, rnn_memory_explorer, rnn_memory_values
from .stepper import sequence_stepper, step_of
from .temperature import next_char_distribution, temperature_explorer, temperature_values
from .vanishing import vanishing_gradient_explorer, vanishing_values


class Entry(NamedTuple):
    """One explorer of the course."""

    make: Callable  # the function a notebook calls; returns an Explorer
    title: str  # the heading the page shows above its controls (Explorer.title)
    needs: str = ""  # what it must be given (empty if its defaults build it)


EXPLORERS = {
    "gate_explorer": Entry(gate_explorer, "One LSTM step: move x, the state or a weight and watch the gates"),
    "cell_state_explorer": Entry(cell_state_explorer, "The cell state: how long does a memory last?"),
    "vanishing_gradient_explorer": Entry(
        vanishing_gradient_explorer, "Vanishing and exploding gradients: RNN against the LSTM cell path"
    ),
    "sequence_stepper": Entry(sequence_stepper, "A forward pass, step by step", "a trace of lstm_forward"),
    "rnn_memory_explorer": Entry(rnn_memory_explorer, "Short-term memory of a vanilla RNN"),
    "gradient_flow_explorer": Entry(gradient_flow_explorer, "Gradient flow through time: RNN and LSTM"),
    "temperature_explorer": Entry(temperature_explorer, "Sampling with a temperature", "a trained character model"),
    "forget_bias_explorer": Entry(forget_bias_explorer, "The forget-gate bias at initialisation", "a record of runs"),
    "linear_recurrence_explorer": Entry(
        linear_recurrence_explorer, "The LSTM and the minLSTM on one sequence: states and gradients"
    ),
    "kv_memory_explorer": Entry(kv_memory_explorer, "A key-value memory: store P pairs in d dimensions, read one back"),
}

__all__ = [
    "EXPLORERS",
    "Entry",
    "Explorer",
    "cell_state_explorer",
    "cell_state_values",
    "gate_explorer",
    "gate_values",
    "sequence_stepper",
    "step_of",
    "vanishing_gradient_explorer",
    "vanishing_values",
    "gradient_flow_explorer",
    "gradient_flow_values",
    "rnn_memory_explorer",
    "rnn_memory_values",
    "next_char_distribution",
    "temperature_explorer",
    "temperature_values",
    "forget_bias_explorer",
    "forget_bias_values",
    "linear_recurrence_explorer",
    "linear_recurrence_values",
    "kv_memory_explorer",
    "kv_memory_values",
]
