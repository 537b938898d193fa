"""lstmlearn: the numpy package behind the course "How does an LSTM actually work?".

Read the files beside the notebooks:

    activations.py   sigmoid and tanh, the gates' squashing functions       (notebook 03)
    params.py        weights and their initialisation                       (notebook 05)
    pytorch_layout.py  reading and writing PyTorch's state dicts            (notebook 05)
    rnn.py           the vanilla RNN, step by step, forward and backward    (notebooks 01-02)
    lstm.py          the LSTM, step by step, forward and backward           (notebooks 04-06)
    bptt.py          truncated backpropagation through time                 (notebook 06)
    gradcheck.py     numerical gradient checking                            (notebook 06)
    engine/          the fast LSTM and RNN passes that training runs       (notebooks 07-09)
    variants.py      LSTM without forget gate, coupled gates, peepholes     (notebook 09)
    gru.py           the gated recurrent unit                               (notebook 09)
    slstm.py, mlstm.py, mlstm_parallel_grad.py, kv_memory.py, xlstm_cores.py
                     xLSTM: the sLSTM, the mLSTM's three forms, its memory  (notebook 11)
    exercises/       self-checks for the notebooks' exercises (a package, one module per part)
    evidence.py      the one standard of evidence for comparing runs over seeds (notebooks 07-09)
    cores.py, losses.py, models.py, optim.py, history.py, divergence.py, progress.py, train.py,
    atomic.py, checkpoint.py, tasks/
                     training on the long-time-lag tasks and on text       (notebooks 07-08)
    memory.py, gradflow.py, cliff.py, one_cell.py, interpret.py, plots/, widgets/ (imported on first use)
                     half-lives, gradient flow, the loss cliff, figures and explorers (notebooks 01-08)
    doctor.py, learner_copies.py, paths.py
                     the setup check, learners' copies of the notebooks, the data folder

Arrays are time-major, (T, B, D) = (time steps, batch, features); gate order i, f, g, o.
"""

from . import engine, evidence, exercises
from .activations import sigmoid, tanh
from .gru import (
    GRUGrads,
    GRUParams,
    GRUStep,
    GRUStepGrads,
    gru_backward,
    gru_forward,
    gru_step,
    gru_step_backward,
    init_gru,
)
from .gradcheck import GradcheckReport, gradcheck, numerical_gradient, relative_error
from .lstm import LSTMGrads, LSTMStep, LSTMStepGrads, lstm_backward, lstm_forward, lstm_step, lstm_step_backward
from .params import GATES, LSTMParams, RNNParams, init_lstm, init_rnn
from .paths import data_dir
from .rnn import RNNGrads, RNNStep, RNNStepGrads, rnn_backward, rnn_forward, rnn_step, rnn_step_backward
from .variants import (
    VARIANTS,
    VariantGrads,
    VariantParams,
    init_variant,
    variant_backward,
    variant_forward,
    variant_step,
    variant_step_backward,
)

__version__ = "0.1.0"

__all__ = [
    "GATES",
    "GradcheckReport",
    "LSTMGrads",
    "LSTMParams",
    "LSTMStep",
    "LSTMStepGrads",
    "RNNGrads",
    "RNNParams",
    "RNNStep",
    "RNNStepGrads",
    "gradcheck",
    "init_lstm",
    "init_rnn",
    "lstm_backward",
    "lstm_forward",
    "lstm_step",
    "lstm_step_backward",
    "numerical_gradient",
    "relative_error",
    "rnn_backward",
    "rnn_forward",
    "rnn_step",
    "rnn_step_backward",
    "sigmoid",
    "tanh",
    "data_dir",
    "engine",
    "evidence",
    "exercises",
    "GRUGrads",
    "GRUParams",
    "GRUStep",
    "GRUStepGrads",
    "gru_backward",
    "gru_forward",
    "gru_step",
    "gru_step_backward",
    "init_gru",
    "VARIANTS",
    "VariantGrads",
    "VariantParams",
    "init_variant",
    "variant_backward",
    "variant_forward",
    "variant_step",
    "variant_step_backward",
]

# Training toolkit and the long-time-lag tasks (notebooks 07 and 08).
from . import cores, tasks
from .atomic import atomic_savez
from .checkpoint import (
    Checkpoint,
    CheckpointError,
    CheckpointMismatch,
    CheckpointSaveError,
    load_checkpoint,
    load_model,
    save_checkpoint,
    save_model,
)
from .history import History
from .losses import log_softmax, mse, softmax, softmax_cross_entropy
from .models import Model, Output, State, forward, init_model, initial_state, loss_and_grads, predict
from .optim import SGD, Adam, clip_grad_norm, global_norm
from .divergence import TrainingDiverged
from .train import TrainingInterrupted, TrainResult, train
from .scan import ScanGrads, scan_backward, scan_doubling, scan_log, scan_log_backward, scan_loop
from .minrnn import (
    MinRNNGrads,
    MinRNNParams,
    MinRNNStep,
    init_min_rnn,
    min_rnn_backward,
    min_rnn_forward,
    min_rnn_parallel,
    min_rnn_step,
    min_rnn_step_backward,
)
from .decays import (
    RGLRUParams,
    RGLRUStep,
    S6Params,
    S6Step,
    rglru_backward,
    rglru_forward,
    rglru_step,
    rglru_step_backward,
    s6_backward,
    s6_forward,
    s6_step,
    s6_step_backward,
)

# xLSTM: the sLSTM and the mLSTM (notebook 11).
from . import mlstm, slstm
from .mlstm import MLSTMState, mlstm_chunkwise, mlstm_parallel, mlstm_recurrent, mlstm_recurrent_backward
from .slstm import SLSTMParams, SLSTMState, init_slstm, slstm_backward, slstm_forward, slstm_step, slstm_step_backward

__all__ += [
    "Adam",
    "Checkpoint",
    "CheckpointError",
    "CheckpointMismatch",
    "CheckpointSaveError",
    "History",
    "Model",
    "Output",
    "SGD",
    "State",
    "TrainResult",
    "TrainingDiverged",
    "TrainingInterrupted",
    "atomic_savez",
    "clip_grad_norm",
    "forward",
    "global_norm",
    "init_model",
    "initial_state",
    "load_checkpoint",
    "load_model",
    "log_softmax",
    "loss_and_grads",
    "mse",
    "predict",
    "save_checkpoint",
    "save_model",
    "softmax",
    "softmax_cross_entropy",
    "tasks",
    "cores",
    "train",
]

__all__ += [
    "MLSTMState",
    "SLSTMParams",
    "SLSTMState",
    "init_slstm",
    "mlstm",
    "mlstm_chunkwise",
    "mlstm_parallel",
    "mlstm_recurrent",
    "mlstm_recurrent_backward",
    "slstm",
    "slstm_backward",
    "slstm_forward",
    "slstm_step",
    "slstm_step_backward",
    "MinRNNGrads",
    "MinRNNParams",
    "MinRNNStep",
    "RGLRUParams",
    "RGLRUStep",
    "S6Params",
    "S6Step",
    "ScanGrads",
    "init_min_rnn",
    "min_rnn_backward",
    "min_rnn_forward",
    "min_rnn_parallel",
    "min_rnn_step",
    "min_rnn_step_backward",
    "rglru_backward",
    "rglru_forward",
    "rglru_step",
    "rglru_step_backward",
    "s6_backward",
    "s6_forward",
    "s6_step",
    "s6_step_backward",
    "scan_backward",
    "scan_doubling",
    "scan_log",
    "scan_log_backward",
    "scan_loop",
]


def __getattr__(name):
    """Import the figure and widget subpackages on first use, so `import lstmlearn` stays
    free of matplotlib and ipywidgets: ll.plots.draw_lstm_cell(), ll.widgets.gate_explorer()."""
    if name in ("plots", "widgets", "memory", "gradflow", "one_cell", "interpret", "cliff"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
