"""Self-checks for the notebooks' exercises.

    ll.exercises.check(name, fn)      check the learner's function; one friendly line (checker.py)
    ll.exercises.exercises()          every exercise with the notebook it belongs to (registry.py)
    ll.exercises.solution(name)       print the solution of one exercise (answers.py)
    ll.exercises.reveal(pred, actual) each prediction beside the value it predicted (answers.py)

An exercise is an Exercise record (exercise.py). The exercises themselves are tables
defined beside the notebooks they belong to: basics.py (notebooks 01-05), backprop.py
(06) and training.py (07-09); registry.py merges them.
"""

from .answers import reveal, solution
from .checker import TIME_LIMIT, CheckResult, check
from .exercise import Exercise
from .registry import REGISTRY as _REGISTRY  # noqa: F401  (name -> Exercise, as tests look them up)
from .registry import exercises

__all__ = ["Exercise", "CheckResult", "TIME_LIMIT", "check", "exercises", "reveal", "solution"]
