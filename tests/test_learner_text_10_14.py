"""What learners read in topics 10–14 is true: every hint that is code is run against the reference
solution on the kata's seed inputs, the hints' factual advice is executed, and every number a topic
README states is recomputed with the reference solutions (or torch) and looked up in the README.
The helpers are those of test_learner_text_is_true, which does the same for topics 01–09."""

from __future__ import annotations

import copy
import math
import re

import pytest
import torch
import torch.nn.functional as F

from grader.learner import curves

from .test_learner_text_is_true import T_C, T_U, blow_up, hint_program, readme, same, solution

TOPICS = ("10_", "11_", "12_", "13_", "14_")


@pytest.fixture(autouse=True)
def one_thread():
    """The runs here are of tiny tensors: a second thread only adds waiting (XOR's 500 epochs
    take 0.3 s on one thread and several seconds on two busy ones)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def minus(text: str) -> str:
    """A number as the READMEs print it: with a real minus sign."""
    return text.replace("-", "−")


def sci(x: float, digits: int) -> str:
    """3.39938e-4, as the READMEs write powers of ten (Python writes 3.39938e-04)."""
    mantissa, exponent = f"{x:.{digits}e}".split("e")
    return f"{mantissa}e{int(exponent)}"


# ---------------------------------------------------------------- hints that are code

# As in test_learner_text_is_true.HINT_PROGRAMS: every line not marked `# scaffold` must appear,
# stripped, in the kata's hints (a hint's one-liner "a; b; c" is run as the lines a, b and c), and
# the program must give the reference solution's answer.
HINT_PROGRAMS = {
    "10_classification/bce": """
        def bce_with_logits(logits, y):  # scaffold
            if logits.shape != y.shape: raise ValueError(...)
            z = logits
            return (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).mean()
    """,
    "10_classification/logistic_grad": """
        def logistic_grad(X, y, w, b):  # scaffold
            with torch.no_grad():
                r = torch.sigmoid(X @ w + b) - y
                return X.T @ r / X.shape[0], r.mean()
    """,
    "10_classification/cross_entropy": """
        def cross_entropy(logits, target):  # scaffold
            if logits.dim() != 2: raise ValueError(...)  # scaffold: "Check the inputs first: logits 2-D"
            n, c = logits.shape  # scaffold
            if any((  # scaffold: "after the ValueError checks (...)"
                target.dtype != torch.int64, target.shape != (n,), target.min() < 0 or target.max() >= c
            )): raise ValueError(...)  # scaffold
            m = logits.max(dim=1, keepdim=True).values
            lse = m.squeeze(1) + torch.log(torch.exp(logits - m).sum(dim=1))
            return (lse - logits[torch.arange(n), target]).mean()
    """,
    "10_classification/cross_entropy_grad": """
        def cross_entropy_grad(logits, target):  # scaffold
            n = logits.shape[0]  # scaffold: "After the checks"
            with torch.no_grad():
                grad = torch.softmax(logits, dim=1)
                grad[torch.arange(n), target] -= 1
                return grad / n
    """,
    "10_classification/logistic_fit": """
        def fit_logistic(X, y, lr, epochs):  # scaffold
            n, d = X.shape  # scaffold
            w, b = torch.zeros(d, dtype=X.dtype), torch.zeros((), dtype=X.dtype)  # scaffold: "w = zeros (D,)"
            losses = []  # scaffold
            for _ in range(epochs):
                z = X @ w + b
                losses.append(loss_of(z, y).item())
                r = torch.sigmoid(z) - y
                w, b = w - lr * X.T @ r / n, b - lr * r.mean()
            return w, b, losses
    """,
    "11_networks/mlp": """
        nn = torch.nn  # scaffold
        class MLP(nn.Module):  # scaffold
            def __init__(self, sizes):  # scaffold
                super().__init__()  # scaffold
                if len(sizes) < 2 or min(sizes) < 1: raise ValueError(sizes)  # scaffold: "Check sizes first"
                self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))
            def forward(self, x):  # scaffold
                for layer in self.layers[:-1]: x = torch.relu(layer(x))
                return self.layers[-1](x)
    """,
    "11_networks/backprop": """
        def two_layer_grads(X, y, W1, b1, W2, b2):  # scaffold
            z = X @ W1.T + b1  # scaffold: "keep every intermediate (z, h, y_hat)"
            h = torch.relu(z)  # scaffold
            y_hat = h @ W2.T + b2  # scaffold
            g = 2 * (y_hat - y) / y.numel()
            dW2 = g.T @ h
            db2 = g.sum(0)
            dz = (g @ W2) * (z > 0)
            dW1 = dz.T @ X
            db1 = dz.sum(0)
            return dW1, db1, dW2, db2  # scaffold
    """,
    "11_networks/value": """
        class Value:  # scaffold
            def __init__(self, data, _prev=()):  # scaffold
                self.data, self.grad, self._prev = data, 0, _prev  # scaffold: "_prev holds its operands"
                self._backward = lambda: None  # scaffold
            def __add__(self, other):  # scaffold: __mul__ with the local derivatives 1 and 1
                other = other if isinstance(other, Value) else Value(other)
                out = Value(self.data + other.data, (self, other))  # scaffold
                def _backward():
                    self.grad += out.grad  # scaffold
                    other.grad += out.grad  # scaffold
                out._backward = _backward
                return out
            def __mul__(self, other):
                other = other if isinstance(other, Value) else Value(other)
                out = Value(self.data * other.data, (self, other))
                def _backward():
                    self.grad += other.data * out.grad
                    other.grad += self.data * out.grad
                out._backward = _backward
                return out
            def backward(self):  # scaffold
                order, seen, stack = [], set(), [(self, False)]
                while stack:
                    node, done = stack.pop()
                    if done: order.append(node)
                    elif id(node) not in seen:
                        seen.add(id(node))
                        stack.append((node, True))
                        stack.extend((c, False) for c in node._prev)
                self.grad = 1
                for node in reversed(order): node._backward()
    """,
    "11_networks/fit_xor": """
        F = torch.nn.functional  # scaffold
        def fit_xor(model, X, y, lr, epochs):  # scaffold
            optimizer = torch.optim.SGD(model.parameters(), lr=lr)  # scaffold: "Make one ... before the loop"
            losses = []  # scaffold
            for _ in range(epochs):
                loss = F.binary_cross_entropy_with_logits(model(X), y)
                losses.append(loss.item())
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            return losses  # scaffold
    """,
    "12_optimizers/adam": """
        class Adam:  # scaffold
            def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):  # scaffold
                self.params = list(params)
                self.lr, self.betas, self.eps = lr, betas, eps  # scaffold
                # scaffold: "per parameter, m and v (torch.zeros_like(p)) and its own count t"
                self.state = [[0, torch.zeros_like(p), torch.zeros_like(p)] for p in self.params]  # scaffold
            def step(self):  # scaffold
                (b1, b2), lr, eps = self.betas, self.lr, self.eps  # scaffold
                for p, state in zip(self.params, self.state):  # scaffold
                    if p.grad is None: continue  # scaffold: "skip p when p.grad is None"
                    t, m, v = state  # scaffold
                    g = p.grad  # scaffold
                    with torch.no_grad():
                        t += 1
                        m.mul_(b1).add_(g, alpha=1 - b1)
                        v.mul_(b2).addcmul_(g, g, value=1 - b2)
                        p.sub_(lr * (m / (1 - b1**t)) / ((v / (1 - b2**t)).sqrt() + eps))
                    state[0] = t  # scaffold
            def zero_grad(self):  # scaffold
                for p in self.params:  # scaffold
                    p.grad = None
    """,
    "12_optimizers/adamw": """
        class AdamW(Adam):  # scaffold: "Start from your Adam"
            def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):  # scaffold
                super().__init__(params, lr, betas, eps)  # scaffold
                self.weight_decay = weight_decay  # scaffold
            def step(self):  # scaffold
                lr, weight_decay = self.lr, self.weight_decay  # scaffold
                for p in self.params:  # scaffold: "for each parameter that has a gradient"
                    if p.grad is not None:  # scaffold
                        with torch.no_grad(): p.mul_(1 - lr * weight_decay)
                super().step()  # scaffold: "then the Adam update of adam.py with g = p.grad"
    """,
    "12_optimizers/clip": """
        def clip_grad_norm_(params, max_norm):  # scaffold
            # scaffold: "a single tensor goes into a list first, a generator into list()"
            params = [params] if isinstance(params, torch.Tensor) else list(params)  # scaffold
            grads = [p.grad for p in params if p.grad is not None]
            if not grads: return torch.tensor(0.0)  # scaffold: the contract's case
            total = torch.sqrt(sum((g * g).sum() for g in grads))
            with torch.no_grad():  # scaffold: "then under torch.no_grad()"
                for g in grads:  # scaffold: "for each g"
                    g.mul_(torch.clamp(max_norm / (total + 1e-6), max=1.0))
            return total
    """,
    "12_optimizers/schedule": """
        def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):  # scaffold
            if step < 0 or not 0 <= warmup_steps < total_steps: raise ValueError  # scaffold: "Check the ..."
            if step < warmup_steps: return (  # scaffold: "a straight line ... before warmup_steps"
                base_lr * step / warmup_steps
            )  # scaffold
            if step > total_steps: return min_lr  # scaffold: "min_lr after"
            progress = (step - warmup_steps) / (total_steps - warmup_steps)
            return float(min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2)
    """,
    "13_curvature/hvp": """
        def hvp(loss_fn, params, v):  # scaffold
            leaf = params.detach().clone().requires_grad_(True)
            (g,) = torch.autograd.grad(loss_fn(leaf), leaf, create_graph=True)
            if not g.requires_grad: return torch.zeros_like(leaf).detach()
            (hv,) = torch.autograd.grad(g, leaf, grad_outputs=v)
            return hv.detach()
    """,
    "13_curvature/power_iteration": """
        def top_eigenvalue(loss_fn, params, iters, generator):  # scaffold
            if iters < 1: raise ValueError(iters)  # scaffold: "raise ValueError if iters < 1"
            v = torch.randn(params.shape, generator=generator, dtype=params.dtype)
            v = v / v.norm()
            for _ in range(iters):
                w = hvp(loss_fn, params, v)
                if not w.any(): return 0.0
                lam = (v * w).sum().item()
                v = w / w.norm()
            return lam
    """,
    "13_curvature/critical_lr": """
        def mse_hessian(X): data = X.detach(); return 2 / data.shape[0] * data.T @ data
        def critical_lr(X):  # scaffold
            top = torch.linalg.eigvalsh(mse_hessian(X).to(torch.float64))[-1].item()
            return math.inf if top <= 0 else 2 / top
    """,
    "13_curvature/newton": """
        def newton_sqrt(n, guess, steps):  # scaffold: hint 2's step g − L'(g)/L''(g)
            g = float(guess)  # scaffold
            for _ in range(steps):  # scaffold
                g = g - (-4 * g * (n - g * g)) / (12 * g * g - 4 * n)  # scaffold: L'' = 0 divides by 0
                if not math.isfinite(g): raise OverflowError(g)  # scaffold
            return g  # scaffold
        def newton_steps_to_tol(n, guess, tol, max_steps=100):  # scaffold
            g = float(guess)
            for taken in range(max_steps + 1):
                if abs(g * g - n) <= tol: return taken
                if taken == max_steps: raise ArithmeticError('no convergence')
                g = newton_sqrt(n, g, 1)
    """,
    "14_generalization/split": """
        def train_val_split(X, y, val_fraction, generator):  # scaffold
            N = X.shape[0]  # scaffold
            if y.shape[0] != N or not 0 < val_fraction < 1: raise ValueError  # scaffold: "Check the rows ..."
            perm = torch.randperm(N, generator=generator)
            n_val = math.floor(val_fraction * N)
            if n_val in (0, N): raise ValueError  # scaffold: "and that neither part is empty"
            val, train = perm[:n_val], perm[n_val:]
            return X[train], y[train], X[val], y[val]
    """,
    "14_generalization/evaluate": """
        def evaluate(model, X, y, loss_fn):  # scaffold
            was = model.training
            model.eval()
            try:
                with torch.no_grad():
                    return float(loss_fn(model(X), y))
            finally:
                model.train(was)
    """,
    "14_generalization/early_stopping": """
        def fit_early_stopping(model, train_epoch, val_loss, max_epochs, patience):  # scaffold
            if max_epochs < 1 or patience < 1: raise ValueError  # scaffold
            losses = []  # scaffold
            for epoch in range(max_epochs):  # scaffold
                train_epoch()  # scaffold
                loss = float(val_loss())  # scaffold
                losses.append(loss)  # scaffold
                if epoch == 0 or loss < best:
                    best, best_epoch, waited, best_state = loss, epoch, 0, copy.deepcopy(model.state_dict())
                else:
                    waited += 1
                    if (  # scaffold: "break when"
                        waited >= patience
                    ): break  # scaffold
            model.load_state_dict(best_state)
            return best_state, best_epoch, losses  # scaffold
    """,
    "14_generalization/data_epoch": """
        class TensorPairs(torch.utils.data.Dataset):  # scaffold
            def __init__(self, X, y):  # scaffold
                if X.shape[0] != y.shape[0]: raise ValueError  # scaffold
                self.X, self.y = X, y  # scaffold
            def __len__(self):  # scaffold: "__len__ returns X.shape[0]"
                return self.X.shape[0]  # scaffold
            def __getitem__(self, i):  # scaffold: "__getitem__ returns (X[i], y[i])"
                X, y = self.X, self.y  # scaffold
                return (  # scaffold
                    (X[i], y[i])
                )  # scaffold
        def train_epoch(model, loader, optimizer, loss_fn, device):  # scaffold
            model.train()
            total = count = 0  # scaffold
            for xb, yb in loader:  # scaffold: "per batch move xb and yb with .to(device), zero_grad, ..."
                xb, yb = xb.to(device), yb.to(device)  # scaffold
                optimizer.zero_grad()  # scaffold
                loss = loss_fn(model(xb), yb)  # scaffold
                loss.backward()  # scaffold
                optimizer.step()  # scaffold
                total += (  # scaffold: "add loss.item() * xb.shape[0] to a total"
                    loss.item() * xb.shape[0]
                )  # scaffold
                count += (  # scaffold: "and xb.shape[0] to a count"
                    xb.shape[0]
                )  # scaffold
            if count == 0: raise ValueError  # scaffold: "raise ValueError if the count is 0"
            return total / count
    """,
}


def program(manifest, kata_id: str, **names):
    return hint_program(manifest, kata_id, HINT_PROGRAMS, **names)


def test_every_kata_of_topics_10_to_14_has_its_hints_run(manifest):
    katas = {kata.id for kata in manifest.katas if kata.id.startswith(TOPICS)}
    assert set(HINT_PROGRAMS) == katas  # all 21: a hint that is code, or a hint beside code


def with_grad(fn, logits, *args):
    """fn(logits, *args) and its autograd gradient with respect to logits."""
    leaf = logits.detach().clone().requires_grad_(True)
    value = fn(leaf, *args)
    value.backward()
    return value.detach(), leaf.grad


def hours_data(dtype):
    return torch.tensor(curves.HOURS, dtype=dtype).unsqueeze(1), torch.tensor(curves.PASSED, dtype=dtype)


def test_10_code_hints_give_the_reference_answer(manifest):
    bce = program(manifest, "10_classification/bce")["bce_with_logits"]
    logistic_grad = program(manifest, "10_classification/logistic_grad")["logistic_grad"]
    cross_entropy = program(manifest, "10_classification/cross_entropy")["cross_entropy"]
    cross_entropy_grad = program(manifest, "10_classification/cross_entropy_grad")["cross_entropy_grad"]
    fit_logistic = program(manifest, "10_classification/logistic_fit", loss_of=bce)["fit_logistic"]
    reference = {stem: solution(f"10_classification/{stem}") for stem in
                 ("bce", "logistic_grad", "cross_entropy", "cross_entropy_grad", "logistic_fit")}
    for dtype in (torch.float32, torch.float64):
        # bce: the contract's ±1e4 seeds among ordinary logits, soft labels too
        logits = torch.tensor([-1e4, 1e4, -1e4, 1e4, 0.0, 2.5, -0.7], dtype=dtype)
        y = torch.tensor([1.0, 1.0, 0.0, 0.0, 1.0, 0.3, 0.0], dtype=dtype)
        ours = with_grad(bce, logits, y)
        assert same(ours, with_grad(reference["bce"].bce_with_logits, logits, y))
        assert torch.allclose(ours[0], F.binary_cross_entropy_with_logits(logits, y))
        assert torch.isfinite(ours[1]).all()
        one = torch.ones(1, dtype=dtype)
        assert bce(torch.tensor([-1e4], dtype=dtype), one).item() == 1e4
        assert bce(torch.tensor([1e4], dtype=dtype), one).item() == 0.0

        # logistic_grad: the hours data near its fit, and logits of ±1e4
        X, y = hours_data(dtype)
        for args in [(X, y, torch.tensor([1.5], dtype=dtype), torch.tensor(-4.0, dtype=dtype)),
                     (torch.tensor([[1e4], [-1e4], [0.5]], dtype=dtype),
                      torch.tensor([0.0, 1.0, 1.0], dtype=dtype), torch.tensor([1.0], dtype=dtype),
                      torch.tensor(0.0, dtype=dtype))]:
            got = logistic_grad(*args)
            assert same(got, reference["logistic_grad"].logistic_grad(*args))
            assert all(torch.isfinite(g).all() for g in got)

        # cross_entropy and its gradient: the contract's rows of ±1e4, and an ordinary one
        logits = torch.tensor([[1e4, 0.0, -1e4], [-1e4, -1e4 + 1, -1e4 + 2], [0.3, -1.2, 2.0]], dtype=dtype)
        before = logits.clone()
        for target in ([0, 2, 1], [2, 0, 0]):
            target = torch.tensor(target)
            ours = with_grad(cross_entropy, logits, target)
            assert same(ours, with_grad(reference["cross_entropy"].cross_entropy, logits, target))
            # in float32, logits of 1e4 leave their sum only ~1e-3 (spacing at 1e4); F rounds elsewhere
            assert torch.allclose(ours[0], F.cross_entropy(logits, target), rtol=0,
                                  atol=1e-3 if dtype == torch.float32 else 1e-12)
            grad = cross_entropy_grad(logits, target)
            assert same(grad, reference["cross_entropy_grad"].cross_entropy_grad(logits, target))
            assert torch.allclose(grad, ours[1]) and torch.isfinite(grad).all()
        assert torch.equal(logits, before)  # "the softmax is a new tensor, so -= leaves logits alone"
        for bad in (torch.tensor([0.0, 1.0, 2.0]), torch.tensor([-1, 0, 0]), torch.tensor([0, 3, 0]),
                    torch.tensor([[0], [1], [2]]), F.one_hot(torch.tensor([0, 1, 2]), 3).to(dtype)):
            with pytest.raises(ValueError):
                cross_entropy(logits, bad)
        with pytest.raises(ValueError):
            cross_entropy(logits[0], torch.tensor([0]))

        # logistic_fit: the seed, 2000 epochs at lr 0.5
        X, y = hours_data(dtype)
        ours, theirs = fit_logistic(X, y, 0.5, 2000), reference["logistic_fit"].fit_logistic(X, y, 0.5, 2000)
        rel = 1e-9 if dtype == torch.float64 else 1e-5  # the hint's X.T @ r / n rounds in its own order
        for a, b in zip(ours, theirs, strict=True):
            assert (a == pytest.approx(b, rel=rel)) if isinstance(a, list) else \
                torch.allclose(a, b, rtol=rel, atol=0)


def test_10_hint_advice_is_true():
    z = torch.linspace(-30, 30, 121, dtype=torch.float64)
    # bce: "log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|)) for every z"; at z = 1e4 in float32 the
    # exponential is what becomes inf
    assert torch.allclose(torch.log1p(torch.exp(z)), z.clamp(min=0) + torch.log1p(torch.exp(-z.abs())),
                          rtol=1e-12, atol=0)
    big = torch.tensor(1e4)
    assert torch.isinf(torch.exp(big)) and torch.isinf(torch.log(1 + torch.exp(big)))
    # "not inside torch.where (autograd differentiates both branches, and an overflowed one turns into nan)"
    leaf = torch.tensor([1e4, -1e4, 1.0], requires_grad=True)
    value = torch.where(leaf > 0, leaf + torch.log1p(torch.exp(-leaf)), torch.log1p(torch.exp(leaf)))
    assert torch.isfinite(value).all()
    value.sum().backward()
    assert torch.isnan(leaf.grad[:2]).all() and torch.isfinite(leaf.grad[2])  # both ±1e4: nan

    # logistic_grad: dL/dz_i = (σ(z_i) − y_i)/N, with no p(1 − p) factor; MSE through σ has one
    y = (torch.rand(121, generator=torch.Generator().manual_seed(0)) > 0.5).to(torch.float64)
    (grad,) = torch.autograd.grad(F.binary_cross_entropy_with_logits(z.requires_grad_(), y), z)
    p = torch.sigmoid(z.detach())
    assert torch.allclose(grad, (p - y) / z.numel(), rtol=1e-10, atol=1e-15)
    (through,) = torch.autograd.grad(((torch.sigmoid(z) - y) ** 2).mean(), z)
    assert torch.allclose(through, 2 * (p - y) * p * (1 - p) / z.numel(), rtol=1e-10, atol=1e-15)
    # "torch.sigmoid is safe at ±1e4; e^z/(1 + e^z) is nan at 1e4"
    for dtype in (torch.float32, torch.float64):
        z = torch.tensor([1e4, -1e4], dtype=dtype)
        assert torch.sigmoid(z).tolist() == [1.0, 0.0]
        naive = torch.exp(z) / (1 + torch.exp(z))
        assert torch.isnan(naive[0]) and naive[1] == 0

        # cross_entropy: e^z at 1e4 is inf and at −1e4 is 0; a shift by m changes log Σ e^z by m
        assert torch.exp(z).tolist() == [math.inf, 0.0]
    row = torch.tensor([0.3, -1.2, 2.0, 5.5], dtype=torch.float64)
    for m in (5.5, -3.25, 100.0):
        assert math.isclose(torch.log(torch.exp(row - m).sum()).item() + m,
                            torch.log(torch.exp(row).sum()).item(), rel_tol=1e-14)
    logits, target = torch.zeros(3, 4), torch.tensor([1, 0, 3])
    assert logits[:, target].shape == (3, 3)  # "not logits[:, target]": N×N, not a pick per row
    assert logits[torch.arange(3), target].shape == (3,)
    # cross_entropy_grad: "torch.softmax(logits, dim=1) is stable and makes each row sum to 1"
    soft = torch.softmax(torch.tensor([[1e4, 0.0, -1e4], [-1e4, -1e4 + 1, -1e4 + 2]]), dim=1)
    assert torch.isfinite(soft).all() and torch.allclose(soft.sum(dim=1), torch.ones(2))

    # logistic_fit: "Moving w before computing b's gradient mixes a new w into b's step": from
    # zeros b's first gradient is 0 (10 passed, 10 failed), but not with the moved w
    X, y = hours_data(torch.float64)
    w, b = torch.zeros(1, dtype=torch.float64), torch.zeros((), dtype=torch.float64)
    r = torch.sigmoid(X @ w + b) - y
    assert r.mean().item() == 0.0
    moved = w - 0.5 * X.T @ r / 20
    assert (torch.sigmoid(X @ moved + b) - y).mean().item() != 0.0


def test_11_code_hints_give_the_reference_answer(manifest):
    # mlp: after the same seed, the hint's MLP, the reference's and nn.Sequential agree
    MLP = program(manifest, "11_networks/mlp")["MLP"]
    reference = solution("11_networks/mlp").MLP
    def sequential(sizes):
        layers = [[torch.nn.Linear(a, b), torch.nn.ReLU()] for a, b in zip(sizes, sizes[1:], strict=False)]
        return torch.nn.Sequential(*sum(layers, [])[:-1])

    for sizes in ([2, 3, 1], [2, 8, 1], [3, 5, 4, 2], [4, 1]):
        models = []
        for make in (MLP, reference, sequential):
            torch.manual_seed(7)
            models.append(make(sizes))
        x = torch.randn(6, sizes[0], generator=torch.Generator().manual_seed(1))
        params = [[p.detach() for p in model.parameters()] for model in models]
        assert all(len(p) == 2 * (len(sizes) - 1) for p in params)
        assert all(same(params[0], other) for other in params[1:])
        outputs = [model(x).detach() for model in models]
        assert all(torch.equal(outputs[0], other) for other in outputs[1:])

    # backprop: the public test's kind of inputs, and a pre-activation of exactly 0
    two_layer_grads = program(manifest, "11_networks/backprop")["two_layer_grads"]
    reference = solution("11_networks/backprop").two_layer_grads
    for dtype in (torch.float32, torch.float64):
        g = torch.Generator().manual_seed(0)
        inputs = [torch.randn(*shape, generator=g, dtype=torch.float64).to(dtype)
                  for shape in [(5, 3), (5, 2), (4, 3), (4,), (2, 4), (2,)]]
        inputs[0][0] = 0.0
        inputs[3][0] = 0.0  # z[0, 0] is exactly 0: nothing passes
        with torch.no_grad():
            ours, theirs = two_layer_grads(*inputs), reference(*inputs)
        assert same(ours, theirs)
        leaves = [t.clone().requires_grad_(True) for t in inputs[2:]]
        W1, b1, W2, b2 = leaves
        loss = ((torch.relu(inputs[0] @ W1.T + b1) @ W2.T + b2 - inputs[1]) ** 2).mean()
        assert same(ours, torch.autograd.grad(loss, leaves))

    # value: a * a, shared subexpressions, numbers on the right, and a chain 10,000 deep
    Value = program(manifest, "11_networks/value")["Value"]
    Reference = solution("11_networks/value").Value

    def expression(V):
        a, b = V(2.0), V(-3.0)
        c = a * b
        d = c + a * a
        e = d * c + b * 4.0 + a * 1.5
        e.backward()
        return [e.data, a.grad, b.grad]

    # e = (ab + a²)·ab + 4b + 1.5a: de/da = (b + 2a)·ab + (ab + a²)·b + 1.5, de/db = 2a²b + a³ + 4
    assert expression(Value) == expression(Reference) == [3.0, 1.5, -12.0]

    def chain(V):
        x = V(1.0)
        y = x
        for _ in range(10_000):
            y = y * 1.0001
        z = y + x * 2.0  # x used at the bottom of the chain and beside it
        z.backward()
        return z.data, x.grad

    assert same(chain(Value), chain(Reference))
    # "the reflected methods (__radd__, __rsub__, __rmul__, __rtruediv__) handle a number on the left":
    # the hint program has none, and 2 * v fails there; the reference's has them
    with pytest.raises(TypeError):
        2 * Value(3.0)
    assert (2 * Reference(3.0)).data == 6.0 and (1 - Reference(3.0)).data == -2.0

    # fit_xor: the contract's seed, and a zero-initialised line that never moves
    fit_xor = program(manifest, "11_networks/fit_xor")["fit_xor"]
    reference = solution("11_networks/fit_xor").fit_xor
    X, y = torch.tensor(curves.XOR_POINTS), torch.tensor(curves.XOR_LABELS, dtype=torch.float32).unsqueeze(1)
    runs = []
    for fn in (fit_xor, reference):
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
        runs.append((fn(net, X, y, 0.5, 500), [p.detach() for p in net.parameters()]))
        line = torch.nn.Linear(2, 1)
        with torch.no_grad():
            for p in line.parameters():
                p.zero_()
        assert fn(line, X, y, 0.5, 20) == [pytest.approx(math.log(2), abs=1e-7)] * 20
        assert not any(p.any() for p in line.parameters())
    assert runs[0][0] == runs[1][0] and same(runs[0][1], runs[1][1])


def test_11_hint_advice_is_true():
    class Hidden(torch.nn.Module):  # "when your layers sit in a plain Python list"
        def __init__(self, sizes):
            super().__init__()
            self.layers = [torch.nn.Linear(a, b) for a, b in zip(sizes, sizes[1:], strict=False)]

    assert list(Hidden([2, 3, 1]).parameters()) == []
    # backprop: "dL/dy_hat = 2(y_hat - y)/(N*O)", and relu passes nothing at exactly 0, as autograd
    y_hat = torch.randn(3, 2, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    y_hat.requires_grad_(True)
    y = torch.zeros(3, 2, dtype=torch.float64)
    (grad,) = torch.autograd.grad(((y_hat - y) ** 2).mean(), y_hat)
    assert torch.allclose(grad, 2 * (y_hat.detach() - y) / 6)
    z = torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)
    torch.relu(z).sum().backward()
    assert z.grad.tolist() == [0.0, 0.0, 1.0]


def steps(optimizer, params, grads):
    """Set each parameter's .grad (None skips it) and step, for each row of grads; the path."""
    path = []
    for row in grads:
        for p, g in zip(params, row, strict=True):
            p.grad = None if g is None else torch.tensor(g, dtype=p.dtype)
        optimizer.step()
        path.append([p.detach().clone() for p in params])
    return path


GRADS = [[0.5, -2.0], [0.1, None], [-0.3, 0.0], [None, 1.5], [2.0, -0.2]] * 4


def test_12_code_hints_give_the_reference_answer(manifest):
    Adam = program(manifest, "12_optimizers/adam")["Adam"]
    AdamW = program(manifest, "12_optimizers/adamw", Adam=Adam)["AdamW"]
    for ours, theirs, torchs, extra in [(Adam, solution("12_optimizers/adam").Adam, torch.optim.Adam, {}),
                                        (AdamW, solution("12_optimizers/adamw").AdamW, torch.optim.AdamW,
                                         {"weight_decay": 0.1})]:
        for dtype in (torch.float32, torch.float64):
            # the seeds: p = 1, g = 0.5, lr 0.1 for Adam; p = 1, gradient 0, 10 steps for AdamW
            seed = [[0.5]] if not extra else [[0.0]] * 10
            paths = []
            for cls in (ours, theirs, torchs):
                p = [torch.tensor(1.0, dtype=dtype, requires_grad=True)]
                paths.append(steps(cls(p, lr=0.1, **extra), p, seed))
                q = [torch.tensor(1.0, dtype=dtype), torch.tensor([2.0, -1.0], dtype=dtype)]
                q = [t.requires_grad_(True) for t in q]
                # "what if params is a generator you can walk through only once?"
                optimizer = cls((t for t in q), lr=0.05, betas=(0.8, 0.99), eps=1e-6, **extra)
                grads = [[g0, None if g1 is None else [g1, -g1]] for g0, g1 in GRADS]
                paths.append(steps(optimizer, q, grads))
                q[0].grad = torch.ones((), dtype=dtype)
                optimizer.zero_grad()
                assert q[0].grad is None or cls is torchs
            assert same(paths[0], paths[2]) and same(paths[1], paths[3]), ours
            assert same(paths[0], paths[4]) and same(paths[1], paths[5]), ours

    clip = program(manifest, "12_optimizers/clip")["clip_grad_norm_"]
    reference = solution("12_optimizers/clip").clip_grad_norm_
    for dtype in (torch.float32, torch.float64):
        cases = [([[3.0, 4.0]], 5.0), ([[3.0, 4.0], None, [[1.0, -2.0], [0.5, 0.0]]], 2.0),
                 ([[0.1, 0.2]], 10.0), ([None], 1.0)]
        for grads, max_norm in cases:
            results = []
            for fn in (clip, reference, torch.nn.utils.clip_grad_norm_):
                params = [torch.zeros(torch.tensor(g).shape if g else 2, dtype=dtype, requires_grad=True)
                          for g in grads]
                for p, g in zip(params, grads, strict=True):
                    p.grad = None if g is None else torch.tensor(g, dtype=dtype)
                kept = [p.grad for p in params]
                total = fn(params[0] if len(params) == 1 else (p for p in params), max_norm)
                assert all(p.grad is g for p, g in zip(params, kept, strict=True))  # in place
                results.append((total, [p.grad for p in params if p.grad is not None]))
            assert same(results[0], results[1]) and same(results[0], results[2]), (grads, max_norm)

    schedule = program(manifest, "12_optimizers/schedule")["warmup_cosine_lr"]
    reference = solution("12_optimizers/schedule").warmup_cosine_lr
    assert [schedule(s, 1.0, 2, 10, 0.1) for s in (0, 1, 2, 6, 10, 11)] == \
        pytest.approx([0, 0.5, 1, 0.55, 0.1, 0.1], abs=1e-15)
    for config in [(1.0, 2, 10, 0.1), (0.3, 0, 7, 0.0), (2.0, 5, 6, 0.5)]:
        assert same([schedule(s, *config) for s in range(13)], [reference(s, *config) for s in range(13)])
    for bad in [(-1, 1.0, 2, 10), (0, 1.0, 10, 10), (0, 1.0, -1, 10)]:
        with pytest.raises(ValueError):
            schedule(*bad)


def quadratic(p):
    return 0.5 * p @ torch.tensor([[2.0, -1.0], [-1.0, 2.0]], dtype=p.dtype) @ p


def temperature_loss(p):
    t_u, t_c = torch.tensor(T_U, dtype=p.dtype), torch.tensor(T_C, dtype=p.dtype)
    return ((p[0] * t_u + p[1] - t_c) ** 2).mean()


def test_13_code_hints_give_the_reference_answer(manifest):
    hvp = program(manifest, "13_curvature/hvp")["hvp"]
    reference = solution("13_curvature/hvp").hvp
    for dtype in (torch.float32, torch.float64):
        p, v = torch.tensor([1.0, -2.0], dtype=dtype), torch.tensor([0.3, 0.7], dtype=dtype)
        for loss in (quadratic, temperature_loss, lambda q: (q**4).sum() + q[0] * q[1] ** 3,
                     lambda q: 3 * q[0] - q[1]):
            got = hvp(loss, p, v)
            assert same(got, reference(loss, p, v)) and got.grad_fn is None
            assert torch.allclose(got, torch.autograd.functional.hvp(loss, p, v)[1])

    top_eigenvalue = program(manifest, "13_curvature/power_iteration", hvp=hvp)["top_eigenvalue"]
    reference = solution("13_curvature/power_iteration").top_eigenvalue
    for dtype in (torch.float32, torch.float64):
        p = torch.tensor([1.0, 0.5], dtype=dtype)
        for loss, expected in [(quadratic, 3.0), (lambda q: -quadratic(q), -3.0), (temperature_loss, None),
                               (lambda q: q.sum(), 0.0)]:
            ours, theirs = (fn(loss, p, 40, torch.Generator().manual_seed(3))
                            for fn in (top_eigenvalue, reference))
            assert math.isclose(ours, theirs, rel_tol=1e-6 if dtype == torch.float32 else 1e-12)
            if expected is not None:
                assert ours == pytest.approx(expected, abs=1e-5)
        with pytest.raises(ValueError):
            top_eigenvalue(quadratic, p, 0, torch.Generator())

    namespace = program(manifest, "13_curvature/critical_lr")
    reference = solution("13_curvature/critical_lr")
    for dtype in (torch.float32, torch.float64):
        for scale in (1.0, 0.1):
            t_u = scale * torch.tensor(T_U, dtype=dtype)
            X = torch.stack([t_u, torch.ones_like(t_u)], dim=1)
            H = namespace["mse_hessian"](X)
            assert H.dtype == dtype and torch.allclose(H, reference.mse_hessian(X), rtol=1e-6, atol=0)
            assert math.isclose(namespace["critical_lr"](X), reference.critical_lr(X), rel_tol=1e-6)
    assert namespace["critical_lr"](torch.zeros(3, 2)) == math.inf == reference.critical_lr(torch.zeros(3, 2))

    newton_steps_to_tol = program(manifest, "13_curvature/newton")["newton_steps_to_tol"]
    reference = solution("13_curvature/newton").newton_steps_to_tol
    assert newton_steps_to_tol(5.0, 4.0, 1e-10) == 6
    for args in [(5.0, 4.0, 1e-10), (2.0, 1.5, 1e-12), (5.0, 1.0, 1e-10), (3.0, 1.0, 1e-10), (9.0, 3.0, 0.0),
                 (5.0, 1e200, 1e-10), (5.0, 4.0, 1e-10, 3)]:
        outcomes = []
        for fn in (newton_steps_to_tol, reference):
            try:
                outcomes.append(fn(*args))
            except ArithmeticError:
                outcomes.append(ArithmeticError)
        assert outcomes[0] == outcomes[1], args
    with pytest.raises(ArithmeticError):  # "from guess 1.0 Newton cycles 1 → −1 → 1 and raises"
        newton_steps_to_tol(5.0, 1.0, 1e-10)


def test_13_hint_advice_is_true():
    # hvp: a linear loss's gradient, taken with create_graph=True, does not require grad
    leaf = torch.tensor([1.0, 2.0], requires_grad=True)
    (g,) = torch.autograd.grad((leaf * 3).sum(), leaf, create_graph=True)
    assert not g.requires_grad
    # power_iteration: "λ = vᵀw, the signed Rayleigh quotient, not ‖w‖"
    v = torch.tensor([1.0, -1.0]) / math.sqrt(2)  # the eigenvector of eigenvalue −3 of the negated loss
    w = -torch.tensor([[2.0, -1.0], [-1.0, 2.0]]) @ v
    assert (v * w).sum().item() == pytest.approx(-3.0) and w.norm().item() == pytest.approx(3.0)
    # critical_lr: eigvalsh sorts ascending; a step multiplies the error along an eigenvector by 1 − lr·λ
    t_u = torch.tensor(T_U, dtype=torch.float64)
    X, t_c = torch.stack([t_u, torch.ones_like(t_u)], dim=1), torch.tensor(T_C, dtype=torch.float64)
    H = 2 / 11 * X.T @ X
    values, vectors = torch.linalg.eigh(H)
    ascending = torch.linalg.eigvalsh(H)
    assert values[0] < values[1] and torch.equal(ascending, ascending.sort().values)
    best = torch.linalg.lstsq(X, t_c.unsqueeze(1)).solution.squeeze(1)
    for k in range(2):
        a = best + vectors[:, k]
        a = a - 1e-4 * 2 * X.T @ (X @ a - t_c) / 11
        assert torch.allclose(a - best, (1 - 1e-4 * values[k]) * vectors[:, k], rtol=1e-6, atol=1e-9)
    # newton: L''(g) = 12g² − 4n, as double backward finds; Heron's step is Newton on g² − n
    for n, g in [(5.0, 4.0), (5.0, 1.0), (2.0, -0.3)]:
        leaf = torch.tensor(g, dtype=torch.float64, requires_grad=True)
        (first,) = torch.autograd.grad((n - leaf**2) ** 2, leaf, create_graph=True)
        (second,) = torch.autograd.grad(first, leaf)
        assert first.item() == pytest.approx(-4 * g * (n - g * g))
        assert second.item() == pytest.approx(12 * g * g - 4 * n)
        assert (g + n / g) / 2 == pytest.approx(g - (g * g - n) / (2 * g))
    assert (4 + 5 / 4) / 2 == 2.625 != pytest.approx(128 / 43)
    assert issubclass(ZeroDivisionError, ArithmeticError) and issubclass(OverflowError, ArithmeticError)


class Recorder(torch.nn.Module):
    """A model whose one weight is set to the epoch number by its train_epoch."""

    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.zeros(1))


def early_stopping_run(fn, losses, max_epochs, patience):
    model, epoch = Recorder(), iter(range(len(losses)))

    def train_epoch():
        with torch.no_grad():
            model.weight.fill_(next(epoch))

    remaining = iter(losses)
    best_state, best_epoch, seen = fn(model, train_epoch, lambda: next(remaining), max_epochs, patience)
    return best_state["weight"].item(), best_epoch, seen, model.weight.item()


def test_14_code_hints_give_the_reference_answer(manifest):
    split = program(manifest, "14_generalization/split")["train_val_split"]
    reference = solution("14_generalization/split").train_val_split
    for n, fraction, sizes in [(20, 0.375, (13, 7)), (10, 0.29, (8, 2))]:
        X, y = torch.arange(2.0 * n).reshape(n, 2), torch.arange(n)
        ours, theirs = (fn(X, y, fraction, torch.Generator().manual_seed(5)) for fn in (split, reference))
        assert all(torch.equal(a, b) for a, b in zip(ours, theirs, strict=True))
        assert (len(ours[0]), len(ours[2])) == sizes and torch.equal(ours[0][:, 0], 2 * ours[1])
    for bad in [(torch.zeros(4, 2), torch.zeros(3), 0.5), (torch.zeros(4, 2), torch.zeros(4), 1.0),
                (torch.zeros(4, 2), torch.zeros(4), 0.2)]:
        with pytest.raises(ValueError):
            split(*bad, torch.Generator())

    evaluate = program(manifest, "14_generalization/evaluate")["evaluate"]
    reference = solution("14_generalization/evaluate").evaluate
    torch.manual_seed(3)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Dropout(0.5),
                                torch.nn.Linear(4, 1))
    X, y = torch.randn(8, 3), torch.randn(8, 1)
    model(X)  # running statistics that differ from the batch's
    with torch.no_grad():  # "Which layers act differently in training and in evaluation"
        assert not torch.allclose(model(X), model.eval()(X))
    for training in (True, False):
        model.train(training)
        state = copy.deepcopy(model.state_dict())
        got = evaluate(model, X, y, F.mse_loss)
        assert type(got) is float and got == reference(model, X, y, F.mse_loss)
        assert model.training == training and all(m.training == training for m in model.modules())
        assert same(list(state.values()), list(model.state_dict().values()))
        assert all(p.grad is None for p in model.parameters())

        def fails(output, target):
            raise RuntimeError("the loss fails")

        with pytest.raises(RuntimeError):
            evaluate(model, X, y, fails)
        assert model.training == training

    fit = program(manifest, "14_generalization/early_stopping", copy=copy)["fit_early_stopping"]
    reference = solution("14_generalization/early_stopping").fit_early_stopping
    for losses, max_epochs, patience in [([5, 4, 3, 3.5, 3.2, 3.1, 2, 1, 0.5], 9, 3), ([5, 5, 5, 5, 5], 5, 3),
                                         ([5, math.nan, math.nan, 4, 3], 5, 3), ([3, 2, 1], 3, 1)]:
        ours = early_stopping_run(fit, losses, max_epochs, patience)
        assert same(ours[:2] + ours[3:], (lambda r: r[:2] + r[3:])(early_stopping_run(reference, losses,
                                                                                       max_epochs, patience)))
        assert ours[0] == ours[1] == ours[3]  # the best epoch's weights, kept and loaded back
    assert early_stopping_run(fit, [5, 4, 3, 3.5, 3.2, 3.1, 2], 7, 3)[1:3] == (2, [5, 4, 3, 3.5, 3.2, 3.1])
    assert early_stopping_run(fit, [5, math.nan, math.nan, math.nan], 4, 3)[1] == 0  # a nan is no improvement

    namespace = program(manifest, "14_generalization/data_epoch")
    reference = solution("14_generalization/data_epoch")
    g = torch.Generator().manual_seed(4)
    X, y = torch.randn(10, 3, generator=g), torch.randn(10, 1, generator=g)
    runs = []
    for module in (namespace, vars(reference)):
        torch.manual_seed(0)
        model = torch.nn.Linear(3, 1)
        loader = torch.utils.data.DataLoader(module["TensorPairs"](X, y), batch_size=4)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        runs.append((module["train_epoch"](model, loader, optimizer, F.mse_loss, "cpu"),
                     [p.detach() for p in model.parameters()]))
    assert runs[0][0] == runs[1][0] and same(runs[0][1], runs[1][1])


def test_14_hint_advice_is_true():
    # split: "math.floor(val_fraction * N) (not round)"
    assert math.floor(0.29 * 10) == 2 != round(0.29 * 10)
    # early stopping: "What does model.state_dict() hold a moment later, after the next train_epoch()?"
    model = torch.nn.Linear(2, 1)
    held, copied = model.state_dict(), copy.deepcopy(model.state_dict())
    before = model.weight.detach().clone()
    model.weight.grad = torch.ones_like(model.weight)
    torch.optim.SGD(model.parameters(), lr=0.5).step()
    assert torch.equal(held["weight"], model.weight) and not torch.equal(held["weight"], before)
    assert torch.equal(copied["weight"], before)
    # "strictly: a tie or a nan is not" an improvement
    assert not 3.0 < 3.0 and not math.nan < 3.0


# ---------------------------------------------------------------- topic READMEs' numbers


def test_10_readme_numbers():
    text = readme("10_classification")
    fit_logistic = solution("10_classification/logistic_fit").fit_logistic
    assert sum(curves.PASSED) == 10 and len(curves.PASSED) == 20  # "10 passed and 10 failed"
    for dtype in (torch.float32, torch.float64):
        X, y = hours_data(dtype)
        w, b, losses = fit_logistic(X, y, 0.5, 1)
        assert f"{losses[0]:.6f}" == f"{math.log(2):.6f}" and b.item() == 0.0
        assert f"the first loss is ln 2 = {losses[0]:.6f};" in text
        assert f"one epoch at lr 0.5 moves w to {w.item():.6g}." in text
        w, b, losses = fit_logistic(X, y, 0.5, 2000)
        assert minus(f"After 2000 epochs the fit is b = {b.item():.4f} and w = {w.item():.4f}") in text
        assert f"with a final loss of {losses[-1]:.6f} (in float32 and float64 alike)" in text
    # e^z overflows above log(the largest float)
    for dtype, name in [(torch.float32, "float32 e^z is inf above z ≈ {}"),
                        (torch.float64, "(a float64 one above z ≈ {})")]:
        edge = math.log(torch.finfo(dtype).max)
        stated = round(edge, 1)
        assert name.format(stated) in text
        assert torch.isfinite(torch.exp(torch.tensor(stated - 0.1, dtype=dtype)))
        assert torch.isinf(torch.exp(torch.tensor(stated + 0.1, dtype=dtype)))
    assert torch.isinf(torch.log(1 + torch.exp(torch.tensor(1e4))))  # "inf for a logit of 1e4"
    # "σ(17) already rounds to exactly 1 in float32": σ(16) does not
    assert torch.sigmoid(torch.tensor(17.0)).item() == 1.0 and torch.sigmoid(torch.tensor(16.0)).item() < 1.0
    assert "σ(17) already rounds to exactly 1 in float32" in text
    # "at z = 20 the float32 log(1 − σ(z)) is −inf where the true value is −20"
    assert torch.log(1 - torch.sigmoid(torch.tensor(20.0))).item() == -math.inf
    truth = -20 - math.log1p(math.exp(-20))  # log(1 − σ(z)) = log σ(−z) = −z − log(1 + e^(−z))
    assert f"{truth:.6f}" == "-20.000000"
    assert "at z = 20 the float32 log(1 − σ(z)) is −inf where the true value is −20." in text
    # log Σⱼ e^(zⱼ − m) "lies between 1 and C"
    for row in ([1e4, 0.0, -1e4], [-1e4, -1e4 + 1, -1e4 + 2], [3.0, 3.0, 3.0]):
        row = torch.tensor(row)
        total = torch.exp(row - row.max()).sum().item()
        assert 1 <= total <= len(row)
    assert "so the sum lies between 1 and C" in text
    # the gradients: σ(z) − y and softmax(z) − onehot(t); the squared error through σ has p(1 − p)
    z = torch.tensor([-2.0, 0.3, 4.0], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([1.0, 0.0, 1.0], dtype=torch.float64)
    (grad,) = torch.autograd.grad((torch.log1p(torch.exp(z)) - y * z).sum(), z)
    assert torch.allclose(grad, torch.sigmoid(z) - y)
    (grad,) = torch.autograd.grad(torch.logsumexp(z, 0) - z[1], z)
    assert torch.allclose(grad, torch.softmax(z, 0) - torch.tensor([0.0, 1.0, 0.0], dtype=torch.float64))
    p = torch.sigmoid(z)
    (grad,) = torch.autograd.grad(((p - y) ** 2).sum(), z)
    assert torch.allclose(grad, 2 * (p - y) * p * (1 - p))
    assert "Their gradients are shorter still: σ(z) − y, and softmax(z) − onehot(t)." in text
    assert "you get an extra factor p(1 − p)" in text


def xor_run(model, epochs=500):
    X, y = torch.tensor(curves.XOR_POINTS), torch.tensor(curves.XOR_LABELS, dtype=torch.float32).unsqueeze(1)
    losses = solution("11_networks/fit_xor").fit_xor(model, X, y, 0.5, epochs)
    return losses, model(X).detach().squeeze(1)


def test_11_readme_numbers():
    text = readme("11_networks")
    torch.manual_seed(0)
    line = torch.nn.Linear(2, 1)
    losses, _ = xor_run(line)
    assert f"{losses[-1]:.6f}" == f"{math.log(2):.6f}"
    weights = {f"{abs(w):.1e}" for w in line.weight.flatten().tolist()}
    assert weights == {"1.6e-05"}
    assert (f"goes from a loss of {losses[0]:.6f} to {losses[-1]:.6f}, which is ln 2, with weights of about "
            f"{weights.pop()}") in text
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    losses, logits = xor_run(net)
    assert ((logits > 0).long().tolist()) == curves.XOR_LABELS  # "classifies all four points right"
    assert f"goes from {losses[0]:.6f} to {losses[-1]:.6f} and classifies all four points right" in text
    # a zero-initialised line never moves: at logit 0 the gradients 0.5 − y sum to 0 over XOR
    zero = torch.nn.Linear(2, 1)
    with torch.no_grad():
        for p in zero.parameters():
            p.zero_()
    losses, _ = xor_run(zero, 5)
    assert losses == [pytest.approx(math.log(2), abs=1e-7)] * 5
    assert not any(p.any() for p in zero.parameters())
    assert sum(0.5 - label for label in curves.XOR_LABELS) == 0
    assert "σ(0) − y = 0.5 − y sums to exactly 0 over XOR, so every loss is ln 2" in text


def test_12_readme_numbers():
    text = readme("12_optimizers")
    Adam, AdamW = solution("12_optimizers/adam").Adam, solution("12_optimizers/adamw").AdamW

    def first_step(g, cls=Adam):
        p = [torch.tensor(1.0, dtype=torch.float64, requires_grad=True)]
        return steps(cls(p, lr=0.1), p, [[g]])[0][0].item()

    landed = first_step(0.5)
    assert landed == first_step(0.5, torch.optim.Adam) and f"{landed:.9f}" == "0.900000002"
    assert landed == pytest.approx(1 - 0.1 * 0.5 / (0.5 + 1e-8), rel=1e-15)  # lr · g / (|g| + ε)
    assert f"from `p = 1` with `g = 0.5` and `lr = 0.1`, Adam lands on `{landed:.9f}`" in text
    # about lr whatever the size of g, while g is well above ε
    for g in (1000.0, 0.001, -0.5):
        assert f"{abs(first_step(g) - 1):.5f}" == "0.10000"
    assert first_step(1e-8) == pytest.approx(0.95)  # at g = ε, only half of lr
    assert ("and with `g = 1000` or `g = 0.001` it moves by `0.1` to five decimals too: about `lr`, whatever "
            "the size of `g`, as long as it is well above `ε`.") in text

    decays = []
    for cls in (AdamW, torch.optim.AdamW, torch.optim.Adam):
        p = [torch.tensor(1.0, dtype=torch.float64, requires_grad=True)]
        decays.append(steps(cls(p, lr=0.1, weight_decay=0.1), p, [[0.0]] * 10)[-1][0].item())
    assert decays[0] == decays[1] == pytest.approx(0.99**10, rel=1e-15)
    assert f"ten AdamW steps give `0.99¹⁰ = {decays[0]:.6f}`" in text
    assert f"`torch.optim.Adam(..., weight_decay=0.1)` (L2 in the gradient) gives `{decays[2]:.6f}`" in text

    p = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    p.grad = torch.tensor([3.0, 4.0], dtype=torch.float64)
    assert solution("12_optimizers/clip").clip_grad_norm_([p], 5.0).item() == 5.0
    factor = (p.grad / torch.tensor([3.0, 4.0], dtype=torch.float64)).tolist()
    assert factor == pytest.approx([5 / (5 + 1e-6)] * 2, rel=1e-15)
    assert f"is still multiplied by `5/(5 + 1e-6)`, that is by `{factor[0]:.7f}`" in text

    schedule = solution("12_optimizers/schedule").warmup_cosine_lr
    rates = ", ".join(f"{schedule(s, 1.0, 2, 10, 0.1):.2g}" for s in (0, 1, 2, 6, 10))
    assert f"updates 0, 1, 2, 6, 10 and 11 get {rates} and {schedule(11, 1.0, 2, 10, 0.1):.2g}." in text
    # "with no warm-up it is exactly CosineAnnealingLR", and LambdaLR drives an optimizer with it
    def warmup_cosine(step):
        return schedule(step, 1.0, 0, 8, 0.1)

    for make in (lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8, eta_min=0.1),
                 lambda opt: torch.optim.lr_scheduler.LambdaLR(opt, warmup_cosine)):
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        scheduler, rates = make(optimizer), []
        for _ in range(9):
            rates.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        assert rates == pytest.approx([schedule(s, 1.0, 0, 8, 0.1) for s in range(9)], rel=1e-12, abs=1e-15)
    assert "with no warm-up it is exactly `CosineAnnealingLR`" in text


def temperature_design(scale: float, dtype=torch.float64):
    t_u = scale * torch.tensor(T_U, dtype=dtype)
    return torch.stack([t_u, torch.ones_like(t_u)], dim=1)


def gd_losses(scale: float, lr: float, epochs: int) -> list[float]:
    """The MSE before each of `epochs` plain GD steps from [1, 0], in float64 (07's loop)."""
    X, t_c = temperature_design(scale), torch.tensor(T_C, dtype=torch.float64)
    a, losses = torch.tensor([1.0, 0.0], dtype=torch.float64), []
    for _ in range(epochs):
        residual = X @ a - t_c
        losses.append((residual**2).mean().item())
        a = a - lr * 2 * X.T @ residual / len(t_c)
    return losses


def steps_to_shrink(H: torch.Tensor, lr: float, by: float) -> int:
    """The fewest GD steps that shrink every error by `by` on the quadratic of Hessian H: the first
    k with ‖(I − lr·H)^k‖₂ ≤ 1/by, found from the closed form and checked with matrix powers."""
    factors = (1 - lr * torch.linalg.eigvalsh(H)).abs()
    k = math.ceil(math.log(by) / -math.log(factors.max().item()))
    step = torch.eye(len(H), dtype=H.dtype) - lr * H
    for taken, shrunk in [(k - 1, False), (k, True)]:
        norm = torch.linalg.matrix_norm(torch.linalg.matrix_power(step, taken), ord=2).item()
        assert (norm <= 1 / by) == shrunk, (taken, norm)
    return k


def test_13_readme_table_and_its_consequences():
    text = readme("13_curvature")
    critical_lr = solution("13_curvature/critical_lr")
    rows = {}
    for scale, name, digits in [(1.0, "raw t_u", 2), (0.1, "0.1·t_u", 5)]:
        X = temperature_design(scale)
        H = critical_lr.mse_hessian(X)
        low, high = torch.linalg.eigvalsh(H).tolist()
        edge = critical_lr.critical_lr(X)
        factors = 1 - 1e-2 * low, 1 - 1e-2 * high
        rows[scale] = low, high, edge, factors
        critical = sci(edge, 5) if edge < 1e-3 else f"{edge:.6g}"
        factors_said = minus(f"{factors[0]:.5f} and {factors[1]:.{digits}f}")
        assert (f"| {name} | {low:.6g} and {high:.6g} | {high / low:.0f} | {critical} | {factors_said} |"
                in text), name
    (low, high, edge, factors), scaled = rows[1.0], rows[0.1]
    # raw t_u at lr 1e-2
    assert f"1e-2 is {round(1e-2 / edge)} times the critical lr" in text
    losses = gd_losses(1.0, 1e-2, 12)
    measured = losses[-1] / losses[-2]
    assert f"{factors[1] ** 2:.0f}" == f"{measured:.0f}"
    assert minus(f"multiplied by {factors[1]:.2f} each epoch, so the loss grows by {abs(factors[1]):.2f}² ≈ "
                 f"{factors[1] ** 2:.0f} per epoch (the ratio of successive losses, measured, is "
                 f"{measured:.0f})") in text
    inf32, inf64 = blow_up(torch.float32)[0], blow_up(torch.float64)[0]
    assert f"inf at epoch {inf32} in float32, at epoch {inf64} in float64" in text
    # raw t_u at lr 1e-4: 100 epochs
    training_loop = solution("07_temperature/training_loop").training_loop
    t_c = torch.tensor(T_C, dtype=torch.float64)
    X = temperature_design(1.0)
    optimum = ((X @ torch.linalg.lstsq(X, t_c.unsqueeze(1)).solution.squeeze(1) - t_c) ** 2).mean().item()
    for dtype in (torch.float32, torch.float64):
        w, b = training_loop(100, 1e-4, torch.tensor([1.0, 0.0], dtype=dtype), torch.tensor(T_U, dtype=dtype),
                             torch.tensor(T_C, dtype=dtype)).tolist()
        after = ((w * X[:, 0] + b - t_c) ** 2).mean().item()
        assert (f"the flat direction keeps {1 - 1e-4 * low:.7f} of its error per epoch: after 100 epochs the "
                f"loss is {after:.1f} against the optimum {optimum:.3g}.") in text
    # 0.1·t_u at lr 1e-2: 5000 epochs reach the optimum
    assert 80 < high / scaled[1] < 120 and 0.9 < low / scaled[0] < 1.1  # "about 100", "almost where it was"
    assert f"lr 1e-2 is now below the critical {scaled[2]:.2g}, both factors lie inside (−1, 1)" in text
    assert all(-1 < f < 1 for f in scaled[3])
    w, b = training_loop(5000, 1e-2, torch.tensor([1.0, 0.0]), 0.1 * torch.tensor(T_U),
                         torch.tensor(T_C)).tolist()
    loss = ((w * 0.1 * X[:, 0] + b - t_c) ** 2).mean().item()
    assert f"{loss:.6g}" == f"{optimum:.6g}"
    assert minus(f"5000 epochs give 07's [{w:.4f}, {b:.4f}], loss {loss:.6g}, the optimum to six "
                 "digits") in text
    # the steps at each input's best constant lr 2/(λmin + λmax), to shrink the distance 1000-fold
    counts = [steps_to_shrink(critical_lr.mse_hessian(temperature_design(scale)), 2 / (lo + hi), 1000)
              for scale, (lo, hi, *_) in rows.items()]
    assert f"takes {counts[0]:,} steps on raw t_u and {counts[1]:,} on 0.1·t_u" in text
    # standardized t_u
    standardized = solution("07_temperature/normalize").standardize(torch.tensor(T_U, dtype=torch.float64))[0]
    Z = torch.stack([standardized, torch.ones_like(standardized)], dim=1)
    low_z, high_z = torch.linalg.eigvalsh(critical_lr.mse_hessian(Z)).tolist()
    edge_z = critical_lr.critical_lr(Z)
    assert (f"Standardizing t_u (07's `normalize.py`) gives eigenvalues {low_z:.6g} and {high_z:.6g}: a "
            f"condition number of {high_z / low_z:.2g}, and a critical lr of {edge_z:.6g}.") in text
    # 09's candidates: the largest below the edge is the one max_stable_lr finds
    candidates = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5]
    found = solution("09_beyond/lr_finder").max_stable_lr(lambda: torch.tensor([1.0, 0.0]), temperature_loss,
                                                           candidates, 10)
    assert found == max(lr for lr in candidates if lr < edge)
    assert (f"09's `max_stable_lr` found {found:.0e} on the raw data: the largest of its candidates below "
            f"{sci(edge, 1)}.").replace("e-0", "e-") in text


def test_13_readme_numbers_beyond_the_table():
    text = readme("13_curvature")
    entries = (2 * 10**5) ** 2
    assert entries == 4 * 10**10 and entries * 8 / 1e9 == 320
    assert "2·10⁵ parameters give 4·10¹⁰ entries, 320 GB in float64" in text
    X = temperature_design(1.0)
    low, high = torch.linalg.eigvalsh(solution("13_curvature/critical_lr").mse_hessian(X)).tolist()
    top_eigenvalue = solution("13_curvature/power_iteration").top_eigenvalue
    assert f"{low / high:.0e}" == "3e-05"
    start = torch.tensor([1.0, 0.0], dtype=torch.float64)
    found = {f"{top_eigenvalue(temperature_loss, start, 2, torch.Generator().manual_seed(seed)):.6g}"
             for seed in range(10)}
    assert found == {f"{high:.6g}"}
    assert f"On 07's raw loss that ratio is 3·10⁻⁵, and two iterations already give {found.pop()}." in text
    newton = solution("13_curvature/newton")
    counts = (newton.newton_steps_to_tol(5.0, 4.0, 1e-10), newton.gd_steps_to_tol(5.0, 4.0, 0.01, 1e-10),
              newton.gd_steps_to_tol(5.0, 4.0, 0.001, 1e-10))
    with pytest.raises(ArithmeticError):
        newton.gd_steps_to_tol(5.0, 4.0, 0.06, 1e-10)
    assert (f"it meets abs(g² − 5) ≤ 1e-10 in {counts[0]} steps, where gradient descent takes {counts[1]} at "
            f"lr 0.01 and {counts[2]} at lr 0.001, and diverges at lr 0.06") in text

    def second(g):
        return 12 * g * g - 4 * 5

    assert (f"(above 2/L''(√5) = {2 / second(math.sqrt(5)):.2g}, and far above 2/L''(4) = "
            f"{2 / second(4):.3g})") in text
    assert newton.newton_sqrt(5.0, 1.0, 1) == -1.0 and newton.newton_sqrt(5.0, 1.0, 2) == 1.0
    assert minus(f"from g = 1, where L'' = {second(1):g} < 0, it jumps to −1 and back to 1 forever") in text


def test_14_readme_numbers():
    text = readme("14_generalization")
    split = solution("14_generalization/split").train_val_split
    said = []
    for n, fraction in [(20, 0.375), (10, 0.29)]:
        X_train, _, X_val, _ = split(torch.zeros(n, 1), torch.zeros(n), fraction, torch.Generator())
        said.append(f"{n} rows at {fraction} give {len(X_train)} and {len(X_val)}")
    assert f"({said[0]}; {said[1]}, as 0.29 · 10 is {0.29 * 10:.2g} and rounds down)" in text

    fit = solution("14_generalization/early_stopping").fit_early_stopping
    stated = re.search(r"With validation losses ([\d., ]+), … and patience (\d+)", text)
    losses = [float(v) for v in stated.group(1).split(", ")]
    patience = int(stated.group(2))
    _, best_epoch, seen, _ = early_stopping_run(fit, losses + [1.0] * 5, len(losses) + 5, patience)
    assert f"it stops after epoch {len(seen) - 1} and reports epoch {best_epoch} as the best" in text

    data_epoch = solution("14_generalization/data_epoch")
    rows = data_epoch.TensorPairs(torch.zeros(10, 2), torch.zeros(10))
    loader = torch.utils.data.DataLoader(rows, batch_size=4)
    sizes = [len(xb) for xb, _ in loader]
    weights = [size / sum(sizes) for size in sizes]
    assert sizes == [4, 4, 2] and weights == [0.4, 0.4, 0.2]
    assert f"with 10 rows in batches of 4, 4 and 2, the last batch weighs {weights[-1]:g}, not a third" \
        in text
    # train_epoch weighs them so: the batches' losses (before each update) by 0.4, 0.4 and 0.2
    g = torch.Generator().manual_seed(6)
    X, y = torch.randn(10, 3, generator=g), torch.randn(10, 1, generator=g)
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    twin = copy.deepcopy(model)
    loader = torch.utils.data.DataLoader(data_epoch.TensorPairs(X, y), batch_size=4)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    got = data_epoch.train_epoch(model, loader, optimizer, F.mse_loss, "cpu")
    batch_losses, optimizer = [], torch.optim.SGD(twin.parameters(), lr=0.1)
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = F.mse_loss(twin(xb), yb)
        batch_losses.append(loss.item())
        loss.backward()
        optimizer.step()
    weighted = sum(w * loss for w, loss in zip(weights, batch_losses, strict=True))
    assert got == pytest.approx(weighted, rel=1e-12)
    assert got != pytest.approx(sum(batch_losses) / 3, rel=1e-6)
