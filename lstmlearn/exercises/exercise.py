"""What one exercise is: the record each exercise module's table holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Exercise:
    """One exercise: the reference answer, how to make test inputs, and known wrong answers."""

    notebook: str
    task: str
    reference: Callable
    make_inputs: Callable[[np.random.Generator], list]  # -> list of kwargs dicts
    mistakes: dict = field(default_factory=dict)  # hint -> a wrong function the hint explains
    rtol: float = 1e-7
    atol: float = 1e-9
    own: tuple = ()  # lstmlearn's functions that compute the answer: a learner's function calling one is refused
