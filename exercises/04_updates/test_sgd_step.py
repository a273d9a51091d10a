"""Public tests for 04_updates/sgd_step. Run them with: pytest exercises/04_updates/test_sgd_step.py"""

import pytest
import torch
from sgd_step import sgd_step_

STAYS_LEAF = "update it in place under `with torch.no_grad():` (p -= lr * p.grad, or p.sub_(...))"


def rounded(t):
    """A tensor's values as a list, rounded for reading (float32 shows 0.65 as 0.6499999761581421)."""
    return torch.round(t.detach().double(), decimals=6).tolist()


def cleared(grad):
    return grad is None or bool((grad == 0).all())


def check_moved(name, p, start, grad, lr, where=""):
    """p should be start - lr * grad; name the classic wrong answers."""
    got, start, grad = p.detach().double(), start.double(), grad.double()
    expected = start - lr * grad
    if torch.allclose(got, expected, rtol=1e-6, atol=1e-6):
        return
    if torch.equal(got, start):
        why = ("nothing moved: update each p in place under torch.no_grad() (p -= lr * p.grad or "
               "p.sub_(...)); `p = p - lr * p.grad` only rebinds a local name")
    elif torch.allclose(got, start + lr * grad):
        why = "the sign is flipped: step against the gradient, p - lr * grad"
    elif torch.allclose(got, start - grad):
        why = "the learning rate is missing: the step is lr * grad, not grad"
    else:
        why = "the values are off"
    raise AssertionError(
        f"{name}{where} = {rounded(start)}, {name}.grad = {rounded(grad)}, lr = {lr}: "
        f"expected {name} - lr * grad = {rounded(expected)}, got {rounded(got)}. {why}"
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_one_step_in_place(dtype):
    starts = {"w": torch.tensor([1.0, -2.0], dtype=dtype), "s": torch.tensor(-40.0, dtype=dtype)}
    grads = {"w": torch.tensor([10.0, -10.0], dtype=dtype), "s": torch.tensor(250.0, dtype=dtype)}
    params = []
    for name, start in starts.items():
        p = start.clone().requires_grad_(True)
        p.grad = grads[name].clone()
        params.append(p)
    given = list(params)
    returned = sgd_step_(params, lr=0.1)
    assert returned is None, f"sgd_step_ works in place and should return None; it returned {returned!r}"
    for name, p, before in zip(starts, params, given, strict=True):
        assert p is before, (
            f"sgd_step_ put a new tensor into params in place of {name}, so the model's parameter is no "
            f"longer the same leaf tensor: {STAYS_LEAF}"
        )
        assert p.requires_grad, (
            f"after sgd_step_, {name} no longer requires grad, so the next backward() cannot reach it: "
            f"{STAYS_LEAF}, and leave requires_grad alone"
        )
        assert p.is_leaf and p.grad_fn is None, (
            f"after sgd_step_, {name} is no longer a leaf tensor: {STAYS_LEAF}"
        )
        assert p.dtype == dtype, (
            f"{name} changed dtype from {dtype} to {p.dtype}: work in the dtype of the inputs"
        )
        check_moved(name, p, starts[name], grads[name], 0.1)
        assert cleared(p.grad), (
            f"{name}.grad still holds a gradient after sgd_step_: clear it after the update (p.grad = None "
            f"or p.grad.zero_()), or the next backward() accumulates onto it; {name}.grad is "
            f"{p.grad.tolist()}"
        )


def test_a_generator_and_a_parameter_without_grad():
    a = torch.tensor([3.0, -1.0], requires_grad=True)
    b = torch.tensor([5.0], requires_grad=True)  # took no part in the loss: b.grad is None
    (a * torch.tensor([2.0, -4.0])).sum().backward()
    sgd_step_((p for p in [a, b]), lr=0.5)  # a generator, like model.parameters()
    assert b.grad is None and b.tolist() == [5.0] and b.is_leaf and b.requires_grad, (
        f"b.grad was None, so sgd_step_ should leave b alone (as torch.optim.SGD does); b became "
        f"{b.tolist()} with .grad {b.grad}"
    )
    check_moved("a", a, torch.tensor([3.0, -1.0]), torch.tensor([2.0, -4.0]), 0.5,
                where=" (params was a generator)")
    assert cleared(a.grad), (
        f"with params a generator, a moved but a.grad was not cleared (it is {a.grad.tolist()}): a "
        "generator can be walked through only once, so update and clear each p in the same loop (or "
        "make a list of it first)"
    )
    assert a.is_leaf and a.requires_grad, (
        f"with params a generator, a is no longer a leaf that requires grad: {STAYS_LEAF}"
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_same_trajectory_as_torch_optim_sgd(dtype):
    # torch.optim.SGD(params, lr) with step() and zero_grad() does exactly this: w <- w - lr * dL/dw
    x = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=dtype)
    y = 2 * x
    mine = torch.zeros(1, dtype=dtype, requires_grad=True)
    w = 0.0  # by hand: dL/dw = mean(2 x (w x - y)) = 15 w - 30
    piled, total = 0.0, 0.0  # what w would be if .grad were never cleared
    for step in range(5):
        ((mine * x - y) ** 2).mean().backward()  # adds onto whatever mine.grad holds
        sgd_step_([mine], lr=0.01)
        total += 15 * piled - 30
        piled = piled - 0.01 * total
        w = w - 0.01 * (15 * w - 30)
        if abs(mine.item() - w) > 1e-5:
            why = ("the gradients pile up: backward() adds onto .grad, so clear it after each update"
                   if abs(mine.item() - piled) < 1e-5 else "the values are off")
            raise AssertionError(
                f"after step {step + 1}: torch.optim.SGD would have w = {w:.6g}, yours has "
                f"{mine.item():.6g}: {why}"
            )
    assert mine.dtype == dtype, f"w changed dtype from {dtype} to {mine.dtype}"
