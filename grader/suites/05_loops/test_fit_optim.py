"""Hidden suite for 05_loops/fit_optim."""

import pytest
import torch

from grader.grading import checks
from grader.suites.shared import fit_loops

FN = "fit_optim"
CONTRACT = ("fit_optim(X, y, lr, epochs) -> (float, list[float]): ŷ = w·x from w = 0.0; "
            "nn.MSELoss and torch.optim.SGD (zero_grad, backward, step) every epoch; losses[i] is "
            "the loss of epoch i, before its update")
SEED_X = torch.tensor([1.0, 2.0, 3.0, 4.0])
SEED_Y = 2 * SEED_X


def mistakes(n: int) -> dict[str, dict]:
    """The classic mistakes, tried in this order: label → fit_loops.run keywords."""
    known = {
        "the gradient accumulates from epoch to epoch: backward() adds into w.grad, so call "
        "optimizer.zero_grad() in every epoch": {"accumulate": True},
        "w never moves: the gradient is cleared between backward() and step(); call "
        "optimizer.zero_grad() before backward(), at the start of the epoch": {"frozen": True},
        "losses[i] is recorded after epoch i's update; record each loss before "
        "optimizer.step()": {"after": True},
        "w starts again from 0.0 in every epoch: create w and the optimizer once, before the "
        "loop": {"restart": True},
        "the update goes uphill, so training diverges: the sign is flipped (minimize the loss "
        "itself, with a positive lr)": {"sign": -1.0},
    }
    if n > 1:
        known[f"the loss is off by a factor of N = {n} (and so is its gradient): use "
              "nn.MSELoss() with its default reduction, the mean"] = {"loss_scale": n}
        known[f"ŷ has shape ({n}, 1) and broadcasts against y of shape ({n},), so the loss "
              "compares every prediction with every target: keep ŷ the shape of y"] = {"broadcast": True}
    return known


FIT = fit_loops.Fit(
    fn=FN, contract=CONTRACT, seed=(SEED_X, SEED_Y), mistakes=mistakes,
    diverging="that optimizer.zero_grad() runs in every epoch and that lr is passed as given",
    raise_hints={
        "non-leaf Tensor": "give torch.optim.SGD the leaf tensor w itself (made with "
        "requires_grad=True), not an expression computed from it",
        "empty parameter list": "pass the parameters to the optimizer: torch.optim.SGD([w], lr=lr)",
        "does not require grad": "the loss has no graph: create w with requires_grad=True and "
        "compute the loss outside torch.no_grad()",
        "backward through the graph a second time": "compute the loss afresh in every epoch and "
        "call backward() once on it",
        "leaf Variable that requires grad": "let optimizer.step() update w; do not change w "
        "yourself",
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
    X, y, lr = fit_loops.other_data(case, seed=71)
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
    X, y, lr = fit_loops.other_data("float32-random", seed=71)
    outcome = learner.call(FN, X, y, lr, 5)
    FIT.value_of(outcome)
    checks.unchanged(X, outcome.args[0], name="X", call=FN, contract=CONTRACT)
    checks.unchanged(y, outcome.args[1], name="y", call=FN, contract=CONTRACT)
