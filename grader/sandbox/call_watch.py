"""Learner side: note which library functions a kata calls while it runs (``Key.WATCH``).

For a kata written "without X", the judge names X; during the call each function under that name
is replaced by a wrapper that notes the call and then does exactly what it did. Classes are left
alone (wrapping one would break isinstance and subclassing); the judge reads the file's names too.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import torch

TENSOR_METHOD = "Tensor."
MAX_WATCHED = 64  # names asked about in one call


def _targets(name: str) -> Iterator[tuple[Any, str]]:
    """(owner, attribute) pairs that the name covers: a tensor method, a function, or every
    function of a module already imported (never imports one: learner time is the learner's)."""
    if name.startswith(TENSOR_METHOD):
        attr = name.removeprefix(TENSOR_METHOD)
        if callable(getattr(torch.Tensor, attr, None)):
            yield torch.Tensor, attr
        return
    module = sys.modules.get(name)
    if module is not None:
        for attr, value in list(vars(module).items()):
            if not attr.startswith("_") and (inspect.isfunction(value) or inspect.isbuiltin(value)):
                yield module, attr
        return
    owner_name, _, attr = name.rpartition(".")
    owner = sys.modules.get(owner_name)
    value = getattr(owner, attr, None) if owner is not None else None
    if value is not None and (inspect.isfunction(value) or inspect.isbuiltin(value)):
        yield owner, attr


def _wrapper(original: Callable, label: str, called: list[str]) -> Callable:
    @functools.wraps(original)
    def watched(*args: Any, **kwargs: Any) -> Any:
        if label not in called:
            called.append(label)
        return original(*args, **kwargs)

    return watched


@contextmanager
def watching(names: list[str]) -> Iterator[list[str]]:
    """Within the block, calls to the named functions are noted, by the name asked about."""
    called: list[str] = []
    patched: list[tuple[Any, str, Any, bool]] = []  # owner, attribute, original, owned by owner
    try:
        for name in names[:MAX_WATCHED]:
            if not isinstance(name, str):
                continue
            for owner, attr in _targets(name):
                original = getattr(owner, attr)
                patched.append((owner, attr, original, attr in vars(owner)))
                setattr(owner, attr, _wrapper(original, name, called))
        yield called
    finally:
        for owner, attr, original, owned in reversed(patched):
            if owned:
                setattr(owner, attr, original)
            else:  # inherited (a tensor method from its C base): remove the shadowing wrapper
                delattr(owner, attr)
