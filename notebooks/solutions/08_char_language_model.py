"""Solutions to the exercises of notebook 08 · A character-level language model.

Try each exercise in the notebook first. To see one solution at a time, run
ll.exercises.solution("name") in the notebook. Run this file to check them all:

    python solutions/08_char_language_model.py          (from the notebooks/ folder)

Written by tools/build_notebooks.py from notebooks/src/08_char_language_model.py: edit that file, not this one.
"""

import numpy as np

import lstmlearn as ll


# %% bits_per_char
def bits_per_char_solution(p):
    return -np.mean(np.log2(p))


ll.exercises.check("bits_per_char", bits_per_char_solution)


# %% softmax_temperature
def softmax_temperature_solution(logits, temperature):
    z = np.asarray(logits) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


ll.exercises.check("softmax_temperature", softmax_temperature_solution)
