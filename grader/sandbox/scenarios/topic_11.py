"""Scenarios for 11_networks: grad mode, seeded networks, and programs run on the learner's Value.

A Value program is a list of steps, each building one node from earlier nodes (by index) and
constants; ``net_value_runner`` runs one with the learner's own Value class, learner-side, so a
graph of 10,000 nodes costs one round trip. The judge evaluates the same program in torch
(``grader/suites/shared/networks_value.py``).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from grader.sandbox.scenarios import scenario

# ---------------------------------------------------------------- grad mode, seeds, modules


@scenario("net_seeded_mlp")
def net_seeded_mlp(seed: int, sizes: list[int], activation: str = "relu",
                   dtype: str = "float32") -> nn.Module:
    """torch.manual_seed(seed), then nn.Sequential(Linear, activation, ..., Linear) over sizes."""
    torch.manual_seed(seed)
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:], strict=False)):
        if i:
            layers.append(nn.ReLU() if activation == "relu" else nn.Tanh())
        layers.append(nn.Linear(n_in, n_out))
    return nn.Sequential(*layers).to(getattr(torch, dtype))


@scenario("net_zero_linear")
def net_zero_linear(n_in: int, n_out: int, dtype: str = "float32") -> nn.Module:
    """nn.Linear(n_in, n_out) with its weight and bias all zeros."""
    layer = nn.Linear(n_in, n_out, dtype=getattr(torch, dtype))
    with torch.no_grad():
        layer.weight.zero_()
        layer.bias.zero_()
    return layer


@scenario("net_state_dict")
def net_state_dict() -> Callable[[nn.Module], list]:
    """A function that lists module.state_dict() as [name, tensor] pairs, in its order."""
    return lambda module: [[str(name), value] for name, value in module.state_dict().items()]


@scenario("net_sgd_step")
def net_sgd_step() -> Callable[[nn.Module, torch.Tensor, float], float]:
    """A function that takes one torch.optim.SGD step on mean(module(X) ** 2) and returns that loss."""

    def step(module: nn.Module, X: torch.Tensor, lr: float) -> float:
        optimizer = torch.optim.SGD(module.parameters(), lr=lr)
        optimizer.zero_grad()
        loss = (module(X) ** 2).mean()
        loss.backward()
        optimizer.step()
        return float(loss.item())

    return step


# ---------------------------------------------------------------- programs on the learner's Value

BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
}
UNARY = {
    "neg": lambda a: -a,
    "exp": lambda a: a.exp(),
    "tanh": lambda a: a.tanh(),
    "relu": lambda a: a.relu(),
}


def apply_step(make: Callable[[Any], Any], nodes: list, step: list) -> Any:
    """One step of a Value program; ``make`` builds a leaf (the learner's Value, or a tensor).

    ["leaf", x]; [op, i, j] for op in add, sub, mul, div; [op + "_c", i, c] (node op number);
    ["c_" + op, c, i] (number op node); ["neg" | "exp" | "tanh" | "relu", i]; ["pow", i, k];
    ["sum", [i, j, ...]] (Python's sum, from 0); ["chain", i, depth, c, m] (depth steps
    alternating + c and * m, starting with + c)."""
    kind = step[0]
    if kind == "leaf":
        return make(step[1])
    if kind in BINARY:
        return BINARY[kind](nodes[step[1]], nodes[step[2]])
    if kind.endswith("_c"):
        return BINARY[kind[:-2]](nodes[step[1]], step[2])
    if kind.startswith("c_"):
        return BINARY[kind[2:]](step[1], nodes[step[2]])
    if kind in UNARY:
        return UNARY[kind](nodes[step[1]])
    if kind == "pow":
        return nodes[step[1]] ** step[2]
    if kind == "sum":
        return sum(nodes[i] for i in step[1])
    if kind == "chain":
        value, (depth, c, m) = nodes[step[1]], step[2:]
        for j in range(depth):
            value = value + c if j % 2 == 0 else value * m
        return value
    raise ValueError(f"unknown step {kind!r}")


def _report(error: BaseException, cls: type) -> dict:
    """An exception as data, with its last line in the kata file (the file Value comes from)."""
    module = sys.modules.get(getattr(cls, "__module__", ""), None)
    kata_file = getattr(module, "__file__", None)
    line, function = None, None
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        if kata_file is not None and frame.f_code.co_filename == kata_file:
            line, function = lineno, frame.f_code.co_name
    try:
        message = str(error)
    except Exception:  # noqa: BLE001 - a learner's exception whose str() fails
        message = "<message could not be read>"
    return {"type": type(error).__name__, "mro": [k.__name__ for k in type(error).__mro__],
            "message": message[:500], "line": line, "function": function}


def _read(node: Any, name: str) -> Any:
    try:
        return getattr(node, name)
    except Exception as error:  # noqa: BLE001 - reported as what was found
        return f"<reading .{name} raised {type(error).__name__}>"


DEFAULT_RECURSION_LIMIT = 1000


@scenario("net_value_runner")
def net_value_runner() -> Callable[[Any, list, bool], dict]:
    """A function run(witness, program, backward=True) that builds the program's nodes with
    type(witness) (the learner's Value class), calls backward() on the last node under Python's
    default recursion limit, and returns
    {"data": [...], "grad": [...]} for every node, or, when a step raised, {"failed": step
    index or "backward", "error": {...}, "data": [...] of the nodes built so far}."""

    def run(witness: Any, program: list, backward: bool = True) -> dict:
        sys.setrecursionlimit(DEFAULT_RECURSION_LIMIT)  # "under Python's default": whatever the file set
        cls = type(witness)
        nodes: list = []
        for index, step in enumerate(program):
            try:
                nodes.append(apply_step(cls, nodes, step))
            except Exception as error:  # noqa: BLE001 - the learner's, reported as data
                return {"failed": index, "error": _report(error, cls),
                        "data": [_read(n, "data") for n in nodes]}
        if backward:
            try:
                nodes[-1].backward()
            except Exception as error:  # noqa: BLE001
                return {"failed": "backward", "error": _report(error, cls),
                        "data": [_read(n, "data") for n in nodes]}
        return {"data": [_read(n, "data") for n in nodes], "grad": [_read(n, "grad") for n in nodes]}

    return run
