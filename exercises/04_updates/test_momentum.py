"""Public tests for 04_updates/momentum. Run them with: pytest exercises/04_updates/test_momentum.py"""

import pytest
import torch
from momentum import momentum_step_

NOT_KEPT = ("the velocities are not kept: update each v in place (v.mul_(mu).add_(grad)) or write the new "
            "one back into the list (velocities[i] = ...); `v = mu * v + grad` only rebinds a local name, "
            "and without memory this is plain SGD")
MISTAKES = {  # what (new p, new v) each classic slip gives, and what to say about it
    "sign": "the sign is flipped: step against the velocity, p - lr * v",
    "old": "the parameters moved with the old velocity: update v <- mu * v + grad first, then "
           "p <- p - lr * v with the new v",
    "nesterov": "that is Nesterov's variant (p <- p - lr * (grad + mu * v)); the kata asks for the heavy "
                "ball, p <- p - lr * v",
    "dampened": "the gradient was scaled by (1 − μ) (μ = momentum), an exponential average; the heavy ball "
                "adds the whole gradient: v <- mu * v + grad",
    "lr_in_v": "you folded lr into the velocity (v <- mu * v + lr * grad, p <- p - v); keep it out: "
               "v <- mu * v + grad, p <- p - lr * v, as torch.optim.SGD does",
    "plain": NOT_KEPT,
    "v_sign": "the velocity subtracts the gradient; the heavy ball adds it: v <- mu * v + grad",
}


def rounded(t):
    """A tensor's values as a list, rounded for reading (float32 shows 0.65 as 0.6499999761581421)."""
    return torch.round(t.detach().double(), decimals=6).tolist()


def one_step(p, v, g, lr, mu, kind="right"):
    """(new p, new v) after one step, the right way or one of the classic wrong ways."""
    new_v = {"dampened": mu * v + (1 - mu) * g, "lr_in_v": mu * v + lr * g, "plain": v,
             "v_sign": mu * v - g}.get(kind, mu * v + g)
    new_p = {"sign": p + lr * new_v, "old": p - lr * v, "nesterov": p - lr * (g + mu * new_v),
             "lr_in_v": p - new_v, "plain": p - lr * g}.get(kind, p - lr * new_v)
    return new_p, new_v


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_one_step_from_the_middle_of_a_run(dtype):
    # two parameters, each with a velocity from earlier steps: (name, p, v, p.grad)
    cases = [("p", [1.0, -2.0], [0.5, 1.0], [2.0, -4.0]), ("q", -40.0, -75.0, 250.0)]
    lr, mu = 0.05, 0.9
    params, velocities = [], []
    for _, start, v0, g in cases:
        p = torch.tensor(start, dtype=dtype, requires_grad=True)
        p.grad = torch.tensor(g, dtype=dtype)
        params.append(p)
        velocities.append(torch.tensor(v0, dtype=dtype))
    returned = momentum_step_(params, velocities, lr, mu)
    assert returned is None, f"momentum_step_ works in place and should return None; it returned {returned!r}"
    for (name, start, v0, g), p, v in zip(cases, params, velocities, strict=True):
        assert p.is_leaf and p.requires_grad and p.dtype == dtype, (
            f"{name} must stay the same leaf tensor that requires grad, in its dtype: update it in place "
            "under `with torch.no_grad():`"
        )
        assert isinstance(v, torch.Tensor) and not v.requires_grad and v.dtype == dtype, (
            f"the velocity of {name} should stay a plain {dtype} tensor with no autograd graph, got {v!r}"
        )
        start, v0, g = (torch.tensor(t, dtype=torch.float64) for t in (start, v0, g))  # expected in float64
        want_p, want_v = one_step(start, v0, g, lr, mu)
        text = (f"{name} = {rounded(start)}, v = {rounded(v0)}, {name}.grad = {rounded(g)}, lr = {lr}, "
                f"momentum = {mu}")
        v_kinds = ("dampened", "lr_in_v", "plain", "v_sign")
        for what, got, want, which, kinds in [(f"velocity of {name}", v.double(), want_v, 1, v_kinds),
                                              (name, p.detach().double(), want_p, 0, tuple(MISTAKES))]:
            if torch.allclose(got, want, rtol=1e-5):
                continue
            why = "the values are off"
            for kind in kinds:
                if torch.allclose(got, one_step(start, v0, g, lr, mu, kind)[which], rtol=1e-5):
                    why = MISTAKES[kind]
                    break
            raise AssertionError(
                f"{text}: expected the new {what} = {rounded(want)}, got {rounded(got)}. {why}"
            )
        assert p.grad is None or not p.grad.any(), (
            f"{name}.grad still holds a gradient after momentum_step_: clear it after the update (p.grad = "
            f"None or p.grad.zero_()), or the next backward() accumulates onto it; it is {p.grad.tolist()}"
        )


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_same_trajectory_as_torch_optim_sgd_with_momentum(dtype):
    # torch.optim.SGD(params, lr, momentum=mu) with step() and zero_grad() does exactly this
    x = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=dtype)
    y = 2 * x
    mine = torch.zeros(1, dtype=dtype, requires_grad=True)
    velocities = [torch.zeros(1, dtype=dtype)]
    w, v = 0.0, 0.0  # by hand: dL/dw = mean(2 x (w x - y)) = 15 w - 30
    piled_w, piled_v, total = 0.0, 0.0, 0.0  # the same, if .grad were never cleared
    for step in range(8):
        ((mine * x - y) ** 2).mean().backward()  # adds onto whatever mine.grad holds
        momentum_step_([mine], velocities, lr=0.01, momentum=0.9)
        v = 0.9 * v + (15 * w - 30)
        w = w - 0.01 * v
        total += 15 * piled_w - 30
        piled_v = 0.9 * piled_v + total
        piled_w = piled_w - 0.01 * piled_v
        if abs(mine.item() - w) > 1e-5:
            why = ("the gradients pile up: backward() adds onto .grad, so clear it after each update"
                   if abs(mine.item() - piled_w) < 1e-5 else "the values are off")
            raise AssertionError(
                f"after step {step + 1}: torch.optim.SGD(momentum=0.9) would have w = {w:.6g} "
                f"(velocity {v:.6g}); yours has w = {mine.item():.6g} (velocity "
                f"{velocities[0].item():.6g}): {why}"
            )
