"""Public tests for 07_temperature/training_loop. Run them with: pytest exercises/07_temperature"""

import re

import pytest
import torch
from training_loop import DivergenceError, training_loop

T_C = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0])
T_U = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4])


def descend(p0, x, y, lr, n, *, scale=1.0, sign=1.0, w_uses_x=True, b_uses_x=False):
    """n epochs of plain gradient descent on mean((w·x + b − y)²) in float64, with the gradient
    [mean(2(t_p − t_c)·t_u), mean(2(t_p − t_c))]; the keywords make the classic slips."""
    x, y = x.double(), y.double()
    w, b = (float(v) for v in p0)
    for _ in range(n):
        d = 2 * (w * x + b - y)
        gw = float((d * (x if w_uses_x else 1.0)).mean())
        gb = float((d * (x if b_uses_x else 1.0)).mean())
        w, b = w - sign * lr * scale * gw, b - sign * lr * scale * gb
    return torch.tensor([w, b], dtype=torch.float64)


def close(got, want, dtype):
    rtol, atol = (2e-4, 2e-6) if dtype == torch.float32 else (1e-7, 1e-9)
    return bool(torch.isfinite(got).all()) and torch.allclose(
        got.double(), want, rtol=rtol, atol=atol * max(1.0, float(want.abs().max())))


def diagnosis(got, p0, x, y, lr, n):
    known = {
        "the gradient is missing the factor 2 (d/dt_p of (t_p − t_c)² is 2(t_p − t_c))":
            descend(p0, x, y, lr, n, scale=0.5),
        f"the gradient sums where the mean belongs: each step is off by a factor of N = {len(x)}":
            descend(p0, x, y, lr, n, scale=float(len(x))),
        "the sign is flipped: subtract learning_rate · gradient (descend), do not add it":
            descend(p0, x, y, lr, n, sign=-1.0),
        "the gradient for w lost its t_u: ∂L/∂w = mean(2(t_p − t_c)·t_u)":
            descend(p0, x, y, lr, n, w_uses_x=False),
        "the gradient for b has a t_u in it: ∂L/∂b = mean(2(t_p − t_c)), no t_u":
            descend(p0, x, y, lr, n, b_uses_x=True),
        "the parameters never moved: assign the update (params = params − lr·grad)":
            torch.tensor([float(v) for v in p0], dtype=torch.float64),
        "one epoch too few: run exactly n_epochs updates": descend(p0, x, y, lr, n - 1),
        "one epoch too many: run exactly n_epochs updates": descend(p0, x, y, lr, n + 1),
    }
    for label, wrong in known.items():
        if torch.isfinite(wrong).all() and close(got, wrong, x.dtype):
            return label
    return ("check the gradient [mean(2(t_p − t_c)·t_u), mean(2(t_p − t_c))] and the update "
            "params − learning_rate · gradient")


def trained(p0, x, y, lr, n, published=None):
    """Run training_loop, check the type of what it returns, and its values against the descent."""
    call = f"training_loop({n}, {lr}, params = {p0}, t_u, t_c) in {str(x.dtype).removeprefix('torch.')}"
    try:
        got = training_loop(n, lr, torch.tensor(p0, dtype=x.dtype), x, y)
    except DivergenceError as error:
        raise AssertionError(
            f"{call} raised DivergenceError ({error}), but plain gradient descent with these settings does "
            "not diverge: check the gradient (its sign, its factor 2, a mean and not a sum) and that the "
            "loss is the mean of squares") from None
    assert type(got) is torch.Tensor and got.shape == (2,), (
        f"{call} should return the tensor [w, b] of shape (2,), got {got!r}")
    assert got.dtype == x.dtype, (
        f"{call} returned {got.dtype}: work in the dtype of the inputs (no new float32 tensors)")
    want = descend(p0, x, y, lr, n)
    detached = got.detach()
    assert close(detached, want, x.dtype), (
        f"{call} should end at [w, b] = {[round(v, 6) for v in want.tolist()]}"
        + (f" (the chapter's {published})" if published else "")
        + f", got {detached.tolist()}: {diagnosis(detached, p0, x, y, lr, n)}")
    return got


def test_small_learning_rate_moves_slowly():
    # raw readings, lr 1e-4: stable but slow, the chapter's [0.2327, -0.0438] after 100 epochs
    trained([1.0, 0.0], T_U, T_C, 1e-4, 100, published=[0.2327, -0.0438])


def test_scaled_input_converges():
    trained([1.0, 0.0], 0.1 * T_U, T_C, 1e-2, 5000, published=[5.3671, -17.3012])


def test_float64_data_and_no_graph():
    x = torch.tensor([-1.5, 0.5, 2.0, -0.3, 1.1], dtype=torch.float64)
    y = torch.tensor([-2.0, 1.4, 4.1, 0.2, 2.5], dtype=torch.float64)
    with torch.no_grad():  # the gradient is by hand: the loop runs where autograd records nothing
        trained([0.0, 0.0], x, y, 0.02, 30)
    # params that require grad: the result is still plain numbers, without an autograd graph
    params = torch.tensor([1.0, 0.0], requires_grad=True)
    got = training_loop(20, 1e-2, params, 0.1 * T_U, T_C)
    assert got.grad_fn is None and not got.requires_grad, (
        "training_loop returned a tensor that still carries an autograd graph (params required grad): "
        "start from params.detach().clone(); no autograd is needed here")


# the first epoch (counting from 1) whose loss is inf, and the first whose loss is nan: float64's
# wider range lets the loss grow for longer
BLOWS_UP = {torch.float32: (11, 23), torch.float64: (88, 176)}


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_raw_input_at_lr_1e_2_diverges(dtype):
    inf_at, nan_at = BLOWS_UP[dtype]
    counted = f"epoch {inf_at} counting from 1 ({inf_at - 1} from 0)"
    try:
        epochs = 100 if dtype == torch.float32 else 200
        result = training_loop(epochs, 1e-2, torch.tensor([1.0, 0.0], dtype=dtype), T_U.to(dtype),
                               T_C.to(dtype))
    except DivergenceError as error:
        message = str(error)
    except ArithmeticError as other:  # OverflowError, ZeroDivisionError, a plain ArithmeticError...
        raise AssertionError(
            f"on the raw readings in {dtype} at lr 1e-2 the loop raised {type(other).__name__} ({other}): "
            "raise DivergenceError, the class defined in the kata file, naming the epoch") from None
    else:
        raise AssertionError(
            f"on the raw readings in {dtype} at lr 1e-2 the loss is inf from {counted}: raise "
            f"DivergenceError there. Your loop returned {result!r}. Test each epoch's loss with "
            "torch.isfinite, which catches inf and nan alike.")
    numbers = {int(n) for n in re.findall(r"(?<![\w.])(\d+)(?!\w|\.\d)", message)}
    if numbers & {nan_at, nan_at - 1}:
        hint = (f" It names epoch {nan_at}, where the loss is first nan; it was inf before that: "
                "torch.isnan misses inf, torch.isfinite catches both.")
    elif any(k > inf_at for k in numbers):
        hint = (" It names a later epoch: check the loss in every epoch, as soon as you compute it, "
                "not only at the end or on the parameters.")
    else:
        hint = ""
    assert numbers & {inf_at, inf_at - 1}, (
        f"on the raw readings in {dtype} at lr 1e-2 the loss is first inf at {counted}: say so in the "
        f"DivergenceError's message. Your message: {message!r}.{hint}")


def test_a_nan_loss_is_divergence_too():
    assert issubclass(DivergenceError, ArithmeticError), "DivergenceError should subclass ArithmeticError"
    # w starts as nan: the very first loss is nan (not inf), and the loop must stop there
    try:
        result = training_loop(10, 1e-4, torch.tensor([float("nan"), 0.0]), T_U, T_C)
    except DivergenceError as error:
        message = str(error)
    else:
        raise AssertionError(
            f"from params [nan, 0] the first loss is nan: raise DivergenceError. Your loop returned "
            f"{result!r}. Test each loss with torch.isfinite, which catches inf and nan alike (torch.isinf "
            "misses nan).")
    assert re.search(r"(?<![\w.])[01](?!\w|\.\d)", message), (
        f"from params [nan, 0] the loss is nan at epoch 1 counting from 1 (0 from 0): say so in the "
        f"DivergenceError's message. Your message: {message!r}")
