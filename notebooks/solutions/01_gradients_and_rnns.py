"""Solutions to the exercises of notebook 01 · Gradients and recurrent networks.

Try each exercise in the notebook first. To see one solution at a time, run
ll.exercises.solution("name") in the notebook. Run this file to check them all:

    python solutions/01_gradients_and_rnns.py          (from the notebooks/ folder)

Written by tools/build_notebooks.py from notebooks/src/01_gradients_and_rnns.py: edit that file, not this one.
"""

import numpy as np

import lstmlearn as ll


# %% gd_step
def gd_step(w, grad, lr):
    return w - lr * grad


ll.exercises.check("gd_step", gd_step)


# %% rnn_step
def rnn_step(x, h_prev, W_x, W_h, b):
    return np.tanh(x @ W_x + h_prev @ W_h + b)


ll.exercises.check("rnn_step", rnn_step)
