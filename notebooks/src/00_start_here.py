# %% [markdown]
# # 00 · Start here
#
# **How does an LSTM actually work?** This course answers that question with code you can
# run, sliders you can move and numbers you can check. Every equation you meet is a line of
# the small numpy package `lstmlearn`, which you can open beside the notebooks.
#
# | This notebook | in short |
# |---|---|
# | **You will be able to** | run the course; move a slider and read what it shows; read the notation table (x, h, c, i, f, g, o and their shapes); use an exercise's self-check |
# | **Expected time** | 15 minutes |
# | **Prerequisites** | basic Python and numpy (arrays, `@` for matrix products); derivatives at the level of "the slope of a function" |
#
# **How to use a notebook.** Run cells from top to bottom with **Shift + Enter**. If something
# looks wrong, use *Kernel → Restart Kernel and Run All Cells*: every notebook is deterministic
# (random numbers come from seeded generators), so you will see the same numbers as the text.

# %% [markdown]
# ## 1. Check your setup
#
# The next cell imports the packages the course uses and prints their versions. If it fails,
# run `lstmlearn doctor` in a terminal, in the environment you installed the course in: it
# checks each package and JupyterLab, and says how to fix what fails. `HELP.md`, beside the
# notebooks in a copy laid out by `lstmlearn course`, says how to open the course, see a
# solution and reset a notebook.

# %%
import sys

import ipywidgets
import matplotlib
import numpy as np

import lstmlearn as ll

print(
    f"Python {sys.version.split()[0]}, numpy {np.__version__}, matplotlib {matplotlib.__version__}, "
    f"ipywidgets {ipywidgets.__version__}, lstmlearn {ll.__version__}"
)
assert sys.version_info >= (3, 10), "the course needs Python 3.10 or newer"

# %% [markdown]
# ## 2. The map of the course
#
# | # | notebook | the question it answers |
# |---|---|---|
# | 01 | gradients and recurrent networks | how does a gradient change a weight, and what does a recurrent network remember? |
# | 02 | vanishing (and exploding) gradients | why does a plain RNN stop learning from the distant past? |
# | 03 | gates | what is a gate, and what does a sigmoid really output? |
# | 04 | the cell state | how does the LSTM keep a memory for hundreds of steps? |
# | 05 | one LSTM step, then a sequence | what happens, equation by equation, in one step? |
# | 06 | backpropagation through an LSTM | where do the gradients go, and why do they survive? |
# | 07 | learning long time lags | can we *see* an LSTM succeed where an RNN fails? |
# | 08 | a character-level language model | what does a trained LSTM learn about text? |
# | 09 | variants and ablations | which parts of the LSTM actually matter? |
# | 10 | from the forget gate to gated linear recurrences | where did the LSTM go: what do minGRU, minLSTM, the RG-LRU and Mamba keep of it? |
# | 11 | xLSTM: exponential gates and a matrix memory | what did the LSTM's authors change in 2024, and what does a matrix memory buy? |

# %% [markdown]
# ### Where the map ends: a trained LSTM writing
#
# Before the first equation, a look at the destination. Notebook 08 trains an LSTM to predict the
# next character of the course's corpus (English-like prose from a small random grammar, with
# quoted speech and records, generated for the course), and the course ships the trained model.
# Here it writes: given the prime "The ", it draws each next character from the distribution it
# predicts (sharpened a little, with a temperature of 0.8: notebook 08 explains it) and reads that
# character back in. Beside it, the control: a network of the same shape with random weights, as
# training starts. (Bits per character measure how surprised a model is by each next character,
# on average: fewer is better.)


# %% tags=["nbval-check-output"]
def words(text):
    """The words of a text: its runs of letters."""
    return "".join(ch if ch.isalpha() else " " for ch in text).split()


data = ll.paths.data_dir()
trained, model, meta = ll.load_model(data / "models" / "char_lstm.npz")  # notebook 08 builds it
vocab = ll.tasks.Vocab(str(meta["chars"]))
untrained = ll.init_model(model, np.random.default_rng(0))  # the same shape, before training
corpus_words = set(words((data / "corpus.txt").read_text()))
print(
    f"An LSTM with {model.hidden_size} memory cells reading {vocab.size} characters; on held-out text the trained "
    f"one needs {float(meta['heldout_bpc']):.2f} bits per character, letter frequencies alone {float(meta['unigram_bpc']):.2f}.\n"
)
for name, params in (("trained", trained), ("untrained (the control)", untrained)):
    text = ll.tasks.sample_text(params, model, vocab, np.random.default_rng(1), n=160, temperature=0.8, prime="The ")
    written = words(text[len("The ") :])
    written = written[:-1] if text[-1].isalpha() else written  # the words it finished: the last may be cut off
    known = sum(w in corpus_words for w in written)
    print(f"--- {name} ---\n{text}\n[{known} of the {len(written)} words it wrote are words of the corpus]\n")


# %% [markdown]
# The trained network spells the corpus's words and strings them into clauses; the untrained one,
# with the same equations and the same number of weights, strings characters together at random.
# Everything between the two is learned, and notebooks 01 to 08 show how: what a recurrent state
# carries, why a plain RNN loses it, how the LSTM's gates and cell state keep it, and the training
# that turns the random weights into the trained ones.

# %% [markdown]
# ## 3. The notation table
#
# The same letters are used in the equations, in the code, in plot titles and on the sliders.
# One LSTM step reads an input $x_t$ and the previous state $(h_{t-1}, c_{t-1})$ and computes
#
# $$
# \begin{aligned}
# i_t &= \sigma(x_t W_{xi} + h_{t-1} W_{hi} + b_i) && \text{input gate}\\
# f_t &= \sigma(x_t W_{xf} + h_{t-1} W_{hf} + b_f) && \text{forget gate}\\
# g_t &= \tanh(x_t W_{xg} + h_{t-1} W_{hg} + b_g) && \text{candidate values}\\
# o_t &= \sigma(x_t W_{xo} + h_{t-1} W_{ho} + b_o) && \text{output gate}\\
# c_t &= f_t \odot c_{t-1} + i_t \odot g_t && \text{cell state}\\
# h_t &= o_t \odot \tanh(c_t) && \text{hidden state}
# \end{aligned}
# $$
#
# where $\sigma$ is the logistic sigmoid and $\odot$ multiplies element by element. Don't worry
# if this means little yet: notebooks 03 to 05 build it one line at a time.
#
# | symbol | meaning | shape (one example) | shape in code (batch, time) | in `lstmlearn` |
# |---|---|---|---|---|
# | $T$ | number of time steps | | | `X.shape[0]` |
# | $B$ | batch size: sequences processed side by side | | | `X.shape[1]` |
# | $D$ | input size | | | `p.input_size` |
# | $H$ | hidden size: number of memory cells | | | `p.hidden_size` |
# | $x_t$ | input at step $t$ | $(D,)$ | `X`: $(T, B, D)$ | `trace.x` |
# | $h_t$ | hidden state: the output at step $t$ | $(H,)$ | `Hs`: $(T, B, H)$ | `trace.h` |
# | $c_t$ | cell state: the long-term memory | $(H,)$ | $(T, B, H)$ | `trace.c` |
# | $i_t, f_t, o_t$ | input, forget, output gates, in $(0, 1)$ | $(H,)$ | $(T, B, H)$ | `trace.i`, `trace.f`, `trace.o` |
# | $g_t$ | candidate values, in $(-1, 1)$ | $(H,)$ | $(T, B, H)$ | `trace.g` |
# | $W_x$ | input weights of the four blocks (three gates and the candidate $g$), stacked $i \mid f \mid g \mid o$ | $(D, 4H)$ | | `p.W_x`, per gate `p.W_xf` … |
# | $W_h$ | recurrent weights, stacked the same way | $(H, 4H)$ | | `p.W_h`, per gate `p.W_hf` … |
# | $b$ | biases | $(4H,)$ | | `p.b`, per gate `p.b_f` … |
#
# Three conventions to remember:
#
# * **Row vectors.** An input is a row, multiplied on the left: $x_t W_x$, in code `x @ W_x`.
#   A batch of $B$ inputs is a $(B, D)$ matrix and the same line works unchanged.
# * **Time first.** A batch of sequences is an array of shape $(T, B, D)$. This is PyTorch's
#   default layout for `nn.LSTM`, and the block order $i, f, g, o$ is PyTorch's too.
# * **Steps count from 1, arrays from 0.** $(h_0, c_0)$ is the initial state (`h0`, `c0` in the
#   code); step $t = 1, \dots, T$ reads $x_t$ = `X[t - 1]` and produces $h_t$ = `Hs[t - 1]`.
#
# Here is the table in action: a random LSTM with $D = 3$ inputs and $H = 5$ cells, run over a
# batch of $B = 2$ sequences of $T = 4$ steps.

# %% tags=["nbval-check-output"]
rng = np.random.default_rng(0)
p = ll.init_lstm(input_size=3, hidden_size=5, rng=rng)
X = rng.normal(size=(4, 2, 3))  # (T, B, D)
Hs, trace = ll.lstm_forward(X, p)

print("W_x", p.W_x.shape, " W_h", p.W_h.shape, " b", p.b.shape, " forget-gate weights W_xf", p.W_xf.shape)
print("X", X.shape, " Hs", Hs.shape, " trace.f", trace.f.shape, " trace.c", trace.c.shape)
print("forget gate f_1 of sequence 0:", np.round(trace.f[0, 0], 3))

# %% [markdown]
# Every value in the printout above lies strictly between 0 and 1: a gate is a *dial*, not a
# switch. You will see why in notebook 03.
#
# ## 4. Use a slider
#
# The explorer below is one LSTM cell with a single input. Drag the slider **x** and watch the
# three gates, the candidate $g$ and the new cell state $c$ and hidden state $h$ change. Then try the
# forget-gate bias **b_f**: at large values the forget gate $f$ approaches 1 and the cell keeps
# almost all of $c_{t-1}$. (Sliders move only while the notebook is running; in a saved copy
# you see the picture of their starting values.)

# %%
explorer = ll.widgets.gate_explorer()
explorer

# %% [markdown]
# Explorers can also be driven from code, which is how the course's tests check them. Setting a
# control's `.value` updates everything the explorer shows, and `.values` holds its numbers:

# %% tags=["nbval-check-output"]
explorer.controls["x"].value = 1.0
explorer.controls["b_f"].value = 3.0
print({k: round(float(v), 4) for k, v in explorer.values.items()})

# %% [markdown]
# ## 5. How exercises work
#
# From notebook 01 on, you will write small pieces of an LSTM yourself. Each exercise gives you
# a function to complete and a check from `lstmlearn.exercises` that tells you, kindly and
# specifically, whether it works. Try it on this warm-up: the cell below has not been attempted,
# so the check says so instead of failing.


# %%
def gd_step(w, grad, lr):
    """Return the weight after one gradient-descent step."""
    raise NotImplementedError  # notebook 01 asks you to write this


ll.exercises.check("gd_step", gd_step)

# %% [markdown]
# Below each exercise, a line marked **Solution** tells you how to see a solution once you have
# tried (in a workshop's copy of the course, which leaves the solutions out, it says so instead).
# No notebook contains a solution, so none can catch your eye by accident, whatever you read the
# course in. The check also recognises common mistakes and gives a hint, as with this deliberately
# wrong answer:

# %%
ll.exercises.check("gd_step", lambda w, grad, lr: w + lr * grad)

# %% [markdown]
# ## Key points
#
# * Run cells top to bottom; restart and run all if the numbers ever differ from the text.
# * The letters $x, h, c, i, f, g, o$ mean the same thing in the equations, the code
#   (`trace.f`, `p.W_xf`), the plots and the sliders.
# * Arrays are time-first $(T, B, D)$, inputs are row vectors, gates are stacked $i, f, g, o$.
# * Every exercise has a self-check (`ll.exercises.check`) and a solution that you see only when you
#   ask for it.
#
# **Next:** [01 · Gradients and recurrent networks](01_gradients_and_rnns.ipynb)
