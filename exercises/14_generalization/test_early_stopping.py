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


def replay(losses, max_epochs, patience, mistake=""):
    """(epochs run, best epoch) as the rule has it; with a mistake (a key of MISTAKES), as the
    classic wrong version has it."""
    best, best_epoch, waited = math.inf, 0, 0
    for epoch in range(min(max_epochs, len(losses))):
        loss = losses[epoch]
        if epoch == 0:
            better = True
        else:
            better = {"tie": loss <= best, "nan": not loss >= best}.get(mistake, loss < best)
        if better:
            best, best_epoch = loss, epoch
        if mistake == "no reset":
            waited += 0 if better else 1
        elif mistake == "previous":
            waited = 0 if better or loss < losses[epoch - 1] else waited + 1
        else:
            waited = 0 if better else waited + 1
        if waited >= patience + (mistake == "late"):
            return epoch + 1, best_epoch
    return min(max_epochs, len(losses)), best_epoch


MISTAKES = {  # mistake: (what it is, how to fix it)
    "tie": ("a tie counted as an improvement (`<=`)",
            "an epoch becomes the best only with a loss strictly lower than the best so far"),
    "nan": ("nan counted as an improvement (`not loss >= best`)",
            "nan compares False with everything, so write `loss < best`"),
    "no reset": ("a patience counter not reset when an epoch improves",
                 "count the epochs without improvement in a row, back to 0 at every new best"),
    "previous": ("a patience counter reset whenever a loss beats the previous epoch's",
                 "only a new best (lower than the best so far) resets it"),
    "late": ("training stopped one epoch late (waited > patience)",
             "stop as soon as `patience` epochs in a row have not improved: waited >= patience"),
    "from 1": ("best_epoch counted from 1", "count epochs from 0"),
}


RULE = (" An epoch improves only with a loss strictly lower than the best so far (`<`: a tie or nan "
        "is no improvement); the counter goes back to 0 at each new best; stop once it reaches "
        "patience; epoch 0 is the best whatever its loss")


def named_mistake(losses, max_epochs, patience, epochs_run, best_epoch):
    """Which classic slip gives this run, if any."""
    right = replay(losses, max_epochs, patience)
    slips = [mistake for mistake in MISTAKES if mistake != "from 1"
             and replay(losses, max_epochs, patience, mistake) == (epochs_run, best_epoch)]
    if (epochs_run, best_epoch) == (right[0], right[1] + 1):
        slips.insert(0, "from 1")
    if len(slips) == 1:
        what, fix = MISTAKES[slips[0]]
        return f" That is {what}: {fix}."
    if slips:
        return (" That is " + " or ".join(MISTAKES[m][0] for m in slips)
                + " (the cases of test_stopping_rule tell which).")
    return RULE if (epochs_run, best_epoch) != right else ""


def test_seed():
    run = Scripted([5, 4, 3, 3.5, 3.2, 3.1, 2, 1])
    best_state, best_epoch, losses = run.run(8, 3)
    assert losses == [5, 4, 3, 3.5, 3.2, 3.1] and all(type(v) is float for v in losses), (
        f"epochs 3, 4 and 5 do not beat 3, so with patience 3 training stops after epoch 5: "
        f"expected the Python floats [5.0, 4.0, 3.0, 3.5, 3.2, 3.1], got {losses}."
        + named_mistake([5, 4, 3, 3.5, 3.2, 3.1, 2, 1], 8, 3, len(losses), best_epoch)
    )
    assert best_epoch == 2, (
        f"the best epoch is 2 (counted from 0), got {best_epoch}."
        + named_mistake([5, 4, 3, 3.5, 3.2, 3.1, 2, 1], 8, 3, len(losses), best_epoch)
    )
    assert run.calls == ["train", "val"] * 6, (
        f"each epoch calls train_epoch() once, then val_loss() once; the calls were {run.calls}"
    )


@pytest.mark.parametrize("losses, max_epochs, patience, epochs_run, best", [
    ([3, 2, 2, math.nan, 1], 5, 2, 4, 1),  # a tie, then a nan: neither is an improvement
    ([5, 5.5, 4, 4.5, 4.2, 3], 6, 2, 5, 2),  # patience counts non-improving epochs IN A ROW
    ([3, 2, 1, 0.5], 3, 5, 3, 2),  # max_epochs reached
    ([math.inf, math.inf, math.inf, 1], 4, 2, 3, 0),  # epoch 0 is the best, even at inf
    ([3, 2, 2, 2, 2.5, 1], 6, 2, 4, 1),  # ties are no improvement
    ([3, 2, math.nan, math.nan, 2.5, 1], 6, 2, 4, 1),  # nor is a nan
    ([3, 4, 5, 1], 4, 2, 3, 0),  # 2 epochs in a row without improvement: stop there
    ([5, 6, 5.5, 7, 1], 5, 2, 3, 0),  # 5.5 beats 6 but not the best, 5
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
        f"run and best_epoch {best}, got {len(got)} and {best_epoch}."
        + named_mistake(losses, max_epochs, patience, len(got), best_epoch)
    )


def test_best_state_is_a_deep_copy_and_loaded():
    run = Scripted([5, 4, 3, 3.5, 3.2, 3.1, 2, 1])
    best_state, _, _ = run.run(8, 3)
    assert set(best_state) == set(run.model.state_dict()), (
        "best_state should hold every entry of model.state_dict(), the buffers included"
    )
    live = {t.data_ptr() for t in run.model.state_dict().values()}
    shares = any(v.data_ptr() in live for v in best_state.values())
    held = {x for v in best_state.values() for x in v.flatten().tolist()}
    if shares:
        why = (", yet it shares its tensors with the model, which later epochs kept changing: "
               "model.state_dict() returns the model's live tensors, so save "
               "copy.deepcopy(model.state_dict())")
    elif len(held) == 1 and held.pop() > 5:
        why = ": it holds those of a later epoch, so training ran past epoch 5; get test_seed passing first"
    else:
        why = ": save copy.deepcopy(model.state_dict()) right after the best epoch's validation"
    assert all(torch.all(v == 2) for v in best_state.values()), (
        "best_state should hold the weights right after the best epoch, 2 (all 2 here)" + why
    )
    assert not shares, (
        "best_state shares tensors with the model: save copy.deepcopy(model.state_dict())"
    )
    assert all(torch.all(v == 2) for v in run.model.state_dict().values()), (
        "at the end the model should hold the best weights (all 2 here)"
        + (": it still holds the weights of the last epoch run (5)"
           if all(torch.all(v == 5) for v in run.model.state_dict().values()) else "")
        + ". Finish with model.load_state_dict(best_state)"
    )


@pytest.mark.parametrize("max_epochs, patience", [(0, 3), (5, 0), (-1, 2)])
def test_value_errors(max_epochs, patience):
    why = (f"fit_early_stopping should raise ValueError for max_epochs = {max_epochs}, patience = "
           f"{patience} (both must be at least 1); check them before the first epoch")
    try:
        result = Scripted([1.0] * 5).run(max_epochs, patience)
    except ValueError:
        return
    except NotImplementedError:
        raise
    except Exception as error:
        pytest.fail(f"{why}. It raised {type(error).__name__}: {str(error).splitlines()[0]}")
    pytest.fail(f"{why}. It ran {len(result[2])} epochs instead")
