"""Solutions to the exercises of notebook 04 · The cell state.

Try each exercise in the notebook first. To see one solution at a time, run
ll.exercises.solution("name") in the notebook. Run this file to check them all:

    python solutions/04_cell_state.py          (from the notebooks/ folder)

Written by tools/build_notebooks.py from notebooks/src/04_cell_state.py: edit that file, not this one.
"""

import numpy as np

import lstmlearn as ll


# %% cell_update
def cell_update(f, i, g, c_prev):
    return f * c_prev + i * g


ll.exercises.check("cell_update", cell_update)


# %% half_life
def half_life(f):
    return np.log(0.5) / np.log(f)


ll.exercises.check("half_life", half_life)
