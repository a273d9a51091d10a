"""Public tests for 12_optimizers/clip. Run them with: pytest exercises/12_optimizers/test_clip.py"""

import ast
import inspect

import clip as clip_module
import pytest
import torch
from clip import clip_grad_norm_


def leaf(values, grad, dtype=torch.float64):
    p = torch.tensor(values, dtype=dtype, requires_grad=True)
    p.grad = None if grad is None else torch.tensor(grad, dtype=dtype)
    return p


def clip(params, max_norm):
    """clip_grad_norm_, with a word about gradients that are None."""
    try:
        return clip_grad_norm_(params, max_norm)
    except (AttributeError, TypeError) as error:
        if "NoneType" in str(error):
            pytest.fail(f"clip_grad_norm_ raised {error!r}: a parameter whose .grad is None takes "
                        "no part; skip it")
        raise


def test_seed_total_equal_to_max_norm_still_scales():
    p = leaf([1.0, 1.0], [3.0, 4.0])
    grad = p.grad
    total = clip([p], 5.0)
    assert isinstance(total, torch.Tensor), (
        f"clip_grad_norm_ returned a Python {type(total).__name__}: return the total as a 0-d tensor"
    )
    assert total.dim() == 0 and total.dtype == torch.float64, (
        f"return the total as a 0-d tensor in the gradients' dtype (float64 here), got {total!r}"
    )
    assert total.item() == pytest.approx(5.0) and not total.requires_grad, (
        f"the total norm of [3, 4] is 5, returned without a graph; got {total!r}"
    )
    assert p.grad is grad, (
        "p.grad is a new tensor: scale it in place (p.grad.mul_(...)), it must stay the same tensor"
    )
    factor = 5.0 / (5.0 + 1e-6)  # 0.9999998
    assert torch.allclose(grad, torch.tensor([3.0, 4.0], dtype=torch.float64) * factor, rtol=1e-12, atol=0), (
        f"the gradient should be [3, 4] * 5/(5 + 1e-6) = {[3 * factor, 4 * factor]}, got {grad.tolist()}"
        + (": it was left alone, but a total equal to max_norm still scales (torch's 1e-6); always "
           "multiply by min(1, max_norm / (total + 1e-6))" if grad.tolist() == [3.0, 4.0] else "")
    )
    assert p.tolist() == [1.0, 1.0], "the parameter's values must be left alone"


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_same_as_torch_clip_grad_norm(dtype):
    gen = torch.Generator().manual_seed(0)
    shapes = [(3, 4), (5,), ()]
    mine = [torch.randn(s, generator=gen, dtype=dtype).requires_grad_(True) for s in shapes]
    theirs = [p.detach().clone().requires_grad_(True) for p in mine]
    # the second parameter gets no gradient
    for a, b, scale in zip(mine, theirs, (3.0, None, 0.5), strict=True):
        if scale is not None:
            a.grad = torch.randn(a.shape, generator=gen, dtype=dtype) * scale
            b.grad = a.grad.clone()
    norms = [b.grad.norm().item() for b in theirs if b.grad is not None]
    total = clip(mine, 1.0)
    expected = torch.nn.utils.clip_grad_norm_(theirs, 1.0)
    assert isinstance(total, torch.Tensor) and total.dtype == dtype and total.dim() == 0, (
        f"return a 0-d {dtype} tensor, got {total!r}"
    )
    why = {1.0: ": the total after clipping was returned; return the one from before",
           sum(norms): ": the total is the sum of each gradient's norm; take the norm of all of them "
                       "together, sqrt of the sum of every square"}
    assert torch.allclose(total, expected), (
        f"the total should be {expected.item():.6g}, the norm of all gradients together, from "
        f"before the clipping; got {total.item():.6g}"
        + next((text for value, text in why.items() if abs(total.item() - value) < 1e-4 * value), "")
    )
    assert mine[1].grad is None, "a parameter whose .grad is None takes no part and keeps None"
    for name, a, b in (("W", mine[0], theirs[0]), ("s", mine[2], theirs[2])):
        own = min(1.0, 1.0 / (b.grad.norm().item() / min(1.0, 1.0 / (expected.item() + 1e-6)) + 1e-6))
        original = b.grad / min(1.0, 1.0 / (expected.item() + 1e-6))
        assert torch.allclose(a.grad, b.grad, rtol=1e-5), (
            f"{name}.grad should be {b.grad.flatten()[:4].tolist()}…, got {a.grad.flatten()[:4].tolist()}…"
            + (": each gradient was clipped by its own norm; use one factor for all of them"
               if torch.allclose(a.grad, original * own, rtol=1e-5) else "")
        )


def test_tiny_gradients_and_no_scaling_up():
    p = leaf([0.0, 0.0], [3e-5, 4e-5])  # total 5e-5, max_norm 2e-5: the 1e-6 matters here
    clip([p], 2e-5)
    want = torch.tensor([3e-5, 4e-5], dtype=torch.float64) * (2e-5 / (5e-5 + 1e-6))
    assert torch.allclose(p.grad, want, rtol=1e-9, atol=0), (
        f"expected {want.tolist()}, got {p.grad.tolist()}"
        + (": the 1e-6 is missing (max_norm / (total + 1e-6))"
           if torch.allclose(p.grad, torch.tensor([1.2e-5, 1.6e-5], dtype=torch.float64)) else "")
    )
    q = leaf([0.0, 0.0], [0.3, 0.4])  # total 0.5, below max_norm 2: nothing changes
    total = clip([q], 2.0)
    assert q.grad.tolist() == [0.3, 0.4], (
        f"a total below max_norm leaves the gradients alone (the factor is min(1, ...) = 1); got "
        f"{q.grad.tolist()}" + (": the gradients were scaled up" if q.grad[0] > 0.3 else "")
    )
    assert total.item() == pytest.approx(0.5)


def test_single_tensor_and_generator():
    w = leaf([[1.0, 2.0], [3.0, 4.0]], [[3.0, 0.0], [0.0, 4.0]])
    total = clip(w, 1.0)
    assert total.item() == pytest.approx(5.0), (
        f"one tensor is one parameter: total 5 expected, got {total.item()}"
        + (": the tensor was walked through as its rows, which have no .grad; wrap it in a list"
           if total.item() == 0 else "")
    )
    assert torch.allclose(w.grad, torch.tensor([[0.6, 0.0], [0.0, 0.8]], dtype=torch.float64), rtol=1e-5)
    model = torch.nn.Linear(2, 1)
    model.weight.grad = torch.tensor([[6.0, 0.0]])
    model.bias.grad = torch.tensor([8.0])
    total = clip(model.parameters(), 5.0)
    assert total.item() == pytest.approx(10.0)
    assert torch.allclose(model.weight.grad, torch.tensor([[3.0, 0.0]]), rtol=1e-5) and torch.allclose(
        model.bias.grad, torch.tensor([4.0]), rtol=1e-5), (
        "the gradients were not scaled: model.parameters() is a generator, walked through only "
        "once, so make a list of it before reading the gradients and scaling them; got "
        f"{model.weight.grad.tolist()}, {model.bias.grad.tolist()}"
    )


def test_no_gradient_gives_zero_written_without_clip_grad_norm():
    p = leaf([1.0, 2.0], None)
    total = clip([p], 1.0)
    assert isinstance(total, torch.Tensor) and total.dim() == 0 and total.item() == 0.0, (
        f"with no gradient at all, return torch.tensor(0.0); got {total!r}"
    )
    assert p.grad is None and p.tolist() == [1.0, 2.0], "nothing changes when no parameter has a gradient"
    assert clip([], 1.0).item() == 0.0, "clip_grad_norm_([], max_norm) returns tensor(0.)"
    # written without torch.nn.utils.clip_grad_norm_, get_total_norm or clip_grads_with_norm_
    forbidden = ("torch.nn.utils.clip_grad_norm_", "torch.nn.utils.clip_grad_norm",
                 "torch.nn.utils.get_total_norm", "torch.nn.utils.clip_grads_with_norm_",
                 "torch.nn.utils.clip_grad")
    found = sorted(name for name in names_used(clip_module)
                   if any(name == f or name.startswith(f + ".") for f in forbidden))
    assert not found, f"clip.py uses {found}: this kata asks you to write it yourself"


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
