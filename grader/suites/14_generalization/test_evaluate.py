"""Hidden suite for 14_generalization/evaluate."""

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox import scenarios
from grader.sandbox.codec import Ref, Scenario, TensorSeen
from grader.sandbox.scenarios.topic_14 import FORWARD_FAILS

CALL = "evaluate(model, X, y, loss_fn)"
CONTRACT = ("evaluate(model, X, y, loss_fn) -> float: loss_fn(model(X), y) as a float, from one "
            "forward pass over all of X in eval mode under torch.no_grad(); afterwards the model is "
            "in the mode it had before, also when the forward raises (the exception propagates); "
            "must not modify the model: parameters, their .grad, buffers")
EVAL_FIX = ("call model.eval() before the forward (Dropout then passes everything through and "
            "BatchNorm normalises with its running statistics)")
RESTORE_FIX = ("remember was_training = model.training before model.eval(), and finish with "
               "model.train(was_training) in a finally block")


# ---------------------------------------------------------------- models, data, references


def net(seed: int, tag: str, *, batchnorm: bool = True, dropout: float = 0.0, dtype=torch.float32,
        mode: str = "train", classes: int = 0, fails: bool = False,
        stale_grad: bool = False) -> Scenario:
    sizes = [3, 6, classes or 2]
    return Scenario("t14_net", {"seed": seed, "sizes": sizes, "batchnorm": batchnorm,
                                "dropout": dropout, "dtype": cases.dtype_id(dtype), "mode": mode,
                                "fails": fails, "stale_grad": stale_grad, "tag": f"evaluate-{tag}"})


def data(seed: int, n: int, dtype, classes: int = 0):
    X = cases.randn(seed, n, 3, dtype=dtype, scale=1.5, shift=0.5)
    if classes:
        return X, torch.arange(n, dtype=torch.int64) % classes
    return X, cases.randn(seed + 1, n, 2, dtype=dtype)


def loss_spec(classes: int) -> Scenario:
    return Scenario("t14_loss", {"kind": "cross_entropy" if classes else "mse"})


def loss_in(spec: Scenario, X, y, loss: Scenario, train: bool) -> float:
    """The loss in float64 with the judge's own copy of the model, in eval or train mode."""
    model = scenarios.judge_side(spec).double().train(train)  # the judge's own, fresh copy
    target = y if not y.is_floating_point() else y.double()
    with torch.no_grad():
        return float(scenarios.judge_side(loss)(model(X.double()), target))


def evaluate(learner, spec: Scenario, X, y, loss: Scenario):
    """Call the kata on a model built by the call itself (the model is read back, when a test
    needs to, through the call's first argument: the same object)."""
    return learner.call("evaluate", spec, X, y, loss)


def state_of(learner, outcome) -> dict:
    """The model's state after the call, read through its first argument."""
    model: Ref = outcome.args[0]
    state = learner.make(Scenario("t14_model_state", {"model": model}))
    if not isinstance(state, dict) or "training" not in state:
        checks.fail("grader error: the model's state could not be read back", contract=CONTRACT)
    return state


def modes(state: dict) -> list[bool]:
    return [flag for _, flag in state["training"]]


# ---------------------------------------------------------------- the loss


def value_case(seed: int, dtype, classes: int = 0, **model) -> dict:
    """A model, data and loss, with the judge's eval-mode loss, computed once at collection."""
    spec = net(seed, f"value-{seed}", dtype=dtype, classes=classes, **model)
    X, y = data(seed, 10, dtype, classes)
    loss = loss_spec(classes)
    return {"spec": spec, "X": X, "y": y, "loss": loss, "dtype": dtype, "classes": classes,
            "expected": loss_in(spec, X, y, loss, train=False)}


VALUE_CASES = [
    pytest.param(value_case(seed=11, dtype=torch.float32), id="batchnorm-float32"),
    pytest.param(value_case(seed=12, dtype=torch.float64), id="batchnorm-float64"),
    pytest.param(value_case(seed=13, dtype=torch.float32, batchnorm=False, dropout=0.5, classes=4),
                 id="dropout-cross-entropy"),
    pytest.param(value_case(seed=14, dtype=torch.float64, dropout=0.3, mode="eval"),
                 id="both-already-in-eval-mode"),
]


@pytest.mark.points(1)
@pytest.mark.parametrize("case", VALUE_CASES)
def test_eval_mode_loss(learner, case):
    """the loss of one eval-mode forward over all of X"""
    spec, X, y, loss = case["spec"], case["X"], case["y"], case["loss"]
    dtype, classes = case["dtype"], case["classes"]
    outcome = evaluate(learner, spec, X, y, loss)
    inputs = {"X": X, "y": y, "loss_fn": f"nn.{'CrossEntropyLoss' if classes else 'MSELoss'}()",
              "model": f"Linear → {'BatchNorm1d → ' if spec.params['batchnorm'] else ''}ReLU → "
                       f"{'Dropout → ' if spec.params['dropout'] else ''}Linear, in "
                       f"{spec.params['mode']} mode"}
    expected = case["expected"]
    got = checks.as_number(outcome, call=CALL, inputs=inputs, contract=CONTRACT, what="the loss")
    if checks.close(got, expected, dtype):
        return
    details = {"inputs": inputs, "expected": expected, "received": got, "contract": CONTRACT}
    if spec.params["dropout"] == 0 and checks.close(got, loss_in(spec, X, y, loss, train=True), dtype):
        checks.fail(f"{CALL}: the forward ran in train mode, so BatchNorm normalised with the "
                    f"batch's own statistics: {EVAL_FIX}", **details)
    if spec.params["dropout"] and spec.params["mode"] == "train":
        checks.fail(f"{CALL}: this is not the eval-mode loss; with Dropout still active each call "
                    f"gives another value: {EVAL_FIX}", **details)
    checks.fail(f"{CALL}: {checks.explain_miss(torch.tensor(got), torch.tensor(expected), dtype=dtype)}",
                **details)


@pytest.mark.points(1)
def test_one_forward_without_autograd(learner):
    """one forward over all of X, in eval mode and under torch.no_grad()"""
    spec = net(21, "no-grad", dropout=0.2)
    X, y = data(21, 9, torch.float32)
    outcome = evaluate(learner, spec, X, y, loss_spec(0))
    outcome.value  # noqa: B018 - surfaces an exception
    forwards = state_of(learner, outcome)["forwards"]
    if not forwards:
        checks.fail(f"{CALL} never called the model: compute loss_fn(model(X), y)", contract=CONTRACT)
    if len(forwards) > 1:
        checks.fail(f"{CALL} called the model {len(forwards)} times; one forward pass over all of X "
                    "is enough (keep its output, compute the loss from it)", contract=CONTRACT)
    forward = forwards[0]
    if any(forward["training"]):
        checks.fail(f"{CALL}: the forward ran in train mode: {EVAL_FIX}", contract=CONTRACT)
    if forward["grad_enabled"]:
        checks.fail(f"{CALL}: the forward ran with autograd on, building a graph nobody will use: "
                    "wrap it in `with torch.no_grad():`", contract=CONTRACT)
    if forward["rows"] != X.shape[0]:
        checks.fail(f"{CALL}: the forward saw {forward['rows']} rows; pass all {X.shape[0]} rows of "
                    "X at once", contract=CONTRACT)


# ---------------------------------------------------------------- the mode, before and after


@pytest.mark.points(1)
@pytest.mark.rule  # a function that does nothing leaves the mode alone too
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_train_mode_restored(learner, dtype):
    """a model in train mode is back in train mode afterwards, every submodule"""
    spec = net(31, f"train-mode-{cases.dtype_id(dtype)}", dropout=0.5, dtype=dtype, mode="train")
    X, y = data(31, 8, dtype)
    outcome = evaluate(learner, spec, X, y, loss_spec(0))
    outcome.value  # noqa: B018 - surfaces an exception
    flags = modes(state_of(learner, outcome))
    if all(flags):
        return
    if not any(flags):
        checks.fail(f"{CALL} left the model in eval mode; it was in train mode before: {RESTORE_FIX}",
                    contract=CONTRACT)
    if flags[0]:
        checks.fail(f"{CALL}: the model's own flag is back to train, but its submodules are still in "
                    "eval mode: model.train(was_training) sets every submodule, while "
                    "`model.training = ...` sets only the top one", contract=CONTRACT)
    checks.fail(f"{CALL}: some submodules were left in eval mode: {RESTORE_FIX}", contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_eval_mode_kept(learner):
    """a model in eval mode stays in eval mode"""
    spec = net(41, "eval-mode", dropout=0.5, mode="eval")
    X, y = data(41, 8, torch.float32)
    outcome = evaluate(learner, spec, X, y, loss_spec(0))
    outcome.value  # noqa: B018 - surfaces an exception
    flags = modes(state_of(learner, outcome))
    if any(flags):
        checks.fail(f"{CALL} put the model in train mode; it was in eval mode before the call and "
                    f"must stay so: restore the mode it had, not always train mode ({RESTORE_FIX})",
                    contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.parametrize("mode", ["train", "eval"])
def test_mode_restored_when_forward_raises(learner, mode):
    """when the forward raises, the error propagates and the mode is restored"""
    spec = net(51, f"raises-{mode}", dropout=0.5, mode=mode, fails=True)
    X, y = data(51, 6, torch.float32)
    outcome = evaluate(learner, spec, X, y, loss_spec(0))
    if outcome.raised is None:
        checks.fail(f"{CALL}: the model's forward raised RuntimeError('{FORWARD_FAILS}'), but "
                    f"evaluate returned {checks.fmt(outcome.returned)}: let the exception propagate "
                    "(try/finally, no except that swallows it)", contract=CONTRACT)
    if outcome.raised.is_a("NotImplementedError"):
        outcome.value  # noqa: B018 - "not written yet"
    if not (outcome.raised.is_a("RuntimeError") and FORWARD_FAILS in outcome.raised.message):
        checks.fail(f"{CALL}: the model's forward raised RuntimeError('{FORWARD_FAILS}'), but the "
                    f"caller got {outcome.raised.describe()}: let the original exception propagate",
                    contract=CONTRACT)
    flags = modes(state_of(learner, outcome))
    if any(flags) != (mode == "train") or all(flags) != (mode == "train"):
        checks.fail(f"{CALL}: after the forward raised, the model was left in "
                    f"{'eval' if mode == 'train' else 'train'} mode; it was in {mode} mode before: "
                    "restore the mode in a `finally:` block, which runs also when an exception "
                    "passes through", contract=CONTRACT)


# ---------------------------------------------------------------- rules


def unchanged_spec(dtype) -> Scenario:
    return net(61, f"unchanged-{cases.dtype_id(dtype)}", dtype=dtype, stale_grad=True)


# the judge's own copy of each model, as it is before the call: built once, at collection
UNCHANGED_BEFORE = {dtype: scenarios.judge_side(unchanged_spec(dtype)).state_dict(keep_vars=True)
                    for dtype in cases.DTYPES}


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_model_unchanged(learner, dtype):
    """leaves the parameters, their .grad and the buffers (running statistics) as they were"""
    X, y = data(61, 8, dtype)
    outcome = evaluate(learner, unchanged_spec(dtype), X, y, loss_spec(0))
    outcome.value  # noqa: B018 - surfaces an exception
    after = state_of(learner, outcome)["state"]
    for name, before in UNCHANGED_BEFORE[dtype].items():
        seen = after.get(name)
        if not isinstance(seen, TensorSeen):
            checks.fail(f"{CALL}: the model lost its entry {name}", contract=CONTRACT)
        if "running" in name and not torch.equal(seen.value, before.detach()):
            checks.fail(f"{CALL} changed BatchNorm's {name.rsplit('.', 1)[-1]}: a forward in train "
                        f"mode updates the running statistics; {EVAL_FIX}", expected=before.detach(),
                        received=seen.value, contract=CONTRACT)
        if name.endswith("num_batches_tracked") and not torch.equal(seen.value, before):
            checks.fail(f"{CALL} changed BatchNorm's num_batches_tracked: the forward ran in train "
                        f"mode; {EVAL_FIX}", contract=CONTRACT)
        checks.unchanged(before, seen, name=f"the model's {name}", call=CALL, contract=CONTRACT)


FLOAT_SPEC = net(71, "float", dtype=torch.float64)
FLOAT_X, FLOAT_Y = data(71, 8, torch.float64)
FLOAT_LOSS = loss_in(FLOAT_SPEC, FLOAT_X, FLOAT_Y, loss_spec(0), train=False)


@pytest.mark.points(1)
@pytest.mark.rule
def test_returns_python_float(learner):
    """returns a Python float"""
    outcome = evaluate(learner, FLOAT_SPEC, FLOAT_X, FLOAT_Y, loss_spec(0))
    checks.python_float(outcome, FLOAT_LOSS, call=CALL,
                        inputs={"X": FLOAT_X, "y": FLOAT_Y}, contract=CONTRACT, rtol=float("inf"),
                        atol=float("inf"))
