"""Solutions to the exercises of notebook 06 · Backpropagation through an LSTM.

Try each exercise in the notebook first. To see one solution at a time, run
ll.exercises.solution("name") in the notebook. Run this file to check them all:

    python solutions/06_backprop_through_lstm.py          (from the notebooks/ folder)

Written by tools/build_notebooks.py from notebooks/src/06_backprop_through_lstm.py: edit that file, not this one.
"""

import lstmlearn as ll


# %% cell_backward
def cell_backward_solution(dh, dc_next, s):
    dc = dc_next + dh * s.o * (1 - s.tanh_c**2)
    return dc, dc * s.f


ll.exercises.check("cell_backward", cell_backward_solution)


# %% gate_grads
def gate_grads_solution(dh, dc_next, s):
    dc, _ = cell_backward_solution(dh, dc_next, s)
    dz_i = dc * s.g * s.i * (1 - s.i)
    dz_f = dc * s.c_prev * s.f * (1 - s.f)
    dz_g = dc * s.i * (1 - s.g**2)
    dz_o = dh * s.tanh_c * s.o * (1 - s.o)
    return dz_i, dz_f, dz_g, dz_o


ll.exercises.check("gate_grads", gate_grads_solution)
