"""Named, trusted callables that the learner side builds for katas that take a function.

A hidden suite passes ``Scenario("poly", {"coeffs": [...]})``; the learner process looks the name
up here and hands the learner's code a real callable (or generator, or module). The judge never
receives these objects: it computes references itself, from closed forms or from its own copy of a
scenario (``judge_side``).

Builders live in the modules of this package, one per family (``common``) or per topic
(``topic_<NN>``); every module here is imported once, so a new file is all a new topic adds.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import torch

from grader.sandbox.codec import Scenario

BUILDERS: dict[str, Callable[..., Any]] = {}


def scenario(name: str):
    def register(builder: Callable[..., Any]) -> Callable[..., Any]:
        BUILDERS[name] = builder
        return builder

    return register


def build(name: str, params: dict[str, Any]) -> Any:
    if name not in BUILDERS:
        raise KeyError(f"unknown scenario {name!r}")
    return BUILDERS[name](**params)


def judge_side(spec: Scenario) -> Any:
    """The judge's own copy of a Scenario, built by the same trusted builder as the learner's.

    Scenario params that are Scenarios are built first, as the learner side does. The functions
    follow the dtype of their input (``_like``), so float64 tensors get float64 arithmetic: the
    judge evaluates the very callable the learner's code was given, with no copy of its formula.
    """
    params = {key: judge_side(value) if isinstance(value, Scenario) else value
              for key, value in spec.params.items()}
    return build(spec.name, params)


def like(values: Any, x: torch.Tensor) -> torch.Tensor:
    """Constants in the dtype of the input, so float64 inputs get float64 arithmetic."""
    return torch.as_tensor(values, dtype=x.dtype)


def _load_builders() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_load_builders()
