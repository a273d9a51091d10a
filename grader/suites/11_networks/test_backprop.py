"""Hidden suite for 11_networks/backprop.

Every call runs under torch.no_grad() learner-side (the contract's "by hand"), with inputs that do
not require grad. The reference is autograd's gradient in float64, made at collection; the
classic mistakes are replayed by the chain rule written out with one thing changed, on a miss, and
named when an answer matches one (tests/test_published_numbers_05_10_11.py checks that the chain
rule written out agrees with autograd, and that the cases hold what their tests say).
"""

import functools

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import Scenario, TensorSeen

CONTRACT = ("two_layer_grads(X, y, W1, b1, W2, b2): h = relu(X@W1ᵀ + b1), ŷ = h@W2ᵀ + b2, "
            "L = mean((ŷ − y)²) over all N·O entries; returns (∂L/∂W1, ∂L/∂b1, ∂L/∂W2, ∂L/∂b2), "
            "each of its parameter's shape, by hand (called under torch.no_grad()); no gradient "
            "where a pre-activation is ≤ 0; in the inputs' dtype; must not modify its inputs")
CALL = "two_layer_grads(X, y, W1, b1, W2, b2)"
NAMES = ("∂L/∂W1", "∂L/∂b1", "∂L/∂W2", "∂L/∂b2")
INPUT_NAMES = ("X", "y", "W1", "b1", "W2", "b2")


# ---------------------------------------------------------------- references, in float64


def autograd(X, y, W1, b1, W2, b2, *, x_at_w1: bool = False) -> list[torch.Tensor]:
    """torch's own gradients in float64; ``x_at_w1`` replays X@W1 in place of X@W1ᵀ (D = H)."""
    X, y = X.double(), y.double()
    ps = [p.detach().double().requires_grad_(True) for p in (W1, b1, W2, b2)]
    w1, c1, w2, c2 = ps
    with torch.enable_grad():
        h = torch.relu((X @ w1 if x_at_w1 else X @ w1.T) + c1)
        loss = ((h @ w2.T + c2 - y) ** 2).mean()
        return list(torch.autograd.grad(loss, ps))


def by_formula(X, y, W1, b1, W2, b2, *, divide_by=None, two=2.0, sign=1.0,
               relu_at_zero=0.0) -> list[torch.Tensor]:
    """The chain rule written out, in float64, with one thing changed to replay a mistake."""
    X, y, W1, b1, W2, b2 = (t.detach().double() for t in (X, y, W1, b1, W2, b2))
    n, o = y.shape
    z = X @ W1.T + b1
    h = torch.relu(z)
    d_out = sign * two * (h @ W2.T + b2 - y) / (n * o if divide_by is None else divide_by)
    d_z = (d_out @ W2) * ((z > 0).double() + relu_at_zero * (z == 0).double())
    return [d_z.T @ X, d_z.sum(0), d_out.T @ h, d_out.sum(0)]


def mistakes(X, y, W1, b1, W2, b2) -> dict[str, list[torch.Tensor]]:
    n, o = y.shape
    d, hidden = X.shape[1], W1.shape[0]
    args = (X, y, W1, b1, W2, b2)
    known = {
        f"off by a factor of N·O = {n * o}: the loss is the mean over all N·O entries of y, so "
        "∂L/∂ŷ = 2(ŷ − y)/(N·O)": by_formula(*args, divide_by=1),
        "half the expected values: the 2 from differentiating the square is missing":
            by_formula(*args, two=1.0),
        "the sign is flipped: ∂L/∂ŷ = 2(ŷ − y)/(N·O), prediction minus target":
            by_formula(*args, sign=-1.0),
    }
    if o > 1:
        known[f"off by a factor of O = {o}: you divided by N only, but the mean runs over all "
              "N·O entries of y"] = by_formula(*args, divide_by=n)
    if o > 1 and n > 1:
        known[f"off by a factor of N = {n}: you divided by O only, but the mean runs over all "
              "N·O entries of y"] = by_formula(*args, divide_by=o)
    z = X.double() @ W1.double().T + b1.double()
    if bool((z == 0).any()):
        known["a ReLU passed the gradient where its input z is exactly 0: relu′(0) is 0, as in "
              "autograd (use z > 0, not z >= 0)"] = by_formula(*args, relu_at_zero=1.0)
    if d == hidden:
        known["X@W1 in place of X@W1ᵀ: nn.Linear stores W1 as (H, D), so z = X@W1ᵀ + b1 and "
              "∂L/∂W1 = ∂L/∂zᵀ@X"] = autograd(*args, x_at_w1=True)
    return {label: [g.to(X.dtype) for g in grads] for label, grads in known.items()}


def data(seed: int, n: int, d: int, hidden: int, o: int, dtype: torch.dtype) -> tuple:
    X = cases.randn(seed, n, d, scale=1.5)
    y = cases.randn(seed + 1, n, o)
    W1 = cases.randn(seed + 2, hidden, d, scale=0.7)
    b1 = cases.randn(seed + 3, hidden, scale=0.5)
    W2 = cases.randn(seed + 4, o, hidden, scale=0.7)
    b2 = cases.randn(seed + 5, o, scale=0.5)
    return tuple(t.to(dtype) for t in (X, y, W1, b1, W2, b2))


def integer_data(dtype: torch.dtype) -> tuple:
    """Small integers, so that many pre-activations are exactly 0 (and exact in float32)."""
    X = torch.tensor([[1, 0, -1], [2, 1, 0], [0, -1, 1], [-1, 2, 1], [1, 1, 1]], dtype=dtype)
    W1 = torch.tensor([[1, -1, 1], [0, 1, 1], [1, 1, 0], [-1, 0, 1]], dtype=dtype)
    b1 = torch.tensor([0, -1, -1, 0], dtype=dtype)
    W2 = torch.tensor([[0.5, -1.0, 1.5, 2.0], [1.0, 0.25, -0.5, 1.0]], dtype=dtype)
    b2 = torch.tensor([0.25, -0.5], dtype=dtype)
    y = torch.tensor([[1.0, 0.0], [-1.0, 2.0], [0.5, 0.5], [2.0, -1.0], [0.0, 1.0]], dtype=dtype)
    return X, y, W1, b1, W2, b2


class Case:
    """Inputs with their reference, made once at collection, and named wrong answers, made on a
    miss."""

    def __init__(self, inputs: tuple) -> None:
        self.inputs = inputs
        self.expected = [g.to(inputs[0].dtype) for g in autograd(*inputs)]

    @functools.cached_property
    def known(self) -> dict[str, list[torch.Tensor]]:
        return mistakes(*self.inputs)


SHAPES = [(6, 3, 5, 2), (1, 2, 4, 1), (10, 4, 7, 3)]
RANDOM_CASES = {(dtype, shape): Case(data(300 + 10 * i, *shape, dtype))
                for dtype in cases.DTYPES for i, shape in enumerate(SHAPES)}
SQUARE = Case(data(400, 5, 4, 4, 4, torch.float64))
ZEROS = {dtype: Case(integer_data(dtype)) for dtype in cases.DTYPES}
ALL_OFF = Case((lambda t: (t[0], t[1], t[2], t[3] - 50.0, t[4], t[5]))(
    data(420, 4, 3, 5, 2, torch.float64)))


# ---------------------------------------------------------------- calling and checking


def call(learner, inputs: tuple):
    """two_layer_grads under torch.no_grad(), learner-side."""
    learner.make(Scenario("set_grad_enabled", {"enabled": False}))
    return learner.call("two_layer_grads", *inputs)


def read_result(outcome, inputs: tuple) -> list:
    raised = outcome.raised
    if raised is not None and any(text in raised.message for text in (
            "does not require grad", "does not have a grad_fn", "differentiated Tensors")):
        checks.fail(f"{CALL} raised {raised.describe()}: it uses autograd, but the gradients must "
                    "be written by hand: the grader calls it under torch.no_grad() with inputs "
                    "that do not require grad. Apply the chain rule step by step, from "
                    "∂L/∂ŷ = 2(ŷ − y)/(N·O) back to W1", contract=CONTRACT)
    if raised is not None and "shapes cannot be multiplied" in raised.message:
        checks.fail(f"{CALL} raised {raised.describe()}: the weights follow nn.Linear's layout, "
                    "W1 of shape (H, D) and W2 of shape (O, H), so z = X@W1ᵀ + b1 and "
                    "ŷ = h@W2ᵀ + b2 (X @ W1.T, not X @ W1)", contract=CONTRACT)
    result = outcome.value
    if not isinstance(result, tuple | list) or len(result) != 4:
        checks.fail(f"{CALL} should return a tuple of four tensors (∂L/∂W1, ∂L/∂b1, ∂L/∂W2, "
                    "∂L/∂b2)", received=result, contract=CONTRACT)
    shapes = [tuple(t.shape) for t in inputs[2:]]
    got = [tuple(r.value.shape) if isinstance(r, TensorSeen) else None for r in result]
    if sorted(map(str, got)) == sorted(map(str, shapes)) and got != shapes:
        checks.fail(f"{CALL} returned shapes {got}: return the gradients in the order (∂L/∂W1, "
                    f"∂L/∂b1, ∂L/∂W2, ∂L/∂b2), of shapes {shapes}", contract=CONTRACT)
    for name, param, shape, seen in zip(NAMES, ("W1", "b1", "W2", "b2"), shapes, got, strict=True):
        if seen is not None and len(shape) == 2 and seen == shape[::-1] and shape[0] != shape[1]:
            rows = "H, D" if param == "W1" else "O, H"
            fix = "∂L/∂zᵀ@X" if param == "W1" else "∂L/∂ŷᵀ@h"
            checks.fail(f"{name} has shape {seen}, {param}'s shape transposed: a gradient has its "
                        f"parameter's shape, ({rows}) = {shape}, as nn.Linear stores the weight "
                        f"(out, in). Compute it as {fix}, not the transpose",
                        contract=CONTRACT)
    return list(result)


def known_for(case: Case, i: int) -> dict[str, torch.Tensor]:
    """The named wrong answers for the i-th gradient of a case."""
    name, expected = NAMES[i], case.expected[i]
    known = {label: grads[i] for label, grads in case.known.items()}
    if i == 0 and expected.shape[0] == expected.shape[1]:
        known[f"{name} is transposed: it is ∂L/∂zᵀ@X, of W1's shape (H, D)"] = expected.T
    if i == 2 and expected.shape[0] == expected.shape[1]:
        known[f"{name} is transposed: it is ∂L/∂ŷᵀ@h, of W2's shape (O, H)"] = expected.T
    return known


def check(learner, case: Case) -> None:
    inputs = case.inputs
    result = read_result(call(learner, inputs), inputs)
    shown = dict(zip(INPUT_NAMES, inputs, strict=True))
    for i, (name, seen, expected) in enumerate(zip(NAMES, result, case.expected, strict=True)):
        checks.tensor(seen, expected, call=f"{CALL}: {name}", inputs=shown, contract=CONTRACT,
                      known=checks.OnMiss(functools.partial(known_for, case, i)))


# ---------------------------------------------------------------- tests


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype, shape", list(RANDOM_CASES),
                         ids=[f"{cases.dtype_id(d)}-N{s[0]}-D{s[1]}-H{s[2]}-O{s[3]}"
                              for d, s in RANDOM_CASES])
def test_matches_autograd(learner, dtype, shape):
    """the four gradients equal autograd's"""
    check(learner, RANDOM_CASES[(dtype, shape)])


@pytest.mark.points(1)
def test_square_weights(learner):
    """D = H = O, where a transposed gradient has the right shape"""
    check(learner, SQUARE)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_exact_zero_preactivations(learner, dtype):
    """pre-activations exactly 0 pass no gradient (relu′(0) = 0)"""
    check(learner, ZEROS[dtype])


@pytest.mark.points(1)
def test_every_unit_off(learner):
    """every hidden unit off: ∂L/∂W1, ∂L/∂b1 and ∂L/∂W2 are zeros, ∂L/∂b2 is not"""
    check(learner, ALL_OFF)


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves X, y, W1, b1, W2 and b2 as they were"""
    inputs = data(430, 5, 3, 4, 2, torch.float32)
    outcome = call(learner, inputs)
    read_result(outcome, inputs)
    for name, before, after in zip(INPUT_NAMES, inputs, outcome.args, strict=True):
        checks.unchanged(before, after, name=name, call="two_layer_grads", contract=CONTRACT)
