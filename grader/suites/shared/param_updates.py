"""Judge logic shared by the 04_updates suites that update a list of parameters in place
(sgd_step, momentum): the parameters, their gradients, the loss whose backward() makes them, the
call, and the rules every in-place update keeps (gradients cleared, parameters stay leaves).
"""

from __future__ import annotations

import torch

from grader.grading import cases, checks
from grader.sandbox.codec import TensorSeen

NAMES = ("W", "b", "s")


# ---------------------------------------------------------------- inputs


def initial(dtype: torch.dtype, seed: int) -> list[torch.Tensor]:
    """W (2,3), b (2,), s (0-d): the parameters of the judge's loss, with negative and large values."""
    return [cases.randn(seed, 2, 3, dtype=dtype, scale=2.0),
            cases.randn(seed + 1, 2, dtype=dtype, shift=-1.0),
            torch.tensor(-40.0, dtype=dtype)]


def random_grads(dtype: torch.dtype, seed: int) -> list[torch.Tensor]:
    return [cases.randn(seed, 2, 3, dtype=dtype, scale=3.0),
            cases.randn(seed + 1, 2, dtype=dtype, scale=0.5),
            torch.tensor(250.0, dtype=dtype)]


def leaves(values: list[torch.Tensor], grads: list[torch.Tensor | None]) -> list[torch.Tensor]:
    """Fresh leaf tensors that require grad, holding these values and these .grad."""
    out = []
    for value, grad in zip(values, grads, strict=True):
        leaf = value.detach().clone().requires_grad_(True)
        leaf.grad = None if grad is None else grad.detach().clone().to(value.dtype)
        out.append(leaf)
    return out


class Loss:
    """A linear model's MSE plus a term for the scalar: what backward() would differentiate."""

    def __init__(self, seed: int) -> None:
        self.X = cases.randn(seed, 8, 3)
        self.Y = cases.randn(seed + 1, 8, 2, scale=2.0)

    def __call__(self, params: list[torch.Tensor]) -> torch.Tensor:
        w, b, s = params
        return ((self.X @ w.T + b - self.Y) ** 2).mean() + 0.01 * (s - 3.0) ** 2

    def grads(self, values: list[torch.Tensor]) -> list[torch.Tensor]:
        """∇loss at these values, in float64, cast back to each value's dtype."""
        ps = [v.detach().to(torch.float64).requires_grad_(True) for v in values]
        grads = torch.autograd.grad(self(ps), ps)
        return [g.to(v.dtype) for g, v in zip(grads, values, strict=True)]


# ---------------------------------------------------------------- calling and judging


def call(learner, fn: str, *args, stays_leaf: str, contract: str):
    """Call fn; an in-place update recorded by autograd gets its own explanation."""
    return checked(learner.call(fn, *args), fn, stays_leaf=stays_leaf, contract=contract)


def checked(outcome, fn: str, *, stays_leaf: str, contract: str):
    """The outcome of a call of fn, once it has neither raised nor been refused by autograd."""
    if outcome.raised is not None and ("in-place" in outcome.raised.message
                                        or "leaf Variable" in outcome.raised.message):
        checks.fail(f"{fn} raised {outcome.raised.describe()}: autograd refuses to record an "
                    f"in-place change of a leaf that requires grad; {stays_leaf}", contract=contract)
    outcome.value  # noqa: B018 - surfaces any other exception
    return outcome


def holds_tensors(items, count: int) -> bool:
    """items (a list the call left behind) still holds `count` tensors."""
    return isinstance(items, list) and len(items) == count and all(
        isinstance(item, TensorSeen) for item in items)


def is_cleared(grad: torch.Tensor | None) -> bool:
    return grad is None or bool((grad == 0).all())


def check_cleared(seen: list[TensorSeen], *, fn: str, contract: str) -> None:
    """Every parameter's gradient is cleared (None or zeros) after fn."""
    for name, after in zip(NAMES, seen, strict=True):
        if not is_cleared(after.grad):
            checks.fail(f"{name}.grad still holds a gradient after {fn}: clear it after the update "
                        "(p.grad = None or p.grad.zero_()), or the next backward() accumulates onto it",
                        received=after.grad, extra="expected: None or zeros", contract=contract)


def check_leaves(seen: list[TensorSeen], *, fn: str, stays_leaf: str, contract: str,
                 exact: bool = False) -> None:
    """Every parameter is still a leaf that requires grad, with no graph (and, with `exact`, a
    plain torch.Tensor)."""
    for name, after in zip(NAMES, seen, strict=True):
        if not after.is_leaf or after.has_graph:
            checks.fail(f"after {fn}, {name} is no longer a leaf tensor: it carries an autograd "
                        f"graph from the update; {stays_leaf}", contract=contract)
        if not after.requires_grad:
            checks.fail(f"after {fn}, {name} no longer requires grad, so the next backward() "
                        f"cannot reach it; {stays_leaf}", contract=contract)
        if exact and not after.exact:
            checks.fail(f"after {fn}, {name} is a {after.type_name}; keep the same torch.Tensor",
                        contract=contract)


def check_returns_none(outcome, *, fn: str, contract: str) -> None:
    if outcome.value is not None:
        checks.fail(f"{fn} should return None (it works in place); it returned "
                    f"{checks.fmt(outcome.value)}", contract=contract)
