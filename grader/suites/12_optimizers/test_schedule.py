"""Hidden suite for 12_optimizers/schedule."""

from __future__ import annotations

import math

import pytest
import torch

from grader.grading import checks

CONTRACT = ("warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0) -> float: the lr "
            "of update `step` (from 0, as LambdaLR counts): base_lr·step/warmup_steps while step < "
            "warmup_steps; min_lr + (base_lr − min_lr)·(1 + cos(π·(step − warmup_steps)/(total_steps "
            "− warmup_steps)))/2 for warmup_steps ≤ step ≤ total_steps; min_lr after. ValueError "
            "unless step ≥ 0 and 0 ≤ warmup_steps < total_steps")
RTOL, ATOL = 1e-9, 1e-12  # the closed form in float64: only rounding may differ


def reference(step: int, base: float, warmup: int, total: int, low: float = 0.0,
              mistake: str = "") -> float:
    """The contract's schedule in float64, or one classic mistake."""
    if step < warmup:
        if mistake == "off_by_one":
            return base * (step + 1) / warmup
        if mistake == "from_min":
            return low + (base - low) * step / warmup
        return base * step / warmup
    if step > total and mistake not in ("keeps_going", "zero_after"):
        return low
    if step > total and mistake == "zero_after":
        return 0.0
    span = total - warmup
    progress = {"over_total": (step - warmup) / total, "from_zero": step / span}.get(
        mistake, (step - warmup) / span)
    if mistake == "linear":
        return low + (base - low) * (1 - progress)
    if mistake == "no_min":
        return base * (1 + math.cos(math.pi * progress)) / 2
    return low + (base - low) * (1 + math.cos(math.pi * progress)) / 2


MISTAKES = {
    "off_by_one": "the warm-up is off by one: at step s it gives base_lr·(s + 1)/warmup_steps; "
                  "update 0 gets base_lr·0/warmup_steps = 0",
    "from_min": "the warm-up starts at min_lr; it starts at 0: base_lr·step/warmup_steps",
    "over_total": "the cosine runs over total_steps; it runs over what is left after the warm-up: "
                  "progress = (step − warmup_steps)/(total_steps − warmup_steps)",
    "from_zero": "the cosine's progress counts from step 0; it counts from the end of the warm-up: "
                 "(step − warmup_steps)/(total_steps − warmup_steps)",
    "keeps_going": "after total_steps the cosine goes on (and climbs back up); after total_steps "
                   "the lr stays at min_lr",
    "zero_after": "after total_steps the lr should stay at min_lr, not drop to 0",
    "no_min": "min_lr is missing from the cosine: min_lr + (base_lr − min_lr)·(1 + cos(π·progress))/2",
    "linear": "the decay is a straight line; it follows half a cosine: "
              "(1 + cos(π·progress))/2 goes from 1 to 0",
}

SEED = (1.0, 2, 10, 0.1)
SEED_STEPS = (0, 1, 2, 6, 10, 11)
CONFIGS = {
    "warmup-5-total-50": ((0.1, 5, 50, 0.0), list(range(54))),
    "min-lr": ((3e-4, 100, 1000, 3e-5), [0, 1, 50, 99, 100, 101, 250, 500, 999, 1000, 1001, 1500]),
    "no-warmup": ((1.0, 0, 7, 0.2), list(range(10))),
    "one-step-warmup": ((2.0, 1, 2, 0.5), list(range(5))),
}


def torch_cosine(base: float, total: int, low: float) -> list[float]:
    """CosineAnnealingLR(T_max=total, eta_min=low): the lr of updates 0 … total."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total, eta_min=low)
    lrs = []
    for _ in range(total + 1):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return lrs


def torch_lambda(base: float, warmup: int, total: int, low: float, updates: int) -> list[float]:
    """LambdaLR(opt, lambda s: reference(s, 1.0, w, T, low/base)) on an optimizer of lr base."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: reference(s, 1.0, warmup, total, low / base))
    lrs = []
    for _ in range(updates):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return lrs


COSINE = ((0.5, 20, 0.05), torch_cosine(0.5, 20, 0.05))
LAMBDA = ((0.3, 4, 16, 0.03), torch_lambda(0.3, 4, 16, 0.03, 20))


# ---------------------------------------------------------------- calling and comparing


def shown(step: int, base: float, warmup: int, total: int, low: float) -> str:
    return f"warmup_cosine_lr({step}, {base:g}, {warmup}, {total}, {low:g})"


def lr_at(learner, step: int, base: float, warmup: int, total: int, low: float) -> float:
    outcome = learner.call("warmup_cosine_lr", step, base, warmup, total, low)
    return checks.as_number(outcome, call=shown(step, base, warmup, total, low),
                            inputs={"step": step, "base_lr": base, "warmup_steps": warmup,
                                    "total_steps": total, "min_lr": low},
                            contract=CONTRACT, what="the learning rate, a float")


def check_steps(learner, config: tuple, steps, expected: list[float] | None = None, *,
                what: str = "", scale: float = 1.0, call_config: tuple | None = None) -> None:
    """The learner's lr at these steps against ``expected`` (default: the closed form); on a
    miss, the first step that differs, and the classic mistake that fits every step."""
    base, warmup, total, low = config
    asked = call_config or config
    got = [scale * lr_at(learner, s, *asked) for s in steps]
    want = expected or [reference(s, *config) for s in steps]
    for s, g, w in zip(steps, got, want, strict=True):
        if checks.close(g, w, torch.float64, RTOL, ATOL):
            continue
        why = next((label for key, label in MISTAKES.items()
                    if all(checks.close(a, reference(t, *config, mistake=key), torch.float64, RTOL, ATOL)
                           for t, a in zip(steps, got, strict=True))), None)
        if why is None:
            why = next((label for key, label in MISTAKES.items()
                        if checks.close(g, reference(s, *config, mistake=key), torch.float64, RTOL,
                                        ATOL)), None)
        phase = ("warm-up" if s < warmup else "cosine" if s <= total else "after total_steps")
        checks.fail(f"{shown(s, *asked)}{what}: {why or f'wrong in the {phase} phase'}",
                    expected=w, received=g,
                    extra=f"phase: {phase} (warmup_steps = {warmup}, total_steps = {total})",
                    contract=CONTRACT)


# ---------------------------------------------------------------- values


@pytest.mark.points(1)
def test_seed(learner):
    """seed: base 1, warmup 2, total 10, min 0.1 at steps 0, 1, 2, 6, 10, 11 → 0, 0.5, 1, 0.55, 0.1, 0.1"""
    check_steps(learner, SEED, SEED_STEPS, [0.0, 0.5, 1.0, 0.55, 0.1, 0.1])


@pytest.mark.points(1)
@pytest.mark.parametrize("config_id", list(CONFIGS))
def test_closed_form(learner, config_id):
    """every phase, against the closed form"""
    config, steps = CONFIGS[config_id]
    check_steps(learner, config, steps)


@pytest.mark.points(1)
def test_boundaries(learner):
    """0 at step 0, base_lr at the end of warm-up, min_lr at total_steps and after"""
    for config in ((0.1, 5, 50, 0.01), (1.0, 3, 4, 0.25), (0.02, 0, 9, 0.001)):
        base, warmup, total, low = config
        check_steps(learner, config, [0, warmup, total, total + 1, total + 50],
                    [0.0 if warmup else base, base, low, low, low])


@pytest.mark.points(1)
def test_cosine_annealing_without_warmup(learner):
    """with warmup_steps = 0 it is torch's CosineAnnealingLR"""
    (base, total, low), lrs = COSINE
    check_steps(learner, (base, 0, total, low), list(range(total + 1)), lrs,
                what=f" (CosineAnnealingLR(T_max={total}, eta_min={low}) gives the expected lr)")


@pytest.mark.points(1)
def test_drives_lambda_lr(learner):
    """LambdaLR(opt, lambda s: warmup_cosine_lr(s, 1.0, w, T, min_lr/base_lr)) gives the schedule"""
    (base, warmup, total, low), lrs = LAMBDA
    check_steps(learner, (base, warmup, total, low), list(range(len(lrs))), lrs, scale=base,
                call_config=(1.0, warmup, total, low / base),
                what=f" × {base} (LambdaLR on an optimizer of lr {base} gives the expected lr)")


# ---------------------------------------------------------------- rules


@pytest.mark.points(1)
@pytest.mark.rule
def test_returns_python_float(learner):
    """returns a Python float"""
    for step, config in ((0, (0.1, 5, 50, 0.0)), (2, (0.1, 5, 50, 0.0)), (30, (0.1, 5, 50, 0.0)),
                         (60, (0.1, 5, 50, 0.0)), (0, (0.5, 0, 10, 0.0))):
        outcome = learner.call("warmup_cosine_lr", step, *config)
        checks.python_float(outcome, reference(step, *config), call=shown(step, *config),
                            inputs={"step": step}, contract=CONTRACT, rtol=RTOL, atol=ATOL)


def check_raises(learner, args: tuple, why: str) -> None:
    outcome = learner.call("warmup_cosine_lr", *args)
    checks.raises(outcome, "ValueError", call=f"warmup_cosine_lr{args}", inputs=f"{args}",
                  contract=CONTRACT, why=why)


@pytest.mark.points(1)
@pytest.mark.rule
def test_negative_step_raises(learner):
    """ValueError for step < 0"""
    check_raises(learner, (-1, 0.1, 2, 10, 0.0), "updates are counted from 0")


@pytest.mark.points(1)
@pytest.mark.rule
def test_negative_warmup_raises(learner):
    """ValueError for warmup_steps < 0"""
    check_raises(learner, (3, 0.1, -1, 10, 0.0), "warmup_steps must be ≥ 0")


@pytest.mark.points(1)
@pytest.mark.rule
def test_warmup_not_below_total_raises(learner):
    """ValueError unless warmup_steps < total_steps"""
    for args in ((3, 0.1, 10, 10, 0.0), (3, 0.1, 12, 10, 0.0), (0, 0.1, 0, 0, 0.0)):
        check_raises(learner, args, "the cosine needs total_steps − warmup_steps > 0 steps")
