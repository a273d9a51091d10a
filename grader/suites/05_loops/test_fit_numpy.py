"""Hidden suite for 05_loops/fit_numpy."""

import numpy as np
import pytest
import torch

from grader.grading import checks
from grader.suites.shared import fit_loops

FN = "fit_numpy"
CONTRACT = ("fit_numpy(X, y, lr, epochs) -> (float, list[float]): numpy only; ŷ = w·x from "
            "w = 0.0; loss MSE; gradient by hand, mean(2x(ŷ − y)); w ← w − lr·grad; losses[i] is "
            "the loss of epoch i, before its update")
SEED_X = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
SEED_Y = 2 * SEED_X


def mistakes(n: int) -> dict[str, dict]:
    """The classic mistakes, tried in this order: label → fit_loops.run keywords."""
    known = {
        "losses[i] is recorded after epoch i's update; record each loss before you update w":
            {"after": True},
        "the update goes uphill, so training diverges: the sign is flipped, step with "
        "w ← w − lr·grad": {"sign": -1.0},
        "the gradient is half what it should be: the factor 2 from differentiating the square "
        "is missing": {"grad_scale": 0.5},
    }
    if n > 1:
        known[f"the gradient is off by a factor of N = {n}: average 2x(ŷ − y) over the samples "
              "(the mean), do not sum it"] = {"grad_scale": n}
        known[f"the loss and its gradient are off by a factor of N = {n}: take the mean over the "
              "samples, not the sum"] = {"grad_scale": n, "loss_scale": n}
    return known


FIT = fit_loops.Fit(fn=FN, contract=CONTRACT, seed=(SEED_X, SEED_Y), mistakes=mistakes,
                    diverging="the sign of the update (w ← w − lr·grad) and the size of the gradient")


# ---------------------------------------------------------------- the seed's numbers


@pytest.mark.points(1)
def test_seed_first_loss(learner):
    """seed: losses[0] = 30.0"""
    FIT.check_seed_first_loss(learner, {
        "losses[0] is the loss after the first update: record it before updating w":
            fit_loops.run(SEED_X, SEED_Y, 0.01, 1, after=True)[1][0]})


@pytest.mark.points(1)
def test_seed_one_epoch(learner):
    """seed: one epoch at lr 0.01 takes w from 0 to 0.3"""
    FIT.check_seed_one_epoch(learner, None,
                             extra="at w = 0 the gradient is mean(2x(0 − 2x)) = −30, so w = 0 − 0.01·(−30)")


@pytest.mark.points(1)
def test_seed_converges(learner):
    """seed: w → 2 and the loss → 0"""
    FIT.check_seed_converges(learner, epochs=300)


@pytest.mark.points(1)
def test_seed_trajectory(learner):
    """seed: every loss and the final w over 30 epochs"""
    FIT.check_seed_trajectory(learner, epochs=30)


# ---------------------------------------------------------------- other data


@pytest.mark.points(1)
@pytest.mark.parametrize("case", ["float32-random", "float64-offset", "one-sample-large"])
def test_other_data(learner, case):
    """every loss and the final w on other data"""
    X, y, lr = fit_loops.other_data(case, seed=51, numpy=True)
    FIT.check_run(learner.call(FN, X, y, lr, 40), X, y, lr, 40, torch.float32)


# ---------------------------------------------------------------- types and inputs


@pytest.mark.points(1)
def test_w_is_a_python_float(learner):
    """returns a tuple whose w is a Python float"""
    FIT.check_w_is_python_float(learner, fix="`return w, losses`")


@pytest.mark.points(1)
@pytest.mark.rule
def test_losses_are_python_floats(learner):
    """losses is a list of Python floats, one per epoch"""
    FIT.check_losses_are_python_floats(learner, tensor_fix="use .item()")


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves X and y as they were"""
    X, y, lr = fit_loops.other_data("float32-random", seed=51, numpy=True)
    outcome = learner.call(FN, X, y, lr, 5)
    outcome.value  # noqa: B018 - surfaces an exception first
    for name, before, after in (("X", X, outcome.args[0]), ("y", y, outcome.args[1])):
        checks.array_unchanged(before, after, name=name, call=FIT.call, contract=CONTRACT,
                               same_dtype=False, fix="compute predictions into new arrays (w * X), "
                               "never in place (*=, -=) on the caller's data")
