"""What learners read is true: every number a topic README states is recomputed with the reference
solutions, every hint that is code is run, and the loss-curve diagnoses are checked on made-up curves."""

from __future__ import annotations

import importlib.util
import math
import re
import textwrap

import numpy as np
import pytest
import torch

from grader.learner import curves, pictures

from . import seed_katas
from .conftest import EXERCISES, REPO, SOLUTIONS
from .seed_katas import ADAM_ID, CRITICAL_LR_ID, EARLY_STOPPING_ID, LOGISTIC, XOR

T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]
T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]


def solution(kata_id: str):
    path = SOLUTIONS / f"{kata_id}.py"
    spec = importlib.util.spec_from_file_location(f"solution_{kata_id.replace('/', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def readme(topic: str) -> str:
    return " ".join((EXERCISES / topic / "README.md").read_text().split())  # lines joined


def docstring_text(kata_id: str) -> str:
    return " ".join((SOLUTIONS / f"{kata_id}.py").read_text().split())


# ---------------------------------------------------------------- topic READMEs' numbers


def test_05_loops_readme_numbers():
    text = readme("05_loops")
    loops = solution("05_loops/fit_numpy"), solution("05_loops/fit_autograd"), solution("05_loops/fit_optim")
    X = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
    runs = [loops[0].fit_numpy(X, 2 * X, 0.01, 30)]
    Xt = torch.tensor(X)
    runs += [loops[1].fit_autograd(Xt, 2 * Xt, 0.01, 30), loops[2].fit_optim(Xt, 2 * Xt, 0.01, 30)]
    assert all(run == runs[0] for run in runs), "the first three loops give the same numbers"
    w, losses = runs[0]
    assert losses[0] == 30.0 and "= 30," in text
    assert f"end at w = {w:.5f}" in text

    fit_module = solution("05_loops/fit_module")
    column = Xt.reshape(4, 1)
    torch.manual_seed(0)
    model = fit_module.LinearRegression(1, 1)
    losses = fit_module.fit_module(model, column, 2 * column, 0.05, 500)
    assert losses[0] != 30.0 and f"({losses[0]:.3f} for `LinearRegression(1, 1)` made right after" in text
    weight, bias = model.linear.weight.item(), model.linear.bias.item()
    assert f"500 epochs at lr 0.05 end at y = {weight:.3f}x + {bias:.3f}." in text
    # zero-initialised, the bias still makes the curve differ from the other three
    zeroed = fit_module.LinearRegression(1, 1)
    with torch.no_grad():
        for parameter in zeroed.parameters():
            parameter.zero_()
    assert fit_module.fit_module(zeroed, column, 2 * column, 0.01, 30)[1] != runs[0][1][1]


def test_06_sqrt_two_minima_after_100_steps():
    sqrt_params = solution("06_sqrt/sqrt_params")
    for lr, root in [(0.0005, 2.236), (0.001, -2.236)]:
        assert sqrt_params.sqrt_shift_scale(5.0, 4.0, lr, 100) == pytest.approx(root, abs=5e-4)
    assert sqrt_params.sqrt_shift_scale(5.0, 4.0, 0.0005, 10) != pytest.approx(2.236, abs=5e-4)
    assert "100 steps at lr 0.0005 settle near +2.236, while lr 0.001 overshoots" in readme("06_sqrt")
    assert "input 4 and 100 steps, lr 0.0005 settles near +2.236" in docstring_text("06_sqrt/sqrt_params")
    # the hidden suite's seed test runs the same 100 steps
    assert "args = (5.0, 4.0, lr, 100)" in (REPO / "grader/suites/06_sqrt/test_sqrt_params.py").read_text()


def blow_up(dtype: torch.dtype, epochs: int = 200) -> tuple[int, int | None]:
    """The first epoch (from 1) whose loss is inf, and the first whose loss is nan (None: none yet)."""
    t_u, t_c = torch.tensor(T_U, dtype=dtype), torch.tensor(T_C, dtype=dtype)
    params, first_inf = torch.tensor([1.0, 0.0], dtype=dtype), None
    for epoch in range(1, epochs + 1):
        t_p = params[0] * t_u + params[1]
        loss = ((t_p - t_c) ** 2).mean()
        if torch.isinf(loss) and first_inf is None:
            first_inf = epoch
        if torch.isnan(loss):
            return first_inf, epoch
        d = 2 * (t_p - t_c)
        params = params - 1e-2 * torch.stack([(d * t_u).mean(), d.mean()])
    return first_inf, None


def test_07_temperature_blows_up_where_the_text_says():
    training_loop = solution("07_temperature/training_loop")
    named = {}
    for dtype in (torch.float32, torch.float64):
        with pytest.raises(training_loop.DivergenceError) as caught:
            training_loop.training_loop(1000, 1e-2, torch.tensor([1.0, 0.0], dtype=dtype),
                                        torch.tensor(T_U, dtype=dtype), torch.tensor(T_C, dtype=dtype))
        named[dtype] = int(re.search(r"epoch (\d+)", str(caught.value)).group(1))
        assert named[dtype] == blow_up(dtype)[0]
    assert (named[torch.float32], named[torch.float64]) == (11, 88)
    assert "first inf at epoch 11 in float32 and at epoch 88 in float64" in readme("07_temperature")
    assert '"loss is inf at epoch 11" (raw t_u at lr 1e-2 in float32; in float64 the loss lasts until ' \
           "epoch 88)" in docstring_text("07_temperature/training_loop")
    params = training_loop.training_loop(5000, 1e-2, torch.tensor([1.0, 0.0]), 0.1 * torch.tensor(T_U),
                                         torch.tensor(T_C))
    assert [round(v, 4) for v in params.tolist()] == [5.3671, -17.3012]
    assert "[5.3671, −17.3012]" in readme("07_temperature")
    # the chapter's small lr: stable, not yet converged
    params = training_loop.training_loop(100, 1e-4, torch.tensor([1.0, 0.0]), torch.tensor(T_U),
                                         torch.tensor(T_C))
    assert [round(v, 4) for v in params.tolist()] == [0.2327, -0.0438]
    assert "lr 1e-4 crawling to [0.2327, −0.0438] after 100 epochs" in readme("07_temperature")


def test_07_public_test_knows_when_the_loss_is_inf_and_nan():
    """The public test's table of epochs, and its isnan advice, match a recomputation (within 100
    epochs for its nan epoch to matter)."""
    text = (EXERCISES / "07_temperature/test_training_loop.py").read_text()
    for name, dtype in [("float32", torch.float32), ("float64", torch.float64)]:
        inf_at, nan_at = blow_up(dtype)
        assert f"torch.{name}: ({inf_at}, {nan_at})" in text


def test_09_lr_finder_seed():
    lr_finder = solution("09_beyond/lr_finder")
    t_u, t_c = torch.tensor(T_U), torch.tensor(T_C)

    def loss(p):
        return ((p[0] * t_u + p[1] - t_c) ** 2).mean()

    for steps in (1, 10, 100):
        found = lr_finder.max_stable_lr(lambda: torch.tensor([1.0, 0.0]), loss,
                                        [1e-1, 1e-2, 1e-3, 1e-4, 1e-5], steps)
        assert found == 1e-4
    assert "with candidates 1e-1 to 1e-5, that is 1e-4." in readme("09_beyond")


def test_the_learner_readme_counts_points_per_kata(manifest):
    text = " ".join((REPO / "grader/templates/README.md").read_text().split())
    assert "each kata has its own points; all of them together are worth __POINTS__" in text
    assert len({kata.points for kata in manifest.katas}) > 1  # so "a kata is worth N in all" is false
    # the example message it quotes is one a public test gives
    quoted = re.search(r'\("(off by a factor of N = 4[^"]*)"\)', text).group(1)
    public = " ".join((EXERCISES / "02_losses/test_mse.py").read_text().split()).lower()
    assert quoted.lower() in public


def test_the_learner_readme_says_how_many_hints_a_kata_has(manifest):
    text = (REPO / "grader/templates/README.md").read_text()
    assert "(three or four, nudge first)" in text
    assert {len(kata.hints) for kata in manifest.katas} == {3, 4}


# ---------------------------------------------------------------- hints that are code

# Each program is built from a kata's hints: every line not marked `# scaffold` must appear,
# stripped, in the kata's hints, and the program must give the reference solution's answer.
HINT_PROGRAMS = {
    "01_autograd/derivative": """
        def derivative(f, x):  # scaffold
            t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
            f(t).backward()
            return t.grad.item()
    """,
    "01_autograd/vjp": """
        def vjp(f, x, v):  # scaffold
            leaf = x.detach().clone().requires_grad_(True)
            f(leaf).backward(v)
            return leaf.grad
    """,
    "01_autograd/accumulation": """
        def grads_over_steps(f, x, steps, zero_grad):  # scaffold
            grads = []  # scaffold
            for _ in range(steps):
                if zero_grad:
                    x.grad = None
                f(x).backward()
                grads.append(x.grad.clone())
            return grads  # scaffold
    """,
    "02_losses/mse": """
        def mse(y_pred, y):  # scaffold
            if y_pred.shape != y.shape: raise ValueError(...)
            return (  # scaffold
                ((y_pred - y) ** 2).mean()
            )  # scaffold
    """,
    "02_losses/sqrt_loss": """
        def sqrt_loss(guess, n):  # scaffold
            return (  # scaffold
                (n - guess ** 2) ** 2
            )  # scaffold
    """,
    "03_gradients/linear_grad": """
        def linear_grad(t_u, t_c, w, b):  # scaffold
            with torch.no_grad():  # scaffold
                t_p = w * t_u + b  # scaffold: "the model t_p = w * t_u + b", in the docstring
                return (  # scaffold
                    torch.stack([(2 * (t_p - t_c) * t_u).mean(), (2 * (t_p - t_c)).mean()])
                )  # scaffold
    """,
    "03_gradients/finite_diff": """
        def central_difference(f, params, delta):  # scaffold
            base = params.detach().clone()
            grad = torch.zeros_like(base)
            with torch.no_grad():  # scaffold: "all under torch.no_grad()"
                for i in range(base.numel()):  # scaffold: "for each i"
                    plus = base.clone()
                    plus.reshape(-1)[i] += delta
                    minus = base.clone()  # scaffold: "the same for minus"
                    minus.reshape(-1)[i] -= delta  # scaffold
                    grad.reshape(-1)[i] = (f(plus) - f(minus)) / (2 * delta)
            return grad  # scaffold
    """,
    "03_gradients/autograd_grad": """
        def autograd_grad(loss_fn, params):  # scaffold
            leaf = params.detach().clone().requires_grad_(True)
            (grad,) = torch.autograd.grad(loss_fn(leaf), leaf)
            return grad.detach()
    """,
    "03_gradients/matrix_grad": """
        def matrix_grad(X, y, a):  # scaffold
            with torch.no_grad():  # scaffold
                return 2 * X.T @ (X @ a - y) / X.shape[0]
    """,
    "03_gradients/sqrt_grad": """
        def sqrt_loss_grad(guess, n):  # scaffold
            with torch.no_grad():  # scaffold
                return -4 * guess * (n - guess ** 2)
    """,
    "03_gradients/scalar_grad": """
        def dmse_dw(x, y, w):  # scaffold
            return float(np.mean(2 * x * (w * x - y)))  # scaffold: "np.mean(...); wrap it in float()"
    """,
    "04_updates/sgd_numpy": """
        def sgd_update(w, grad, lr):  # scaffold
            return w - lr * grad
    """,
    "04_updates/sgd_step": """
        def sgd_step_(params, lr):  # scaffold
            with torch.no_grad():
                for p in params:  # scaffold
                    if p.grad is None:  # scaffold
                        continue  # scaffold
                    p -= lr * p.grad
                    p.grad = None
    """,
    "04_updates/momentum": """
        def momentum_step_(params, velocities, lr, momentum):  # scaffold
            with torch.no_grad():
                for p, v in zip(params, velocities):  # scaffold: "together with zip(params, velocities)"
                    v.mul_(momentum).add_(p.grad)
                    p -= lr * v
                    p.grad = None
    """,
    "05_loops/fit_numpy": """
        def fit_numpy(X, y, lr, epochs):  # scaffold
            w, losses = 0.0, []  # scaffold
            for _ in range(epochs):  # scaffold: "loop over range(epochs)"
                y_pred = w * X
                losses.append(float(np.mean((y_pred - y) ** 2)))
                w = w - lr * np.mean(2 * X * (y_pred - y))
            return float(w), losses
    """,
    "05_loops/fit_autograd": """
        def fit_autograd(X, y, lr, epochs):  # scaffold
            losses = []  # scaffold
            w = torch.tensor(0.0, dtype=X.dtype, requires_grad=True)
            for _ in range(epochs):  # scaffold
                loss = ((w * X - y) ** 2).mean()
                losses.append(loss.item())
                loss.backward()
                with torch.no_grad():
                    w -= lr * w.grad
                w.grad.zero_()
            return w.item(), losses
    """,
    "02_losses/mse_numpy": """
        def mse_np(y_pred, y):  # scaffold
            if y_pred.shape != y.shape: raise ValueError(...)
            return float(np.mean((y_pred - y) ** 2))
    """,
    "05_loops/fit_optim": """
        def fit_optim(X, y, lr, epochs):  # scaffold
            losses = []  # scaffold
            w = torch.zeros((), dtype=X.dtype, requires_grad=True)
            loss_fn = torch.nn.MSELoss()
            optimizer = torch.optim.SGD([w], lr=lr)
            for _ in range(epochs):  # scaffold: "then each epoch"
                optimizer.zero_grad()
                loss = loss_fn(w * X, y)
                losses.append(loss.item())
                loss.backward()
                optimizer.step()
            return w.item(), losses
    """,
    "05_loops/fit_module": """
        nn = torch.nn  # scaffold
        class LinearRegression(nn.Module):  # scaffold
            def __init__(self, input_dim, output_dim):  # scaffold
                super().__init__()
                self.linear = nn.Linear(input_dim, output_dim)
            def forward(self, x):  # scaffold
                return self.linear(x)
        def fit_module(model, X, y, lr, epochs):  # scaffold
            loss_fn = nn.MSELoss()
            optimizer = torch.optim.SGD(model.parameters(), lr=lr)
            losses = []  # scaffold
            for _ in range(epochs):  # scaffold
                optimizer.zero_grad()
                loss = loss_fn(model(X), y)
                losses.append(loss.item())
                loss.backward()
                optimizer.step()
            return losses
    """,
    "06_sqrt/sqrt_neuron": """
        def sqrt_neuron(n, lr, steps, seed):  # scaffold
            torch.manual_seed(seed)  # scaffold: "Call torch.manual_seed(seed), then ..."
            neuron = torch.nn.Linear(1, 1)  # scaffold
            x = torch.tensor([[4.0]])  # scaffold: "the input is torch.tensor([[4.0]])"
            optimizer = torch.optim.SGD(neuron.parameters(), lr=lr)  # scaffold
            for _ in range(steps):  # scaffold
                optimizer.zero_grad()
                ((n - neuron(x)**2)**2).sum().backward()
                optimizer.step()
            return neuron(x).item()
    """,
    "07_temperature/training_loop": """
        def training_loop(n_epochs, learning_rate, params, t_u, t_c):  # scaffold
            params = params.detach().clone()
            for epoch in range(1, n_epochs + 1):
                t_p = params[0] * t_u + params[1]
                loss = ((t_p - t_c) ** 2).mean()
                if not torch.isfinite(loss):
                    raise ArithmeticError(f'loss {loss.item()} at epoch {epoch}')  # scaffold
                d = 2 * (t_p - t_c)
                params = params - learning_rate * torch.stack([(d * t_u).mean(), d.mean()])
            return params  # scaffold
    """,
    "08_line_fit/line_fit": """
        def fit_line(x, y, lr, steps):  # scaffold
            a = torch.nn.Parameter(torch.tensor([-1., 1.], dtype=x.dtype))
            for _ in range(steps):  # scaffold
                loss = ((x @ a - y)**2).mean()  # scaffold: "the loss is ((x @ a - y)**2).mean()"
                loss.backward()
                with torch.no_grad():
                    a.sub_(lr * a.grad)
                a.grad.zero_()
            return a.detach().clone()
    """,
    "09_beyond/minibatch": """
        def minibatch_sgd(X, y, batch_size, lr, epochs, generator):  # scaffold
            N, D = X.shape  # scaffold
            a = torch.zeros(D, dtype=X.dtype)
            losses = []  # scaffold
            for _ in range(epochs):  # scaffold
                order = torch.randperm(N, generator=generator)
                for start in range(0, N, batch_size):  # scaffold: "... for start in range(0, N, batch_size)"
                    rows = order[start:start + batch_size]
                    Xb, yb = X[rows], y[rows]  # scaffold
                    grad = 2 * Xb.T @ (Xb @ a - yb) / len(rows)
                    a = a - lr * grad
                losses.append(((X @ a - y) ** 2).mean().item())  # scaffold: "append (...).mean().item()"
            return a, losses  # scaffold
    """,
    "09_beyond/gradcheck": """
        def gradcheck(f, grad_f, x, eps=1e-6, atol=1e-5, rtol=1e-3):  # scaffold
            base = x.detach().to(torch.float64).clone()
            a = grad_f(base).to(torch.float64)  # scaffold
            n = torch.zeros_like(base)  # scaffold
            for i in range(base.numel()):  # scaffold
                plus, minus = base.clone(), base.clone()  # scaffold
                plus.reshape(-1)[i] += eps  # scaffold
                minus.reshape(-1)[i] -= eps  # scaffold
                n.reshape(-1)[i] = (f(plus) - f(minus)) / (2 * eps)  # scaffold
            return bool(((a - n).abs() <= atol + rtol * n.abs()).all())
    """,
    "06_sqrt/sqrt_guess": """
        def sqrt_by_descent(n, guess, lr, steps):  # scaffold
            g = float(guess)
            for _ in range(steps):  # scaffold: "then `steps` times"
                g = g - lr * (-4 * g * (n - g * g))
            return g
    """,
    "06_sqrt/sqrt_params": """
        def sqrt_shift_scale(n, input_val, lr, steps):  # scaffold
            scale, shift = 1.0, 1.0  # scaffold: "Both scale and shift start at 1.0", in the docstring
            for _ in range(steps):  # scaffold: "each step"
                guess = input_val * scale + shift
                d = -4 * guess * (n - guess ** 2)
                scale, shift = scale - lr * d * input_val, shift - lr * d
            return input_val * scale + shift
    """,
    "07_temperature/normalize": """
        def standardize(t):  # scaffold
            t = t.detach()
            mean = t.mean()
            std = t.std()
            return (t - mean) / std, mean, std

        def fit_temperature(t_u, t_c):  # scaffold
            z, mean, std = standardize(t_u)
            w = b = torch.zeros((), dtype=t_u.dtype)  # scaffold: "from w = b = 0"
            for _ in range(300):  # scaffold: "lr 0.1 for a few hundred epochs"
                d = 2 * (w * z + b - t_c)  # scaffold: the gradient of training_loop
                w, b = w - 0.1 * (d * z).mean(), b - 0.1 * d.mean()  # scaffold
            def predict(readings):
                return w * (readings - mean) / std + b
            return predict  # scaffold
    """,
    "09_beyond/lr_finder": """
        def max_stable_lr(make_params, loss_fn, candidates, steps):  # scaffold
            stable = []  # scaffold: "Collect the stable candidates"
            for lr in candidates:  # scaffold
                params = make_params().detach().clone().requires_grad_(True)
                losses = []  # scaffold: "Record the loss before the first step and after the last one"
                for _ in range(steps):  # scaffold
                    loss = loss_fn(params)
                    losses.append(loss.item())  # scaffold
                    (grad,) = torch.autograd.grad(loss, params)
                    with torch.no_grad():  # scaffold: "then under torch.no_grad()"
                        params -= lr * grad
                losses.append(loss_fn(params).item())  # scaffold
                if torch.isfinite(torch.tensor(losses)).all() and losses[-1] < losses[0]:  # scaffold
                    stable.append(lr)  # scaffold
            return float(max(stable))
    """,
}


def hint_program(manifest, kata_id: str, programs: dict[str, str] | None = None, **names):
    """Run a kata's hint program (from HINT_PROGRAMS, or from `programs`); return its namespace.
    `names` are what the program may use besides torch, np and math: another kata's hint program's
    functions (the hints of AdamW say "then the Adam update of adam.py"), a module like copy."""
    source = textwrap.dedent((HINT_PROGRAMS if programs is None else programs)[kata_id])
    hints = " ".join(manifest.kata(kata_id).hints)
    for line in source.splitlines():
        if line.strip() and "# scaffold" not in line:
            assert line.strip() in hints, f"{kata_id}: {line.strip()!r} is no longer in its hints"
    namespace = {"torch": torch, "np": np, "math": math, **names}
    exec(compile(source, f"<hints of {kata_id}>", "exec"), namespace)  # noqa: S102 - our own hint text
    return namespace


def same(a, b) -> bool:
    if isinstance(a, torch.Tensor):
        return torch.allclose(a, b)
    if isinstance(a, np.ndarray):
        return np.allclose(a, b)
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def test_every_code_hint_runs_and_gives_the_reference_answer(manifest):
    def sol(kata_id, name):
        return getattr(solution(kata_id), name)

    def hint(kata_id, name):
        return hint_program(manifest, kata_id)[name]

    x = torch.tensor([1.0, -2.0, 0.5])
    cases = {
        "01_autograd/derivative": ("derivative", lambda fn: fn(lambda t: t ** 3 - 2 * t, 1.5)),
        "01_autograd/vjp": ("vjp", lambda fn: fn(lambda t: t ** 2, x.clone(),
                                                 torch.tensor([1.0, 2.0, 3.0]))),
        "03_gradients/autograd_grad": ("autograd_grad", lambda fn: fn(lambda p: (p ** 3).sum(), x.clone())),
        "03_gradients/matrix_grad": ("matrix_grad", lambda fn: fn(
            torch.tensor([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]), torch.tensor([5.0, 7.0, 10.0]),
            torch.tensor([0.5, -1.0]))),
        "03_gradients/sqrt_grad": ("sqrt_loss_grad", lambda fn: fn(x.clone(), 5.0)),
        "02_losses/mse": ("mse", lambda fn: fn(torch.tensor([1.0, 2.0, 3.0, 4.0]), torch.ones(4))),
        "02_losses/sqrt_loss": ("sqrt_loss", lambda fn: fn(torch.tensor([1.0, 2.0, 3.0]), 5.0)),
        "03_gradients/linear_grad": ("linear_grad", lambda fn: fn(
            torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 3.0, 7.0]), torch.tensor(0.5),
            torch.tensor(-1.0))),
        "03_gradients/finite_diff": ("central_difference", lambda fn: fn(
            lambda p: (p ** 3).sum(), torch.tensor([[1.0, 2.0], [3.0, -1.0]], dtype=torch.float64), 1e-4)),
        "03_gradients/scalar_grad": ("dmse_dw", lambda fn: fn(np.array([1.0, 2.0, 3.0, 4.0]),
                                                              np.array([2.0, 4.0, 6.0, 8.0]), 0.5)),
        "04_updates/sgd_numpy": ("sgd_update", lambda fn: fn(np.array([1.0, 2.0]),
                                                             np.array([0.5, -1.0]), 0.1)),
        "05_loops/fit_numpy": ("fit_numpy", lambda fn: fn(np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32),
                                                          np.array([2.0, 4.0, 6.0, 8.0], dtype=np.float32),
                                                          0.01, 30)),
        "05_loops/fit_autograd": ("fit_autograd", lambda fn: fn(
            torch.tensor([1.0, 2.0, 3.0, 4.0]), torch.tensor([2.0, 4.0, 6.0, 8.0]), 0.01, 30)),
        "06_sqrt/sqrt_neuron": ("sqrt_neuron", lambda fn: fn(5.0, 0.001, 200, 0)),
        "07_temperature/training_loop": ("training_loop", lambda fn: fn(
            100, 1e-4, torch.tensor([1.0, 0.0]), torch.tensor(T_U), torch.tensor(T_C))),
        "08_line_fit/line_fit": ("fit_line", lambda fn: fn(
            torch.tensor([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]), torch.tensor([3.0, 5.0, 7.0]), 0.05, 50)),
        "09_beyond/minibatch": ("minibatch_sgd", lambda fn: fn(
            torch.stack([torch.arange(1.0, 9.0), torch.ones(8)], dim=1),
            torch.stack([torch.arange(1.0, 9.0), torch.ones(8)], dim=1) @ torch.tensor([2.0, -1.0]),
            3, 0.01, 5, torch.Generator().manual_seed(0))),
    }
    for kata_id, (name, call) in cases.items():
        assert same(call(hint(kata_id, name)), call(sol(kata_id, name))), kata_id

    # gradcheck: a right gradient and a wrong one
    for right in (True, False):
        grad_f = (lambda t: 3 * t ** 2) if right else (lambda t: 2 * t ** 2)
        args = (lambda t: (t ** 3).sum(), grad_f, x.double())
        expected = sol("09_beyond/gradcheck", "gradcheck")(*args)
        assert expected is right and hint("09_beyond/gradcheck", "gradcheck")(*args) is expected

    # the updates: the same parameters afterwards, gradients cleared
    for kata_id, name, extra in [("04_updates/sgd_step", "sgd_step_", ()),
                                 ("04_updates/momentum", "momentum_step_", (0.9,))]:
        results = []
        for fn in (hint(kata_id, name), sol(kata_id, name)):
            p = torch.tensor([1.0, -2.0], requires_grad=True)
            velocities = [torch.zeros(2)]
            for _ in range(3):
                (p ** 2).sum().backward()
                fn(*(([p], velocities) if extra else ([p],)), 0.1, *extra)
            results.append(p.detach().clone())
            assert p.grad is None or not p.grad.any()
        assert same(*results), kata_id


def test_06_to_09_code_hints_give_the_reference_answer(manifest):
    """The hint programs of sqrt_guess, sqrt_params, normalize and lr_finder against the solutions."""
    for kata_id, name, args in [
        ("06_sqrt/sqrt_guess", "sqrt_by_descent", [(5.0, 4.0, 0.01, 20), (5.0, -4.0, 0.01, 3)]),
        ("06_sqrt/sqrt_params", "sqrt_shift_scale", [(5.0, 4.0, 0.0005, 100), (5.0, 4.0, 0.001, 100),
                                                     (0.5, -1.5, 0.01, 20)]),
    ]:
        ours, reference = hint_program(manifest, kata_id)[name], getattr(solution(kata_id), name)
        for call in args:
            assert math.isclose(ours(*call), reference(*call), rel_tol=1e-9), (kata_id, call)

    program = hint_program(manifest, "07_temperature/normalize")
    reference = solution("07_temperature/normalize")
    for dtype in (torch.float32, torch.float64):
        t_u, t_c = torch.tensor(T_U, dtype=dtype), torch.tensor(T_C, dtype=dtype)
        assert same(program["standardize"](t_u), reference.standardize(t_u))
        x = t_u.double()
        design = torch.stack([x, torch.ones_like(x)], dim=1)
        w, b = torch.linalg.lstsq(design, t_c.double().unsqueeze(1)).solution.squeeze(1).tolist()
        best = float(((w * x + b - t_c.double()) ** 2).mean())
        predict = program["fit_temperature"](t_u, t_c)
        got = predict(t_u)
        assert got.dtype == dtype and got.grad_fn is None
        assert float(((got.double() - t_c.double()) ** 2).mean()) <= 1.01 * best  # "gets within 1%"
        new = torch.tensor([20.0, 50.0], dtype=dtype)
        assert torch.allclose(predict(new), reference.fit_temperature(t_u, t_c)(new), atol=1e-2)

    ours = hint_program(manifest, "09_beyond/lr_finder")["max_stable_lr"]
    reference = solution("09_beyond/lr_finder").max_stable_lr
    t_u, t_c = torch.tensor(T_U), torch.tensor(T_C)

    def temperature(p):
        return ((p[0] * t_u + p[1] - t_c) ** 2).mean()

    for make, loss, candidates, steps in [
        (lambda: torch.tensor([1.0, 0.0]), temperature, [1e-1, 1e-2, 1e-3, 1e-4, 1e-5], 20),
        (lambda: torch.tensor([3.0]), lambda x: (x ** 2).sum(), [0.5, 1.5, 0.1, 0.9], 10),
        (lambda: torch.tensor([2.0]), lambda x: (x ** 4).sum(), [0.01, 0.2], 3),
    ]:
        assert ours(make, loss, candidates, steps) == reference(make, loss, candidates, steps)


def test_accumulation_advice_works_from_the_first_step(manifest):
    """The hint's code runs from the first step, for a fresh x and for one that arrives with a .grad;
    the guarded zero_() the docstring offers works too, and the bare zero_() it warns of crashes."""
    program = hint_program(manifest, "01_autograd/accumulation")["grads_over_steps"]
    reference = solution("01_autograd/accumulation").grads_over_steps
    for arrives_with_grad in (False, True):
        for fn in (program, reference):
            x = torch.tensor([1.0, 2.0], requires_grad=True)
            if arrives_with_grad:
                x.grad = torch.full((2,), 7.0)
            assert [g.tolist() for g in fn(lambda t: (t * 3).sum(), x, 3, True)] == [[3.0, 3.0]] * 3

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(AttributeError):  # x.grad is None before the first backward
        x.grad.zero_()
    grads = []
    for _ in range(3):
        if x.grad is not None:
            x.grad.zero_()
        (x * 3).sum().backward()
        grads.append(x.grad.clone().tolist())
    assert grads == [[3.0, 3.0]] * 3
    for text in (docstring_text("01_autograd/accumulation"),
                 (EXERCISES / "01_autograd/test_accumulation.py").read_text(),
                 " ".join(manifest.kata("01_autograd/accumulation").hints)):
        # x.grad.zero_() is only ever mentioned with the warning that x.grad may still be None
        for at in [m.start() for m in re.finditer(re.escape("x.grad.zero_()"), text)]:
            assert "None" in text[at:at + 120], text[at - 60:at + 120]


def test_the_hints_of_mse_numpy_fit_optim_and_fit_module_give_the_reference_answers(manifest):
    mse_np = hint_program(manifest, "02_losses/mse_numpy")["mse_np"]
    reference = solution("02_losses/mse_numpy").mse_np
    for dtype in (np.float32, np.float64):
        y_pred, y = np.array([1.0, -2.0, 3.5], dtype=dtype), np.array([0.5, 1.0, 3.0], dtype=dtype)
        got = mse_np(y_pred, y)
        assert type(got) is float and got == reference(y_pred, y)
    with pytest.raises(ValueError):
        mse_np(np.zeros((3, 1)), np.zeros(3))

    fit_optim = hint_program(manifest, "05_loops/fit_optim")["fit_optim"]
    reference = solution("05_loops/fit_optim").fit_optim
    for dtype in (torch.float32, torch.float64):
        X = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=dtype)
        assert same(fit_optim(X, 2 * X, 0.01, 30), reference(X, 2 * X, 0.01, 30))

    program = hint_program(manifest, "05_loops/fit_module")
    module = solution("05_loops/fit_module")
    X = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
    runs = []
    for namespace in (program, vars(module)):
        torch.manual_seed(0)
        model = namespace["LinearRegression"](1, 1)
        losses = namespace["fit_module"](model, X, 2 * X, 0.05, 50)
        runs.append((losses, [p.detach().clone() for p in model.parameters()]))
    assert same(runs[0][0], runs[1][0]) and all(torch.equal(a, b) for a, b in zip(*(r[1] for r in runs),
                                                                               strict=True))


# ---------------------------------------------------------------- loss-curve diagnoses


def verdict_of(losses, reference):
    return curves.compare(curves.Curve("05_loops/fit_numpy", "seed", losses, reference))


def test_curve_diagnoses_say_what_the_curve_does():
    reference = [30.0 * 0.7**epoch for epoch in range(30)]
    # falls, then oscillates back up while still ending below where it began
    oscillating = [30.0 * 0.5**epoch for epoch in range(5)] + [2.0 * 1.3**k for k in range(25)]
    oscillating[-1] = min(oscillating[-1], 20.0)
    said = verdict_of(oscillating, reference)
    assert "goes back up at epoch 5" in said and "more slowly" not in said
    # falls, then climbs above the start: it did go down at first
    climbing = [30.0, 10.0, 5.0] + [5.0 * 2.0**k for k in range(1, 28)]
    said = verdict_of(climbing, reference)
    assert "goes back up at epoch 3" in said and "does not go down" not in said
    # a steady but slow fall is slow
    said = verdict_of([30.0 * 0.9**epoch for epoch in range(30)], reference)
    assert "falls more slowly" in said and f"{30.0 * 0.9**29:.3g}" in said
    # never below the start
    assert "does not go down" in verdict_of(list(reversed(reference)), reference)
    # inf is not finite, as much as nan: named, with its epoch
    for bad in (float("inf"), float("nan")):
        said = verdict_of(reference[:5] + [bad] * 25, reference)
        assert f"{bad} at epoch 5" in said and "diverges" in said


def test_noisy_minibatch_losses_are_not_called_overshooting():
    reference = [1.2, 0.9, 0.7, 0.75, 0.5, 0.55, 0.4]  # minibatch SGD: the reference rises too
    mine = [1.2, 1.1, 1.0, 1.05, 0.98, 0.99, 0.95]
    said = curves.compare(curves.Curve("09_beyond/minibatch", "seed", mine, reference))
    assert "goes back up" not in said and "overshoot" not in said
    # an oscillating run against a noisy reference is not said to fall slowly
    ragged = [1.2, 0.2, 1.0, 0.2, 1.1, 0.3, 0.95]
    tiny = [1.2, 0.5, 0.2, 0.1, 0.05, 0.06, 0.04]
    said = curves.compare(curves.Curve("09_beyond/minibatch", "seed", ragged, tiny))
    assert "more slowly" not in said and "more than 10 times" in said


def test_the_seed_references_fall_where_the_diagnosis_needs_them_to(tmp_path):
    """The rise check relies on the full-batch references falling steadily, and skips the ones that
    rise: minibatch's, the XOR net's (its SGD loss rises by more than 0.1% now and then), Adam's (it
    overshoots the bowl's valley) and early stopping's (its validation loss turns up: that is the
    point). The new topics' references are run from the small implementations beside these tests."""
    from grader.manifest import load

    manifest = load()
    ours = {LOGISTIC: seed_katas.FIT_LOGISTIC, XOR: seed_katas.FIT_XOR, ADAM_ID: seed_katas.ADAM,
            CRITICAL_LR_ID: seed_katas.CRITICAL_LR, EARLY_STOPPING_ID: seed_katas.EARLY_STOPPING}
    rising = ("09_beyond/minibatch", XOR, ADAM_ID, EARLY_STOPPING_ID)
    for kata_id in curves.SEED_RUNS:
        if kata_id in ours:
            reference = curves.seed_run(seed_katas.write(tmp_path, kata_id, ours[kata_id]), kata_id)
        else:
            reference = curves.reference_from_solutions(manifest.kata(kata_id))
        assert bool(curves._rises(reference["losses"])) == (kata_id in rising), kata_id


# ---------------------------------------------------------------- the pictures beside the loss curves


def test_the_logistic_picture_names_the_fit_it_drew(tmp_path):
    """The contract's fit (intercept −4.0777, coefficient 1.5046), and a loop that never moves b."""
    right = curves.seed_run(seed_katas.write(tmp_path / "right", LOGISTIC, seed_katas.FIT_LOGISTIC),
                            LOGISTIC)
    wrong = curves.seed_run(seed_katas.write(tmp_path / "wrong", LOGISTIC,
                                             seed_katas.FIT_LOGISTIC_WITHOUT_BIAS), LOGISTIC)
    fit = right["picture"]
    assert fit["w"] == pytest.approx(1.5046, abs=1e-3) and fit["b"] == pytest.approx(-4.0777, abs=1e-3)
    assert (fit["x"], fit["y"]) == (curves.HOURS, curves.PASSED)
    assert right["losses"][-1] == pytest.approx(0.401494, abs=1e-6)
    assert pictures.summary(fit, fit) == "fit: σ(1.50·hours − 4.08); reference σ(1.50·hours − 4.08)"
    assert pictures.summary(fit, None) == "fit: σ(1.50·hours − 4.08)"  # the reference unknown
    stuck = wrong["picture"]
    assert stuck["b"] == 0.0 and 0 < stuck["w"] < 1
    assert pictures.summary(stuck, fit) == \
        f"fit: σ({stuck['w']:.2f}·hours + 0.00); reference σ(1.50·hours − 4.08)"
    lost = dict(stuck, w=float("nan"))
    assert pictures.summary(lost, None) == "fit: no curve (w = nan, b = 0.0)"


def test_the_xor_picture_counts_the_points_it_shows(tmp_path):
    """The trained net's regions put each XOR point on its side; an untrained one's do not."""
    right = curves.seed_run(seed_katas.write(tmp_path / "right", XOR, seed_katas.FIT_XOR), XOR)
    wrong = curves.seed_run(seed_katas.write(tmp_path / "wrong", XOR, seed_katas.FIT_XOR_WITHOUT_STEP), XOR)
    assert right["losses"][0] == pytest.approx(0.706034, abs=1e-6) and right["losses"][-1] < 0.01
    assert pictures.summary(right["picture"], None) == "XOR: the trained net classifies 4 of 4 points right"
    assert pictures.summary(wrong["picture"], right["picture"]) == \
        "XOR: the trained net classifies 2 of 4 points right"  # all four logits negative: 0, 0, 0, 0
    assert len(set(wrong["losses"])) == 1
    for run in (right, wrong):
        regions = run["picture"]
        signs, step = regions["signs"], (regions["high"] - regions["low"]) / (pictures.GRID - 1)
        assert len(signs) == len(signs[0]) == pictures.GRID
        for (x1, x2), logit in zip(regions["points"], regions["logits"], strict=True):
            row, column = round((x2 - regions["low"]) / step), round((x1 - regions["low"]) / step)
            assert signs[row][column] == (1 if logit > 0 else -1), (x1, x2)  # row is x₂, column x₁
    # a nan logit is on neither side
    assert pictures.right_points(dict(right["picture"], logits=[float("nan")] * 4)) == 0


def test_a_picture_that_cannot_be_made_is_said_so(tmp_path):
    returns_a_matrix = seed_katas.FIT_LOGISTIC.replace("return w, b, losses",
                                                       "return w.reshape(1, 1).repeat(2, 2), b, losses")
    run = curves.seed_run(seed_katas.write(tmp_path, LOGISTIC, returns_a_matrix), LOGISTIC)
    assert run["picture"] is None and len(run["losses"]) == 2000  # the loss curve is still drawn
    reference = pictures.sigmoid_fit(curves.HOURS, curves.PASSED, 1.5, -4.0)
    assert pictures.summary(None, reference) == "nothing to draw from what your function returned"
    assert pictures.summary(None, None) is None


def test_the_critical_lr_picture_says_which_side_converges(tmp_path):
    """GD on the temperature fit at 0.9 × and 1.1 × the learner's critical lr: the contract's
    3.39938e-4 parts them; 1/λmax is too low (both converge), 2/λmin too high (both diverge)."""
    from grader.learner.pictures import curvature

    def run(name, source):
        return curves.seed_run(seed_katas.write(tmp_path / name, CRITICAL_LR_ID, source), CRITICAL_LR_ID)

    right = run("right", seed_katas.CRITICAL_LR)
    edge = right["picture"]
    assert edge["lr"] == pytest.approx(3.39938e-4, rel=1e-5) and right["losses"] == edge["below"]
    assert len(edge["below"]) == len(edge["above"]) == 100 and edge["below"][0] == pytest.approx(187.386364)
    assert edge["below"][-1] < 30 and edge["above"][-1] > 1e17  # 1.1 × grows by (1 − 2.2)² a step
    assert (curvature.fate(edge["below"]), curvature.fate(edge["above"])) == ("converges", "diverges")
    assert pictures.summary(edge, edge) == ("GD at 0.9 × your critical lr converges, at 1.1 × it diverges: "
                                            "your 3.39938e-4 is right where they part")
    low = run("low", seed_katas.CRITICAL_LR_ONE_OVER_LAMBDA)["picture"]
    assert pictures.summary(low, edge) == (
        "GD converges at 0.9 × and at 1.1 × your critical lr 1.69969e-4: it survives larger steps, so "
        "2/λmax, with λmax the largest eigenvalue of H, is larger; the reference's is 3.39938e-4")
    high = run("high", seed_katas.CRITICAL_LR_SMALLEST)  # 2/0.175108
    assert pictures.summary(high["picture"], None) == (
        "GD diverges at 1.1 × and already at 0.9 × your critical lr 11.4215: 2/λmax, with λmax the "
        "largest eigenvalue of H, is smaller")
    assert not all(math.isfinite(loss) for loss in high["losses"])  # shown as ✗, never a crash
    assert pictures.summary(dict(edge, lr=-edge["lr"]), None).startswith("your critical lr is -3.39938e-4")


def test_the_adam_picture_counts_the_steps_to_the_minimum(tmp_path):
    """On ½(x² + 50y²) from (−4, 1): Adam as torch.optim.Adam reaches 1e-3 in 61 steps, momentum
    in 87, SGD (lr just under 2/λmax) not in 100; an Adam without bias correction takes longer."""
    from grader.learner.pictures import optimizers

    right = curves.seed_run(seed_katas.write(tmp_path / "right", ADAM_ID, seed_katas.ADAM), ADAM_ID)
    torch_losses, torch_path = curves._bowl_run(lambda p: torch.optim.Adam([p], lr=curves.ADAM_LR))
    assert right["losses"] == pytest.approx(torch_losses, rel=1e-9) and right["losses"][0] == 0.5 * (16 + 50)
    paths = right["picture"]
    assert len(paths["paths"]["adam"]) == len(torch_path) == 101
    assert sum(paths["paths"]["adam"], []) == pytest.approx(sum(torch_path, []), rel=1e-9, abs=1e-12)
    for name in optimizers.NAMES:
        losses = [optimizers.bowl_loss(paths["bowl"], point) for point in paths["paths"][name]]
        assert optimizers.steps_to_reach(paths, name) == next((i for i, v in enumerate(losses) if v <= 1e-3),
                                                               None), name
    said = "your Adam reaches 1e-3 of the minimum in 61 steps, SGD not in 100, momentum in 87"
    assert pictures.summary(paths, None) == said
    assert pictures.summary(paths, paths) == said + " (the reference Adam in 61)"
    wrong = curves.seed_run(seed_katas.write(tmp_path / "wrong", ADAM_ID,
                                             seed_katas.ADAM_WITHOUT_BIAS_CORRECTION), ADAM_ID)
    assert pictures.summary(wrong["picture"], paths) == (
        "your Adam reaches 1e-3 of the minimum in 74 steps, SGD not in 100, momentum in 87 (the reference "
        "Adam in 61)")
    lost = dict(paths, paths=dict(paths["paths"], adam=[[float("nan")] * 2] * 101))
    assert pictures.summary(lost, None).startswith("your Adam reaches 1e-3 of the minimum not in 100 steps")


def test_the_early_stopping_picture_marks_the_epoch_kept(tmp_path):
    """The seed overfits as curves._Overfitting says: training falls all along, validation falls
    to epoch 20 and climbs after; patience 20 stops after epoch 40. Weights never loaded back, or
    one epoch of patience too many, are named."""
    from grader.learner.pictures import stopping

    def run(name, source):
        return curves.seed_run(seed_katas.write(tmp_path / name, EARLY_STOPPING_ID, source),
                               EARLY_STOPPING_ID)

    right = run("right", seed_katas.EARLY_STOPPING)
    kept = right["picture"]
    train, val = kept["train"], kept["val"]
    assert right["losses"] == val and len(train) == len(val) == 41 and kept["best_epoch"] == 20
    assert all(later < earlier for earlier, later in zip(train[:-1], train[1:], strict=True))
    assert all(later < earlier for earlier, later in zip(val[:20], val[1:21], strict=True))
    assert all(later > earlier for earlier, later in zip(val[20:-1], val[21:], strict=True))
    assert stopping.lowest_epoch(val) == 20 and kept["restored"] == val[20]
    said = "stopped after epoch 40, best epoch 20 (validation loss 0.1002)"
    assert pictures.summary(kept, None) == said
    assert pictures.summary(kept, kept) == said + "; the reference stopped after epoch 40, best epoch 20"
    unloaded = run("unloaded", seed_katas.EARLY_STOPPING_WITHOUT_LOAD)["picture"]
    assert unloaded["restored"] == pytest.approx(val[-1])  # the last epoch's weights
    assert pictures.summary(unloaded, None) == (
        f"{said}; the model ends with validation loss {val[-1]:.4g}, not the best epoch's: it should "
        "hold a copy of the best epoch's weights, loaded back")
    late = run("late", seed_katas.EARLY_STOPPING_LATE)
    assert pictures.summary(late["picture"], kept) == (
        "stopped after epoch 41, best epoch 20 (validation loss 0.1002); the reference stopped after "
        "epoch 40, best epoch 20")
    # when it stops is the picture's to say; the curve is compared over the epochs both ran
    compared = curves.Curve(EARLY_STOPPING_ID, "seed", late["losses"], right["losses"])
    assert curves.compare(compared) == "your losses follow the reference run, over the 41 epochs both ran"
    one_based = dict(kept, best_epoch=21)
    assert pictures.summary(one_based, None) == (
        f"stopped after epoch 40, best epoch 21 (validation loss {val[21]:.4g}), but epoch 20's was lower "
        "(0.1002)")
    assert pictures.summary(dict(kept, best_epoch=41), None) == \
        "stopped after epoch 40, best epoch 41, but only epochs 0 to 40 ran"
