"""lstmlearn: the numpy package behind the course "How does an LSTM actually work?".

Read the files beside the notebooks:

    activations.py   sigmoid and tanh, the gates' squashing functions       (notebook 03)
    params.py        weights, initialisation, PyTorch's layout              (notebook 05)
    rnn.py           the vanilla RNN, forward and backward through time     (notebooks 01-02)
    lstm.py          the LSTM, forward and backward through time            (notebooks 04-06)
    gradcheck.py     numerical gradient checking                            (notebook 06)

Arrays are time-major, (T, B, D) = (time steps, batch, features); gate order i, f, g, o.
"""

from .activations import sigmoid, tanh
from .gradcheck import GradcheckReport, gradcheck, numerical_gradient, relative_error
from .lstm import LSTMGrads, LSTMStep, lstm_backward, lstm_forward, lstm_step, lstm_step_backward
from .params import GATES, LSTMParams, RNNParams, init_lstm, init_rnn
from .rnn import RNNGrads, RNNStep, rnn_backward, rnn_forward, rnn_step

__version__ = "0.1.0"

__all__ = [
    "GATES", "GradcheckReport", "LSTMGrads", "LSTMParams", "LSTMStep", "RNNGrads", "RNNParams",
    "RNNStep", "gradcheck", "init_lstm", "init_rnn", "lstm_backward", "lstm_forward", "lstm_step",
    "lstm_step_backward", "numerical_gradient", "relative_error", "rnn_backward", "rnn_forward",
    "rnn_step", "sigmoid", "tanh",
]

# Training toolkit and the long-time-lag tasks (notebooks 07 and 08).
from . import tasks
from .checkpoint import Checkpoint, atomic_savez, load_checkpoint, load_model, save_checkpoint, save_model
from .losses import log_softmax, mse, softmax, softmax_cross_entropy
from .models import Model, Output, State, forward, init_model, initial_state, loss_and_grads, predict
from .optim import SGD, Adam, clip_grad_norm, global_norm
from .train import History, TrainingDiverged, TrainResult, train

__all__ += [
    "Adam", "Checkpoint", "History", "Model", "Output", "SGD", "State", "TrainResult",
    "TrainingDiverged", "atomic_savez", "clip_grad_norm", "forward", "global_norm", "init_model",
    "initial_state", "load_checkpoint", "load_model", "log_softmax", "loss_and_grads", "mse",
    "predict", "save_checkpoint", "save_model", "softmax", "softmax_cross_entropy", "tasks",
    "train",
]
