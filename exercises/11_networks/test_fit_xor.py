"""Public tests for 11_networks/fit_xor. Run them with: pytest exercises/11_networks/test_fit_xor.py"""

import copy
import math

import pytest
import torch
import torch.nn.functional as F
from fit_xor import fit_xor
from torch import nn

X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])


def check_floats(losses, epochs):
    assert isinstance(losses, list) and len(losses) == epochs, (
        f"return a list with one loss per epoch ({epochs}), got {type(losses).__name__}"
        + (f" of length {len(losses)}" if hasattr(losses, "__len__") else "")
    )
    bad = next((i for i, v in enumerate(losses) if type(v) is not float), None)
    assert bad is None, (
        f"losses[{bad}] is a {type(losses[bad]).__name__}, not a Python float: append loss.item()"
    )


def check_first_loss(got, untrained, X, y, lr, tol=1e-6):
    """losses[0] against the untrained model's loss, naming a classic slip by its value."""
    model = copy.deepcopy(untrained)
    logits = model(X)
    right = F.binary_cross_entropy_with_logits(logits, y)
    named = {
        F.binary_cross_entropy_with_logits(torch.sigmoid(logits), y).item():
            "that is the loss of σ(logits): give F.binary_cross_entropy_with_logits(model(X), y) "
            "the raw logits (it applies its own sigmoid)",
    }
    right.backward()
    torch.optim.SGD(model.parameters(), lr=lr).step()
    with torch.no_grad():
        after = F.binary_cross_entropy_with_logits(model(X), y).item()
    named[after] = "that is the loss after the first update: record each loss before optimizer.step()"
    why = next((text for value, text in named.items() if got == pytest.approx(value, abs=tol)),
               "losses[0] is the loss of the model as given, F.binary_cross_entropy_with_logits("
               "model(X), y), before any update")
    assert got == pytest.approx(right.item(), abs=tol), (
        f"losses[0] should be {right.item():.6f} (the untrained model's loss), got {got:.6f}: {why}"
    )


def test_the_seed_learns_xor():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
    untrained = copy.deepcopy(model)
    X_before, Y_before = X.clone(), Y.clone()
    losses = fit_xor(model, X, Y, 0.5, 500)
    check_floats(losses, 500)
    check_first_loss(losses[0], untrained, X, Y, 0.5)
    assert losses[0] == pytest.approx(0.706034, abs=1e-6), (
        f"losses[0] should be 0.706034 (the untrained model's loss), got {losses[0]:.6f}"
    )
    assert losses[1] == pytest.approx(0.699964, abs=1e-6), (
        f"losses[1] should be 0.699964, got {losses[1]:.6f}: one zero_grad(), backward() and "
        "SGD step per epoch, with lr as given"
    )
    accumulate = ("the first update is right, but from the second on the gradients accumulate "
                  "from epoch to epoch; call optimizer.zero_grad() in every epoch, before backward()")
    assert losses[2] == pytest.approx(0.695585, abs=1e-6), (
        f"losses[2] should be 0.695585, got {losses[2]:.6f}: "
        + (accumulate if losses[2] == pytest.approx(0.691451, abs=1e-6) else
           "one zero_grad(), backward() and SGD step per epoch, with lr as given")
    )
    assert losses[99] == pytest.approx(0.099257, abs=1e-4), (
        f"losses[99] should be 0.099257, got {losses[99]:.6f}: one zero_grad(), backward() and "
        "SGD step per epoch, with lr as given"
    )
    assert losses[-1] < 0.01, (
        f"after 500 epochs the loss should be about 0.0043, got {losses[-1]:.4f}: one zero_grad(), "
        "backward() and step() per epoch"
    )
    signs = (model(X) > 0).int().flatten().tolist()
    unchanged = all(torch.equal(p, q) for p, q in zip(model.parameters(), untrained.parameters(),
                                                       strict=True))
    assert signs == [0, 1, 1, 0], (
        f"the trained model's logits should give XOR [0, 1, 1, 0], got {signs}"
        + (": the losses fell, but the model you were given never changed. Train it in place, "
           "not a copy" if unchanged else "")
    )
    assert torch.equal(X, X_before) and torch.equal(Y, Y_before), "fit_xor must not change X or y"


def zero_linear():
    model = nn.Linear(2, 1)
    nn.init.zeros_(model.weight)
    nn.init.zeros_(model.bias)
    return model


def max_abs_step():
    """The parameters after one SGD step (lr 0.5) from zero with a hand-written max/abs loss."""
    model = zero_linear()
    z = model(X)
    (z.clamp(min=0) - z * Y + torch.log1p(torch.exp(-z.abs()))).mean().backward()
    return [(-0.5 * p.grad).tolist() for p in model.parameters()]


def test_a_zero_linear_model_never_moves():
    model = zero_linear()
    losses = fit_xor(model, X, Y, 0.5, 10)
    check_floats(losses, 10)
    check_first_loss(losses[0], zero_linear(), X, Y, 0.5)
    if model.weight.abs().max() != 0 or model.bias.abs().max() != 0:
        one = zero_linear()
        fit_xor(one, X, Y, 0.5, 1)
        moved = [p.tolist() for p in one.parameters()]
        same = all(torch.allclose(torch.tensor(a), torch.tensor(b))
                   for a, b in zip(moved, max_abs_step(), strict=True))
        pytest.fail(
            f"the zero model moved: after one epoch its weight is {moved[0]} and its bias {moved[1]}. "
            "At a logit of exactly 0 the gradient of F.binary_cross_entropy_with_logits is "
            "σ(0) − y = 0.5 − y, which sums to 0 over XOR, so the zero model stays where it is"
            + (". That step is the one of a hand-written max(z, 0) − y·z + log(1 + e^(−|z|)): its "
               "gradient at 0 is 1 − y. Use F.binary_cross_entropy_with_logits" if same else "")
        )
    assert all(v == pytest.approx(math.log(2), abs=1e-6) for v in losses), (
        f"every loss should be ln 2 = {math.log(2):.6f}, got {losses}"
    )


def test_trains_any_module_in_float64():
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1)).double()
    untrained = copy.deepcopy(model)
    losses = fit_xor(model, X.double(), Y.double(), 1.0, 200)
    check_floats(losses, 200)
    check_first_loss(losses[0], untrained, X.double(), Y.double(), 1.0, tol=1e-9)
    assert losses[-1] < losses[0] / 2, (
        f"a small tanh network in float64 should learn too; the loss went from {losses[0]:.4f} to "
        f"{losses[-1]:.4f}: one zero_grad(), backward() and step() per epoch, on model.parameters()"
    )
