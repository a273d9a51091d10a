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
    else:
        hint = " Per element the loss is log(1 + e^z) − y·z; take the mean over all elements."
    assert math.isclose(loss.item(), expected, rel_tol=1e-5), (
        f"bce_with_logits({z}, {y}) should be {expected:.6f}, got {loss.item():.6f}.{hint}"
    )
    grid = torch.linspace(-3, 3, 12, dtype=dtype).reshape(3, 4)  # any shape: the mean of all elements
    labels = (torch.arange(12) % 2).to(dtype).reshape(3, 4)
    expected = by_formula(grid.flatten().tolist(), labels.flatten().tolist())
    loss = bce_with_logits(grid, labels)
    assert loss.shape == () and math.isclose(loss.item(), expected, rel_tol=1e-5), (
        f"for a 3x4 input the loss is the mean over all 12 elements, {expected:.6f}, as a 0-d "
        f"tensor; got {loss.tolist()}"
    )


STABLE = "max(z, 0) − y·z + log(1 + e^(−|z|)), whose exponent is never positive"


def extreme_mistake(z, y, got):
    """The slip behind the losses got at z = ±1e4 (float32), by their values, or ''."""
    capped = [g for zi, yi, g in zip(z, y, got, strict=True) if (zi > 0) != (yi > 0)]  # cost 1e4
    p = torch.sigmoid(torch.tensor(z))
    t = torch.tensor(y)
    log_of_sigmoid = (-(t * torch.log(p) + (1 - t) * torch.log(1 - p))).tolist()
    wrong_sign = [max(zi, 0) + yi * zi + math.log1p(math.exp(-abs(zi))) for zi, yi in zip(z, y, strict=True)]
    if all(math.isinf(g) and g > 0 for zi, g in zip(z, got, strict=True) if zi > 0) and all(
            math.isfinite(g) for zi, g in zip(z, got, strict=True) if zi < 0):
        return f"log(1 + e^z) overflows: e^10000 is inf. Use {STABLE}"
    if all(math.isnan(g) if math.isnan(w) else g == w for g, w in zip(got, log_of_sigmoid, strict=True)):
        return ("is it a log of the sigmoid? σ(±1e4) rounds to 0 or 1 and log 0 = −inf. Work with "
                f"the logits: {STABLE}")
    if all(math.isfinite(g) for g in got) and all(0 < g < 1e3 for g in capped):
        return (f"a clamped probability (or an ε in a log) caps it near {max(capped):.3g}: work "
                f"with the logits, never with σ: {STABLE}")
    if all(abs(g - w) <= 1e-5 * max(1.0, abs(w)) for g, w in zip(got, wrong_sign, strict=True)):
        return "the y·z term has the wrong sign: the loss is max(z, 0) − y·z + log(1 + e^(−|z|))"
    return "the stable form max(z, 0) − y·z + log(1 + e^(−|z|)) gives exactly these costs, in float32 too"


def test_logits_at_plus_minus_1e4_in_float32():
    z, y, expected = [1e4, 1e4, -1e4, -1e4], [1.0, 0.0, 1.0, 0.0], [0.0, 1e4, 1e4, 0.0]
    got = [bce_with_logits(torch.tensor([zi]), torch.tensor([yi])).item()
           for zi, yi in zip(z, y, strict=True)]
    assert all(abs(g - e) <= 1e-5 * max(1.0, e) for g, e in zip(got, expected, strict=True)), (
        f"one logit at a time, (z, y) = (1e4, 1), (1e4, 0), (−1e4, 1), (−1e4, 0) cost {expected}; "
        f"got [{', '.join(f'{g:.6g}' for g in got)}]: {extreme_mistake(z, y, got)}"
    )


def test_gradient_is_sigmoid_minus_y_and_finite_at_1e4():
    z = torch.tensor([1e4, -1e4, 2.0, -1.0, 1e4], requires_grad=True)
    y = torch.tensor([0.0, 1.0, 1.0, 0.5, 1.0])
    loss = bce_with_logits(z, y)
    assert loss.grad_fn is not None, "no autograd graph: avoid .item(), .detach() and torch.no_grad()"
    shown = f"for logits {z.tolist()} and y {y.tolist()},"
    assert math.isfinite(loss.item()), (
        f"{shown} the loss is {loss.item()}, so its gradient cannot be finite either: make the "
        f"loss finite at ±1e4 first, with {STABLE}"
    )
    loss.backward()
    expected = (torch.sigmoid(z.detach()) - y) / 5
    extreme = z.detach().abs() == 1e4
    nan_only_at_1e4 = bool((~torch.isfinite(z.grad) <= extreme).all())
    assert torch.isfinite(z.grad).all(), (
        f"{shown} the loss is finite ({loss.item()}) but its gradient is not: {z.grad.tolist()}. "
        + ("A branch that overflowed at ±1e4 was still differentiated: torch.where computes both "
           "branches, and 0·inf = nan in the one it did not pick. Use one formula that never "
           f"overflows: {STABLE}" if nan_only_at_1e4 else
           f"Expected (σ(z) − y)/N = {expected.tolist()}: let nothing overflow, with {STABLE}")
    )
    assert torch.allclose(z.grad, expected, atol=1e-6), (
        f"{shown} d loss / d z should be (σ(z) − y)/N = {expected.tolist()}, got {z.grad.tolist()}"
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
