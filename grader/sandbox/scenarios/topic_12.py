"""Scenarios for 12_optimizers: a model's parameters, the gradients a training loop gives them,
and the loop itself, run learner-side around the learner's optimizer.

``optim_model`` builds a ``Model``: leaf tensors (or ``nn.Parameter``s) of several shapes, and per
update either a loss to backpropagate (``loss_of``, also used by the judge for its reference) or
gradients given by the judge, ``None`` meaning "this parameter took no part in this update".
``Model.train`` is the loop of the contract (backward, ``step()``, ``zero_grad()``); it records
the values after every update and the first breach of each rule it watches, so one call tells
the judge everything. ``Model.report`` tells what a call such as ``clip_grad_norm_`` left behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import torch
from torch import nn

from grader.sandbox.scenarios import scenario


def loss_of(params: list[torch.Tensor], X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    """The loss of a small network: params W (k, d), b (k,), s (0-d); X (n, d), Y (n, k).

    mean((s·tanh(X Wᵀ + b) − Y)²) + 0.1·(s − 1.5)²: every parameter's gradient depends on all
    the others, as in a real model."""
    W, b, s = params
    X, Y = X.to(W.dtype), Y.to(W.dtype)
    return ((s * torch.tanh(X @ W.T + b) - Y) ** 2).mean() + 0.1 * (s - 1.5) ** 2


def _grad_state(grad: torch.Tensor | None) -> str:
    if grad is None:
        return "none"
    return "zeros" if bool((grad == 0).all()) else "values"


class Model:
    """Parameters to optimize, and the gradients a training loop would give them."""

    def __init__(self, values: list[torch.Tensor], grads: list[list[torch.Tensor | None]] | None,
                 data: list[torch.Tensor] | None, as_parameters: bool, set_grads: bool) -> None:
        leaves = [v.detach().clone() for v in values]
        self.params = ([nn.Parameter(v) for v in leaves] if as_parameters
                       else [v.requires_grad_(True) for v in leaves])
        self.grads = grads
        self.data = data
        self.given: list[torch.Tensor | None] = [None] * len(self.params)
        self.doing = ""
        if set_grads:
            self.set_grads(0)

    # ------------------------------------------------------------ what a loop hands an optimizer

    def parameters(self) -> Iterator[torch.Tensor]:
        """A generator, as nn.Module.parameters() is."""
        yield from self.params

    def backward(self, update: int) -> None:
        """What loss.backward() does for update number ``update``: adds this update's gradient
        onto each parameter's .grad (a new tensor where .grad is None); a parameter given None
        takes no part, and its .grad is left as it is."""
        if self.data is not None:
            loss_of(self.params, *self.data).backward()
            return
        assert self.grads is not None
        for p, g in zip(self.params, self.grads[update % len(self.grads)], strict=True):
            if g is None:
                continue
            if p.grad is None:
                p.grad = g.detach().clone().to(p.dtype)
            else:
                p.grad.add_(g.to(p.dtype))

    def set_grads(self, update: int = 0) -> None:
        """Give every parameter this update's gradient afresh (None stays None), and remember
        the very objects, so that ``report`` can say whether they were replaced."""
        assert self.grads is not None
        for i, (p, g) in enumerate(zip(self.params, self.grads[update], strict=True)):
            p.grad = None if g is None else g.detach().clone().to(p.dtype)
            self.given[i] = p.grad

    # ------------------------------------------------------------ the training loop

    def train(self, optimizer: Any, updates: int, zero_grad: bool = True) -> dict:
        """backward(), optimizer.step() and (with ``zero_grad``) optimizer.zero_grad(), ``updates``
        times. Returns the values after each update, stacked per parameter, and the first breach
        of each rule: step() changed, replaced or cleared a gradient (``step_grads``), a
        parameter stopped being a leaf that requires grad, or changed dtype or shape (``leaf``),
        zero_grad() left something other than None (``zero_grad``)."""
        record: dict[str, Any] = {"step_grads": None, "leaf": None, "zero_grad": None}
        history: list[list[torch.Tensor]] = [[] for _ in self.params]
        shapes = [(p.dtype, p.shape) for p in self.params]
        for update in range(updates):
            self.doing = f"loss.backward() before update {update + 1}"
            self.backward(update)
            before = [(p.grad, None if p.grad is None else p.grad.detach().clone()) for p in self.params]
            self.doing = f"optimizer.step() at update {update + 1}"
            optimizer.step()
            if record["step_grads"] is None:
                record["step_grads"] = _step_grads_breach(self.params, before, update)
            if record["leaf"] is None:
                record["leaf"] = _leaf_breach(self.params, shapes, update)
                if record["leaf"] is not None and record["leaf"]["what"].startswith(("dtype", "shape")):
                    break  # its values no longer stack with the earlier ones
            for trail, p in zip(history, self.params, strict=True):
                trail.append(p.detach().clone())
            if zero_grad:
                self.doing = f"optimizer.zero_grad() after update {update + 1}"
                optimizer.zero_grad()
                if record["zero_grad"] is None:
                    states = [_grad_state(p.grad) for p in self.params]
                    kept = [i for i, state in enumerate(states) if state != "none"]
                    if kept:
                        record["zero_grad"] = {"update": update + 1, "param": kept[0],
                                               "state": states[kept[0]]}
        self.doing = ""
        record["values"] = [torch.stack(trail) if trail else torch.zeros((0, *shape), dtype=dtype)
                            for trail, (dtype, shape) in zip(history, shapes, strict=True)]
        return record

    def where(self) -> str:
        """What the loop was doing when it stopped ("" once it finished)."""
        return self.doing

    # ------------------------------------------------------------ after a call on the parameters

    def report(self) -> dict:
        """The parameters as they are (values, with .grad), and for each whether its .grad is
        still the very tensor ``set_grads`` gave it."""
        return {"params": [p for p in self.params],
                "same_grads": [p.grad is given for p, given in zip(self.params, self.given, strict=True)]}


def _step_grads_breach(params: list[torch.Tensor], before: list, update: int) -> dict | None:
    for i, (p, (obj, values)) in enumerate(zip(params, before, strict=True)):
        if obj is None and p.grad is None:
            continue
        if p.grad is None:
            return {"update": update + 1, "param": i, "what": "cleared"}
        if obj is None:
            return {"update": update + 1, "param": i, "what": "created"}
        if p.grad is not obj:
            return {"update": update + 1, "param": i, "what": "replaced"}
        if not torch.equal(p.grad, values):
            return {"update": update + 1, "param": i, "what": "changed"}
    return None


def _leaf_breach(params: list[torch.Tensor], shapes: list, update: int) -> dict | None:
    for i, (p, (dtype, shape)) in enumerate(zip(params, shapes, strict=True)):
        what = None
        if p.grad_fn is not None or not p.is_leaf:
            what = "graph"
        elif not p.requires_grad:
            what = "requires_grad"
        elif p.dtype != dtype:
            what = f"dtype {str(p.dtype).removeprefix('torch.')}"
        elif p.shape != shape:
            what = f"shape {tuple(p.shape)}"
        if what:
            return {"update": update + 1, "param": i, "what": what}
    return None


@scenario("optim_model")
def optim_model(values: list[torch.Tensor], grads: list[list[torch.Tensor | None]] | None = None,
                data: list[torch.Tensor] | None = None, as_parameters: bool = False,
                set_grads: bool = False) -> Model:
    """A Model: ``values`` are the parameters' first values (each dtype kept); per update either
    ``grads`` (given, one list per update, cycled) or the loss ``loss_of`` on ``data`` = [X, Y].
    ``as_parameters`` makes them nn.Parameters; ``set_grads`` gives them ``grads[0]`` at once."""
    return Model(values, grads, data, as_parameters, set_grads)


@scenario("optim_parameters")
def optim_parameters(model: Model) -> Iterator[torch.Tensor]:
    """model.parameters(): a generator over the model's parameters."""
    return model.parameters()


@scenario("optim_param_list")
def optim_param_list(model: Model) -> list[torch.Tensor]:
    """The model's parameters as a new list."""
    return list(model.params)


@scenario("optim_one_param")
def optim_one_param(model: Model, index: int = 0) -> torch.Tensor:
    """One of the model's parameters, the tensor itself."""
    return model.params[index]
