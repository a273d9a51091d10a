"""Public tests for 10_classification/logistic_grad.

Run them with: pytest exercises/10_classification/test_logistic_grad.py
"""

import pytest
import torch
from logistic_grad import logistic_grad

HOURS = [0.50, 0.75, 1.00, 1.25, 1.50, 1.75, 1.75, 2.00, 2.25, 2.50, 2.75, 3.00, 3.25, 3.50, 4.00,
         4.25, 4.50, 4.75, 5.00, 5.50]
PASSED = [0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_hours_data_at_zero(dtype):
    X, y = torch.tensor(HOURS, dtype=dtype)[:, None], torch.tensor(PASSED, dtype=dtype)
    result = logistic_grad(X, y, torch.zeros(1, dtype=dtype), torch.zeros((), dtype=dtype))
    assert isinstance(result, tuple) and len(result) == 2, "return a tuple (dL/dw, dL/db)"
    gw, gb = result
    assert gw.shape == (1,) and gb.shape == (), (
        f"dL/dw has the shape of w, (1,), and dL/db is 0-d; got {tuple(gw.shape)} and {tuple(gb.shape)}"
        + (": the two are swapped, return (dL/dw, dL/db)" if gw.shape == () else "")
    )
    assert gw.dtype == dtype and gb.dtype == dtype, f"work in {dtype}, got {gw.dtype} and {gb.dtype}"
    # at w = 0, b = 0 every p is 1/2: dL/dw = mean(x (1/2 − y)) = −0.50625, dL/db = mean(1/2 − y) = 0
    hint = ""
    if abs(gw.item() + 0.50625 / 4) < 1e-5 or abs(gw.item() + 0.50625 / 2) < 1e-5:
        hint = (" That is a p(1 − p) factor too many: it belongs to the squared error through a "
                "sigmoid; the cross-entropy's gradient is Xᵀ(p − y)/N.")
    elif abs(gw.item() + 0.50625 * 20) < 1e-3:
        hint = " Off by a factor of N = 20: divide by N (the loss is a mean)."
    elif abs(gw.item() - 0.50625) < 1e-5:
        hint = " The sign is flipped: the residual is p − y."
    assert abs(gw.item() + 0.50625) < 1e-5 and abs(gb.item()) < 1e-6, (
        f"on the hours data at w = 0, b = 0 the gradient is (−0.50625, 0), got "
        f"({gw.item()}, {gb.item()}).{hint}"
    )


def test_matches_the_formula_and_stays_finite_at_1e4():
    X = torch.tensor([[1e4, 1.0], [-1e4, 0.5], [0.3, -2.0], [-0.7, 1.0]], dtype=torch.float64)
    y = torch.tensor([1.0, 1.0, 0.0, 1.0], dtype=torch.float64)
    w, b = torch.tensor([1.0, 0.5], dtype=torch.float64), torch.tensor(-0.25, dtype=torch.float64)
    gw, gb = logistic_grad(X, y, w, b)
    r = torch.sigmoid(X @ w + b) - y  # 0 for the first row, −1 for the second
    assert torch.isfinite(gw).all() and torch.isfinite(gb), (
        f"nan or inf where X@w + b = ±1e4: got {gw.tolist()}, {gb.item()}. σ written as "
        "e^z/(1 + e^z) is inf/inf = nan at z = 1e4: use torch.sigmoid"
    )
    assert torch.allclose(gw, X.T @ r / 4) and torch.allclose(gb, r.mean()), (
        f"expected (Xᵀ(p − y)/N, mean(p − y)) = ({(X.T @ r / 4).tolist()}, {r.mean().item()}), "
        f"got ({gw.tolist()}, {gb.item()})"
    )


def test_by_hand_and_no_graph():
    X = torch.tensor([[1.0, 2.0], [0.5, -1.0], [-1.5, 0.0]])
    y = torch.tensor([1.0, 0.0, 1.0])
    try:
        with torch.no_grad():  # by hand: no autograd needed, so it works under no_grad too
            expected = logistic_grad(X, y, torch.tensor([0.3, -0.2]), torch.tensor(0.1))
    except NotImplementedError:  # a stub: its own message says so
        raise
    except RuntimeError as error:
        pytest.fail(f"under torch.no_grad() it raised {error}: by hand means without it (autograd); "
                    "write the gradient as the formula")
    w = torch.tensor([0.3, -0.2], requires_grad=True)
    b = torch.tensor(0.1, requires_grad=True)
    gw, gb = logistic_grad(X, y, w, b)
    assert gw.grad_fn is None and gb.grad_fn is None and not gw.requires_grad and not gb.requires_grad, (
        "the results still carry an autograd graph when w and b require grad: compute them under "
        "torch.no_grad() (a result that still carries an autograd graph is not by hand)"
    )
    assert torch.equal(gw, expected[0]) and torch.equal(gb, expected[1]), (
        "the results differ with and without torch.no_grad()"
    )
    assert w.grad is None and b.grad is None, "w.grad or b.grad was set: compute by hand, no backward()"


def test_inputs_unchanged():
    X = torch.tensor([[1.0, 2.0], [0.5, -1.0]])
    y = torch.tensor([1.0, 0.0])
    w = torch.tensor([0.3, -0.2], requires_grad=True)
    w.grad = torch.tensor([7.0, 7.0])
    b = torch.tensor(0.1, requires_grad=True)
    logistic_grad(X, y, w, b)
    assert torch.equal(X, torch.tensor([[1.0, 2.0], [0.5, -1.0]])), "logistic_grad changed X"
    assert torch.equal(y, torch.tensor([1.0, 0.0])), "logistic_grad changed y"
    same_w = torch.equal(w.detach(), torch.tensor([0.3, -0.2]))
    assert same_w and torch.equal(w.grad, torch.tensor([7.0, 7.0])), (
        "logistic_grad changed w or w.grad: leave the caller's tensors alone"
    )
    assert w.requires_grad and b.requires_grad and b.grad is None and b.item() == pytest.approx(0.1), (
        "logistic_grad changed b or a requires_grad flag"
    )
