"""Public tests for 12_optimizers/adamw. Run them with: pytest exercises/12_optimizers/test_adamw.py"""

import ast
import inspect

import adamw as adamw_module
import pytest
import torch
from adamw import AdamW


def by_hand(start, grads, lr, wd, betas=(0.9, 0.999), eps=1e-8, mistake=""):
    """AdamW on one parameter in float64 (grads: a list per step, None for no gradient); with a
    mistake (a key of EXPLAIN), the classic wrong version."""
    b1, b2 = betas
    p = torch.tensor(start, dtype=torch.float64)
    m, v, t = torch.zeros_like(p), torch.zeros_like(p), 0
    for step_number, g in enumerate(grads, start=1):
        if g is None:
            if mistake == "all":
                p = p * (1 - lr * wd)
            continue
        g = torch.tensor(g, dtype=torch.float64) + (wd * p if mistake == "L2" else 0.0)
        t += 1
        n = step_number if mistake == "one t" else t
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        m_hat, v_hat = (m, v) if mistake == "no bias" else (m / (1 - b1**n), v / (1 - b2**n))
        update = lr * m_hat / (v_hat.sqrt() + eps)
        if mistake == "L2":
            p = p - update
        elif mistake == "after":
            p = (p - update) * (1 - lr * wd)
        else:
            p = p * (1 - (wd if mistake == "no lr" else lr * wd)) - update
    return p


EXPLAIN = {
    "L2": "the weight decay went into the gradient (that is Adam(weight_decay=...)): AdamW "
          "shrinks p directly, p * (1 - lr * weight_decay), and m and v see only p.grad",
    "after": "the decay came after the Adam update: shrink p as it was before this step",
    "no lr": "the decay is missing its lr: p * (1 - lr * weight_decay)",
    "all": "parameters without a gradient were decayed: a parameter whose .grad is None is "
           "skipped entirely, no decay either",
    "one t": "the step count t is shared by all parameters: each keeps its own t, which a step "
             "that skips the parameter leaves alone",
    "no bias": "no bias correction: divide m and v by (1 - beta1**t) and (1 - beta2**t)",
}


def named(got, *args, **kwargs):
    for mistake, why in EXPLAIN.items():
        if torch.allclose(got.double(), by_hand(*args, **kwargs, mistake=mistake), rtol=1e-6, atol=1e-9):
            return why
    return "compare your step with the docstring line by line"


def take_step(opt):
    """opt.step(), with a word about autograd's refusal to change a leaf in place."""
    try:
        return opt.step()
    except RuntimeError as error:
        if "leaf" in str(error) or "in-place" in str(error):
            pytest.fail(f"step() raised {error}: autograd refuses an in-place change of a leaf that "
                        "requires grad; update p under torch.no_grad()")
        raise


def test_seed_decay_alone():
    p = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    opt = AdamW([p], lr=0.1, weight_decay=0.1)
    for _ in range(10):
        opt.zero_grad()
        p.grad = torch.zeros(1, dtype=torch.float64)  # the loss's gradient is 0: only the decay acts
        take_step(opt)
    # each step multiplies by 1 - lr * weight_decay = 0.99; L2 in the gradient would give 0.076249
    assert p.item() == pytest.approx(0.99**10, abs=1e-12), (
        f"10 steps with a zero gradient should give 0.99**10 = 0.904382, got {p.item():.6f}: "
        + named(p.detach(), [1.0], [[0.0]] * 10, 0.1, 0.1)
    )
    assert p.is_leaf and p.requires_grad and p.grad_fn is None, (
        "p must stay a leaf that requires grad: update it in place under torch.no_grad()"
    )


def loss_of(params, x, y):
    W, b = params
    return ((torch.tanh(x @ W.T + b) - y) ** 2).mean()


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_same_trajectory_as_torch_optim_adamw(dtype):
    gen = torch.Generator().manual_seed(1)
    x, y = torch.randn(16, 2, generator=gen, dtype=dtype), torch.randn(16, 3, generator=gen, dtype=dtype)
    start = [torch.randn(3, 2, generator=gen, dtype=dtype), torch.randn(3, generator=gen, dtype=dtype)]
    mine = [t.clone().requires_grad_(True) for t in start]
    theirs = [t.clone().requires_grad_(True) for t in start]
    hyper = dict(lr=0.05, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.5)
    opt, ref = AdamW(mine, **hyper), torch.optim.AdamW(theirs, **hyper)
    tol = 1e-4 if dtype == torch.float32 else 1e-9
    for step in range(1, 21):
        for params, optimizer in ((mine, opt), (theirs, ref)):
            optimizer.zero_grad()
            loss_of(params, x, y).backward()
            take_step(optimizer)
        for name, a, b in zip("Wb", mine, theirs, strict=True):
            assert a.dtype == dtype, (
                f"{name} became {str(a.dtype).removeprefix('torch.')}: keep each parameter in its dtype"
            )
            assert torch.allclose(a.detach(), b.detach(), rtol=tol, atol=tol), (
                f"{dtype}, step {step}: {name} should be {b.detach().tolist()} (torch.optim.AdamW), "
                f"got {a.detach().tolist()}. The decay is p * (1 - lr * weight_decay), applied to p "
                "before the Adam update, and m and v see only p.grad"
            )


def test_skipped_parameter_is_not_decayed_and_keeps_its_t():
    a = torch.tensor([1.0, -1.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([2.0], dtype=torch.float64, requires_grad=True)
    opt = AdamW([a, b], lr=0.1, weight_decay=0.2)
    grads_b = [None, [1.0], None, [0.3]]
    for g in grads_b:
        opt.zero_grad()
        assert a.grad is None and b.grad is None, (
            "zero_grad() must set every .grad to None, not to zeros: a zero gradient still moves p"
        )
        a.grad = torch.tensor([0.5, -0.2], dtype=torch.float64)
        if g is not None:
            b.grad = torch.tensor(g, dtype=torch.float64)
        before, grad = b.detach().clone(), b.grad
        take_step(opt)
        assert b.grad is grad, "step() leaves .grad as it is (the same tensor, or None)"
        if g is None:
            assert torch.equal(b.detach(), before), (
                f"b has no gradient in this step, yet it went from {before.tolist()} to "
                f"{b.detach().tolist()}: " + EXPLAIN["all"]
            )
    grads_a = [[0.5, -0.2]] * len(grads_b)
    want_a = by_hand([1.0, -1.0], grads_a, 0.1, 0.2)
    assert torch.allclose(a.detach(), want_a, rtol=1e-9), (
        f"a should end at {want_a.tolist()}, got {a.detach().tolist()}: "
        + named(a.detach(), [1.0, -1.0], grads_a, 0.1, 0.2)
    )
    want = by_hand([2.0], grads_b, 0.1, 0.2)
    assert torch.allclose(b.detach(), want, rtol=1e-9), (
        f"b should end at {want.tolist()}, got {b.detach().tolist()}: "
        + named(b.detach(), [2.0], grads_b, 0.1, 0.2)
    )


def test_zero_grad_sets_none_and_defaults():
    p = torch.ones(3, requires_grad=True)
    q = torch.ones(3, requires_grad=True)
    opt, ref = AdamW([p]), torch.optim.AdamW([q])  # defaults: lr 1e-3, weight_decay 1e-2
    for _ in range(3):
        for param, optimizer in ((p, opt), (q, ref)):
            optimizer.zero_grad()
            (param ** 2).sum().backward()
            take_step(optimizer)
    assert torch.allclose(p, q, rtol=1e-6), (
        f"AdamW([p]) with its defaults should match torch.optim.AdamW([p]): expected "
        f"{q.tolist()}, got {p.tolist()} (weight_decay defaults to 1e-2, lr to 1e-3)"
    )
    opt.zero_grad()
    assert p.grad is None, f"zero_grad() must set .grad to None (not zeros), got {p.grad}"


def test_generator_value_errors_and_written_without_torch_optim():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2)
    twin = torch.nn.Linear(3, 2)
    twin.load_state_dict(model.state_dict())
    opt = AdamW(model.parameters(), lr=0.05, weight_decay=0.1)
    ref = torch.optim.AdamW(twin.parameters(), lr=0.05, weight_decay=0.1)
    x, y = torch.randn(8, 3), torch.randn(8, 2)
    for _ in range(5):
        for net, optimizer in ((model, opt), (twin, ref)):
            optimizer.zero_grad()
            ((net(x) - y) ** 2).mean().backward()
            take_step(optimizer)
    assert torch.allclose(model.weight, twin.weight, atol=1e-6), (
        "AdamW(model.parameters()) should train like torch.optim.AdamW: model.parameters() is a "
        "generator, it can be walked through only once, so keep list(params)"
    )
    p = torch.zeros(2, requires_grad=True)
    bad = [((), "empty params", []), ((), "an empty generator", (q for q in [])),
           ({"lr": -0.1}, "lr < 0", [p]), ({"eps": -1e-8}, "eps < 0", [p]),
           ({"betas": (1.0, 0.999)}, "beta1 = 1", [p]), ({"betas": (0.9, -0.1)}, "beta2 < 0", [p]),
           ({"weight_decay": -0.01}, "weight_decay = -0.01 (weight_decay must be ≥ 0)", [p])]
    for kwargs, why, params in bad:
        with pytest.raises(ValueError):
            AdamW(params, **dict(kwargs))
            pytest.fail(f"AdamW should raise ValueError for {why}")
    AdamW([p], lr=0.0, betas=(0.0, 0.0), eps=0.0, weight_decay=0.0)  # the bounds are allowed
    # written without torch.optim's Adam or AdamW (subclassing torch.optim.Optimizer is fine)
    forbidden = ("torch.optim.Adam", "torch.optim.AdamW", "torch.optim.adam", "torch.optim.adamw",
                 "torch.optim._functional")
    found = sorted(name for name in names_used(adamw_module)
                   if any(name == f or name.startswith(f + ".") for f in forbidden))
    assert not found, (
        f"adamw.py uses {found}: this kata asks you to write it yourself (subclassing "
        "torch.optim.Optimizer is fine)"
    )


def names_used(module):
    """Every dotted name the module's code uses, with import aliases resolved (docstrings aside)."""
    tree = ast.parse(inspect.getsource(module))
    aliases, used = {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                aliases[alias.asname or top] = alias.name if alias.asname else top
                used.add(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                used.add(f"{node.module}.{alias.name}")
    for node in ast.walk(tree):
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name) and node.id in aliases:
            used.add(".".join([aliases[node.id], *reversed(parts)]))
    return used
