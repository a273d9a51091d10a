"""Hidden suite for 05_loops/fit_numpy: the loop tests every fit_* kata shares (FitTests),
with this kata's classic mistakes and data in numpy."""

import numpy as np

from grader.grading import checks
from grader.suites.shared import fit_loops
from grader.suites.shared.fit_tests import FitTests

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



class TestFitNumpy(FitTests):
    """The loop tests of every fit_* kata (fit_tests.FitTests), with numpy data and fixes."""

    fit = FIT
    data_seed = 51
    numpy = True
    w_fix = "`return w, losses`"
    tensor_fix = "use .item()"
    dtype_fix = "start from w = 0.0 (a Python float is float64) or np.zeros((), dtype=X.dtype)"
    one_epoch_extra = "at w = 0 the gradient is mean(2x(0 − 2x)) = −30, so w = 0 − 0.01·(−30)"

    def first_loss_known(self) -> dict:
        return {"losses[0] is the loss after the first update: record it before updating w":
                fit_loops.run(SEED_X, SEED_Y, 0.01, 1, after=True)[1][0]}

    def one_epoch_known(self) -> None:
        return None  # w after one epoch is judged without naming a classic mistake

    def check_inputs_unchanged(self, outcome, X, y) -> None:
        outcome.value  # noqa: B018 - surfaces an exception first
        for name, before, after in (("X", X, outcome.args[0]), ("y", y, outcome.args[1])):
            checks.array_unchanged(before, after, name=name, call=FIT.call, contract=CONTRACT,
                                   same_dtype=False, fix="compute predictions into new arrays (w * X), "
                                   "never in place (*=, -=) on the caller's data")
