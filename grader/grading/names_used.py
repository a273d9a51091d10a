"""What a kata's file imports or uses, read from its source without running it.

A kata that must be written "without X" is checked where the grader can see it: here, the
file's text (its imports, dotted names through their aliases, attributes, and names given as
strings to getattr or __import__), and, in the learner process, the calls made during
the kata (``Key.WATCH``). A forbidden name is written as:

- ``"torch.nn.functional"``: a module, and everything under it;
- ``"torch.logaddexp"``: one function;
- ``"Tensor.logsumexp"``: a tensor method, so any ``.logsumexp`` attribute counts.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass

from grader.sandbox.call_watch import TENSOR_METHOD  # one spelling for both sides


@dataclass(frozen=True)
class Use:
    name: str  # the forbidden name it falls under
    line: int
    written: str  # what the file says there, as a dotted name


def _dotted(node: ast.AST) -> list[str] | None:
    """``a.b.c`` as ["a", "b", "c"]; None when the chain does not start at a name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def _under(dotted: str, forbidden: str) -> bool:
    return dotted == forbidden or dotted.startswith(forbidden + ".")


class _Reader(ast.NodeVisitor):
    def __init__(self, forbidden: tuple[str, ...]) -> None:
        self.modules = tuple(name for name in forbidden if not name.startswith(TENSOR_METHOD))
        self.methods = {name.removeprefix(TENSOR_METHOD): name for name in forbidden
                        if name.startswith(TENSOR_METHOD)}
        # getattr(torch, "logaddexp") names a function by its last part; a module's last part
        # ("functional", "nn") is too common a word to count alone
        self.leaf_names = {name.rsplit(".", 1)[-1]: name for name in forbidden if name not in sys.modules}
        self.aliases: dict[str, str] = {}  # a local name -> the dotted name it stands for
        self.found: list[Use] = []

    def _note(self, dotted: str, line: int, written: str | None = None) -> None:
        for name in self.modules:
            if _under(dotted, name):
                self.found.append(Use(name, line, written or dotted))
                return

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._note(alias.name, node.lineno)
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:  # `import torch.nn` binds `torch`
                top = alias.name.split(".")[0]
                self.aliases[top] = top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return  # a module beside the kata: its own calls are watched while the kata runs
        for alias in node.names:
            dotted = f"{node.module}.{alias.name}"
            self._note(dotted, node.lineno)
            self.aliases[alias.asname or alias.name] = dotted

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in self.methods:
            self.found.append(Use(self.methods[node.attr], node.lineno, f".{node.attr}"))
        parts = _dotted(node)
        if parts is not None and parts[0] in self.aliases:
            written = ".".join(parts)
            self._note(".".join([self.aliases[parts[0]], *parts[1:]]), node.lineno, written)
            return  # the chain is one name: its inner attributes are prefixes of it
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in self.aliases and self.aliases[node.id] != node.id:
            self._note(self.aliases[node.id], node.lineno, node.id)

    def visit_Call(self, node: ast.Call) -> None:
        """A name reached through a string: getattr(torch, "logaddexp"), __import__("torch.nn")."""
        called = _dotted(node.func)
        text = (node.args[1] if len(node.args) > 1 and called == ["getattr"]
                else node.args[0] if node.args and called in (["__import__"], ["importlib", "import_module"])
                else None)
        if isinstance(text, ast.Constant) and isinstance(text.value, str):
            name = (self.leaf_names.get(text.value)
                    or next((n for n in self.modules if _under(text.value, n)), None))
            if name is not None:
                self.found.append(Use(name, node.lineno, repr(text.value)))
        self.generic_visit(node)


def names_used(source: bytes, forbidden: tuple[str, ...]) -> list[Use]:
    """Every place the source imports or uses a forbidden name, in order; [] if it does not parse
    (a file that does not parse does not import either, and says so elsewhere)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    reader = _Reader(forbidden)
    reader.visit(tree)
    seen: set[tuple[str, int, str]] = set()
    unique = []
    for use in sorted(reader.found, key=lambda use: use.line):
        if (use.name, use.line, use.written) not in seen:
            seen.add((use.name, use.line, use.written))
            unique.append(use)
    return unique
