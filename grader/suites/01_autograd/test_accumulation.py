"""Hidden suite for 01_autograd/accumulation."""

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import Scenario, TensorSeen

CONTRACT = ("grads_over_steps(f, x, steps, zero_grad) -> list[Tensor]: call f(x).backward() "
            "steps times; after each, append a copy of x.grad; if zero_grad, clear the gradient "
            "(zeros or None) before each backward, else let it accumulate")

SEED_CALL = "grads_over_steps(lambda x: (x * 3).sum(), x, 3, zero_grad={})"


# ---------------------------------------------------------------- references in float64


def growing_grads(x: torch.Tensor, scale: float, steps: int) -> list[torch.Tensor]:
    """Call i (from 1) of accumulation_growing is i·scale·(x²).sum(): gradient 2·i·scale·x
    (tests/test_published_numbers_01_02_04_14.py checks it against a central difference)."""
    x64 = x.detach().double()
    return [2 * i * scale * x64 for i in range(1, steps + 1)]


def running_sums(grads: list[torch.Tensor]) -> list[torch.Tensor]:
    return [sum(grads[: i + 1]) for i in range(len(grads))]


def expected_list(per_call: list[torch.Tensor], zero_grad: bool, dtype: torch.dtype) -> list:
    chosen = per_call if zero_grad else running_sums(per_call)
    return [g.to(dtype) for g in chosen]


# ---------------------------------------------------------------- reading and diagnosing


def entries(outcome, *, call: str, inputs) -> list[TensorSeen]:
    """The returned gradients, read leniently: a tuple or a stacked tensor is fine for values."""
    seen = outcome.value
    if isinstance(seen, TensorSeen) and seen.value.dim() >= 1:
        return [TensorSeen(value=row) for row in seen.value]
    if isinstance(seen, list | tuple) and all(isinstance(item, TensorSeen) for item in seen):
        return list(seen)
    checks.fail(f"{call} should return a list of tensors, one per step; it returned "
                f"{checks.fmt(seen)}", inputs=inputs, contract=CONTRACT)


def aliased(seen: list[TensorSeen]) -> bool:
    """Several entries that are one tensor: shared storage and identical values."""
    return len(seen) > 1 and seen[0].storage != 0 and all(
        item.storage == seen[0].storage and torch.equal(item.value, seen[0].value) for item in seen)


def check_list(outcome, per_call: list[torch.Tensor], zero_grad: bool, dtype: torch.dtype, *,
               call: str, inputs) -> list[TensorSeen]:
    """Compare every entry; name accumulation slips and aliasing in the message."""
    seen = entries(outcome, call=call, inputs=inputs)
    want = expected_list(per_call, zero_grad, dtype)
    got_values = [item.value for item in seen]
    if len(seen) != len(want):
        checks.fail(f"{call} returned {len(seen)} gradients; expected one per step, {len(want)}",
                    inputs=inputs, expected=want, received=got_values, contract=CONTRACT)
    if all(item.value.shape == w.shape and checks.close(item.value.to(dtype), w, dtype)
           for item, w in zip(seen, want, strict=True)):
        return seen
    other = expected_list(per_call, not zero_grad, dtype)
    if aliased(seen):
        headline = ("every entry of your list is the same tensor: x.grad itself, appended again "
                    "and again, so they all show its last state. Append a copy, x.grad.clone()")
    elif len(want) > 1 and all(item.value.shape == w.shape and checks.close(item.value.to(dtype), w, dtype)
                               for item, w in zip(seen, other, strict=True)):
        headline = ("the gradients accumulated: backward adds into x.grad, so with zero_grad=True "
                    "clear it (x.grad = None or x.grad.zero_()) before each backward"
                    if zero_grad else
                    "the gradients did not accumulate: with zero_grad=False leave x.grad alone, so "
                    "each backward adds onto what it already holds")
    else:
        index = next(i for i, (item, w) in enumerate(zip(seen, want, strict=True))
                     if item.value.shape != w.shape or not checks.close(item.value.to(dtype), w, dtype))
        if seen[index].value.shape != want[index].shape:
            why = f"it has shape {tuple(seen[index].value.shape)}, x has {tuple(want[index].shape)}"
        else:
            why = checks.explain_miss(seen[index].value, want[index], dtype=dtype)
        headline = f"entry {index} (after backward number {index + 1}): {why}"
    checks.fail(f"{call}: {headline}", inputs=inputs, expected=want, received=got_values,
                contract=CONTRACT)


# ---------------------------------------------------------------- tests


@pytest.mark.points(2)
@pytest.mark.parametrize("zero_grad", [False, True], ids=["accumulate", "zero_grad"])
def test_seed(learner, zero_grad):
    """the seed: (x*3).sum() gives 3, 6, 9 accumulated and 3, 3, 3 cleared"""
    x = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    outcome = learner.call("grads_over_steps", Scenario("scaled_sum", {"k": 3.0}), x, 3, zero_grad)
    per_call = [torch.full((3,), 3.0, dtype=torch.float64)] * 3
    check_list(outcome, per_call, zero_grad, torch.float32, call=SEED_CALL.format(zero_grad),
               inputs={"x": x})


def growing_case(dtype, shape: tuple[int, ...], steps: int, scale: float, seed: int) -> tuple:
    """(dtype, x, steps, scale, the gradient of each call), computed once at collection."""
    x = cases.randn(seed, *shape, dtype=dtype, scale=3.0).requires_grad_(True)
    return dtype, x, steps, scale, growing_grads(x, scale, steps)


VALUE_CASES = [
    pytest.param(*growing_case(torch.float32, (4,), 4, 0.5, 61), id="float32-4"),
    pytest.param(*growing_case(torch.float64, (2, 3), 3, -1.5, 62), id="float64-2x3"),
    pytest.param(*growing_case(torch.float64, (1,), 5, 2.0, 63), id="float64-N1"),
    pytest.param(*growing_case(torch.float32, (3,), 1, 1.0, 64), id="float32-one-step"),
    pytest.param(*growing_case(torch.float64, (3,), 3, 1e3, 65), id="float64-large"),
]


@pytest.mark.points(1)
@pytest.mark.parametrize("zero_grad", [False, True], ids=["accumulate", "zero_grad"])
@pytest.mark.parametrize("dtype, x, steps, scale, per_call", VALUE_CASES)
def test_gradients_per_step(learner, dtype, x, steps, scale, per_call, zero_grad):
    """each entry is x.grad after that backward"""
    f = Scenario("accumulation_growing", {"scale": scale})
    outcome = learner.call("grads_over_steps", f, x, steps, zero_grad)
    check_list(outcome, per_call, zero_grad, dtype,
               call=f"grads_over_steps(f, x, {steps}, zero_grad={zero_grad})",
               inputs=f"f = call i gives {scale:g}·i·(x²).sum(), x = {checks.fmt(x)}")


COPIES_X = cases.randn(71, 3, dtype=torch.float32).requires_grad_(True)
COPIES_GRADS = growing_grads(COPIES_X, 1.0, 3)


@pytest.mark.points(1)
@pytest.mark.parametrize("zero_grad", [False, True], ids=["accumulate", "zero_grad"])
def test_entries_are_copies(learner, zero_grad):
    """entries are copies: no two are the same tensor"""
    x, per_call = COPIES_X, COPIES_GRADS
    outcome = learner.call("grads_over_steps", Scenario("accumulation_growing"), x, 3, zero_grad)
    check_list(outcome, per_call, zero_grad, torch.float32,
               call=f"grads_over_steps(f, x, 3, zero_grad={zero_grad})",
               inputs=f"f = call i gives i·(x²).sum(), x = {checks.fmt(x)}")


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_result_type(learner, dtype):
    """a list of plain tensors, one per step, in x's dtype and shape, with no graph"""
    x = cases.randn(81, 2, 2, dtype=dtype).requires_grad_(True)
    outcome = learner.call("grads_over_steps", Scenario("scaled_sum", {"k": -1.0}), x, 2, False)
    call = "grads_over_steps(lambda x: (x * -1).sum(), x, 2, zero_grad=False)"
    seen = outcome.value
    if type(seen) is not list:
        checks.fail(f"{call} should return a list; it returned {checks.fmt(seen)}",
                    inputs={"x": x}, contract=CONTRACT)
    if len(seen) != 2:
        checks.fail(f"{call} returned {len(seen)} gradients; expected one per step, 2",
                    inputs={"x": x}, contract=CONTRACT)
    for index, item in enumerate(seen):
        checks.tensor(item, torch.full((2, 2), -1.0 * (index + 1), dtype=dtype),
                      call=f"entry {index} of {call}", inputs={"x": x}, contract=CONTRACT)


@pytest.mark.points(1)
def test_clears_before_the_first_backward(learner):
    """zero_grad clears a .grad left from before the call"""
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    old = torch.tensor([100.0, -50.0], dtype=torch.float64)
    x.grad = old.clone()
    outcome = learner.call("grads_over_steps", Scenario("scaled_sum", {"k": 3.0}), x, 2, True)
    call = "grads_over_steps(lambda x: (x * 3).sum(), x, 2, zero_grad=True)"
    inputs = {"x": x, "x.grad before the call": old}
    seen = entries(outcome, call=call, inputs=inputs)
    want = [torch.full((2,), 3.0, dtype=torch.float64)] * 2
    got = [item.value for item in seen]
    if len(got) == 2 and all(g.shape == w.shape for g, w in zip(got, want, strict=True)) and \
            checks.close(got[0], want[0] + old) and checks.close(got[1], want[1]):
        checks.fail(f"{call}: entry 0 still holds the .grad x arrived with, accumulated: clear the "
                    "gradient before each backward, the first one included, not after it",
                    inputs=inputs, expected=want, received=got, contract=CONTRACT)
    check_list(outcome, want, True, torch.float64, call=call, inputs=inputs)
