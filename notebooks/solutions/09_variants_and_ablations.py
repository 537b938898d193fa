"""Solutions to the exercises of notebook 09 · Variants and ablations.

Try each exercise in the notebook first. To see one solution at a time, run
ll.exercises.solution("name") in the notebook. Run this file to check them all:

    python solutions/09_variants_and_ablations.py          (from the notebooks/ folder)

Written by tools/build_notebooks.py from notebooks/src/09_variants_and_ablations.py: edit that file, not this one.
"""

import numpy as np

import lstmlearn as ll


# %% coupled_cell_update
def coupled_cell_update_solution(i, g, c_prev):
    return (1 - i) * c_prev + i * g


ll.exercises.check("coupled_cell_update", coupled_cell_update_solution)


# %% gru_step
def gru_step_solution(x, h_prev, p):
    H = p.hidden_size
    ax = x @ p.W_x + p.b_x  # (B, 3H): input parts of r | z | n
    ah = h_prev @ p.W_h + p.b_h  # (B, 3H): recurrent parts
    r = ll.sigmoid(ax[:, :H] + ah[:, :H])
    z = ll.sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
    n = np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
    return (1 - z) * n + z * h_prev


ll.exercises.check("gru_step", gru_step_solution)
