"""Public tests for 01_autograd/accumulation.

Run them with: pytest exercises/01_autograd/test_accumulation.py
"""

import pytest
import torch
from accumulation import grads_over_steps


def times_three(t):
    return (t * 3).sum()  # gradient 3 in every element


def check_entries(grads, x, expected, zero_grad, other):
    """grads is a list of copies of x.grad, equal to expected; name the classic slips."""
    call = f"grads_over_steps(lambda x: (x * 3).sum(), x, {len(expected)}, zero_grad={zero_grad})"
    assert type(grads) is list, (
        f"{call} should return a list of tensors, one per step; it returned a {type(grads).__name__}"
    )
    assert len(grads) == len(expected), f"{call} returned {len(grads)} gradients, expected one per step"
    for i, g in enumerate(grads):
        assert isinstance(g, torch.Tensor) and g.dtype == x.dtype and g.shape == x.shape, (
            f"{call}: entry {i} should be a tensor with the dtype and shape of x ({x.dtype}, "
            f"{tuple(x.shape)}), got {g!r}"
        )
        assert not g.requires_grad and g.grad_fn is None, f"{call}: entry {i} carries an autograd graph"
    got = [g.tolist() for g in grads]
    want = [torch.full_like(x, value).tolist() for value in expected]
    if got == want:
        return
    if len(grads) > 1 and all(g.data_ptr() == grads[0].data_ptr() for g in grads):
        why = ("every entry of your list is the same tensor: x.grad itself, appended again and again, so "
               "they all show its last state. Append a copy, x.grad.clone()")
    elif got == [torch.full_like(x, value).tolist() for value in other]:
        why = ("the gradients accumulated: backward adds into x.grad, so with zero_grad=True clear it "
               "before each backward (x.grad = None works even before the first one)" if zero_grad else
               "the gradients did not accumulate: with zero_grad=False leave x.grad alone, so each "
               "backward adds onto what it already holds")
    else:
        why = "the values are off"
    raise AssertionError(f"{call}: expected entries filled with {expected}, got {got}. {why}")


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_gradients_accumulate_without_zeroing(dtype):
    x = torch.tensor([[1.0, -2.0, 0.5], [4.0, 0.0, -1.0]], dtype=dtype, requires_grad=True)
    grads = grads_over_steps(times_three, x, 3, zero_grad=False)
    check_entries(grads, x, [3.0, 6.0, 9.0], False, other=[3.0, 3.0, 3.0])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_zero_grad_clears_before_each_backward(dtype):
    x = torch.tensor([1.0, 2.0], dtype=dtype, requires_grad=True)
    grads = grads_over_steps(times_three, x, 3, zero_grad=True)
    check_entries(grads, x, [3.0, 3.0, 3.0], True, other=[3.0, 6.0, 9.0])


def test_zero_grad_clears_an_old_grad_too():
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    x.grad = torch.tensor([100.0, -50.0], dtype=torch.float64)  # left over from before the call
    grads = grads_over_steps(times_three, x, 2, zero_grad=True)
    assert type(grads) is list and len(grads) == 2, f"expected a list of 2 gradients, got {grads!r}"
    assert grads[0].tolist() != [103.0, -47.0], (
        "entry 0 still holds the .grad x arrived with, [100, -50], plus 3: clear the gradient before "
        "each backward, the first one included, not after it"
    )
    check_entries(grads, x, [3.0, 3.0], True, other=[3.0, 6.0])


def test_entries_are_copies():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    grads = grads_over_steps(times_three, x, 2, zero_grad=True)
    shared = {x.grad.data_ptr()} if x.grad is not None else set()
    assert len(grads) == 2 and grads[0].data_ptr() != grads[1].data_ptr() \
        and grads[1].data_ptr() not in shared, (
        "the entries are the same tensor as x.grad: backward reuses x.grad, so append a copy, "
        "x.grad.clone()"
    )
