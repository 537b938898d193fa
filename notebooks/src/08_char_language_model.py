# %% [markdown]
# # 08 · A character-level language model
#
# | | |
# |---|---|
# | **You will be able to** | train an LSTM to predict the next character of a text with truncated BPTT over parallel streams; measure it in bits per character against the unigram baseline; sample from it with a temperature; search its cells for ones that track something you can name |
# | **Expected time** | 50 minutes (the live training takes about 20 seconds) |
# | **Prerequisites** | [05 · One LSTM step](05_lstm_step_by_step.ipynb), [06 · Backpropagation](06_backprop_through_lstm.ipynb) (truncated BPTT), [07 · Long time lags](07_long_time_lags.ipynb) |

# %%
import json

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML, display

import lstmlearn as ll
from lstmlearn import tasks
from lstmlearn.interpret import FEATURES, highlight, text_features, unit_correlations

DATA = ll.data_dir()  # the course's data/ folder, wherever this notebook is

# %% [markdown]
# ## 1. The text
#
# The course ships a 300 KB corpus in `data/corpus.txt`, generated for the course by
# `data/make_corpus.py` (no third-party text; `data/README.md` describes it): English-like prose
# about sequences and memory, wrapped at 72 columns, with quoted speech and JSON-like records between
# paragraphs. Those give a model things to keep track of: the position in a line, an open quote, an
# open bracket. The first 90 % is for training, the last 10 % is held out.

# %%
# NBVAL_CHECK_OUTPUT
text = (DATA / "corpus.txt").read_text()
vocab = tasks.Vocab.from_text(text)
ids = vocab.encode(text)
split = int(0.9 * len(ids))
train_ids, test_ids = ids[:split], ids[split:]
print(f"{len(text):,} characters, a vocabulary of {vocab.size}; {len(train_ids):,} for training, {len(test_ids):,} held out")
print(text[:400])

# %% [markdown]
# ## 2. The model, and how to measure it
#
# At every step the LSTM reads one character (as a one-hot vector $x_t$ of length $V = $ the
# vocabulary size) and outputs a score for every possible next character; a softmax turns the scores
# into probabilities $p_t$, and the loss is the cross-entropy $-\log p_t(\text{true next character})$.
#
# The standard measure is **bits per character** (BPC): the average of $-\log_2 p_t(\text{true})$. A
# model that knew nothing but the letter frequencies (the **unigram baseline**) pays about 4.5 bits
# per character on this text; a perfect model would pay 0.
#
# ### Exercise 1: bits per character
#
# Given the probabilities `p` that a model gave to the true next characters, return the BPC.

# %% tags=["exercise"]
def bits_per_char(p):
    """-mean(log2 p)"""
    raise NotImplementedError  # your code here


ll.exercises.check("bits_per_char", bits_per_char)

# %% [markdown]
# **Solution** (open after trying)

# %% tags=["solution"]
def bits_per_char_solution(p):
    return -np.mean(np.log2(p))


ll.exercises.check("bits_per_char", bits_per_char_solution)

# %%
# NBVAL_CHECK_OUTPUT
print(f"unigram baseline on the held-out text: {tasks.unigram_bpc(train_ids, test_ids, vocab.size):.3f} bits per character")

# %% [markdown]
# **Truncated BPTT across batches.** The text is cut into $B$ parallel **streams** (each a contiguous
# stretch of the corpus, one per batch row). Training step $k$ takes the next chunk of 50 characters
# of every stream; the final state $(h, c)$ of one chunk is the initial state of the next, so the
# model reads each stream continuously, but the gradient stops at the chunk border (notebook 06's cut,
# placed between batches). `lstmlearn/tasks/text.py` does this bookkeeping.
#
# ## 3. Train briefly, here
#
# A small model ($H = 64$) for 300 steps of 32 streams × 50 characters:

# %%
task = tasks.text_task(train_ids, vocab, batch_size=32, seq_len=50)
heldout = tasks.Batch(tasks.streams(test_ids, 32), None)  # scored by its bits per character
small = task.model("lstm", hidden_size=64)
params = ll.init_model(small, np.random.default_rng(0), forget_bias=1.0, dtype=np.float32)
run = ll.train(small, params, task, ll.Adam(lr=3e-3), 300, batch_size=32, seed=1, clip=1.0,
               eval_set=heldout, eval_every=100)
print(f"after {len(run.history.step)} steps ({run.history.time[-1]:.0f} s): "
      f"{run.history.score[-1]:.2f} bits per character on the held-out text")
sample = tasks.sample_text({k: v.astype(np.float64) for k, v in run.params.items()}, small, vocab,
                           np.random.default_rng(0), 200, temperature=0.8, prime="The ")
print(sample)

# %% [markdown]
# In a few hundred steps it has learned the letter frequencies, common pairs of letters and the
# rhythm of words and spaces, and its BPC is well below the unigram baseline; real words are still rare. To go further it needs minutes, so a
# larger model ($H = 128$) was trained by a script, `benchmarks/train_char_model.py`, and saved with
# the course. Its record:

# %%
# NBVAL_CHECK_OUTPUT
record = json.loads((DATA / "results" / "char_lstm.json").read_text())
print(f"command: {record['command']}")
print(f"H = {record['hyperparameters']['hidden_size']}, {record['steps']} steps in {record['wall_seconds']:.0f} s: "
      f"held-out {record['heldout_bpc']:.3f} bits per character (unigram {record['unigram_bpc']:.3f})")

# %%
# NBVAL_CHECK_OUTPUT
for temperature, sample_text in record["samples"].items():  # drawn by the script from the saved model
    print(f"--- temperature {temperature} ---\n{sample_text[:300]}\n")

# %%
params, model, meta = ll.load_model(DATA / "models" / "char_lstm.npz")
params = {k: v.astype(np.float64) for k, v in params.items()}  # trained in float32; use float64 here
h = record["history"]
fig, ax = plt.subplots(figsize=(6.5, 3.2))
ax.plot(h["step"], np.array(h["loss"]) / np.log(2), color="#0072B2", lw=1, label="training (bits per character)")
ax.plot(h["eval_step"], h["score"], "o-", color="#D55E00", ms=3, label="held-out")
ax.axhline(record["unigram_bpc"], color="0.4", ls="--", label="unigram baseline")
ax.set(xlabel="training step", ylabel="bits per character", ylim=(0, 5), title="The saved model's training run")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# ## 4. Sampling with a temperature
#
# To generate text, feed the model a **prime** (a few characters), draw the next character from
# $p_t$, feed it back in, and repeat. The **temperature** $\tau$ reshapes the distribution before each
# draw:
#
# $$ p = \operatorname{softmax}(z / \tau) . $$
#
# $\tau < 1$ sharpens it (the model plays safe and repeats itself); $\tau > 1$ flattens it (more
# surprising text, more misspellings); $\tau \to 0$ always picks the most likely character.
#
# ### Exercise 2: softmax with a temperature
#
# Write it for an array of logits (the last axis is the vocabulary). Subtract the largest logit
# before exponentiating, so that large logits do not overflow.

# %% tags=["exercise"]
def softmax_temperature(logits, temperature):
    """softmax(logits / temperature) over the last axis."""
    raise NotImplementedError  # your code here


ll.exercises.check("softmax_temperature", softmax_temperature)

# %% [markdown]
# **Solution** (open after trying)

# %% tags=["solution"]
def softmax_temperature_solution(logits, temperature):
    z = np.asarray(logits) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


ll.exercises.check("softmax_temperature", softmax_temperature_solution)

# %% [markdown]
# Now sample from the saved model. Move the temperature from 0.2 to 1.8, change the prime (try an
# opening brace `{"`) and the seed; the bars show the distribution of the character that follows
# the prime.

# %%
vocab = tasks.Vocab(str(meta["chars"]))
ll.widgets.temperature_explorer(params, model, vocab, prime="The ", n=300, temperature=0.8)

# %% [markdown]
# ## 5. Looking for interpretable cells
#
# Some cells of trained character models track things a person can name (Karpathy, Johnson and
# Fei-Fei 2015). Describe every character of a held-out passage by four such features (the column
# in the line, inside a quote, the depth of open brackets, inside a number: `lstmlearn/interpret.py`),
# run the model over the passage, and correlate each cell's state $c_t$ with each feature.

# %%
# NBVAL_CHECK_OUTPUT
passage = text[split:split + 6000]
out = ll.forward(params, vocab.encode(passage)[:, None], model)
features = text_features(passage)
corr = unit_correlations(out.trace.c[:, 0], features)  # (H, 4)
for j, name in enumerate(FEATURES):
    k = int(np.argmax(np.abs(corr[:, j])))
    print(f"{name:<10} best cell {k:>3}: correlation {corr[k, j]:+.2f}")

# %% [markdown]
# One feature stands out: a cell whose state follows the **bracket depth**. Here it is on a stretch of
# the passage, each character's background coloured by the cell's value (orange low, purple high):

# %%
j = FEATURES.index("depth")
cell = int(np.argmax(np.abs(corr[:, j])))
values = out.trace.c[:, 0, cell]
scale = np.abs(values).max()
start = max(passage.index("{") - 150, 0)  # some prose, then a record
display(HTML(highlight(passage[start:start + 600], values[start:start + 600], -scale, scale)))

# %% [markdown]
# The cell switches when a record opens with `{` and back when it closes: it "knows" that it is inside
# a record, where keys, quotes and numbers follow different rules from the prose. The weaker features
# (the column, an open quote) are spread over many cells in this small model instead of living in one,
# so no single cell correlates strongly with them; a larger model trained for longer tends to grow
# cleaner ones. Interpretable cells are a lucky view into a distributed representation, not the rule.
#
# ## Check your understanding
#
# 1. A model's held-out BPC is 4.4 on this corpus. Has it learned more than the letter frequencies?
# 2. Why does sampling at temperature 0.1 often produce the same phrase over and over?
# 3. What does carrying the state $(h, c)$ from one chunk to the next give the model, and what does it
#    not give it?
#
# <details><summary>Answers</summary>
#
# 1. Barely: the unigram baseline is about 4.5 bits per character.
# 2. At a low temperature the most likely character is chosen almost every time, so once the model is
#    in a familiar phrase it keeps following the same most likely path, which can loop.
# 3. It gives the model the context from before the chunk (so it can, for example, know that a
#    bracket is open); it does not give the gradient a path into the previous chunk, so the weights are
#    not trained on dependencies longer than a chunk.
#
# </details>
#
# ## Key points
#
# * A character model predicts the next character with a softmax over the vocabulary; bits per
#   character measures it, and the unigram baseline says what knowing only the frequencies gives.
# * Text is read as parallel streams in chunks; the state is carried across chunks, the gradient is not.
# * The temperature trades safety for variety when sampling.
# * Some cells track nameable things (here, the bracket depth), but most of what the model knows is spread
#   over many cells.
#
# **Next:** [09 · Variants and ablations](09_variants_and_ablations.ipynb)
