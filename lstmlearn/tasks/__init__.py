"""The classic long-time-lag tasks and character-level text (notebooks 07 and 08).

Every generator takes an explicit rng (np.random.Generator), returns time-major arrays in
a Batch, and documents its chance baseline; every *_task() bundles a generator with its
score as a Task for lstmlearn.train.train.
"""

from .adding import adding_baseline, adding_correct, adding_problem, adding_task
from .base import Batch, Task, load_batch, save_batch
from .copy import copy_baseline, copy_problem, copy_recall, copy_task
from .reber import reber_final_accuracy, reber_problem, reber_string, reber_strings_correct, reber_task
from .remember import remember_problem, remember_task
from .temporal_order import accuracy, temporal_order_problem, temporal_order_task
from .text import Vocab, bits_per_char, evaluate_bpc, sample_text, streams, text_batch, text_task, unigram_bpc

__all__ = [
    "Batch",
    "Task",
    "Vocab",
    "accuracy",
    "adding_baseline",
    "adding_correct",
    "adding_problem",
    "adding_task",
    "bits_per_char",
    "copy_baseline",
    "copy_problem",
    "copy_recall",
    "copy_task",
    "evaluate_bpc",
    "load_batch",
    "reber_final_accuracy",
    "reber_problem",
    "reber_string",
    "reber_strings_correct",
    "reber_task",
    "remember_problem",
    "remember_task",
    "sample_text",
    "save_batch",
    "streams",
    "temporal_order_problem",
    "temporal_order_task",
    "text_batch",
    "text_task",
    "unigram_bpc",
]
