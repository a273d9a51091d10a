"""Hidden suite for 05_loops/fit_optim."""

import math

import numpy as np
import pytest
import torch

from grader import cases, checks
from grader.codec import ArraySeen, NumpyScalarSeen, TensorSeen

FN = "fit_optim"
CALL = "fit_optim(X, y, lr, epochs)"
CONTRACT = ("fit_optim(X, y, lr, epochs) -> (float, list[float]): ŷ = w·x from w = 0.0; "
            "nn.MSELoss and torch.optim.SGD (zero_grad, backward, step) every epoch; losses[i] is "
            "the loss of epoch i, before its update")
SEED_X = torch.tensor([1.0, 2.0, 3.0, 4.0])
SEED_Y = 2 * SEED_X


# ---------------------------------------------------------------- the judge's reference


def run(X, y, lr, epochs, *, loss_scale=1.0, sign=1.0, after=False, accumulate=False,
        broadcast=False, frozen=False, restart=False):
    """The specified loop in float64 (and, with the keywords, classic ways of getting it wrong)."""
    x = X.detach().double().numpy()
    t = y.detach().double().numpy()
    if broadcast:  # ŷ of shape (N, 1) against y of shape (N,): an N×N table of differences
        x, t = x[:, None], t[None, :]

    def loss_and_grad(w):
        r = w * x - t
        return loss_scale * float(np.mean(r**2)), loss_scale * float(np.mean(2 * x * r))

    w, step, losses = 0.0, 0.0, []
    for _ in range(epochs):
        if restart:  # w (and its optimizer) made afresh inside the loop
            w = 0.0
        loss, grad = loss_and_grad(w)
        step = step + grad if accumulate else grad
        if not frozen:  # zero_grad() between backward() and step(): nothing to step with
            w = w - sign * lr * step
        losses.append(loss_and_grad(w)[0] if after else loss)
    return w, losses


def mistakes(X, y, lr, epochs):
    n = len(X)
    known = {
        "the gradient accumulates from epoch to epoch: backward() adds into w.grad, so call "
        "optimizer.zero_grad() in every epoch": run(X, y, lr, epochs, accumulate=True),
        "w never moves: the gradient is cleared between backward() and step(); call "
        "optimizer.zero_grad() before backward(), at the start of the epoch":
            run(X, y, lr, epochs, frozen=True),
        "losses[i] is recorded after epoch i's update; record each loss before "
        "optimizer.step()": run(X, y, lr, epochs, after=True),
        "w starts again from 0.0 in every epoch: create w and the optimizer once, before the "
        "loop": run(X, y, lr, epochs, restart=True),
        "the update goes uphill, so training diverges: the sign is flipped (minimize the loss "
        "itself, with a positive lr)": run(X, y, lr, epochs, sign=-1.0),
    }
    if n > 1:
        known[f"the loss is off by a factor of N = {n} (and so is its gradient): use "
              "nn.MSELoss() with its default reduction, the mean"] = run(X, y, lr, epochs, loss_scale=n)
        known[f"ŷ has shape ({n}, 1) and broadcasts against y of shape ({n},), so the loss "
              "compares every prediction with every target: keep ŷ the shape of y"] = run(
            X, y, lr, epochs, broadcast=True)
    return known


# ---------------------------------------------------------------- reading what came back


RAISE_HINTS = {
    "non-leaf Tensor": "give torch.optim.SGD the leaf tensor w itself (made with "
    "requires_grad=True), not an expression computed from it",
    "empty parameter list": "pass the parameters to the optimizer: torch.optim.SGD([w], lr=lr)",
    "does not require grad": "the loss has no graph: create w with requires_grad=True and "
    "compute the loss outside torch.no_grad()",
    "backward through the graph a second time": "compute the loss afresh in every epoch and "
    "call backward() once on it",
    "leaf Variable that requires grad": "let optimizer.step() update w; do not change w "
    "yourself",
}


def value_of(outcome):
    raised = outcome.raised
    if raised is not None and not raised.is_a("NotImplementedError"):
        for key, hint in RAISE_HINTS.items():
            if key in raised.message or key in raised.type:
                checks.fail(f"{outcome.function} raised {raised.describe()}: {hint}",
                            contract=CONTRACT)
    return outcome.value


def number(value):
    """A number read leniently: the exact type has its own test."""
    if type(value) in (float, int):
        return float(value)
    if isinstance(value, NumpyScalarSeen) and type(value.value) in (float, int):
        return float(value.value)
    if isinstance(value, ArraySeen) and value.value.size == 1:
        return float(value.value.reshape(-1)[0])
    if isinstance(value, TensorSeen) and value.value.numel() == 1:
        return float(value.value.reshape(-1)[0])
    return None


def numbers(value):
    if isinstance(value, TensorSeen | ArraySeen) and value.value.ndim == 1:
        return [float(v) for v in value.value.tolist()]
    if isinstance(value, list | tuple):
        read = [number(v) for v in value]
        return None if any(v is None for v in read) else read
    return None


def inputs_of(X, y, lr, epochs):
    return {"X": X, "y": y, "lr": lr, "epochs": epochs}


def read_result(outcome, inputs, epochs):
    result = value_of(outcome)
    if not isinstance(result, tuple | list) or len(result) != 2:
        checks.fail(f"{CALL} should return a pair (w, losses)", inputs=inputs, received=result,
                    contract=CONTRACT)
    w, losses = number(result[0]), numbers(result[1])
    if w is None:
        checks.fail(f"{CALL}: could not read w (the first item) as a number", inputs=inputs,
                    received=result[0], contract=CONTRACT)
    if losses is None:
        checks.fail(f"{CALL}: could not read losses (the second item) as a list of numbers",
                    inputs=inputs, received=result[1], contract=CONTRACT)
    if len(losses) != epochs:
        checks.fail(f"{CALL} returned {len(losses)} losses for {epochs} epochs: record exactly "
                    "one loss per epoch", inputs=inputs, contract=CONTRACT)
    return w, losses


def same_run(w, losses, ref, dtype):
    return checks.close(w, ref[0], dtype) and checks.close(losses, ref[1], dtype)


def check_run(outcome, X, y, lr, epochs, dtype):
    """Compare the whole trajectory (every loss and the final w) with the float64 reference."""
    inputs = inputs_of(X, y, lr, epochs)
    w, losses = read_result(outcome, inputs, epochs)
    ref = run(X, y, lr, epochs)
    if same_run(w, losses, ref, dtype):
        return
    shown = {"expected": [ref[0], ref[1]], "received": [w, losses], "inputs": inputs,
             "contract": CONTRACT, "extra": "shown as [w, losses]"}
    for label, wrong in mistakes(X, y, lr, epochs).items():
        if same_run(w, losses, wrong, dtype):
            checks.fail(f"{CALL}: {label}", **shown)
    if not all(math.isfinite(v) for v in [w, *losses]) or (
            len(losses) > 1 and losses[-1] > losses[0] > ref[1][-1]):
        checks.fail(f"{CALL}: the loss grows instead of shrinking, so training diverges: check "
                    "that optimizer.zero_grad() runs in every epoch and that lr is passed as "
                    "given", **shown)
    if not checks.close(losses, ref[1], dtype):
        why = checks.explain_miss(torch.tensor(losses), torch.tensor(ref[1]), n=len(X),
                                  dtype=dtype)
        checks.fail(f"{CALL}: the losses are wrong: {why}", **shown)
    why = checks.explain_miss(torch.tensor(w), torch.tensor(ref[0]), n=len(X), dtype=dtype)
    checks.fail(f"{CALL}: the losses are right but the final w is not: {why}", **shown)


def known_values(X, y, lr, epochs, pick, expected):
    """The wrong answers of the classic mistakes for one number, where they differ from the truth."""
    found = {label: pick(wrong) for label, wrong in mistakes(X, y, lr, epochs).items()}
    return {label: v for label, v in found.items() if not checks.close(v, expected, torch.float32)}


# ---------------------------------------------------------------- the seed's numbers


@pytest.mark.points(1)
def test_seed_first_loss(learner):
    """seed: losses[0] = 30.0"""
    inputs = inputs_of(SEED_X, SEED_Y, 0.01, 1)
    _, losses = read_result(learner.call(FN, SEED_X, SEED_Y, 0.01, 1), inputs, 1)
    if not checks.close(losses[0], 30.0, torch.float32):
        known = known_values(SEED_X, SEED_Y, 0.01, 1, lambda r: r[1][0], 30.0)
        why = checks.explain_miss(torch.tensor(losses[0]), torch.tensor(30.0), n=4, known=known,
                                  dtype=torch.float32)
        checks.fail(f"{CALL}, losses[0]: {why}", inputs=inputs, expected=30.0,
                    received=losses[0], contract=CONTRACT,
                    extra="with w = 0: mean((0·x − 2x)²) = mean(4x²) = 30")


@pytest.mark.points(1)
def test_seed_one_epoch(learner):
    """seed: one epoch at lr 0.01 takes w from 0 to 0.3"""
    inputs = inputs_of(SEED_X, SEED_Y, 0.01, 1)
    w, _ = read_result(learner.call(FN, SEED_X, SEED_Y, 0.01, 1), inputs, 1)
    if not checks.close(w, 0.3, torch.float32):
        known = known_values(SEED_X, SEED_Y, 0.01, 1, lambda r: r[0], 0.3)
        why = checks.explain_miss(torch.tensor(w), torch.tensor(0.3), n=4, known=known,
                                  dtype=torch.float32)
        checks.fail(f"{CALL}, w after one epoch: {why}", inputs=inputs, expected=0.3, received=w,
                    contract=CONTRACT,
                    extra="at w = 0, dL/dw = mean(2x(0 − 2x)) = −30, so w = 0 − 0.01·(−30)")


@pytest.mark.points(1)
def test_seed_converges(learner):
    """seed: w → 2 and the loss → 0"""
    epochs = 300
    outcome = learner.call(FN, SEED_X, SEED_Y, 0.01, epochs)
    w, losses = read_result(outcome, inputs_of(SEED_X, SEED_Y, 0.01, epochs), epochs)
    if abs(w - 2.0) > 1e-4 or not losses[-1] < 1e-6:
        check_run(outcome, SEED_X, SEED_Y, 0.01, epochs, torch.float32)
        checks.fail(f"{CALL} should bring w to 2 after {epochs} epochs; it ended at {w:.6g} with "
                    f"a last loss of {losses[-1]:.3g}", contract=CONTRACT)


@pytest.mark.points(1)
def test_seed_trajectory(learner):
    """seed: every loss and the final w over 30 epochs"""
    outcome = learner.call(FN, SEED_X, SEED_Y, 0.01, 30)
    check_run(outcome, SEED_X, SEED_Y, 0.01, 30, torch.float32)


# ---------------------------------------------------------------- other data


def other_data(case):
    if case == "float32-random":
        x = cases.randn(71, 6, scale=2.0)
        t = 1.5 * x + cases.randn(72, 6, scale=0.3)
        dtype = torch.float32
    elif case == "float64-offset":
        x = cases.uniform(73, 9, low=-3.0, high=3.0)
        t = -0.7 * x + 0.5 + cases.randn(74, 9, scale=0.2)
        dtype = torch.float64
    else:  # one sample, large and negative
        x = torch.tensor([-300.0], dtype=torch.float64)
        t = torch.tensor([450.0], dtype=torch.float64)
        dtype = torch.float32
    X, y = x.to(dtype), t.to(dtype)
    lr = float(f"{0.05 / float((X.double() ** 2).mean()):.3g}")
    return X, y, lr


@pytest.mark.points(1)
@pytest.mark.parametrize("case", ["float32-random", "float64-offset", "one-sample-large"])
def test_other_data(learner, case):
    """every loss and the final w on other data"""
    X, y, lr = other_data(case)
    outcome = learner.call(FN, X, y, lr, 40)
    check_run(outcome, X, y, lr, 40, torch.float32)


# ---------------------------------------------------------------- types and inputs


@pytest.mark.points(1)
def test_w_is_a_python_float(learner):
    """returns a tuple whose w is a Python float"""
    inputs = inputs_of(SEED_X, SEED_Y, 0.01, 5)
    result = value_of(learner.call(FN, SEED_X, SEED_Y, 0.01, 5))
    if type(result) is not tuple or len(result) != 2:
        checks.fail(f"{CALL} should return a tuple (w, losses): `return w.item(), losses`",
                    inputs=inputs, received=result, contract=CONTRACT)
    checks.python_float(result[0], run(SEED_X, SEED_Y, 0.01, 5)[0], call=f"{CALL}[0]",
                        inputs=inputs, contract=CONTRACT, dtype=torch.float32)


@pytest.mark.points(1)
def test_losses_are_python_floats(learner):
    """losses is a list of Python floats, one per epoch"""
    inputs = inputs_of(SEED_X, SEED_Y, 0.01, 5)
    result = value_of(learner.call(FN, SEED_X, SEED_Y, 0.01, 5))
    losses = result[1] if isinstance(result, tuple | list) and len(result) == 2 else None
    if type(losses) is not list:
        checks.fail(f"{CALL}: losses (the second item) should be a list", inputs=inputs,
                    received=losses, contract=CONTRACT)
    if len(losses) != 5:
        checks.fail(f"{CALL} returned {len(losses)} losses for 5 epochs: one per epoch",
                    inputs=inputs, contract=CONTRACT)
    for i, loss in enumerate(losses):
        if type(loss) is not float:
            fix = "wrap it in float()" if isinstance(loss, NumpyScalarSeen | ArraySeen) else (
                "append loss.item(): a tensor would also keep its whole graph alive"
                if isinstance(loss, TensorSeen) else "append a Python float")
            checks.fail(f"{CALL}: losses[{i}] is {checks.fmt(loss)} of type "
                        f"{getattr(loss, 'type_name', type(loss).__name__)}, not a Python float: "
                        f"{fix}", inputs=inputs, contract=CONTRACT)


@pytest.mark.points(1)
def test_inputs_unchanged(learner):
    """leaves X and y as they were"""
    X, y, lr = other_data("float32-random")
    outcome = learner.call(FN, X, y, lr, 5)
    value_of(outcome)
    checks.unchanged(X, outcome.args[0], name="X", call=FN, contract=CONTRACT)
    checks.unchanged(y, outcome.args[1], name="y", call=FN, contract=CONTRACT)
