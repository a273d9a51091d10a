"""Public tests for 05_loops/fit_module. Run them with: pytest exercises/05_loops/test_fit_module.py"""

import pytest
import torch
from fit_module import LinearRegression, fit_module
from torch import nn

X = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
Y = 2 * X


def test_linear_regression_wraps_one_linear_layer():
    model = LinearRegression(3, 2)
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    assert len(linears) == 1, (
        f"LinearRegression should hold exactly one nn.Linear, found {len(linears)}"
    )
    assert (linears[0].in_features, linears[0].out_features) == (3, 2), (
        f"LinearRegression(3, 2) should hold nn.Linear(3, 2), found {linears[0]}"
    )
    out = model(torch.ones(5, 3))
    assert out.shape == (5, 2), f"a batch of shape (5, 3) should give (5, 2), got {tuple(out.shape)}"


def test_trains_the_model_in_place():
    torch.manual_seed(0)
    model = LinearRegression(1, 1)
    with torch.no_grad():
        first = ((model(X) - Y) ** 2).mean().item()
    losses = fit_module(model, X, Y, 0.05, 500)
    assert len(losses) == 500, f"500 epochs should record 500 losses, got {len(losses)}"
    assert all(type(v) is float for v in losses), "losses should be Python floats: use loss.item()"
    assert losses[0] == pytest.approx(first, rel=1e-5), (
        f"losses[0] should be the loss of the untrained model, {first}, got {losses[0]}: "
        "record the loss before optimizer.step()"
    )
    (linear,) = [m for m in model.modules() if isinstance(m, nn.Linear)]
    w, b = linear.weight.item(), linear.bias.item()
    assert w == pytest.approx(2.0, abs=1e-2) and b == pytest.approx(0.0, abs=3e-2), (
        f"after 500 epochs the model should be close to y = 2x + 0, got y = {w:.4f}x + {b:.4f}. "
        "Did you train the model you were given (not a copy), with optimizer.zero_grad() "
        "every epoch?"
    )


def test_trains_any_module():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))
    losses = fit_module(net, X, Y, 0.01, 50)
    assert losses[-1] < losses[0], (
        f"fit_module should train any nn.Module; on a small network the loss went from "
        f"{losses[0]} to {losses[-1]}. Use only model(X) and model.parameters()."
    )
