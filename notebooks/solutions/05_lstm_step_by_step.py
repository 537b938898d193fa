"""Solutions to the exercises of notebook 05 · One LSTM step, then a sequence.

Try each exercise in the notebook first. To see one solution at a time, run
ll.exercises.solution("name") in the notebook. Run this file to check them all:

    python solutions/05_lstm_step_by_step.py          (from the notebooks/ folder)

Written by tools/build_notebooks.py from notebooks/src/05_lstm_step_by_step.py: edit that file, not this one.
"""

import numpy as np

import lstmlearn as ll


# %% lstm_step
def lstm_step(x, h_prev, c_prev, p):
    H = p.hidden_size
    z = x @ p.W_x + h_prev @ p.W_h + p.b  # (B, 4H)
    i = ll.sigmoid(z[:, 0 * H:1 * H])
    f = ll.sigmoid(z[:, 1 * H:2 * H])
    g = np.tanh(z[:, 2 * H:3 * H])
    o = ll.sigmoid(z[:, 3 * H:4 * H])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c


ll.exercises.check("lstm_step", lstm_step)


# %% lstm_sequence
def lstm_sequence(X, p):
    T, B, _ = X.shape
    h = np.zeros((B, p.hidden_size))
    c = np.zeros((B, p.hidden_size))
    Hs = []
    for t in range(T):
        s = ll.lstm_step(X[t], h, c, p)
        h, c = s.h, s.c
        Hs.append(h)
    return np.stack(Hs)


ll.exercises.check("lstm_sequence", lstm_sequence)
