"""Hidden suite for 05_loops/fit_autograd."""

import pytest
import torch

from grader.grading import checks
from grader.suites.shared import fit_loops

FN = "fit_autograd"
CONTRACT = ("fit_autograd(X, y, lr, epochs) -> (float, list[float]): tensors in; ŷ = w·x from "
            "w = 0.0; loss MSE; backward(); update w under torch.no_grad(); zero the gradient "
            "each epoch; losses[i] is the loss of epoch i, before its update")
SEED_X = torch.tensor([1.0, 2.0, 3.0, 4.0])
SEED_Y = 2 * SEED_X


def mistakes(n: int) -> dict[str, dict]:
    """The classic mistakes, tried in this order: label → fit_loops.run keywords."""
    known = {
        "the gradient accumulates from epoch to epoch: backward() adds into w.grad, so zero "
        "it in every epoch (w.grad.zero_() or w.grad = None)": {"accumulate": True},
        "losses[i] is recorded after epoch i's update; record each loss before you update w":
            {"after": True},
        "the update goes uphill, so training diverges: the sign is flipped, step with "
        "w -= lr * w.grad": {"sign": -1.0},
    }
    if n > 1:
        known[f"the loss is off by a factor of N = {n} (and so is its gradient): take the mean "
              "of the squared differences, not their sum"] = {"loss_scale": n}
        known[f"ŷ has shape ({n}, 1) and broadcasts against y of shape ({n},), so the loss "
              "compares every prediction with every target: keep ŷ the shape of y"] = {"broadcast": True}
    return known


FIT = fit_loops.Fit(
    fn=FN, contract=CONTRACT, seed=(SEED_X, SEED_Y), mistakes=mistakes,
    diverging="the sign of the update (w -= lr * w.grad) and that w.grad is zeroed in every epoch",
    raise_hints={
        "leaf Variable that requires grad": "update w inside `with torch.no_grad():` so that "
        "autograd does not record the step and w stays a leaf",
        "NoneType": "w.grad is None there. Either w is no longer a leaf (`w = w - lr * w.grad` "
        "outside torch.no_grad() makes a new tensor, and backward() fills .grad only on leaves), "
        "or the gradient is zeroed before the first backward() has created it",
        "does not require grad": "the loss has no graph: create w with requires_grad=True and "
        "compute the loss outside torch.no_grad()",
        "backward through the graph a second time": "compute the loss afresh in every epoch and "
        "call backward() once on it",
    })


# ---------------------------------------------------------------- the seed's numbers


@pytest.mark.points(1)
def test_seed_first_loss(learner):
    """seed: losses[0] = 30.0"""
    FIT.check_seed_first_loss(learner, FIT.known_values(SEED_X, SEED_Y, 0.01, 1, lambda r: r[1][0], 30.0))


@pytest.mark.points(1)
def test_seed_one_epoch(learner):
    """seed: one epoch at lr 0.01 takes w from 0 to 0.3"""
    FIT.check_seed_one_epoch(learner, FIT.known_values(SEED_X, SEED_Y, 0.01, 1, lambda r: r[0], 0.3),
                             extra="at w = 0, dL/dw = mean(2x(0 − 2x)) = −30, so w = 0 − 0.01·(−30)")


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
    X, y, lr = fit_loops.other_data(case, seed=61)
    FIT.check_run(learner.call(FN, X, y, lr, 40), X, y, lr, 40, torch.float32)


# ---------------------------------------------------------------- types and inputs


@pytest.mark.points(1)
def test_w_is_a_python_float(learner):
    """returns a tuple whose w is a Python float"""
    FIT.check_w_is_python_float(learner, fix="`return w.item(), losses`")


@pytest.mark.points(1)
@pytest.mark.rule
def test_losses_are_python_floats(learner):
    """losses is a list of Python floats, one per epoch"""
    FIT.check_losses_are_python_floats(
        learner, tensor_fix="append loss.item(): a tensor would also keep its whole graph alive")


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves X and y as they were"""
    X, y, lr = fit_loops.other_data("float32-random", seed=61)
    outcome = learner.call(FN, X, y, lr, 5)
    FIT.value_of(outcome)
    checks.unchanged(X, outcome.args[0], name="X", call=FN, contract=CONTRACT)
    checks.unchanged(y, outcome.args[1], name="y", call=FN, contract=CONTRACT)
