"""Fuzzing the public API: every call gives a finite result or a clear error.

Table-driven and property-based (Hypothesis): each case is a public function with a
valid set of arguments. Hypothesis replaces one argument at a time by a value derived
from the valid one (another shape or dtype, a NaN or inf in one entry, an empty array,
a missing or extra key, a zero, a negative, a boolean, a string, None ...) and calls.
For every call, one of two things must happen:

- it returns, and where every input was finite the result holds no NaN or inf;
- it raises one of the documented types (ValueError, TypeError, KeyError; a
  FloatingPointError where documented) and the message names the argument.

Examples are drawn from a fixed seed (derandomize), so a failure reproduces.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lstmlearn as ll
from lstmlearn import tasks

DOCUMENTED = (ValueError, TypeError, KeyError)


@dataclasses.dataclass
class Case:
    """A public function, how to make valid arguments for it, and the words an error may use
    for each argument (by default the argument's own name)."""

    name: str
    call: Callable
    valid: Callable[[np.random.Generator], dict]
    aliases: dict = dataclasses.field(default_factory=dict)
    raises: tuple = DOCUMENTED
    fixed: tuple = ()  # arguments never fuzzed (objects whose type is not the point here)

    def words(self, arg):
        return self.aliases.get(arg, (arg,))


def _model(core="lstm", readout="last", loss="mse"):
    return ll.Model(core, 2, 3, 2, readout, loss)


def _model_args(rng, readout="last", loss="mse"):
    model = _model(readout=readout, loss=loss)
    params = ll.init_model(model, rng)
    X = rng.normal(size=(4, 2, 2))
    if readout == "last":
        Y = rng.normal(size=(2, 2)) if loss == "mse" else rng.integers(0, 2, size=2)
    else:
        Y = rng.normal(size=(4, 2, 2)) if loss == "mse" else rng.integers(0, 2, size=(4, 2))
    return model, params, X, Y


def _predict(rng):
    model, params, X, _ = _model_args(rng)
    return dict(params=params, X=X, model=model, lengths=np.array([4, 2]))


def _loss_and_grads(rng):
    model, params, X, Y = _model_args(rng, "all", "xent")
    return dict(params=params, X=X, Y=Y, model=model, mask=np.ones((4, 2)), truncate=2)


def _opt_step(make):
    def valid(rng):
        opt = make()
        params = {"W": rng.normal(size=(2, 3)), "b": rng.normal(size=3)}
        grads = {k: rng.normal(size=v.shape) for k, v in params.items()}
        return dict(opt=opt, params=params, grads=grads, state=opt.init(params))

    return valid


def _gradcheck(rng):
    A = rng.normal(size=(3, 2))
    return dict(
        loss=lambda W: float(np.sum(np.tanh(A @ W))),
        arrays={"W": rng.normal(size=(2, 2))},
        grads={"W": np.ones((2, 2))},
        eps=1e-3,
        max_entries=2,
        rng=np.random.default_rng(0),
    )


TASK = tasks.adding_task(24)


def _train(rng):
    model = TASK.model("lstm", 3)
    return dict(
        model=model,
        params=ll.init_model(model, rng),
        task=TASK,
        optimizer=ll.Adam(lr=0.01),
        steps=2,
        batch_size=4,
        seed=0,
        clip=1.0,
        truncate=None,
        eval_set=TASK.sample(np.random.default_rng(1), 8),
        eval_every=1,
        target_score=0.9,
        max_seconds=None,
        progress=False,
    )


STEP_ALIASES = {"params": ("params", "grads", "state"), "grads": ("grads", "params")}

CASES = [
    Case(
        "mse",
        lambda pred, target, mask: ll.mse(pred, target, mask),
        lambda rng: dict(pred=rng.normal(size=(3, 2)), target=rng.normal(size=(3, 2)), mask=np.ones(3)),
        aliases={"pred": ("pred", "target", "mask")},
    ),
    Case(
        "softmax_cross_entropy",
        lambda logits, targets, mask: ll.softmax_cross_entropy(logits, targets, mask),
        lambda rng: dict(logits=rng.normal(size=(3, 4)), targets=rng.integers(0, 4, size=3), mask=np.ones(3)),
        aliases={"logits": ("logits", "targets", "mask")},
    ),
    Case(
        "clip_grad_norm",
        lambda grads, max_norm: ll.clip_grad_norm(grads, max_norm),
        lambda rng: dict(grads={"a": rng.normal(size=(2, 2)), "b": rng.normal(size=3)}, max_norm=1.0),
        aliases={"grads": ("grads", "grad")},
    ),
    Case(
        "Adam",
        lambda lr, beta1, beta2, eps: ll.Adam(lr, beta1, beta2, eps),
        lambda rng: dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8),
    ),
    Case("SGD", lambda lr, momentum: ll.SGD(lr, momentum), lambda rng: dict(lr=0.1, momentum=0.9)),
    Case(
        "Adam.step",
        lambda opt, params, grads, state: opt.step(params, grads, state),
        _opt_step(lambda: ll.Adam()),
        aliases=STEP_ALIASES,
        fixed=("opt",),
    ),
    Case(
        "SGD.step",
        lambda opt, params, grads, state: opt.step(params, grads, state),
        _opt_step(lambda: ll.SGD()),
        aliases=STEP_ALIASES,
        fixed=("opt",),
    ),
    Case(
        "Model",
        lambda core, input_size, hidden_size, output_size, readout, loss: ll.Model(
            core, input_size, hidden_size, output_size, readout, loss
        ),
        lambda rng: dict(core="lstm", input_size=2, hidden_size=3, output_size=2, readout="all", loss="xent"),
    ),
    Case(
        "predict",
        lambda params, X, model, lengths: ll.predict(params, X, model, lengths=lengths),
        _predict,
        aliases={"X": ("X", "lengths")},
        fixed=("model",),
    ),
    Case(
        "loss_and_grads",
        lambda params, X, Y, model, mask, truncate: ll.loss_and_grads(
            params, X, Y, model, mask=mask, truncate=truncate
        ),
        _loss_and_grads,
        aliases={"Y": ("Y", "targets", "target"), "X": ("X", "Y", "targets", "target", "mask")},
        raises=DOCUMENTED + (FloatingPointError,),
        fixed=("model",),
    ),
    Case(
        "gradcheck",
        lambda loss, arrays, grads, eps, max_entries, rng: ll.gradcheck(
            loss, arrays, grads, eps=eps, max_entries=max_entries, rng=rng
        ),
        _gradcheck,
        aliases={"arrays": ("arrays", "grads"), "grads": ("grads", "arrays")},
        fixed=("loss", "rng"),
    ),
    Case(
        "train",
        lambda **kw: ll.train(**kw),
        _train,
        aliases={"eval_set": ("eval_set", "Y", "X", "target", "targets", "lengths", "mask")},
        raises=DOCUMENTED + (FloatingPointError,),
        fixed=("model", "task", "optimizer", "steps"),
    ),
]
CORE_ALIASES = {"X": ("X", "h0", "c0", "p.W_x"), "p": ("p", "LSTMParams", "RNNParams"), "h0": ("h0",), "c0": ("c0",)}
CASES += [
    Case(
        "lstm_forward",
        lambda X, p, h0, c0: ll.lstm_forward(X, p, h0, c0)[0],
        lambda rng: dict(
            X=rng.normal(size=(3, 2, 2)), p=ll.init_lstm(2, 3, rng=rng), h0=np.zeros((2, 3)), c0=np.zeros((2, 3))
        ),
        aliases=CORE_ALIASES,
    ),
    Case(
        "rnn_forward",
        lambda X, p, h0: ll.rnn_forward(X, p, h0)[0],
        lambda rng: dict(X=rng.normal(size=(3, 2, 2)), p=ll.init_rnn(2, 3, rng=rng), h0=np.zeros((2, 3))),
        aliases=CORE_ALIASES,
    ),
]
CASES_BY_NAME = {c.name: c for c in CASES}


# --- values derived from a valid one -------------------------------------------------------

SCALARS = [0, -1, 0.0, -0.5, 1e-300, 1e300, np.nan, np.inf, -np.inf, True, False, "1", None, 2, 0.5, 3.7]


def mutations(value, data, in_record=False) -> object:
    """Draw a value derived from a valid `value` (`in_record`: a field of a params record)."""
    if isinstance(value, np.ndarray):
        return array_mutation(value, data, in_record)
    if isinstance(value, dict):
        return dict_mutation(value, data)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # LSTMParams and the like
        field = data.draw(st.sampled_from(value._fields))
        return value._replace(**{field: mutations(getattr(value, field), data, in_record=True)})
    return data.draw(st.sampled_from(SCALARS + [[1.0, 2.0], np.array([1.0, 2.0])]))


def array_mutation(a, data, in_record=False):
    kinds = ["shape", "dtype", "nonfinite", "empty", "scalar", "list", "none", "string"]
    if in_record:  # a record of lists: see test_a_params_record_holding_lists_is_refused_clearly
        kinds.remove("list")
    kind = data.draw(st.sampled_from(kinds))
    if kind == "shape" and a.ndim:
        axis = data.draw(st.integers(0, a.ndim - 1))
        new = list(a.shape)
        new[axis] = data.draw(st.sampled_from([1, 5]).filter(lambda n: n != a.shape[axis]))
        extra = data.draw(st.sampled_from(["same", "more", "fewer"]))
        new = new + [2] if extra == "more" else new[1:] if extra == "fewer" and len(new) > 1 else new
        return np.ones(new, dtype=a.dtype)
    if kind == "dtype":
        dtype = data.draw(st.sampled_from([np.int64, np.bool_, np.complex128, np.float32, np.float64]))
        return a.astype(dtype)
    if kind == "nonfinite" and a.size and a.dtype.kind == "f":
        b = a.copy()
        b.flat[data.draw(st.integers(0, a.size - 1))] = data.draw(st.sampled_from([np.nan, np.inf, -np.inf]))
        return b
    if kind == "empty" and a.ndim:
        return np.zeros((0,) + a.shape[1:], dtype=a.dtype)
    if kind == "scalar":
        return data.draw(st.sampled_from([0.5, np.nan, 3]))
    if kind == "list":
        return a.tolist()
    if kind == "string":
        return "abc"
    return None


def dict_mutation(d, data):
    kind = data.draw(st.sampled_from(["drop", "extra", "entry", "not a dict"]))
    keys = sorted(d)
    if kind == "drop" and keys:
        k = data.draw(st.sampled_from(keys))
        return {key: v for key, v in d.items() if key != k}
    if kind == "extra":
        return {**d, "zz_extra": np.ones(2)}
    if kind == "entry" and keys:
        k = data.draw(st.sampled_from(keys))
        return {**d, k: mutations(d[k], data)}
    return list(d.values())


# --- the property ----------------------------------------------------------------------------


def finite_everywhere(value) -> bool:
    if isinstance(value, dict):
        return all(finite_everywhere(v) for v in value.values())
    if isinstance(value, (tuple, list)):
        return all(finite_everywhere(v) for v in value)
    if isinstance(value, (np.ndarray, float, np.floating)):
        a = np.asarray(value)
        return a.dtype.kind not in "fc" or bool(np.isfinite(a).all())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return all(finite_everywhere(getattr(value, f.name)) for f in dataclasses.fields(value))
    return True


def check_call(case: Case, kwargs: dict, fuzzed: str):
    inputs_finite = finite_everywhere(kwargs[fuzzed])
    try:
        with np.errstate(all="ignore"):
            result = case.call(**kwargs)
    except case.raises as err:
        message = str(err)
        assert any(word in message for word in case.words(fuzzed)), (
            f"{case.name}({fuzzed}={kwargs[fuzzed]!r:.80}) raised {type(err).__name__} without naming "
            f"{fuzzed}: {message}"
        )
        return
    except Exception as err:  # an undocumented type
        raise AssertionError(
            f"{case.name}({fuzzed}={kwargs[fuzzed]!r:.80}) raised {type(err).__name__}: {err}"
        ) from err
    if inputs_finite:
        assert finite_everywhere(result), f"{case.name}({fuzzed}={kwargs[fuzzed]!r:.80}) returned NaN or inf"


FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.parametrize("name", [c.name for c in CASES])
@FUZZ
@given(data=st.data())
def test_every_call_gives_a_finite_result_or_a_clear_error(name, data):
    case = CASES_BY_NAME[name]
    kwargs = case.valid(np.random.default_rng(0))
    fuzzed = data.draw(st.sampled_from(sorted(set(kwargs) - set(case.fixed))))
    kwargs[fuzzed] = mutations(kwargs[fuzzed], data)
    check_call(case, kwargs, fuzzed)


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_the_valid_arguments_work(name):
    case = CASES_BY_NAME[name]
    assert finite_everywhere(case.call(**case.valid(np.random.default_rng(0))))


@pytest.mark.parametrize("field", ["W_x", "W_h"])
def test_a_params_record_holding_lists_is_refused_clearly(field):
    rng = np.random.default_rng(0)
    p = ll.init_lstm(2, 3, rng=rng)
    p = p._replace(**{field: getattr(p, field).tolist()})
    with pytest.raises((TypeError, ValueError), match=field):
        ll.lstm_forward(rng.normal(size=(3, 2, 2)), p)


# --- checkpoints: any bytes -----------------------------------------------------------------


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(cut=st.integers(0, 10_000), flip=st.integers(0, 10_000))
def test_any_damaged_checkpoint_is_a_checkpoint_error_naming_the_file(tmp_path_factory, cut, flip):
    folder = tmp_path_factory.mktemp("damaged")
    path = folder / "run.npz"
    ll.save_checkpoint(path, {"w": np.arange(50.0)}, {"t": np.array(3)}, step=3)
    data = bytearray(path.read_bytes())
    data = data[: cut % (len(data) + 1)]
    if data:
        data[flip % len(data)] ^= 0xFF
    path.write_bytes(bytes(data))
    try:
        ck = ll.load_checkpoint(path)
    except ll.CheckpointError as err:
        assert str(path) in str(err) and "allow_pickle" not in str(err)
    else:
        assert ck.step == 3  # the damage missed everything that matters


# --- exercise checks never raise -------------------------------------------------------------

ANSWERS = [
    lambda *a, **k: None,
    lambda *a, **k: 1 / 0,
    lambda *a, **k: "x",
    lambda *a, **k: np.nan,
    lambda *a, **k: (1, 2),
    lambda *a, **k: {"a": 1},
    lambda *a, **k: 1j,
    lambda *a, **k: [[]],
    lambda *a, **k: np.zeros((2, 2)),
    lambda *a, **k: object(),
]


@pytest.mark.parametrize("name", sorted(ll.exercises.exercises()))
def test_exercise_checks_judge_any_answer_without_raising(name, capsys):
    for answer in ANSWERS:
        result = ll.exercises.check(name, answer)
        assert not result and result.message.startswith(("Not yet:", "Not attempted yet:", "Too slow:")), result.message


@pytest.mark.parametrize(
    "make, run",
    [
        (lambda rng: ll.init_gru(2, 3, rng=rng), lambda X, p: ll.gru_forward(X, p)),
        (lambda rng: ll.init_variant("peephole", 2, 3, rng=rng), lambda X, p: ll.variant_forward(X, p, "peephole")),
        (lambda rng: ll.init_rnn(2, 3, rng=rng), lambda X, p: ll.rnn_forward(X, p)),
    ],
)
def test_every_params_record_holding_a_list_is_refused_clearly(make, run):
    rng = np.random.default_rng(0)
    p = make(rng)
    p = p._replace(W_h=p.W_h.tolist())
    with pytest.raises(TypeError, match=r"p\.W_h should be a numpy array, but it is a list"):
        run(rng.normal(size=(3, 2, 2)), p)
