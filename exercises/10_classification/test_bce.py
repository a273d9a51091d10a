"""Public tests for 10_classification/bce. Run them with: pytest exercises/10_classification/test_bce.py"""

import math
import sys

import pytest
import torch
from bce import bce_with_logits


def by_formula(z: list[float], y: list[float]) -> float:
    """The mean of log(1 + e^z) − y·z, in Python floats (fine for small z)."""
    return sum(math.log1p(math.exp(zi)) - yi * zi for zi, yi in zip(z, y, strict=True)) / len(z)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_mean_of_log_one_plus_exp_minus_y_z(dtype):
    z, y = [-2.0, -0.5, 0.0, 0.5, 3.0, 1.0], [0.0, 1.0, 1.0, 1.0, 0.0, 0.25]  # 0.25: a soft label
    loss = bce_with_logits(torch.tensor(z, dtype=dtype), torch.tensor(y, dtype=dtype))
    expected = by_formula(z, y)
    assert isinstance(loss, torch.Tensor) and loss.shape == (), (
        f"return a single number as a 0-d tensor, got {loss!r}"
    )
    assert loss.dtype == dtype, f"{dtype} inputs should give a {dtype} loss, got {loss.dtype}"
    hint = ""
    if math.isclose(loss.item(), 6 * expected, rel_tol=1e-4):
        hint = " Off by a factor of N = 6: take the mean over the elements, not the sum."
    elif math.isclose(loss.item(), by_formula(z, [-v for v in y]), rel_tol=1e-4):
        hint = " The y·z term has the wrong sign: the loss is log(1 + e^z) − y·z."
    assert math.isclose(loss.item(), expected, rel_tol=1e-5), (
        f"bce_with_logits({z}, {y}) should be {expected:.6f}, got {loss.item():.6f}.{hint}"
    )
    grid = torch.linspace(-3, 3, 12, dtype=dtype).reshape(3, 4)  # any shape: the mean of all elements
    labels = (torch.arange(12) % 2).to(dtype).reshape(3, 4)
    expected = by_formula(grid.flatten().tolist(), labels.flatten().tolist())
    assert math.isclose(bce_with_logits(grid, labels).item(), expected, rel_tol=1e-5), (
        "for a 3x4 input the loss is the mean over all 12 elements"
    )


def test_logits_at_plus_minus_1e4_in_float32():
    cases = [(1e4, 1.0, 0.0), (1e4, 0.0, 1e4), (-1e4, 1.0, 1e4), (-1e4, 0.0, 0.0)]
    for z, y, expected in cases:
        loss = bce_with_logits(torch.tensor([z]), torch.tensor([y])).item()
        if math.isinf(loss) and z > 0:
            hint = ("log(1 + e^z) overflows: e^10000 is inf. Use max(z, 0) − y·z + log(1 + e^(−|z|)), "
                    "whose exponent is never positive")
        elif not math.isfinite(loss):
            hint = ("is it a log of the sigmoid? σ(±1e4) rounds to 0 or 1 and log 0 = −inf. Work with "
                    "the logits: max(z, 0) − y·z + log(1 + e^(−|z|))")
        else:
            hint = "a clamped probability (or an ε in a log) caps it: work with the logits, never with σ"
        assert abs(loss - expected) <= 1e-5 * max(1.0, expected), (
            f"z = {z:g}, y = {y:g} costs {expected:g}; got {loss}: {hint}"
        )


def test_gradient_is_sigmoid_minus_y_and_finite_at_1e4():
    z = torch.tensor([1e4, -1e4, 2.0, -1.0, 1e4], requires_grad=True)
    y = torch.tensor([0.0, 1.0, 1.0, 0.5, 1.0])
    loss = bce_with_logits(z, y)
    assert loss.grad_fn is not None, "no autograd graph: avoid .item(), .detach() and torch.no_grad()"
    loss.backward()
    expected = (torch.sigmoid(z.detach()) - y) / 5
    assert torch.isfinite(z.grad).all(), (
        f"the gradient has nan in it ({z.grad.tolist()}) although the loss is {loss.item()}: "
        "torch.where computes both branches, and 0·inf = nan in the one it did not pick. Use one "
        "formula that never overflows: max(z, 0) − y·z + log(1 + e^(−|z|))"
    )
    assert torch.allclose(z.grad, expected, atol=1e-6), (
        f"d loss / d z should be (σ(z) − y)/N = {expected.tolist()}, got {z.grad.tolist()}"
    )


def test_shape_mismatch_raises():
    for a, b in [((3, 1), (3,)), ((3,), (3, 1)), ((3,), (4,))]:
        with pytest.raises(ValueError):
            bce_with_logits(torch.zeros(a), torch.zeros(b))
            pytest.fail(f"logits of shape {a} with y of shape {b} should raise ValueError: an (N,1) "
                        "column broadcast against an (N,) vector gives a wrong loss")


def test_inputs_unchanged_and_written_without_torch_nn(monkeypatch):
    library = [(torch.nn.functional, "binary_cross_entropy_with_logits"), (torch.nn.functional, "softplus"),
               (torch.nn.functional, "logsigmoid"), (torch, "logaddexp"), (torch.Tensor, "logaddexp"),
               (torch, "binary_cross_entropy_with_logits")]
    for name, value in vars(sys.modules[bce_with_logits.__module__]).items():
        nn_module = type(value) is type(torch) and value.__name__.startswith("torch.nn")
        assert not nn_module and not any(value is getattr(owner, f) for owner, f in library), (
            f"bce.py imports {name}: write it yourself, without torch.nn or torch.logaddexp"
        )

    def refuse(*args, **kwargs):
        raise AssertionError("write it yourself: no torch.nn, torch.nn.functional or torch.logaddexp")

    for owner, name in library:
        monkeypatch.setattr(owner, name, refuse)
    z = torch.tensor([1.5, -0.5, 3.0], requires_grad=True)
    y = torch.tensor([1.0, 0.0, 0.0])
    bce_with_logits(z, y)
    assert z.grad is None and z.requires_grad and torch.equal(z.detach(), torch.tensor([1.5, -0.5, 3.0])), (
        "bce_with_logits changed logits (its values, requires_grad or .grad): leave the caller's tensor alone"
    )
    assert torch.equal(y, torch.tensor([1.0, 0.0, 0.0])), "bce_with_logits changed y"
