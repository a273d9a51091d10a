"""Public tests for 12_optimizers/adam. Run them with: pytest exercises/12_optimizers/test_adam.py"""

import ast
import inspect

import adam as adam_module
import pytest
import torch
from adam import Adam

MISTAKES = {
    "no bias correction": "no bias correction: m and v start at zero, so divide them by "
                          "(1 - beta1**t) and (1 - beta2**t)",
    "eps inside the root": "eps is inside the square root: it goes outside, m_hat / (sqrt(v_hat) + eps)",
    "whole gradient": "m and v add the whole gradient: they are running means, "
                      "m = beta1 * m + (1 - beta1) * g",
    "one t for all": "the step count t is shared by all parameters: each keeps its own t, which a "
                     "step that skips the parameter leaves alone",
    "zeros": "zero_grad() set .grad to zeros: set it to None, a zero gradient still moves p (through m)",
}


def by_hand(start, grads, lr, betas, eps, mistake=""):
    """Adam on one parameter, written out in float64: start is a list of floats, grads a list of
    gradients (lists, or None for "no gradient this step"); with a mistake (a key of MISTAKES),
    the classic wrong version."""
    b1, b2 = betas
    p = torch.tensor(start, dtype=torch.float64)
    m, v, t, had = torch.zeros_like(p), torch.zeros_like(p), 0, False
    for step, g in enumerate(grads, start=1):
        if g is None and (mistake != "zeros" or not had):
            continue
        g = torch.zeros_like(p) if g is None else torch.tensor(g, dtype=torch.float64)
        had, t = True, t + 1
        n = step if mistake == "one t for all" else t
        keep = 1.0 if mistake == "whole gradient" else None
        m, v = b1 * m + (keep or 1 - b1) * g, b2 * v + (keep or 1 - b2) * g * g
        m_hat, v_hat = (m, v) if mistake == "no bias correction" else (m / (1 - b1**n), v / (1 - b2**n))
        root = (v_hat + eps).sqrt() if mistake == "eps inside the root" else v_hat.sqrt() + eps
        p = p - lr * m_hat / root
    return p


def named(got, start, grads, lr, betas=(0.9, 0.999), eps=1e-8):
    """Which classic mistake gives got, if any."""
    if torch.equal(got.double(), torch.tensor(start, dtype=torch.float64)):
        return ("p never moved: update the tensor you were given in place (p.sub_(...) under "
                "torch.no_grad()); `p = p - ...` only rebinds a name")
    for mistake, why in MISTAKES.items():
        if torch.allclose(got.double(), by_hand(start, grads, lr, betas, eps, mistake), rtol=1e-6, atol=1e-9):
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


def test_seed_one_step_in_place():
    p = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    g = torch.tensor([0.5], dtype=torch.float64)
    p.grad = g
    opt = Adam([p], lr=0.1)
    assert take_step(opt) is None, "step() returns None"
    # the first step moves by lr * g / (|g| + eps): 0.1 * 0.5 / 0.50000001
    assert p.item() == pytest.approx(0.900000002, abs=1e-12), (
        f"one step from p = 1 with grad 0.5 and lr 0.1 should give 0.900000002, got {p.item():.9f}: "
        + named(p.detach(), [1.0], [[0.5]], 0.1)
    )
    assert p.is_leaf and p.requires_grad and p.grad_fn is None, (
        "p must stay a leaf that requires grad: update it in place under torch.no_grad()"
    )
    assert p.grad is not None, (
        "step() cleared p.grad: step() leaves the gradients as they are; clearing them is zero_grad()'s job"
    )
    assert p.grad is g and g.item() == 0.5, "step() leaves p.grad as it is (the same tensor, unchanged)"
    # with a large eps, where it goes shows: 1 - 0.1 * 0.5 / (0.5 + 0.5) = 0.95
    q = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    q.grad = torch.tensor([0.5], dtype=torch.float64)
    take_step(Adam([q], lr=0.1, eps=0.5))
    assert q.item() == pytest.approx(0.95, abs=1e-12), (
        f"one step with eps = 0.5 should give 1 - 0.1 * 0.5 / (0.5 + 0.5) = 0.95, got {q.item():.9f}: "
        + named(q.detach(), [1.0], [[0.5]], 0.1, eps=0.5)
    )
    w = torch.ones(3, dtype=torch.float32, requires_grad=True)
    w.grad = torch.tensor([1.0, -2.0, 0.0])
    take_step(Adam([w], lr=0.1))
    assert w.dtype == torch.float32, (
        f"a float32 parameter must stay float32, it became {str(w.dtype).removeprefix('torch.')}"
    )
    assert torch.allclose(w.detach(), torch.tensor([0.9, 1.1, 1.0])), (
        f"one step of lr 0.1 moves each coordinate by about 0.1 against its gradient's sign "
        f"(not at all for a zero gradient): expected [0.9, 1.1, 1.0], got {w.detach().tolist()}"
    )


def loss_of(params, x, y):
    W, b, s = params
    return ((s * torch.tanh(x @ W.T + b) - y) ** 2).mean() + 0.1 * (s - 1.5) ** 2


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_same_trajectory_as_torch_optim_adam(dtype):
    gen = torch.Generator().manual_seed(0)
    x, y = torch.randn(16, 2, generator=gen, dtype=dtype), torch.randn(16, 3, generator=gen, dtype=dtype)
    start = [torch.randn(3, 2, generator=gen, dtype=dtype), torch.zeros(3, dtype=dtype),
             torch.tensor(0.5, dtype=dtype)]
    mine = [t.clone().requires_grad_(True) for t in start]
    theirs = [t.clone().requires_grad_(True) for t in start]
    hyper = dict(lr=0.02, betas=(0.8, 0.95), eps=1e-3)  # a large eps: where it goes matters
    opt, ref = Adam(mine, **hyper), torch.optim.Adam(theirs, **hyper)
    tol = 1e-4 if dtype == torch.float32 else 1e-9
    for step in range(1, 31):
        for params, optimizer in ((mine, opt), (theirs, ref)):
            optimizer.zero_grad()
            loss_of(params, x, y).backward()
            take_step(optimizer)
        for name, a, b in zip("Wbs", mine, theirs, strict=True):
            assert a.dtype == dtype, (
                f"{name} became {str(a.dtype).removeprefix('torch.')}: keep each parameter in its dtype"
            )
            assert torch.allclose(a.detach(), b.detach(), rtol=tol, atol=tol), (
                f"{dtype}, step {step}: {name} should be {b.detach().tolist()} (torch.optim.Adam), got "
                f"{a.detach().tolist()}. "
                + ("Is eps outside the square root, and are both bias corrections there?" if step == 1
                   else "The first steps were right: are m and v kept from one step to the next?")
            )


def test_skips_parameters_without_a_gradient():
    a = torch.tensor([1.0, -1.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([2.0], dtype=torch.float64, requires_grad=True)
    opt = Adam([a, b], lr=0.1, betas=(0.9, 0.99))
    grads = {"a": [[0.5, -0.2], [0.1, 0.3], [-0.4, 0.2]], "b": [None, [1.0], [0.2]]}
    for k in range(3):
        opt.zero_grad()
        assert a.grad is None and b.grad is None, MISTAKES["zeros"]
        a.grad = torch.tensor(grads["a"][k], dtype=torch.float64)
        if grads["b"][k] is not None:
            b.grad = torch.tensor(grads["b"][k], dtype=torch.float64)
        take_step(opt)
        if k == 0:
            assert b.item() == 2.0 and b.grad is None, (
                "b has no gradient in step 1: it must be skipped, its value and .grad (None) left alone"
            )
    want_b = by_hand([2.0], grads["b"], 0.1, (0.9, 0.99), 1e-8)
    assert torch.allclose(b.detach(), want_b, rtol=1e-9), (
        f"b sat out step 1, so its own t is 1 at step 2: expected {want_b.tolist()}, got "
        f"{b.detach().tolist()}: {named(b.detach(), [2.0], grads['b'], 0.1, (0.9, 0.99), 1e-8)}"
    )
    want_a = by_hand([1.0, -1.0], grads["a"], 0.1, (0.9, 0.99), 1e-8)
    assert torch.allclose(a.detach(), want_a, rtol=1e-9), (
        f"a should be {want_a.tolist()}, got {a.tolist()}: "
        + named(a.detach(), [1.0, -1.0], grads["a"], 0.1, (0.9, 0.99))
    )


def test_zero_grad_sets_every_grad_to_none():
    a = torch.ones(2, requires_grad=True)
    b = torch.ones((), requires_grad=True)
    opt = Adam([a, b], lr=0.1)
    a.grad, b.grad = torch.ones(2), torch.tensor(3.0)
    opt.step()
    opt.zero_grad()
    assert a.grad is None and b.grad is None, (
        f"after zero_grad() every .grad must be None, got {a.grad} and {b.grad}: "
        + (MISTAKES["zeros"] if a.grad is not None and not a.grad.any() else "set p.grad = None")
    )
    # a step with no gradient at all moves nothing
    before = (a.detach().clone(), b.detach().clone())
    opt.step()
    assert torch.equal(a.detach(), before[0]) and torch.equal(b.detach(), before[1]), (
        "step() with every .grad None must leave the parameters alone"
    )


def test_generator_value_errors_and_written_without_torch_optim():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2, dtype=torch.float64)
    twin = torch.nn.Linear(3, 2, dtype=torch.float64)
    twin.load_state_dict(model.state_dict())
    opt, ref = Adam(model.parameters(), lr=0.05), torch.optim.Adam(twin.parameters(), lr=0.05)
    x, y = torch.randn(8, 3, dtype=torch.float64), torch.randn(8, 2, dtype=torch.float64)
    first = None
    for _ in range(5):
        for net, optimizer in ((model, opt), (twin, ref)):
            optimizer.zero_grad()
            ((net(x) - y) ** 2).mean().backward()
            take_step(optimizer)
        first = model.weight.detach().clone() if first is None else first
    assert torch.allclose(model.weight, twin.weight) and torch.allclose(model.bias, twin.bias), (
        "Adam(model.parameters()) should train like torch.optim.Adam: model.parameters() is a "
        "generator, it can be walked through only once, so keep list(params)"
        + (" (the parameters moved at the first update only)" if torch.equal(model.weight, first) else "")
    )
    p = torch.zeros(2, requires_grad=True)
    bad = [((), "empty params", []), ((), "an empty generator", (q for q in [])),
           ({"lr": -0.1}, "lr < 0", [p]), ({"eps": -1e-8}, "eps < 0", [p]),
           ({"betas": (1.0, 0.999)}, "beta1 = 1", [p]), ({"betas": (0.9, 1.0)}, "beta2 = 1", [p]),
           ({"betas": (-0.1, 0.999)}, "beta1 < 0", [p])]
    for kwargs, why, params in bad:
        with pytest.raises(ValueError):
            Adam(params, **dict(kwargs))
            pytest.fail(f"Adam should raise ValueError for {why}")
    Adam([p], lr=0.0, betas=(0.0, 0.0), eps=0.0)  # the bounds themselves are allowed
    # written without torch.optim's Adam or AdamW (subclassing torch.optim.Optimizer is fine)
    forbidden = ("torch.optim.Adam", "torch.optim.AdamW", "torch.optim.adam", "torch.optim.adamw",
                 "torch.optim._functional")
    found = sorted(name for name in names_used(adam_module)
                   if any(name == f or name.startswith(f + ".") for f in forbidden))
    assert not found, (
        f"adam.py uses {found}: this kata asks you to write it yourself (subclassing "
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
