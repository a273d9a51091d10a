"""Public tests for 01_autograd/accumulation.

Run them with: pytest exercises/01_autograd/test_accumulation.py
"""

import torch
from accumulation import grads_over_steps


def as_lists(grads):
    return [g.tolist() for g in grads]


def test_gradients_accumulate_without_zeroing():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    grads = grads_over_steps(lambda t: (t * 3).sum(), x, 3, zero_grad=False)
    expected = [[3.0, 3.0], [6.0, 6.0], [9.0, 9.0]]
    assert as_lists(grads) == expected, (
        f"f = (x * 3).sum() has gradient 3; three backward calls without zeroing add up to "
        f"3, 6, 9: expected {expected}, got {as_lists(grads)}"
        + (" (all equal to the last one: append x.grad.clone(), a copy, not x.grad itself)"
           if len(grads) == 3 and as_lists(grads)[0] == as_lists(grads)[2] else "")
    )


def test_zero_grad_clears_before_each_backward():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    grads = grads_over_steps(lambda t: (t * 3).sum(), x, 3, zero_grad=True)
    expected = [[3.0, 3.0]] * 3
    assert as_lists(grads) == expected, (
        f"with zero_grad=True each entry is one call's gradient, 3: expected {expected}, got "
        f"{as_lists(grads)}. Clear the gradient before each backward with x.grad = None "
        "(x.grad.zero_() fails while x.grad is still None, before the first backward)"
    )


def test_entries_are_copies():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    grads = grads_over_steps(lambda t: (t * 3).sum(), x, 2, zero_grad=True)
    assert grads[0].data_ptr() != grads[1].data_ptr(), (
        "both entries are the same tensor in memory: x.grad is reused by backward, so append a "
        "copy, x.grad.clone()"
    )
