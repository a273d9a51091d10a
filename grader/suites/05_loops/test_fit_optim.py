"""Hidden suite for 05_loops/fit_optim: the loop tests every fit_* kata shares (FitTests),
with this kata's classic mistakes, hints and data."""


from grader import diagnoses
from grader.suites.shared import fit_loops
from grader.suites.shared.fit_tests import FitTests

FN = "fit_optim"
CONTRACT = ("fit_optim(X, y, lr, epochs) -> (float, list[float]): ŷ = w·x from w = 0.0; "
            "nn.MSELoss and torch.optim.SGD (zero_grad, backward, step) every epoch; losses[i] is "
            "the loss of epoch i, before its update")


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
        known.update(fit_loops.broadcast_mistake(n))
    return known


FIT = fit_loops.Fit(
    fn=FN, contract=CONTRACT, seed=fit_loops.SEED, mistakes=mistakes,
    diverging="that optimizer.zero_grad() runs in every epoch and that lr is passed as given",
    raise_hints=diagnoses.for_kata(f"05_loops/{FN}"))


class TestFitOptim(FitTests):
    """The loop tests of every fit_* kata (fit_tests.FitTests), with this kata's data and fixes."""

    fit = FIT
    data_seed = 71
    w_fix = "`return w.item(), losses`"
    tensor_fix = "append loss.item(): a tensor would also keep its whole graph alive"
    dtype_fix = "create w with dtype=X.dtype, e.g. torch.zeros((), dtype=X.dtype, requires_grad=True)"
