"""Solutions to the exercises of notebook 07 · Learning long time lags.

Try each exercise in the notebook first. To see one solution at a time, run
ll.exercises.solution("name") in the notebook. Run this file to check them all:

    python solutions/07_long_time_lags.py          (from the notebooks/ folder)

Written by tools/build_notebooks.py from notebooks/src/07_long_time_lags.py: edit that file, not this one.
"""

import numpy as np

import lstmlearn as ll


# %% adding_target
def adding_target_solution(values, markers):
    return 0.5 + values[markers == 1].sum() / 4


ll.exercises.check("adding_target", adding_target_solution)


# %% copy_baseline
def copy_baseline_solution(T):
    return 10 * np.log(8) / (T + 20)


ll.exercises.check("copy_baseline", copy_baseline_solution)
