"""Hidden suite for 04_updates/sgd_numpy."""

import numpy as np
import pytest

from grader.grading import cases, checks
from grader.sandbox.codec import ArraySeen

CONTRACT = ("sgd_update(w, grad, lr: float): returns w − lr·grad for a float or an ndarray; "
            "must not modify w")


def wrong_answers(w, grad, lr) -> dict:
    return {
        "the sign is flipped: step against the gradient, w − lr·grad": w + lr * grad,
        "the learning rate is missing: the step is lr·grad, not grad": w - grad,
        "you returned the step lr·grad, not the updated weights w − lr·grad": lr * grad,
        "you returned the step −lr·grad, not the updated weights w − lr·grad": -lr * grad,
    }


FLOAT_CASES = [
    pytest.param(0.0, -30.0, 0.01, id="notebook-first-step"),
    pytest.param(1.5, 2.25, 0.1, id="positive"),
    pytest.param(-3.75, -12.5, 0.03, id="negative"),
    pytest.param(2.5e4, -8.0e5, 1e-3, id="large"),
    # w itself is the answer, what returning w unchanged gives: a rule, worth points once steps are right
    pytest.param(0.7, 3.0, 0.0, id="lr-zero", marks=pytest.mark.rule),
]


@pytest.mark.points(1)
@pytest.mark.parametrize("w, grad, lr", FLOAT_CASES)
def test_float_value(learner, w, grad, lr):
    """w − lr·grad for floats"""
    outcome = learner.call("sgd_update", w, grad, lr)
    expected = w - lr * grad
    got = checks.read_number(outcome.value, bool_scalars=True)  # leniently: the float type has its own test
    inputs = {"w": w, "grad": grad, "lr": lr}
    if got is None:
        checks.fail(f"sgd_update(w, grad, lr) should return a number for float inputs; it returned "
                    f"{checks.fmt(outcome.value)}", inputs=inputs, expected=expected, contract=CONTRACT)
    checks.python_float(got, expected, call="sgd_update(w, grad, lr)", inputs=inputs,
                        contract=CONTRACT, known=wrong_answers(w, grad, lr))


@pytest.mark.points(1)
def test_float_returns_python_float(learner):
    """a Python float for float inputs"""
    outcome = learner.call("sgd_update", 1.25, -0.5, 0.2)
    checks.python_float(outcome, 1.35, call="sgd_update(1.25, -0.5, 0.2)",
                        inputs={"w": 1.25, "grad": -0.5, "lr": 0.2}, contract=CONTRACT,
                        known=wrong_answers(1.25, -0.5, 0.2))


def arrays(seed: int, shape: tuple, dtype) -> tuple[np.ndarray, np.ndarray]:
    w = cases.randn(seed, *shape, scale=3.0).numpy().astype(dtype)
    grad = cases.randn(seed + 1, *shape, scale=5.0, shift=-1.0).numpy().astype(dtype)
    return w, grad


def array_reference(w: np.ndarray, grad: np.ndarray, lr: float) -> np.ndarray:
    return (w.astype(np.float64) - lr * grad.astype(np.float64)).astype(w.dtype)


def array_case(dtype, shape: tuple[int, ...], lr: float) -> tuple:
    """(w, grad, lr, the updated w, the known wrong answers), computed once at collection."""
    w, grad = arrays(40 + len(shape), shape, dtype)
    return w, grad, lr, array_reference(w, grad, lr), wrong_answers(w.astype(np.float64),
                                                                    grad.astype(np.float64), lr)


ARRAY_CASES = [
    pytest.param(array_case(np.float64, (6,), 0.1), id="float64-6"),
    pytest.param(array_case(np.float32, (6,), 0.1), id="float32-6"),
    pytest.param(array_case(np.float64, (3, 4), 0.05), id="float64-3x4"),
    pytest.param(array_case(np.float64, (1,), 0.5), id="float64-1"),
]


@pytest.mark.points(1)
@pytest.mark.parametrize("case", ARRAY_CASES)
def test_array_value(learner, case):
    """w − lr·grad for arrays"""
    w, grad, lr, expected, known = case
    outcome = learner.call("sgd_update", w, grad, lr)
    seen = outcome.value
    if isinstance(seen, ArraySeen) and seen.value.dtype != w.dtype:  # the dtype has its own test
        seen = ArraySeen(value=seen.value.astype(w.dtype), type_name=seen.type_name)
    checks.array(seen, expected, call="sgd_update(w, grad, lr)",
                 inputs={"w": w, "grad": grad, "lr": lr}, contract=CONTRACT, known=known)


@pytest.mark.points(1)
@pytest.mark.rule
def test_array_keeps_dtype(learner):
    """float32 arrays in, a float32 array out"""
    w, grad = arrays(50, (5,), np.float32)
    outcome = learner.call("sgd_update", w, grad, 0.1)
    seen = outcome.value
    if not isinstance(seen, ArraySeen):
        checks.fail(f"sgd_update(w, grad, lr) should return a numpy array for array inputs; it "
                    f"returned {checks.fmt(seen)}", contract=CONTRACT)
    if seen.value.dtype != np.float32:
        checks.fail(f"sgd_update returned a {seen.value.dtype} array for float32 inputs: work in the "
                    "dtype of the inputs (w - lr * grad keeps it; np.array(w, dtype=float) does not)",
                    inputs={"w": w, "grad": grad, "lr": 0.1}, contract=CONTRACT)


@pytest.mark.points(2)
@pytest.mark.rule
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=cases.dtype_id)
def test_inputs_unchanged(learner, dtype):
    """leaves w and grad as they were"""
    w, grad = arrays(60, (4,), dtype)
    outcome = learner.call("sgd_update", w, grad, 0.25)
    outcome.value  # noqa: B018 - surfaces an exception first
    for name, before, after in (("w", w, outcome.args[0]), ("grad", grad, outcome.args[1])):
        checks.array_unchanged(before, after, name=f"the caller's {name}", call="sgd_update",
                               contract=CONTRACT, inputs={"w": w, "grad": grad, "lr": 0.25},
                               same_dtype=False, fix="`w -= lr * grad` updates the array in place; "
                               "return w - lr * grad, a new array, instead")


@pytest.mark.points(1)
def test_repeated_steps_descend(learner):
    """three steps from w = 0 on the notebook's data reach 0.77175"""
    x = np.array([1.0, 2.0, 3.0, 4.0])
    y = 2 * x
    w, path = 0.0, []
    for _ in range(3):
        grad = float(np.mean(2 * x * (w * x - y)))
        got = checks.read_number(learner.call("sgd_update", w, grad, 0.01).value, bool_scalars=True)
        expected = w - 0.01 * grad
        if got is None or not checks.close(got, expected):
            checks.fail(f"sgd_update({w:.6g}, {grad:.6g}, 0.01) gave {checks.fmt(got)} on step "
                        f"{len(path) + 1}, expected {expected:.6g}",
                        extra=f"w so far: {checks.fmt(path)}", contract=CONTRACT)
        w = got
        path.append(w)
    if not checks.close(w, 0.77175):
        checks.fail("three steps from w = 0 with lr 0.01 should reach w = 0.77175",
                    expected=0.77175, received=w, contract=CONTRACT)
