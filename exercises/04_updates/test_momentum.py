"""Public tests for 04_updates/momentum. Run them with: pytest exercises/04_updates/test_momentum.py"""

import torch
from momentum import momentum_step_


def test_two_steps_by_hand():
    p = torch.tensor([1.0], requires_grad=True)
    velocities = [torch.zeros(1)]
    p.grad = torch.tensor([2.0])
    momentum_step_([p], velocities, lr=0.1, momentum=0.9)
    v = velocities[0]
    # v = 0.9 * 0 + 2 = 2, p = 1 - 0.1 * 2 = 0.8
    assert torch.allclose(v, torch.tensor([2.0])) and torch.allclose(p.detach(), torch.tensor([0.8])), (
        f"step 1 (grad 2): expected v = 2, p = 0.8; got v = {v.tolist()}, p = {p.detach().tolist()}. "
        "Is the velocity kept, so the caller's list sees it? Update it in place "
        "(v.mul_(mu).add_(grad)) or write the new one back (velocities[i] = ...)"
    )
    assert p.grad is None or torch.all(p.grad == 0), f"clear p.grad after the step, it is {p.grad.tolist()}"
    p.grad = torch.tensor([1.0])
    momentum_step_([p], velocities, lr=0.1, momentum=0.9)
    v = velocities[0]
    # v = 0.9 * 2 + 1 = 2.8, p = 0.8 - 0.1 * 2.8 = 0.52
    assert torch.allclose(v, torch.tensor([2.8])) and torch.allclose(p.detach(), torch.tensor([0.52])), (
        f"step 2 (grad 1): expected v = 0.9 * 2 + 1 = 2.8, p = 0.8 - 0.1 * 2.8 = 0.52; "
        f"got v = {v.tolist()}, p = {p.detach().tolist()}"
    )
    assert p.is_leaf and p.requires_grad, (
        "p must stay a leaf that requires grad: update it under torch.no_grad()"
    )


def test_same_trajectory_as_torch_optim_sgd_with_momentum():
    # torch.optim.SGD(params, lr, momentum=mu) with step() and zero_grad() does exactly this
    x = torch.tensor([1.0, 2.0, 3.0, 4.0])
    y = 2 * x
    mine = torch.zeros(1, requires_grad=True)
    velocity = [torch.zeros(1)]
    w, v = 0.0, 0.0  # by hand: dL/dw = mean(2 x (w x - y)) = 15 w - 30
    for step in range(8):
        ((mine * x - y) ** 2).mean().backward()
        momentum_step_([mine], velocity, lr=0.01, momentum=0.9)
        v = 0.9 * v + (15 * w - 30)
        w = w - 0.01 * v
        assert abs(mine.item() - w) < 1e-5, (
            f"after step {step + 1}: torch.optim.SGD(momentum=0.9) would have w = {w:.6g} "
            f"(velocity {v:.6g}); yours has w = {mine.item():.6g} (velocity {velocity[0].item():.6g})"
        )
