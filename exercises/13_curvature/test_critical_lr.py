"""Public tests for 13_curvature/critical_lr.

Run them with: pytest exercises/13_curvature/test_critical_lr.py
"""

import math

import pytest
import torch
from critical_lr import critical_lr, mse_hessian

T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]  # 07_temperature's readings
T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]


def with_ones(t_u, dtype=torch.float32):
    """X = [t_u, 1], so that X @ [w, b] is 07_temperature's model w·t_u + b."""
    t = torch.tensor(t_u, dtype=dtype)
    return torch.stack([t, torch.ones_like(t)], dim=1)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_mse_hessian(dtype):
    X = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=dtype, requires_grad=True)
    H = mse_hessian(X)
    expected = 2 / 3 * torch.tensor([[35.0, 44.0], [44.0, 56.0]], dtype=dtype)  # (2/N)·XᵀX
    assert H.shape == (2, 2) and H.dtype == dtype, (
        f"H should be (D, D) = (2, 2) in X's dtype {dtype}, got {tuple(H.shape)} {H.dtype}"
        + (": XᵀX is (D, D), X Xᵀ would be (N, N)" if H.shape == (3, 3) else "")
    )
    hint = ""
    if torch.allclose(H, expected / 2):
        hint = ": that is (1/N)·XᵀX, half the Hessian; differentiating the square twice gives the 2"
    elif torch.allclose(H, expected * 3):
        hint = ": that is 2·XᵀX; the loss is a mean, so divide by N"
    assert torch.allclose(H, expected), f"H should be (2/N)·XᵀX = {expected.tolist()}, got {H.tolist()}{hint}"
    assert H.grad_fn is None and not H.requires_grad, (
        "H still carries an autograd graph (X requires grad here): build it from X.detach()"
    )
    assert X.requires_grad and X.grad is None, "X must be left as it was"


def test_temperature_seed():
    raw, scaled = with_ones(T_U), with_ones([0.1 * t for t in T_U])
    eigenvalues = torch.linalg.eigvalsh(mse_hessian(raw).double())
    assert eigenvalues.tolist() == pytest.approx([0.175108, 5883.42], rel=1e-5), (
        f"the eigenvalues of H for X = [t_u, 1] should be 0.175108 and 5883.42, got {eigenvalues.tolist()}"
    )
    lr = critical_lr(raw)
    assert type(lr) is float, (
        f"critical_lr should return a Python float (use .item()), got {type(lr).__name__}"
    )
    hint = ""
    if lr == pytest.approx(1 / 5883.42, rel=1e-4):
        hint = ": that is 1/λmax; gradient descent diverges only above 2/λmax"
    elif lr == pytest.approx(2 / 0.175108, rel=1e-4):
        hint = ": that is 2/λmin; torch.linalg.eigvalsh sorts ascending, λmax is the last one"
    assert lr == pytest.approx(3.39938e-4, rel=1e-5), (
        f"on raw t_u the critical lr is 2/5883.42 = 3.39938e-4 (so 07's lr 1e-2 diverges), got {lr}{hint}"
    )
    assert critical_lr(scaled) == pytest.approx(0.0329782, rel=1e-5), (
        f"on 0.1·t_u λmax = 60.6461 and the critical lr is 0.0329782, got {critical_lr(scaled)}"
    )


def test_gradient_descent_converges_below_and_diverges_above():
    X = with_ones(T_U, torch.float64)
    y = torch.tensor(T_C, dtype=torch.float64)
    edge = critical_lr(X)

    def loss_after(lr, steps=300):
        a = torch.tensor([1.0, 0.0], dtype=torch.float64)
        for _ in range(steps):
            a = a - lr * 2 / len(y) * X.T @ (X @ a - y)
        return float(((X @ a - y) ** 2).mean())

    start = float(((X @ torch.tensor([1.0, 0.0], dtype=torch.float64) - y) ** 2).mean())
    assert loss_after(0.95 * edge) < start, (
        f"plain gradient descent at 0.95 × critical_lr = {0.95 * edge:.6g} should converge"
    )
    assert loss_after(1.05 * edge) > 1e6 * start, (
        f"plain gradient descent at 1.05 × critical_lr = {1.05 * edge:.6g} should diverge"
    )


def test_float64_precision():
    X = torch.tensor([[1.0, 2.5, -0.5], [0.3, -1.0, 2.0], [4.0, 0.1, 1.0], [-2.0, 1.5, 0.7]],
                     dtype=torch.float64)
    H = 2 / 4 * X.T @ X
    expected = 2 / torch.linalg.eigvalsh(H)[-1].item()
    lr = critical_lr(X)
    hint = ""
    if lr == pytest.approx(2 / torch.linalg.eigvalsh(H.float())[-1].item(), rel=1e-12):
        hint = ": the eigenvalues were computed in float32; convert H to float64 first"
    assert lr == pytest.approx(expected, rel=1e-12), f"expected 2/λmax = {expected!r}, got {lr!r}{hint}"


@pytest.mark.parametrize("shape", [(4, 3), (1, 1)])
def test_zero_hessian_gives_infinity(shape):
    try:
        lr = critical_lr(torch.zeros(shape))
    except ZeroDivisionError:
        pytest.fail("X = 0 gives H = 0 and λmax = 0: return math.inf instead of dividing by 0")
    assert lr == math.inf, f"with H = 0 no learning rate diverges: critical_lr should be math.inf, got {lr!r}"
