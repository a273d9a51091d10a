"""Hidden suite for 05_loops/fit_autograd: the loop tests every fit_* kata shares (FitTests),
with this kata's classic mistakes, hints and data."""


from grader import diagnoses
from grader.suites.shared import fit_loops
from grader.suites.shared.fit_tests import FitTests

FN = "fit_autograd"
CONTRACT = ("fit_autograd(X, y, lr, epochs) -> (float, list[float]): tensors in; ŷ = w·x from "
            "w = 0.0; loss MSE; backward(); update w under torch.no_grad(); zero the gradient "
            "each epoch; losses[i] is the loss of epoch i, before its update")


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
        known.update(fit_loops.broadcast_mistake(n))
    return known


FIT = fit_loops.Fit(
    fn=FN, contract=CONTRACT, seed=fit_loops.SEED, mistakes=mistakes,
    diverging="the sign of the update (w -= lr * w.grad) and that w.grad is zeroed in every epoch",
    raise_hints=diagnoses.for_kata(f"05_loops/{FN}"))


class TestFitAutograd(FitTests):
    """The loop tests of every fit_* kata (fit_tests.FitTests), with this kata's data and fixes."""

    fit = FIT
    data_seed = 61
    w_fix = "`return w.item(), losses`"
    tensor_fix = "append loss.item(): a tensor would also keep its whole graph alive"
    dtype_fix = "create w with dtype=X.dtype, e.g. torch.zeros((), dtype=X.dtype, requires_grad=True)"
