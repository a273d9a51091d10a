"""Public tests for 09_beyond/lr_finder. Run them with: pytest exercises/09_beyond"""

import torch
from lr_finder import max_stable_lr

T_C = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0])
T_U = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4])


def temperature_loss(params):
    return ((params[0] * T_U + params[1] - T_C) ** 2).mean()


def test_temperature_data():
    lr = max_stable_lr(lambda: torch.tensor([1.0, 0.0], requires_grad=True), temperature_loss,
                       [1e-1, 1e-2, 1e-3, 1e-4, 1e-5], 20)
    assert type(lr) is float, f"max_stable_lr should return a Python float, got {type(lr).__name__}"
    assert lr == 1e-4, (
        f"on the raw temperature data from [1, 0], 20 steps: 1e-1, 1e-2 and 1e-3 blow up, 1e-4 and "
        f"1e-5 bring the loss down from 1763.9, so the answer is 1e-4; got {lr}")


def test_candidates_in_any_order():
    # loss x²: a step multiplies x by (1 - 2 lr), so lr < 1 shrinks it and lr > 1 makes it grow.
    lr = max_stable_lr(lambda: torch.tensor([3.0], requires_grad=True), lambda x: (x**2).sum(),
                       [0.5, 1.5, 0.1, 0.9], 10)
    assert lr == 0.9, (
        f"for the loss x² from x = 3 with candidates [0.5, 1.5, 0.1, 0.9], the largest stable lr is "
        f"0.9 (1.5 makes the loss grow); got {lr}. The candidates are not sorted: take the max.")


def test_every_candidate_starts_fresh():
    # loss x⁴ from x = 2: lr 0.2 overshoots wildly from x = 2, but would look fine from a point
    # that lr 0.01 has already brought closer to 0.
    lr = max_stable_lr(lambda: torch.tensor([2.0], requires_grad=True), lambda x: (x**4).sum(),
                       [0.01, 0.2], 3)
    assert lr == 0.01, (
        f"for the loss x⁴ from x = 2 with candidates [0.01, 0.2] and 3 steps, only 0.01 is stable "
        f"(0.2 sends x to -4.4, then 63.7); got {lr}. Call make_params() again for every candidate "
        "instead of continuing from the parameters the previous one trained.")
