"""Public tests for 11_networks/fit_xor. Run them with: pytest exercises/11_networks/test_fit_xor.py"""

import math

import pytest
import torch
from fit_xor import fit_xor
from torch import nn

X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])


def test_the_seed_learns_xor():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
    X_before, Y_before = X.clone(), Y.clone()
    losses = fit_xor(model, X, Y, 0.5, 500)
    assert isinstance(losses, list) and len(losses) == 500, "return a list with one loss per epoch"
    assert all(type(v) is float for v in losses), (
        f"losses[0] is a {type(losses[0]).__name__}, not a Python float: append loss.item()"
    )
    assert losses[0] == pytest.approx(0.706034, abs=1e-6), (
        f"losses[0] should be 0.706034 (the untrained model's loss), got {losses[0]:.6f}: "
        + ("that is the loss after the first update: record each loss before optimizer.step()"
           if losses[0] == pytest.approx(0.699964, abs=1e-6) else
           "F.binary_cross_entropy_with_logits(model(X), y) on the raw logits (it applies its "
           "own sigmoid)")
    )
    assert losses[1] == pytest.approx(0.699964, abs=1e-6), (
        f"losses[1] should be 0.699964, got {losses[1]:.6f}: one zero_grad(), backward() and "
        "SGD step per epoch, with lr as given"
    )
    assert losses[99] == pytest.approx(0.099257, abs=1e-4), (
        f"losses[99] should be 0.099257, got {losses[99]:.6f}: "
        + ("the loss falls too fast: the gradients accumulate from epoch to epoch; call "
           "optimizer.zero_grad() in every epoch, before backward()" if losses[99] < 0.099 else
           "one zero_grad(), backward() and SGD step per epoch, with lr as given")
    )
    assert losses[-1] < 0.01, (
        f"after 500 epochs the loss should be about 0.0043, got {losses[-1]:.4f}: "
        + ("do the gradients accumulate? Call optimizer.zero_grad() in every epoch"
           if losses[-1] > losses[0] else "one zero_grad(), backward() and step() per epoch")
    )
    signs = (model(X) > 0).int().flatten().tolist()
    assert signs == [0, 1, 1, 0], (
        f"the trained model's logits should give XOR [0, 1, 1, 0], got {signs}: train the model "
        "you were given, in place"
    )
    assert torch.equal(X, X_before) and torch.equal(Y, Y_before), "fit_xor must not change X or y"


def test_a_zero_linear_model_never_moves():
    model = nn.Linear(2, 1)
    nn.init.zeros_(model.weight)
    nn.init.zeros_(model.bias)
    losses = fit_xor(model, X, Y, 0.5, 10)
    assert model.weight.abs().max() == 0 and model.bias.abs().max() == 0, (
        "the zero model moved: at a logit of exactly 0 the gradient of the loss is σ(0) − y = 0.5 − y, "
        "which sums to 0 over XOR. A hand-written max/abs loss differs there: use "
        "F.binary_cross_entropy_with_logits"
    )
    assert all(v == pytest.approx(math.log(2), abs=1e-6) for v in losses), (
        f"every loss should be ln 2 = {math.log(2):.6f}, got {losses}"
    )


def test_trains_any_module_in_float64():
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1)).double()
    losses = fit_xor(model, X.double(), Y.double(), 1.0, 200)
    assert losses[-1] < losses[0] / 2, (
        f"a small tanh network in float64 should learn too; the loss went from {losses[0]:.4f} to "
        f"{losses[-1]:.4f}. Reach the model only through model(X) and model.parameters()"
    )
