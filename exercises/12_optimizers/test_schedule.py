"""Public tests for 12_optimizers/schedule. Run them with: pytest exercises/12_optimizers/test_schedule.py"""

import math

import pytest
import torch
from schedule import warmup_cosine_lr


def expected(step, base, warmup, total, low, mistake=""):
    """The schedule in float64; with a mistake (a key of MISTAKES), the classic wrong version."""
    if step < warmup:
        if mistake == "from min":
            return low + (base - low) * step / warmup
        return base * (step + (mistake == "off by one")) / warmup
    if step > total and mistake != "keeps going":
        return low
    progress = (step - warmup) / (total if mistake == "over total" else total - warmup)
    if mistake == "linear":
        return low + (base - low) * (1 - progress)
    floor = 0.0 if mistake == "no min" else low
    return floor + (base - floor) * (1 + math.cos(math.pi * progress)) / 2


MISTAKES = {
    "off by one": "the warm-up is off by one: update 0 gets 0, update s gets base_lr * s / warmup_steps",
    "from min": "the warm-up starts at min_lr; it starts at 0: base_lr * step / warmup_steps",
    "over total": "the cosine runs over total_steps; it runs over total_steps - warmup_steps, "
                  "starting at the end of the warm-up",
    "keeps going": "after total_steps the cosine goes on (and climbs back); the lr stays at min_lr",
    "no min": "min_lr is missing from the cosine: min_lr + (base_lr - min_lr) * (1 + cos(pi * progress)) / 2",
    "linear": "the decay is a straight line; it is half a cosine",
}


def named(got, steps, *config):
    for mistake, why in MISTAKES.items():
        if got == pytest.approx([expected(s, *config, mistake) for s in steps], rel=1e-9, abs=1e-12):
            return ": " + why
    return ""


def test_seed():
    steps = (0, 1, 2, 6, 10, 11)
    got = [warmup_cosine_lr(s, 1.0, 2, 10, 0.1) for s in steps]
    want = [0.0, 0.5, 1.0, 0.55, 0.1, 0.1]
    assert got == pytest.approx(want, abs=1e-12), (
        f"base 1, warmup 2, total 10, min 0.1 at steps 0, 1, 2, 6, 10, 11 should give {want}, got "
        f"{got}" + named(got, steps, 1.0, 2, 10, 0.1)
    )


def test_every_phase_with_min_lr():
    config = (0.1, 5, 50, 0.01)
    steps = range(54)
    got = [warmup_cosine_lr(step, *config) for step in steps]
    for step in steps:
        want = expected(step, *config)
        phase = "warm-up" if step < 5 else "cosine" if step <= 50 else "after total_steps"
        assert got[step] == pytest.approx(want, rel=1e-9, abs=1e-12), (
            f"warmup_cosine_lr({step}, 0.1, 5, 50, 0.01) ({phase}): expected {want}, got {got[step]}"
            + named(got, steps, *config)
        )


def test_matches_torch_schedulers():
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.5)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20, eta_min=0.05)
    for step in range(21):
        lr = opt.param_groups[0]["lr"]
        assert warmup_cosine_lr(step, 0.5, 0, 20, 0.05) == pytest.approx(lr, rel=1e-9), (
            f"with warmup_steps = 0 this is CosineAnnealingLR(T_max=20, eta_min=0.05): at update "
            f"{step} it gives {lr}, you gave {warmup_cosine_lr(step, 0.5, 0, 20, 0.05)}"
        )
        opt.step()
        cosine.step()
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.3)
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: warmup_cosine_lr(s, 1.0, 4, 16, 0.1))
    for step in range(20):
        lr = opt.param_groups[0]["lr"]
        want = expected(step, 0.3, 4, 16, 0.03)
        assert lr == pytest.approx(want, rel=1e-9, abs=1e-12), (
            f"LambdaLR with your schedule (base 1.0, min 0.1) should give update {step} the lr "
            f"0.3 * factor = {want}; it gave {lr}"
        )
        opt.step()
        schedule.step()


def test_returns_a_python_float():
    for step in (0, 3, 30, 99):
        value = warmup_cosine_lr(step, 0.1, 5, 50, 0.0)
        assert type(value) is float, (
            f"warmup_cosine_lr({step}, ...) returned a {type(value).__name__}; return a Python float"
            + (": it returned a tensor (use math.cos, or .item())" if isinstance(value, torch.Tensor) else "")
        )


@pytest.mark.parametrize("args", [(-1, 0.1, 2, 10), (3, 0.1, -1, 10), (3, 0.1, 10, 10), (3, 0.1, 12, 10)],
                         ids=["negative-step", "negative-warmup", "warmup-is-total", "warmup-above-total"])
def test_bad_arguments_raise(args):
    with pytest.raises(ValueError):
        warmup_cosine_lr(*args)
        pytest.fail(f"warmup_cosine_lr{args} should raise ValueError: step >= 0 and "
                    "0 <= warmup_steps < total_steps")
