"""Public tests for 04_updates/sgd_step. Run them with: pytest exercises/04_updates/test_sgd_step.py"""

import torch
from sgd_step import sgd_step_


def test_one_step_in_place():
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    w.grad = torch.tensor([10.0, -10.0])
    before = w
    sgd_step_([w], lr=0.1)
    assert before is w and w.is_leaf and w.requires_grad, (
        "w must stay the same leaf tensor that requires grad: update it in place under torch.no_grad()"
    )
    assert torch.allclose(w.detach(), torch.tensor([0.0, -1.0]), atol=1e-6), (
        f"w = [1, -2], grad = [10, -10], lr = 0.1: w - lr * grad = [0, -1], got {w.detach().tolist()}"
    )
    assert w.grad is None or torch.all(w.grad == 0), (
        f"clear the gradient after the update (None or zeros), or the next backward() accumulates "
        f"onto it; w.grad is {w.grad.tolist()}"
    )


def test_generator_and_params_without_grad():
    a = torch.tensor([3.0], requires_grad=True)
    b = torch.tensor([5.0], requires_grad=True)  # took no part in the loss: b.grad is None
    (a * 2).sum().backward()
    sgd_step_((p for p in [a, b]), lr=0.5)  # a generator, like model.parameters()
    assert a.item() == 2.0, (
        f"a = 3, grad 2, lr 0.5 should move to 2.0, got {a.item()} (params was a generator)"
    )
    assert b.item() == 5.0 and (b.grad is None or b.grad.item() == 0), (
        f"b has no .grad: skip it; b became {b.item()} with grad {b.grad}"
    )


def test_same_trajectory_as_torch_optim_sgd():
    # torch.optim.SGD(params, lr) with step() and zero_grad() does exactly this: w <- w - lr * dL/dw
    x = torch.tensor([1.0, 2.0, 3.0, 4.0])
    y = 2 * x
    mine = torch.zeros(1, requires_grad=True)
    w = 0.0  # by hand: dL/dw = mean(2 x (w x - y)) = 15 w - 30
    for step in range(5):
        ((mine * x - y) ** 2).mean().backward()
        sgd_step_([mine], lr=0.01)
        w = w - 0.01 * (15 * w - 30)
        assert abs(mine.item() - w) < 1e-5, (
            f"after step {step + 1}: torch.optim.SGD would have w = {w:.6g}, yours has "
            f"{mine.item():.6g}. Is the gradient cleared after each update, or do they accumulate?"
        )
