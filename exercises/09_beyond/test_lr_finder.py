"""Public tests for 09_beyond/lr_finder. Run them with: pytest exercises/09_beyond"""

import math

import torch
from lr_finder import max_stable_lr

T_C = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0])
T_U = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4])


def temperature_loss(params):
    return ((params[0] * T_U + params[1] - T_C) ** 2).mean()


def losses_of(start, loss_fn, lr, steps, *, accumulate=False):
    """The loss before each step and after the last one, from params = start, in start's dtype."""
    params, total, losses = start.detach().clone(), torch.zeros_like(start), []
    for _ in range(steps):
        p = params.clone().requires_grad_(True)
        loss = loss_fn(p)
        (grad,) = torch.autograd.grad(loss, p)
        losses.append(loss.item())
        total = total + grad if accumulate else grad
        params = params - lr * total
    losses.append(loss_fn(params).item())
    return losses, params


def stable(losses):
    return all(math.isfinite(v) for v in losses) and losses[-1] < losses[0]


def answer(start, loss_fn, candidates, steps, *, accumulate=False, shared=False):
    """The right answer; `accumulate` lets the gradient pile up, `shared` trains one set of
    parameters across the candidates instead of fresh ones."""
    found, params = [], start
    for lr in candidates:
        losses, end = losses_of(params if shared else start, loss_fn, lr, steps, accumulate=accumulate)
        params = end if shared else start
        if stable(losses):
            found.append(lr)
    return max(found, default=None)


def check(start, loss_fn, candidates, steps, expected, what):
    got = max_stable_lr(lambda: start.clone().requires_grad_(True), loss_fn, list(candidates), steps)
    assert answer(start, loss_fn, candidates, steps) == expected  # the test's own check
    if got == expected:
        return got
    runs = {lr: losses_of(start, loss_fn, lr, steps)[0] for lr in candidates}
    good = [lr for lr in candidates if stable(runs[lr])]
    if got not in runs:
        why = f"{got!r} is not one of the candidates: return the candidate itself"
    elif not all(math.isfinite(v) for v in runs[got]):
        bad = next(i for i, v in enumerate(runs[got]) if not math.isfinite(v))
        why = (f"lr {got:g} diverges: its loss is {runs[got][bad]} after {bad} steps. A loss that turns inf "
               "or nan is not stable (careful: every comparison with nan is False)")
    elif not stable(runs[got]):
        why = (f"lr {got:g} is not stable from a fresh start: its loss goes from {runs[got][0]:.6g} to "
               f"{runs[got][-1]:.6g}; it must end below where it started")
    elif got == min(good):
        why = (f"{got:g} is the smallest stable candidate; the largest is asked for, and the candidates are "
               "not sorted")
    elif got in (good[0], good[-1]):
        which = "first" if got == good[0] else "last"
        why = (f"{got:g} is the {which} stable candidate in the list, but the candidates come in any order: "
               "return the largest stable one")
    else:
        why = f"lr {expected:g} is stable too and larger than {got:g}"
    if got == answer(start, loss_fn, candidates, steps, shared=True):
        why += (f". {got:g} is what you get when the candidates share one set of parameters: call "
                "make_params() afresh for every candidate, so each starts from the same fresh point")
    if got == answer(start, loss_fn, candidates, steps, accumulate=True):
        why += (f". {got:g} is what you get when the gradient accumulates from step to step: clear it after "
                "each update (or use torch.autograd.grad, which does not accumulate)")
    raise AssertionError(f"{what}: the answer is {expected:g}, got {got!r}: {why}")


def test_temperature_data():
    lr = max_stable_lr(lambda: torch.tensor([1.0, 0.0], requires_grad=True), temperature_loss,
                       [1e-1, 1e-2, 1e-3, 1e-4, 1e-5], 20)
    assert type(lr) is float, f"max_stable_lr should return a Python float, got {type(lr).__name__} ({lr!r})"
    check(torch.tensor([1.0, 0.0]), temperature_loss, [1e-1, 1e-2, 1e-3, 1e-4, 1e-5], 20, 1e-4,
          "raw temperature data from [1, 0], 20 steps (1e-1, 1e-2 and 1e-3 blow up; 1e-4 and 1e-5 bring the "
          "loss down from 1763.9)")


def test_candidates_in_any_order():
    # loss x²: a step multiplies x by (1 − 2·lr), so lr < 1 shrinks it and lr > 1 makes it grow
    check(torch.tensor([3.0]), lambda x: (x**2).sum(), [0.5, 1.5, 0.1, 0.9], 10, 0.9,
          "loss x² from x = 3, candidates [0.5, 1.5, 0.1, 0.9], 10 steps")
    check(torch.tensor([1.0, 0.0]), temperature_loss, [2e-5, 1e-3, 3e-4, 1e-4, 1e-1, 2e-4], 25, 3e-4,
          "raw temperature data from [1, 0], candidates [2e-5, 1e-3, 3e-4, 1e-4, 1e-1, 2e-4], 25 steps")


def test_every_candidate_starts_fresh():
    # loss x⁴ from x = 2: lr 0.2 overshoots wildly from x = 2 (to −4.4, then 63.7), but would look fine
    # from a point that lr 0.01 has already brought closer to 0
    check(torch.tensor([2.0]), lambda x: (x**4).sum(), [0.01, 0.2], 3, 0.01,
          "loss x⁴ from x = 2, candidates [0.01, 0.2], 3 steps")


def test_float64_parameters():
    # a quadratic bowl ½pᵀAp + bᵀp: A = [[10, 1], [1, 2]] has the eigenvalues 1.88 and 10.12, so plain
    # gradient descent diverges for lr above 2/10.12 = 0.198
    a = torch.tensor([[10.0, 1.0], [1.0, 2.0]], dtype=torch.float64)
    b = torch.tensor([1.0, -2.0], dtype=torch.float64)
    check(torch.tensor([3.0, -2.0], dtype=torch.float64), lambda p: 0.5 * p @ (a @ p) + b @ p,
          [0.3, 0.05, 0.18, 0.21, 0.02], 20, 0.18,
          "the bowl ½pᵀAp + bᵀp (A = [[10, 1], [1, 2]]) from [3, −2] in float64, candidates "
          "[0.3, 0.05, 0.18, 0.21, 0.02], 20 steps")
