"""Public tests for 14_generalization/early_stopping.

Run them with: pytest exercises/14_generalization/test_early_stopping.py
"""

import math

import pytest
import torch
from early_stopping import fit_early_stopping
from torch import nn


class Scripted:
    """A model, a train_epoch that sets its weights (in place) to the epoch number, and a
    val_loss that returns the given losses in turn; it logs the calls."""

    def __init__(self, losses):
        self.model = nn.Sequential(nn.Linear(2, 1), nn.BatchNorm1d(1))
        self.losses, self.epoch, self.calls = losses, -1, []

    def train_epoch(self):
        self.epoch += 1
        self.calls.append("train")
        with torch.no_grad():
            for value in self.model.state_dict().values():
                value.fill_(self.epoch)  # parameters and buffers, in place, as training does

    def val_loss(self):
        self.calls.append("val")
        return torch.tensor(self.losses[self.epoch], dtype=torch.float64)  # 0-d: record float(val_loss())

    def run(self, max_epochs, patience):
        return fit_early_stopping(self.model, self.train_epoch, self.val_loss, max_epochs, patience)


def test_seed():
    run = Scripted([5, 4, 3, 3.5, 3.2, 3.1, 2, 1])
    best_state, best_epoch, losses = run.run(8, 3)
    assert losses == [5, 4, 3, 3.5, 3.2, 3.1] and all(type(v) is float for v in losses), (
        f"epochs 3, 4 and 5 do not beat 3, so with patience 3 training stops after epoch 5: "
        f"expected the Python floats [5.0, 4.0, 3.0, 3.5, 3.2, 3.1], got {losses}"
        + (" (stopped one epoch late: stop when waited >= patience)" if len(losses) == 7 else "")
    )
    assert best_epoch == 2, f"the best epoch is 2 (counted from 0), got {best_epoch}"
    assert run.calls == ["train", "val"] * 6, (
        f"each epoch calls train_epoch() once, then val_loss() once; the calls were {run.calls}"
    )


@pytest.mark.parametrize("losses, max_epochs, patience, epochs_run, best", [
    ([3, 2, 2, math.nan, 1], 5, 2, 4, 1),  # a tie, then a nan: neither is an improvement
    ([5, 5.5, 4, 4.5, 4.2, 3], 6, 2, 5, 2),  # patience counts non-improving epochs IN A ROW
    ([3, 2, 1, 0.5], 3, 5, 3, 2),  # max_epochs reached
    ([math.inf, math.inf, math.inf, 1], 4, 2, 3, 0),  # epoch 0 is the best, even at inf
])
def test_stopping_rule(losses, max_epochs, patience, epochs_run, best):
    try:
        _, best_epoch, got = Scripted(losses).run(max_epochs, patience)
    except RuntimeError as error:
        if "Missing key" in str(error):
            pytest.fail("best_state was never saved, so load_state_dict had nothing to load: epoch 0 "
                        "is the best whatever its loss (inf included); save its state first")
        raise
    assert (len(got), best_epoch) == (epochs_run, best), (
        f"losses {losses}, patience {patience}, max_epochs {max_epochs}: expected {epochs_run} epochs "
        f"run and best_epoch {best}, got {len(got)} and {best_epoch}. An epoch improves only with a "
        "loss strictly lower than the best so far (`<`: a tie or nan is no improvement); the counter "
        "goes back to 0 at each new best; epoch 0 is the best whatever its loss"
    )


def test_best_state_is_a_deep_copy_and_loaded():
    run = Scripted([5, 4, 3, 3.5, 3.2, 3.1, 2, 1])
    best_state, _, _ = run.run(8, 3)
    assert set(best_state) == set(run.model.state_dict()), (
        "best_state should hold every entry of model.state_dict(), the buffers included"
    )
    assert all(torch.all(v == 2) for v in best_state.values()), (
        "best_state should hold the weights right after epoch 2 (all 2 here), not the last epoch's "
        "(5): model.state_dict() alone returns the live tensors, so take copy.deepcopy(...) of it"
    )
    live = {t.data_ptr() for t in run.model.state_dict().values()}
    assert not any(v.data_ptr() in live for v in best_state.values()), (
        "best_state shares tensors with the model: save copy.deepcopy(model.state_dict())"
    )
    assert all(torch.all(v == 2) for v in run.model.state_dict().values()), (
        "at the end the model should hold the best weights: model.load_state_dict(best_state)"
    )


@pytest.mark.parametrize("max_epochs, patience", [(0, 3), (5, 0), (-1, 2)])
def test_value_errors(max_epochs, patience):
    with pytest.raises(ValueError):
        Scripted([1.0] * 5).run(max_epochs, patience)
