"""Hidden suite for 08_line_fit/line_fit."""

from collections.abc import Callable

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import ArraySeen, TensorSeen
from grader.sandbox.seam import LearnerRaised

CONTRACT = ("fit_line(x, y, lr, steps) -> Tensor: x (N,2) with a column of ones, y (N,); a = "
            "nn.Parameter starting at [−1., 1.]; each step loss = MSE(x@a, y), backward, "
            "a.sub_(lr·a.grad) under no_grad, zero the grad; returns a detached copy of a")
CALL = "fit_line(x, y, lr, steps)"
START = (-1.0, 1.0)


# ---------------------------------------------------------------- data and references (float64)


def line_data(seed: int, n: int, dtype: torch.dtype, *, spread: float = 1.0, slope: float = 3.0,
              intercept: float = 2.0) -> tuple[torch.Tensor, torch.Tensor]:
    """The fast.ai notes' data: inputs uniform in [−spread, spread], a column of ones, y a noisy line."""
    u = cases.uniform(seed, n, low=-spread, high=spread)
    noise = cases.uniform(seed + 1, n, low=0.0, high=1.0)
    x = torch.stack([u, torch.ones(n, dtype=torch.float64)], dim=1)
    return x.to(dtype), (slope * u + intercept + noise).to(dtype)


def gradient(x: torch.Tensor, y: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """d/da mean((x@a − y)²) = (2/N)·xᵀ(x@a − y)."""
    return 2.0 * x.T @ (x @ a - y) / y.numel()


def descend(x: torch.Tensor, y: torch.Tensor, lr: float, steps: int, *, accumulate: bool = False,
            broadcast: bool = False, total: bool = False, sign: float = 1.0) -> torch.Tensor:
    x, y = x.double(), y.double()
    a, pile = torch.tensor(START, dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    for _ in range(steps):
        # broadcasting (N,1) against (N,) averages over all N×N pairs: y is replaced by its mean
        g = gradient(x, torch.full_like(y, float(y.mean())) if broadcast else y, a)
        g = g * y.numel() if total else g
        if accumulate:
            pile = pile + g
            g = pile
        a = a - sign * lr * g
    return a


def wrong_answers(x: torch.Tensor, y: torch.Tensor, lr: float, steps: int) -> dict:
    known = {
        "the gradient accumulates across steps: zero a.grad after each update (a.grad.zero_())":
            descend(x, y, lr, steps, accumulate=True),
        "the sign of the update is flipped: a.sub_(lr * a.grad) walks downhill":
            descend(x, y, lr, steps, sign=-1.0),
        "the loss is a sum, not a mean: off by a factor of N in every gradient":
            descend(x, y, lr, steps, total=True),
        "x @ a and y have different shapes, an (N, 1) column against an (N,) vector, so they "
        "broadcast to an N×N matrix: keep both of shape (N,)": descend(x, y, lr, steps, broadcast=True),
        "that is the starting value [−1, 1]: did the updates reach a?":
            torch.tensor(START, dtype=torch.float64),
    }
    if y.numel() == 1:  # one row: broadcasting changes nothing, the mean is the sum
        known = {k: v for k, v in known.items() if "broadcast" not in k and "a sum" not in k}
    return known


# ---------------------------------------------------------------- reading and judging a result


def result_of(outcome, inputs: str) -> TensorSeen | ArraySeen:
    """What fit_line returned; an exception becomes a message with a hint when we know one."""
    try:
        value = outcome.value
    except LearnerRaised as error:
        text = error.raised.message.lower()
        if "does not require grad" in text or "grad_fn" in text:
            checks.fail(f"{error}: a stopped being a leaf Parameter that requires grad; update it in "
                        "place with a.sub_(lr * a.grad) under torch.no_grad() instead of a = a - …",
                        inputs=inputs, contract=CONTRACT)
        if "dtype" in text or "double" in text:
            checks.fail(f"{error}: create a in the dtype of x (dtype=x.dtype)", inputs=inputs,
                        contract=CONTRACT)
        raise
    if not isinstance(value, TensorSeen | ArraySeen):
        checks.fail(f"{CALL} should return a torch.Tensor [slope, intercept]; it returned "
                    f"{checks.fmt(value)}", inputs=inputs, contract=CONTRACT)
    return value


def numbers(outcome, inputs: str) -> torch.Tensor:
    """The two returned numbers in float64, read leniently (type, dtype, shape have their tests)."""
    try:
        value = outcome.value
    except LearnerRaised:
        result_of(outcome, inputs)  # raises, with a hint when there is one
        raise
    if isinstance(value, list | tuple) and all(type(v) in (float, int) for v in value):
        values = torch.tensor(value, dtype=torch.float64)
    else:
        seen = result_of(outcome, inputs)
        values = torch.as_tensor(seen.value).detach().to(torch.float64)
    if values.numel() != 2:
        checks.fail(f"{CALL} should return the 2 numbers of a, [slope, intercept]; it returned "
                    f"shape {tuple(values.shape)}", inputs=inputs, received=values,
                    contract=CONTRACT)
    return values.reshape(-1)


def check_values(got: torch.Tensor, expected: torch.Tensor, *, inputs: str,
                 known: Callable[[], dict]) -> None:
    """``known`` makes the known wrong answers, only to explain a miss."""
    if checks.close(got, expected, torch.float32):
        return
    if not torch.isfinite(got).all() or got.abs().max() > 1e6 * max(1.0, float(expected.abs().max())):
        why = ("the descent diverged (a ran off to huge numbers, inf or nan): check the loss is the "
               "mean, and the update is a.sub_(lr * a.grad)")
    else:
        why = checks.explain_miss(got, expected, known=known(), dtype=torch.float32)
    checks.fail(f"{CALL}: {why}", inputs=inputs, expected=expected, received=got,
                contract=CONTRACT)


def shown(x: torch.Tensor, y: torch.Tensor, lr: float, steps: int) -> str:
    return (f"x = {checks.fmt(x)}, y = {checks.fmt(y)}, lr = {lr:g}, steps = {steps}")


# ---------------------------------------------------------------- tests


VALUE_CASES = [
    pytest.param(dict(seed=1, n=100, dtype=torch.float32), 0.1, 100, id="fastai-float32-N100"),
    pytest.param(dict(seed=3, n=30, dtype=torch.float64, slope=-0.5, intercept=4.0), 0.2, 40,
                 id="float64-N30"),
    pytest.param(dict(seed=5, n=1, dtype=torch.float64), 0.1, 10, id="N1"),
    pytest.param(dict(seed=7, n=20, dtype=torch.float32, spread=10.0, slope=-4.0, intercept=-30.0),
                 0.005, 60, id="large-negative-float32"),
]


def _case_key(data: dict, lr: float, steps: int) -> tuple:
    return (*sorted(data.items()), lr, steps)


# The references depend on constants only: computed once at collection, in the grader, so each
# judge forked from it shares them
DESCENTS = {_case_key(case.values[0], *case.values[1:]): descend(*line_data(**case.values[0]),
                                                                 *case.values[1:])
            for case in VALUE_CASES}


@pytest.mark.points(1)
@pytest.mark.parametrize("data, lr, steps", VALUE_CASES)
def test_matches_gradient_descent(learner, data, lr, steps):
    """a after `steps` descent steps on the mean squared error"""
    x, y = line_data(**data)
    inputs = shown(x, y, lr, steps)
    got = numbers(learner.call("fit_line", x, y, lr, steps), inputs)
    check_values(got, DESCENTS[_case_key(data, lr, steps)], inputs=inputs,
                 known=lambda: wrong_answers(x, y, lr, steps))


@pytest.mark.points(1)
def test_one_step_uses_the_mse_gradient(learner):
    """one step moves a by −lr·(2/N)·xᵀ(x@a − y), checked by central differences"""
    x, y = line_data(11, 10, torch.float64, slope=1.5, intercept=-1.0)
    lr = 0.05
    inputs = shown(x, y, lr, 1)
    got = numbers(learner.call("fit_line", x, y, lr, 1), inputs)
    a0 = torch.tensor(START, dtype=torch.float64)
    implied = (a0 - got) / lr  # the gradient the step used
    closed = gradient(x, y, a0)

    def loss(a: torch.Tensor) -> float:
        return float(((x @ a - y) ** 2).mean())

    h = 1e-6
    numeric = torch.tensor([(loss(a0 + h * e) - loss(a0 - h * e)) / (2 * h)
                            for e in torch.eye(2, dtype=torch.float64)], dtype=torch.float64)
    assert torch.allclose(numeric, closed, rtol=1e-6, atol=1e-8)  # the judge's own check
    known = {"x @ a and y have different shapes, an (N, 1) column against an (N,) vector, so they "
             "broadcast to an N×N matrix: keep both of shape (N,)":
             gradient(x, torch.full_like(y, float(y.mean())), a0)}
    for reference, name in [(closed, "(2/N)·xᵀ(x@a − y)"), (numeric, "central differences")]:
        if not checks.close(implied, reference, torch.float32):
            why = checks.explain_miss(implied, reference, n=y.numel(), known=known,
                                      dtype=torch.float32)
            checks.fail(f"{CALL}: after one step, (a_start − a)/lr should be the gradient {name}; "
                        f"{why}", inputs=inputs, expected=reference, received=implied,
                        contract=CONTRACT)


# Each step shrinks the distance to the line by a third or more here: 60 steps end 1e-12 from it,
# far inside the float32 tolerance the learner's answer is held to
REACH_STEPS = 60


def _least_squares() -> tuple[torch.Tensor, bool]:
    """The least-squares line of the test below, and whether its descent reaches it."""
    x, y = line_data(13, 50, torch.float64, slope=2.0, intercept=0.5)
    best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
    return best, torch.allclose(descend(x, y, 0.5, REACH_STEPS), best, rtol=0, atol=1e-9)


LEAST_SQUARES = _least_squares()  # at collection, like DESCENTS


@pytest.mark.points(1)
def test_reaches_the_least_squares_line(learner):
    """enough steps reach the least-squares line"""
    x, y = line_data(13, 50, torch.float64, slope=2.0, intercept=0.5)
    lr, steps = 0.5, REACH_STEPS
    best, reached = LEAST_SQUARES
    assert reached  # the judge's own check
    inputs = shown(x, y, lr, steps)
    got = numbers(learner.call("fit_line", x, y, lr, steps), inputs)
    check_values(got, best, inputs=inputs, known=lambda: wrong_answers(x, y, lr, steps))


@pytest.mark.points(1)
@pytest.mark.rule
def test_returns_a_detached_plain_tensor(learner):
    """returns a detached copy of a: a plain torch.Tensor, not the Parameter, without a graph"""
    x, y = line_data(17, 8, torch.float32)
    inputs = shown(x, y, 0.1, 5)
    seen = result_of(learner.call("fit_line", x, y, 0.1, 5), inputs)
    if not isinstance(seen, TensorSeen):
        checks.fail(f"{CALL} should return a torch.Tensor; it returned a numpy array",
                    inputs=inputs, contract=CONTRACT)
    if seen.type_name.endswith("Parameter"):
        checks.fail(f"{CALL} returned the Parameter a itself: return a detached copy, "
                    "a.detach().clone(), a plain torch.Tensor", inputs=inputs, contract=CONTRACT)
    if not seen.exact:
        checks.fail(f"{CALL} returned a {seen.type_name}; return a plain torch.Tensor",
                    inputs=inputs, contract=CONTRACT)
    checks.no_graph(seen, call=CALL, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_dtype_and_shape(learner, dtype):
    """a has shape (2,) and the dtype of x"""
    x, y = line_data(19, 12, dtype)
    inputs = shown(x, y, 0.1, 5)
    outcome = learner.call("fit_line", x, y, 0.1, 5)
    if isinstance(outcome.value, list | tuple):  # no dtype to check; the type has its own test
        numbers(outcome, inputs)
        return
    got = torch.as_tensor(result_of(outcome, inputs).value)
    if got.dtype != dtype:
        checks.fail(f"{CALL} returned {cases.dtype_id(got.dtype)} for {cases.dtype_id(dtype)} x: "
                    "work in the dtype of x (create a with dtype=x.dtype)", inputs=inputs,
                    contract=CONTRACT)
    if tuple(got.shape) != (2,):
        hint = (": a column a makes x @ a an (N, 1) column, which broadcasts against y of shape "
                "(N,) to an N×N matrix" if tuple(got.shape) == (2, 1) else "")
        checks.fail(f"{CALL} returned shape {tuple(got.shape)}; a has shape (2,){hint}",
                    inputs=inputs, received=got, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves x and y as they were"""
    x, y = line_data(23, 12, torch.float32)
    outcome = learner.call("fit_line", x, y, 0.1, 5)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(x, outcome.args[0], name="x", call=CALL, contract=CONTRACT)
    checks.unchanged(y, outcome.args[1], name="y", call=CALL, contract=CONTRACT)

