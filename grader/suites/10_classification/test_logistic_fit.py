"""Hidden suite for 10_classification/logistic_fit.

The float64 reference runs (the seed's over 2000 epochs, other data's) and the classic mistakes'
first 30 epochs on the seed are computed once, when the suite is collected; the mistakes' runs on
other data only when a run there misses (tests/test_published_numbers_05_10_11.py checks the seed's
reference against the published fit).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import ArraySeen, TensorSeen
from grader.suites.shared import classification_judge as judge
from grader.suites.shared import fit_loops

CONTRACT = ("fit_logistic(X, y, lr, epochs) -> (w, b, losses): w = zeros (D,), b = 0-d zero, in X's "
            "dtype; each epoch: append the mean BCE at (w, b) as a float (before the update), then "
            "one full-batch step with the exact gradient (as logistic_grad), both from the same old "
            "(w, b). Seed: hours (20,1), lr 0.5: losses[0] = ln 2; one epoch: w = [0.253125], b = 0; "
            "2000 epochs: b = −4.0777, w = [1.5046], losses[−1] = 0.401494; must not modify X, y")
FN = "fit_logistic"
CALL = "fit_logistic(X, y, lr, epochs)"
LR = 0.5
SEED_EPOCHS = 2000
SHORT = 30  # epochs over which the classic mistakes are told apart

# Computed once, at collection: the seed's references and the mistakes' short runs.
HOURS64 = judge.hours_data(torch.float64)
SEED_REF = judge.fit_run(*HOURS64, LR, SEED_EPOCHS)
SEED_SHORT_REF = judge.fit_run(*HOURS64, LR, SHORT)
SEED_KNOWN = {label: judge.fit_run(*HOURS64, LR, SHORT, **keywords)
              for label, keywords in judge.fit_mistakes(20).items()}
SEED_KNOWN_ONE_EPOCH = {label: judge.fit_run(*HOURS64, LR, 1, **keywords)
                        for label, keywords in judge.fit_mistakes(20).items()}


def other_data(case: str) -> tuple[torch.Tensor, torch.Tensor, float, int]:
    """(X, y, lr, epochs) beyond the seed."""
    if case == "float64-2d":
        X = cases.randn(611, 30, 2, scale=1.5)
        y = (X @ torch.tensor([1.5, -2.0], dtype=torch.float64) + 0.3 > cases.randn(612, 30)).double()
        return X, y, 0.3, 60
    if case == "float32-3d":
        X = cases.randn(621, 25, 3)
        y = (X @ torch.tensor([-1.0, 0.5, 2.0], dtype=torch.float64) > cases.randn(622, 25)).double()
        return X.float(), y.float(), 0.5, 40
    X = torch.tensor([[2.0, -1.0]], dtype=torch.float64)  # one sample
    return X, torch.tensor([1.0], dtype=torch.float64), 1.0, 20


OTHER_CASES = ["float64-2d", "float32-3d", "one-sample"]
OTHER_REFS = {case: judge.fit_run(*other_data(case)) for case in OTHER_CASES}  # at collection
TYPES_EPOCHS = 5


def types_data(dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor, float]:
    """(X, y, lr) of the types test: the float64-2d data in dtype."""
    X, y, lr, _ = other_data("float64-2d")
    return X.to(dtype), y.to(dtype), lr


TYPES_REFS = {dtype: judge.fit_run(*types_data(dtype), TYPES_EPOCHS) for dtype in cases.DTYPES}


@cache
def other_known(case: str) -> dict:
    """The classic mistakes' runs on other data, made when a run there misses (once per judge)."""
    X, y, lr, epochs = other_data(case)
    return {label: judge.fit_run(X, y, lr, epochs, **keywords)
            for label, keywords in judge.fit_mistakes(len(X)).items()}


def inputs_of(X, y, lr: float, epochs: int) -> dict:
    return {"X": X, "y": y, "lr": lr, "epochs": epochs}


# ---------------------------------------------------------------- reading what came back


def read_vector(seen) -> list[float] | None:
    if isinstance(seen, TensorSeen | ArraySeen) and seen.value.ndim >= 1:
        return [float(v) for v in seen.value.reshape(-1).tolist()]
    if isinstance(seen, list | tuple):
        read = [checks.read_number(v) for v in seen]
        return None if any(v is None for v in read) else read
    number = checks.read_number(seen)
    return None if number is None else [number]


def read_fit(outcome, inputs: dict, epochs: int, d: int) -> tuple[list[float], float, list[float]]:
    """(w, b, losses) as numbers, read leniently: their types have a test of their own."""
    result = outcome.value
    if not isinstance(result, tuple | list) or len(result) != 3:
        checks.fail(f"{CALL} should return a triple (w, b, losses)", inputs=inputs, received=result,
                    contract=CONTRACT)
    w, b, losses = read_vector(result[0]), checks.read_number(result[1]), fit_loops.read_numbers(result[2])
    if w is None or len(w) != d:
        checks.fail(f"{CALL}: could not read w (the first item) as {d} number{'s' * (d > 1)}: w has "
                    f"the shape of a row of X, ({d},)", inputs=inputs, received=result[0],
                    contract=CONTRACT)
    if b is None:
        checks.fail(f"{CALL}: could not read b (the second item) as one number", inputs=inputs,
                    received=result[1], contract=CONTRACT)
    if losses is None:
        checks.fail(f"{CALL}: could not read losses (the third item) as a list of numbers",
                    inputs=inputs, received=result[2], contract=CONTRACT)
    if len(losses) != epochs:
        checks.fail(f"{CALL} returned {len(losses)} losses for {epochs} epochs: record exactly one "
                    "loss per epoch, before its update", inputs=inputs, contract=CONTRACT)
    return w, b, losses


def same(got: tuple, ref: tuple, dtype: torch.dtype, params: bool = True) -> bool:
    w, b, losses = got
    return (checks.close(losses, ref[2], dtype) and
            (not params or (checks.close(w, list(ref[0]), dtype) and checks.close(b, ref[1], dtype))))


def judge_run(got: tuple, ref: tuple, known: dict | Callable[[], dict], inputs: dict,
              dtype: torch.dtype, *, params: bool = True) -> None:
    """Fail, naming the mistake, unless (w, b, losses) match the reference. ``known`` holds the
    classic mistakes' runs, or makes them (on a miss only). With ``params`` False, only the losses
    are compared (known runs may be shorter than the learner's)."""
    if same(got, ref, dtype, params):
        return
    epochs = len(got[2])
    shown = {"expected": [list(ref[0]), ref[1], ref[2]], "received": list(got), "inputs": inputs,
             "contract": CONTRACT, "extra": "shown as [w, b, losses]"}
    for label, wrong in (known() if callable(known) else known).items():
        short = len(wrong[2])
        if short <= epochs and same((got[0], got[1], got[2][:short]), wrong, dtype,
                                    params=params and short == epochs):
            checks.fail(f"{CALL}: {label}", **shown)
    w, b, losses = got
    if not judge.finite([*w, b, *losses]) or (len(losses) > 1 and losses[-1] > losses[0] + 1e-6):
        checks.fail(f"{CALL}: the loss grows instead of shrinking, so training diverges: check the "
                    "sign of the update (w ← w − lr·∂L/∂w) and the size of the gradient (a mean)",
                    **shown)
    if not checks.close(losses, ref[2], dtype):
        first = next(i for i in range(epochs) if not checks.close(losses[i], ref[2][i], dtype))
        checks.fail(f"{CALL}: the losses are wrong from losses[{first}] on: expected "
                    f"{ref[2][first]:.6g}, received {losses[first]:.6g}", **shown)
    checks.fail(f"{CALL}: the losses are right but the final w and b are not: is the last update "
                "applied, and are both gradients taken from the same (w, b)?", **shown)


# ---------------------------------------------------------------- the seed's numbers


def seed_one_epoch(learner, dtype: torch.dtype):
    """One epoch on the seed: one call per submission for the two tests that read it."""
    X, y = judge.hours_data(dtype)
    return learner.shared(("seed", dtype), lambda: learner.call(FN, X, y, LR, 1))


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_seed_first_loss(learner, dtype):
    """seed: losses[0] = ln 2 (every p is ½ at w = 0, b = 0)"""
    X, y = judge.hours_data(dtype)
    inputs = inputs_of(X, y, LR, 1)
    _, _, losses = read_fit(seed_one_epoch(learner, dtype), inputs, 1, 1)
    if not checks.close(losses[0], math.log(2), dtype):
        known = {label: run[2][0] for label, run in SEED_KNOWN.items()
                 if not checks.close(run[2][0], math.log(2), dtype)}
        why = checks.explain_miss(torch.tensor(losses[0]), torch.tensor(math.log(2)), n=20,
                                  known=known, dtype=dtype)
        checks.fail(f"{CALL}, losses[0]: {why}", inputs=inputs, expected=math.log(2),
                    received=losses[0], contract=CONTRACT,
                    extra="at w = 0, b = 0 every z is 0 and costs log(1 + e^0) = ln 2")


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_seed_one_epoch(learner, dtype):
    """seed: one epoch at lr 0.5 gives w = [0.253125], b = 0"""
    X, y = judge.hours_data(dtype)
    inputs = inputs_of(X, y, LR, 1)
    got = read_fit(seed_one_epoch(learner, dtype), inputs, 1, 1)
    ref = ([0.253125], 0.0, [math.log(2)])
    judge_run(got, ref, SEED_KNOWN_ONE_EPOCH, inputs, dtype)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_seed_trajectory(learner, dtype):
    """seed: every loss, w and b over 30 epochs"""
    X, y = judge.hours_data(dtype)
    inputs = inputs_of(X, y, LR, SHORT)
    got = read_fit(learner.call(FN, X, y, LR, SHORT), inputs, SHORT, 1)
    judge_run(got, SEED_SHORT_REF, SEED_KNOWN, inputs, dtype)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_seed_converges(learner, dtype):
    """seed: 2000 epochs give b = −4.0777, w = [1.5046] (within 1e-3), losses[−1] = 0.401494"""
    X, y = judge.hours_data(dtype)
    inputs = inputs_of(X, y, LR, SEED_EPOCHS)
    got = read_fit(learner.call(FN, X, y, LR, SEED_EPOCHS), inputs, SEED_EPOCHS, 1)
    w, b, losses = got
    if abs(b - -4.0777) <= 1e-3 and abs(w[0] - 1.5046) <= 1e-3 and abs(losses[-1] - 0.401494) <= 2e-6:
        judge_run(got, SEED_REF, {}, inputs, dtype)  # and every loss on the way
        return
    judge_run(got, SEED_REF, SEED_KNOWN, inputs, dtype, params=False)
    checks.fail(f"{CALL} should reach the published fit after 2000 epochs: b = −4.0777, "
                f"w = [1.5046]; it ended at b = {b:.6g}, w = {checks.fmt(w)} with losses[−1] = "
                f"{losses[-1]:.6g} (expected 0.401494)", inputs=inputs, contract=CONTRACT)


# ---------------------------------------------------------------- other data


@pytest.mark.points(1)
@pytest.mark.parametrize("case", OTHER_CASES)
def test_other_data(learner, case):
    """every loss, w and b on other data"""
    X, y, lr, epochs = other_data(case)
    inputs = inputs_of(X, y, lr, epochs)
    got = read_fit(learner.call(FN, X, y, lr, epochs), inputs, epochs, X.shape[1])
    judge_run(got, OTHER_REFS[case], lambda: other_known(case), inputs, X.dtype)


# ---------------------------------------------------------------- types and inputs


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_returns_tensors_in_the_dtype_of_X(learner, dtype):
    """w and b are tensors of X's dtype, shapes (D,) and (), without a graph"""
    X, y, lr = types_data(dtype)
    inputs = inputs_of(X, y, lr, TYPES_EPOCHS)
    result = learner.call(FN, X, y, lr, TYPES_EPOCHS).value
    if not isinstance(result, tuple | list) or len(result) != 3:
        checks.fail(f"{CALL} should return a triple (w, b, losses)", inputs=inputs, received=result,
                    contract=CONTRACT)
    w, b, _ = TYPES_REFS[dtype]
    checks.tensor(result[0], torch.tensor(w, dtype=dtype), call=f"{CALL}[0], w,", inputs=inputs,
                  contract=CONTRACT)
    checks.tensor(result[1], torch.tensor(b, dtype=dtype), call=f"{CALL}[1], b,", inputs=inputs,
                  contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_losses_are_python_floats(learner):
    """losses is a list of Python floats, one per epoch"""
    X, y = judge.hours_data(torch.float32)
    inputs = inputs_of(X, y, LR, 5)
    result = learner.call(FN, X, y, LR, 5).value
    losses = result[2] if isinstance(result, tuple | list) and len(result) == 3 else None
    fit_loops.check_python_floats(losses, 5, call=CALL, inputs=inputs, contract=CONTRACT,
                                  not_a_list=f"{CALL}: losses (the third item) should be a list",
                                  tensor_fix="use .item()")


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves X and y as they were"""
    X, y, lr, _ = other_data("float32-3d")
    outcome = learner.call(FN, X, y, lr, 5)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(X, outcome.args[0], name="X", call=FN, contract=CONTRACT)
    checks.unchanged(y, outcome.args[1], name="y", call=FN, contract=CONTRACT)
