"""Hidden suite for 09_beyond/minibatch."""

import functools
import math
from collections.abc import Callable

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import Scenario, TensorSeen

CONTRACT = ("minibatch_sgd(X, y, batch_size, lr, epochs, generator) -> (a, losses): ŷ = X@a, a "
            "starts at zeros; each epoch visits every row once in the order of torch.randperm(N, "
            "generator=generator), in batches of batch_size (the last may be smaller), one SGD "
            "update per batch on that batch's MSE; losses = full-data MSE after each epoch")
ORDER_HINT = ("check that each epoch draws its order with torch.randperm(N, generator=generator), "
              "once, and that nothing else draws from the generator")


# ---------------------------------------------------------------- the judge's replay


def replay(X, y, batch_size: int, lr: float, epochs: int, seed: int, *, shuffle: bool = True,
           same_order: bool = False, drop_last: bool = False, divide: str = "batch",
           sign: float = 1.0, factor: float = 2.0, loss: str = "after"):
    """The algorithm in float64 with the generator replayed; keywords make the classic mistakes."""
    X, y = X.double(), y.double()
    n, d = X.shape
    generator = torch.Generator().manual_seed(seed)
    a = torch.zeros(d, dtype=torch.float64)
    losses = []
    order = None
    for _ in range(epochs):
        before = float(((X @ a - y) ** 2).mean())
        if order is None or not same_order:
            order = torch.randperm(n, generator=generator)
        rows_order = order if shuffle else torch.arange(n)
        batch_losses = []
        for start in range(0, n, batch_size):
            rows = rows_order[start:start + batch_size]
            if drop_last and len(rows) < batch_size:
                break
            xb, yb = X[rows], y[rows]
            residual = xb @ a - yb
            batch_losses.append(float((residual ** 2).mean()))
            scale = {"batch": len(rows), "N": n, "batch_size": batch_size, "sum": 1}[divide]
            a = a - sign * lr * factor * xb.T @ residual / scale
        after = float(((X @ a - y) ** 2).mean())
        losses.append({"after": after, "before": before, "batch_mean": sum(batch_losses)
                       / max(len(batch_losses), 1), "last_batch": batch_losses[-1]}[loss])
    return a, losses


MISTAKES = {  # label: replay keywords
    "the rows were visited in their stored order: shuffle every epoch with "
    "torch.randperm(N, generator=generator)": {"shuffle": False},
    "the same order was used in every epoch: draw a new torch.randperm(N, generator=generator) "
    "at the start of each epoch": {"same_order": True},
    "the last, smaller batch was dropped: keep it, every row is visited once per epoch":
        {"drop_last": True},
    "each batch's gradient was divided by N, not by the batch's own size: average over the "
    "rows of the batch": {"divide": "N"},
    "the smaller last batch was divided by batch_size, not by its own size: use len(rows)":
        {"divide": "batch_size"},
    "the batch gradient is a sum, not a mean: off by a factor of the batch size; divide by it":
        {"divide": "sum"},
    "the sign is flipped: step against the gradient, a − lr·grad": {"sign": -1.0},
    "the factor 2 from differentiating the square is missing": {"factor": 1.0},
}
LOSS_MISTAKES = {
    "losses[i] is the loss before epoch i's updates; the contract asks for the full-data MSE "
    "after each epoch": {"loss": "before"},
    "losses[i] is the average of the batch losses seen during the epoch; the contract asks for "
    "the full-data MSE after the epoch's last update": {"loss": "batch_mean"},
    "losses[i] is the last batch's loss; the contract asks for the MSE over the full data":
        {"loss": "last_batch"},
}


def data(seed: int, n: int, d: int, dtype: torch.dtype, scale: float = 1.0, shift: float = 0.0):
    """Rows with a ones column (a bias), targets from a known line plus noise."""
    features = cases.randn(seed, n, d - 1, scale=scale)
    X = torch.cat([features, torch.ones(n, 1, dtype=torch.float64)], dim=1)
    a_true = cases.uniform(seed + 1, d, low=-2.0, high=3.0)
    y = X @ a_true + shift + 0.1 * cases.randn(seed + 2, n)
    return X.to(dtype), y.to(dtype)


# ---------------------------------------------------------------- reading what came back


def unpack(outcome):
    value = outcome.value
    if not isinstance(value, tuple | list) or len(value) != 2:
        checks.fail(f"minibatch_sgd should return a pair (a, losses); it returned {checks.fmt(value)}",
                    contract=CONTRACT)
    return value


def read_losses(losses, epochs: int) -> torch.Tensor:
    """The losses as float64 numbers, leniently (their exact type has its own test)."""
    if isinstance(losses, TensorSeen) and losses.value.dim() == 1:
        losses = [float(v) for v in losses.value.tolist()]
    numbers = ([checks.read_number(v, arrays=False, bool_scalars=True) for v in losses]
               if isinstance(losses, list | tuple) else None)
    if numbers is None or any(v is None for v in numbers):
        checks.fail(f"losses should be a list of numbers, one per epoch; got {checks.fmt(losses)}",
                    contract=CONTRACT)
    if len(numbers) != epochs:
        checks.fail(f"losses should hold one number per epoch ({epochs} epochs); it holds "
                    f"{len(numbers)}", received=losses, contract=CONTRACT)
    return torch.tensor(numbers, dtype=torch.float64)


def read_weights(a, d: int) -> torch.Tensor:
    if not isinstance(a, TensorSeen):
        checks.fail(f"a should be a tensor of shape ({d},); got {checks.fmt(a)}", contract=CONTRACT)
    return a.value.detach()


def compare(got: torch.Tensor, expected: torch.Tensor, dtype: torch.dtype, known: Callable[[], dict],
            hint: str | None = ORDER_HINT, **details):
    """checks.tensor on a plain tensor; the classic mistakes (known) are replayed only on a miss,
    and a hint (the shuffling one) is added when none of them fits."""
    known = {} if checks.close(got.to(dtype), expected.to(dtype), dtype) else known()
    try:
        checks.tensor(got.to(dtype) if got.is_floating_point() else got, expected.to(dtype),
                      known=known, **details)
    except checks.Mistake as miss:
        text = str(miss)
        if hint and "the values are off" in text:
            raise checks.Mistake(text + f"\n  hint: {hint}") from None
        raise


# ---------------------------------------------------------------- values


CASES = [
    pytest.param(dict(seed=1, n=10, d=3, dtype=torch.float32, batch_size=3, lr=0.05, epochs=4),
                 id="float32-N10-batch3"),
    pytest.param(dict(seed=2, n=10, d=3, dtype=torch.float64, batch_size=4, lr=0.05, epochs=3),
                 id="float64-N10-batch4"),
    pytest.param(dict(seed=3, n=7, d=2, dtype=torch.float64, batch_size=1, lr=0.02, epochs=2),
                 id="float64-N7-batch1"),
    pytest.param(dict(seed=4, n=11, d=4, dtype=torch.float32, batch_size=5, lr=2e-4, epochs=3,
                      scale=10.0, shift=-50.0), id="float32-large-negative"),
    pytest.param(dict(seed=5, n=1, d=2, dtype=torch.float64, batch_size=1, lr=0.1, epochs=3),
                 id="float64-N1"),
]


CASE_BY_SEED = {param.values[0]["seed"]: param.values[0] for param in CASES}


@functools.cache
def prepared(case_seed: int):
    """A value case's data, its (batch_size, lr, epochs), its generator's seed and its replay."""
    case = CASE_BY_SEED[case_seed]
    X, y = data(case["seed"], case["n"], case["d"], case["dtype"], case.get("scale", 1.0),
                case.get("shift", 0.0))
    args = (case["batch_size"], case["lr"], case["epochs"])
    return X, y, args, 100 + case["seed"], replay(X, y, *args, 100 + case["seed"])


@pytest.fixture(scope="module")
def outcomes() -> dict:
    """Each value case's outcome by its seed, made once per submission (this judge's): the weights
    test and the losses test examine the same call."""
    return {}


def run(learner, outcomes: dict, case: dict):
    X, y, args, seed, replayed = prepared(case["seed"])
    if case["seed"] not in outcomes:
        outcomes[case["seed"]] = learner.call("minibatch_sgd", X, y, *args,
                                              Scenario("torch_generator", {"seed": seed}))
    inputs = {"X": X, "y": y, "batch_size": args[0], "lr": args[1], "epochs": args[2],
              "generator": f"torch.Generator().manual_seed({seed})"}
    return X, y, args, seed, outcomes[case["seed"]], inputs, replayed


@pytest.mark.points(2)
@pytest.mark.parametrize("case", CASES)
def test_weights(learner, outcomes, case):
    """a after the last epoch, with the order replayed from the generator"""
    X, y, args, seed, outcome, inputs, (expected, _) = run(learner, outcomes, case)
    a, _ = unpack(outcome)
    known = lambda: {label: replay(X, y, *args, seed, **kw)[0] for label, kw in MISTAKES.items()}  # noqa: E731
    compare(read_weights(a, X.shape[1]), expected, X.dtype, known, call="minibatch_sgd: a",
            inputs=inputs, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.parametrize("case", CASES)
def test_losses(learner, outcomes, case):
    """losses: the full-data MSE after each epoch"""
    X, y, args, seed, outcome, inputs, (_, expected) = run(learner, outcomes, case)
    _, losses = unpack(outcome)
    got = read_losses(losses, args[2])

    def known():
        return {label: torch.tensor(replay(X, y, *args, seed, **kw)[1], dtype=torch.float64)
                for label, kw in {**LOSS_MISTAKES, **MISTAKES}.items()}

    compare(got, torch.tensor(expected, dtype=torch.float64), X.dtype, known,
            call="minibatch_sgd: losses", inputs=inputs, contract=CONTRACT)


@pytest.mark.points(3)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_full_batch_is_gradient_descent(learner, dtype):
    """batch_size = N is exactly full-batch gradient descent"""
    X, y = data(20, 9, 3, dtype)
    lr, epochs = 0.1, 5
    outcome = learner.call("minibatch_sgd", X, y, 9, lr, epochs, Scenario("torch_generator", {"seed": 9}))
    a, losses = unpack(outcome)
    X64, y64 = X.double(), y.double()
    expected, expected_losses = torch.zeros(3, dtype=torch.float64), []
    for _ in range(epochs):  # the closed form: a ← a − lr·(2/N)·Xᵀ(X@a − y)
        expected = expected - lr * 2 * X64.T @ (X64 @ expected - y64) / 9
        expected_losses.append(float(((X64 @ expected - y64) ** 2).mean()))
    inputs = {"X": X, "y": y, "batch_size": 9, "lr": lr, "epochs": epochs}
    math_mistakes = {label: kw for label, kw in MISTAKES.items()
                     if not {"shuffle", "same_order", "drop_last"} & set(kw)}
    compare(read_weights(a, 3), expected, dtype, lambda: {
        label: replay(X, y, 9, lr, epochs, 9, **kw)[0] for label, kw in math_mistakes.items()},
        hint=None, call="minibatch_sgd with batch_size = N: a", inputs=inputs, contract=CONTRACT)
    compare(read_losses(losses, epochs), torch.tensor(expected_losses), dtype, lambda: {
        label: torch.tensor(replay(X, y, 9, lr, epochs, 9, **kw)[1])
        for label, kw in {**LOSS_MISTAKES, **math_mistakes}.items()},
        hint=None, call="minibatch_sgd with batch_size = N: losses", inputs=inputs, contract=CONTRACT)


# ---------------------------------------------------------------- types and rules


@pytest.mark.points(1)
@pytest.mark.rule
def test_weights_type(learner):
    """a is a plain tensor of shape (D,), in the dtype of X, without an autograd graph"""
    X, y = data(30, 6, 3, torch.float32)
    outcome = learner.call("minibatch_sgd", X, y, 4, 0.05, 2, Scenario("torch_generator", {"seed": 3}))
    a, _ = unpack(outcome)
    expected, _ = replay(X, y, 4, 0.05, 2, 3)
    checks.tensor(a, expected.to(torch.float32), call="minibatch_sgd: a",
                  inputs={"X": X, "y": y, "batch_size": 4, "lr": 0.05, "epochs": 2},
                  contract=CONTRACT, rtol=math.inf, atol=math.inf)  # values have their own tests


@pytest.mark.points(1)
@pytest.mark.rule
def test_losses_are_python_floats(learner):
    """losses is a list of Python floats"""
    X, y = data(31, 6, 3, torch.float64)
    outcome = learner.call("minibatch_sgd", X, y, 4, 0.05, 3, Scenario("torch_generator", {"seed": 4}))
    _, losses = unpack(outcome)
    if not isinstance(losses, list):
        checks.fail(f"losses should be a list of Python floats; it is {checks.fmt(losses)}",
                    contract=CONTRACT)
    for item in losses:
        if type(item) is not float:
            checks.fail(f"losses should hold Python floats; it holds {checks.fmt(item)}: append "
                        "loss.item() (or float(loss)), not the tensor", contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves X and y as they were"""
    X, y = data(32, 8, 3, torch.float32)
    outcome = learner.call("minibatch_sgd", X, y, 3, 0.05, 2, Scenario("torch_generator", {"seed": 5}))
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(X, outcome.args[0], name="X", call="minibatch_sgd", contract=CONTRACT)
    checks.unchanged(y, outcome.args[1], name="y", call="minibatch_sgd", contract=CONTRACT)


# The value cases' data and replays depend on constants only: made once at collection, in the
# grader, so each judge forked from it shares them
for _seed in CASE_BY_SEED:
    prepared(_seed)
