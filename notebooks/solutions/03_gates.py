"""Solutions to the exercises of notebook 03 · Gates.

Try each exercise in the notebook first. To see one solution at a time, run
ll.exercises.solution("name") in the notebook. Run this file to check them all:

    python solutions/03_gates.py          (from the notebooks/ folder)

Written by tools/build_notebooks.py from notebooks/src/03_gates.py: edit that file, not this one.
"""

import numpy as np

import lstmlearn as ll


# %% sigmoid
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


ll.exercises.check("sigmoid", sigmoid)


# %% forget_gate
def forget_gate(x, h_prev, W_x, W_h, b):
    return ll.sigmoid(x @ W_x + h_prev @ W_h + b)


ll.exercises.check("forget_gate", forget_gate)


# %% candidate
def candidate(x, h_prev, W_x, W_h, b):
    return np.tanh(x @ W_x + h_prev @ W_h + b)


ll.exercises.check("candidate", candidate)
