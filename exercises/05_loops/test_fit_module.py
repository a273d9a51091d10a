"""Public tests for 05_loops/fit_module. Run them with: pytest exercises/05_loops/test_fit_module.py"""

import copy

import pytest
import torch
from fit_module import LinearRegression, fit_module
from torch import nn

X = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
Y = 2 * X


def the_linear(model, dims):
    """The one nn.Linear inside a LinearRegression(*dims), with a message for each way it is missing."""
    assert isinstance(model, nn.Module), (
        f"LinearRegression{dims} built a {type(model).__name__}, not an nn.Module: subclass nn.Module and "
        "call super().__init__() first"
    )
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    hidden = [name for name, value in vars(model).items() if isinstance(value, list | tuple | dict) and any(
        isinstance(v, nn.Module) for v in (value.values() if isinstance(value, dict) else value))]
    if not linears and hidden:
        raise AssertionError(
            f"LinearRegression{dims} keeps its layer in a plain Python list or dict "
            f"(self.{hidden[0]}): nn.Module does not look inside one, so the layer is not registered "
            "and parameters() is empty; assign it directly (self.linear = nn.Linear(input_dim, "
            "output_dim)) or use nn.ModuleList"
        )
    assert len(linears) == 1, (
        f"LinearRegression{dims} holds {len(linears)} nn.Linear layers; it should hold exactly one, e.g. "
        "self.linear = nn.Linear(input_dim, output_dim)"
    )
    linear = linears[0]
    assert (linear.in_features, linear.out_features) == dims, (
        f"LinearRegression{dims} should hold nn.Linear{dims}, found {linear}"
    )
    return linear


def reference(model, X, y, lr, epochs, *, after=False, accumulate=False, frozen=False, loss_scale=1.0,
              squeeze=False):
    """Plain SGD on the MSE, on a float64 copy of model; the keywords replay classic slips.
    Returns (the trained parameters, the losses)."""
    twin = copy.deepcopy(model).double()
    params = list(twin.parameters())
    steps = [torch.zeros_like(p) for p in params]

    def loss_of():
        pred = twin(X.double())
        if squeeze:  # ŷ of shape (N,) against y of shape (N, 1): every prediction against every target
            pred = pred.reshape(-1)
        return loss_scale * ((pred - y.double()) ** 2).mean()

    losses = []
    for _ in range(epochs):
        loss = loss_of()
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for i, (p, g) in enumerate(zip(params, grads, strict=True)):
                steps[i] = steps[i] + g if accumulate else g
                if not frozen:
                    p -= lr * steps[i]
            losses.append(float(loss_of()) if after else float(loss))
    return [p.detach() for p in params], losses


def mistakes(y):
    """The classic slips, tried in this order: reference() keywords, and what to say."""
    n = y.numel()
    return [
        ({"accumulate": True},
         "the gradients accumulate from epoch to epoch: backward() adds into each .grad, so call "
         "optimizer.zero_grad() in every epoch"),
        ({"frozen": True},
         "the parameters never move: the gradients are cleared between backward() and step(); call "
         "optimizer.zero_grad() before backward()"),
        ({"after": True},
         "losses[i] is recorded after epoch i's update; record each loss before optimizer.step()"),
        ({"loss_scale": n},
         f"the loss is off by a factor of N = {n} (every element of y): use nn.MSELoss() with its default "
         "reduction, the mean"),
        ({"squeeze": True},
         f"ŷ is squeezed to shape ({len(y)},) and broadcasts against y of shape {tuple(y.shape)}, so the "
         "loss compares every prediction with every target: keep model(X) the shape of y"),
    ]


def close(losses, expected):
    got, want = torch.tensor(losses, dtype=torch.float64), torch.tensor(expected, dtype=torch.float64)
    return torch.allclose(got, want, rtol=1e-4, atol=1e-6)


def check_training(model, X, y, lr, epochs, text):
    """fit_module(model, ...) trains model itself as the reference does; name the classic slips."""
    before = copy.deepcopy(model)
    start = [p.detach().clone() for p in model.parameters()]
    losses = fit_module(model, X, y, lr, epochs)
    assert type(losses) is list and len(losses) == epochs, (
        f"{text}: fit_module should return a list of {epochs} losses, one per epoch; got {losses!r}"
    )
    assert all(type(v) is float for v in losses), (
        f"{text}: losses should hold Python floats, got {sorted({type(v).__name__ for v in losses})}: append "
        "loss.item() (a tensor would also keep its whole graph alive)"
    )
    trained = [p.detach() for p in model.parameters()]

    def same(run):
        params, run_losses = run
        return len(params) == len(trained) and close(losses, run_losses) and all(
            torch.allclose(p.double(), q, rtol=1e-4, atol=1e-5) for p, q in zip(trained, params, strict=True))

    right = reference(before, X, y, lr, epochs)
    if same(right):
        return
    why = next((label for keywords, label in mistakes(y)
                if same(reference(before, X, y, lr, epochs, **keywords))), "the values are off")
    if close(losses, right[1]) and all(torch.equal(p, q) for p, q in zip(trained, start, strict=True)):
        why = ("the losses are right but the model's parameters did not change: train the model you were "
               "given, in place (no copy of it, no new model)")
    raise AssertionError(
        f"{text}: expected losses starting {[round(v, 6) for v in right[1][:3]]} and ending "
        f"{right[1][-1]:.6g}; got losses starting {[round(v, 6) for v in losses[:3]]} and ending "
        f"{losses[-1]:.6g}. {why}"
    )


def test_linear_regression_wraps_one_linear_layer():
    for dims in [(3, 2), (1, 1)]:
        model = LinearRegression(*dims)
        linear = the_linear(model, dims)
        x = torch.randn(5, dims[0], generator=torch.Generator().manual_seed(0))
        out = model(x)
        assert isinstance(out, torch.Tensor) and out.shape == (5, dims[1]), (
            f"LinearRegression{dims} on a batch of shape (5, {dims[0]}) should give shape (5, {dims[1]}), "
            f"got {getattr(out, 'shape', out)}"
        )
        assert torch.allclose(out, x @ linear.weight.T + linear.bias, atol=1e-6), (
            f"LinearRegression{dims}(x) should be its nn.Linear applied to x, x·Wᵀ + b"
        )
        assert out.requires_grad and out.grad_fn is not None, (
            f"LinearRegression{dims}(x) has no autograd graph back to the layer's parameters: no .detach() "
            "or torch.no_grad() in forward"
        )


def test_trains_the_model_in_place():
    torch.manual_seed(0)
    model = LinearRegression(1, 1)
    the_linear(model, (1, 1))
    check_training(model, X, Y, 0.05, 100, "LinearRegression(1, 1) on x = [1, 2, 3, 4], y = 2x, lr 0.05")
    fit_module(model, X, Y, 0.05, 400)  # 500 epochs in all
    linear = the_linear(model, (1, 1))
    w, b = linear.weight.item(), linear.bias.item()
    assert w == pytest.approx(2.0, abs=1e-2) and b == pytest.approx(0.0, abs=3e-2), (
        f"after 500 epochs the model should be close to y = 2x + 0, got y = {w:.4f}x + {b:.4f}"
    )


def test_trains_any_module():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
    x = torch.tensor([[0.5, -1.0], [1.5, 0.0], [-2.0, 1.0], [0.0, 0.3], [1.0, 1.0], [-0.5, -0.5]])
    y = torch.sin(x.sum(dim=1, keepdim=True))
    check_training(net, x, y, 0.2, 30, "a small tanh network (nn.Sequential), lr 0.2")


def test_float64_and_inputs_left_alone():
    torch.manual_seed(1)
    layer = nn.Linear(3, 2).double()  # any module, with 2 outputs, in float64
    x = torch.randn(7, 3, dtype=torch.float64)
    y = x @ torch.tensor([[1.0, -2.0, 0.5], [0.3, 0.8, -1.2]], dtype=torch.float64).T + 0.4
    x_before, y_before = x.clone(), y.clone()
    check_training(layer, x, y, 0.1, 30, "a bare nn.Linear(3, 2) in float64, lr 0.1")
    assert torch.equal(x, x_before) and torch.equal(y, y_before) and not x.requires_grad, (
        "fit_module changed X or y: leave the data alone"
    )
