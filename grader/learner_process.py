"""The learner side of the seam: imports one kata file and answers the judge's calls.

This module runs inside the learner process, next to untrusted code, so it holds nothing secret:
no reference values, no hidden suites. It turns the judge's plain data into live arguments,
calls the learner's code, and sends back plain data (see ``codec``).
"""

from __future__ import annotations

import os
import random
import re
import socket
import sys
import traceback
import types
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from grader import codec, scenarios


class Refs:
    """Learner-side objects the judge refers to by number."""

    def __init__(self) -> None:
        self.objects: dict[int, Any] = {}

    def keep(self, obj: Any) -> int:
        self.objects[len(self.objects) + 1] = obj
        return len(self.objects)

    def get(self, ref_id: int) -> Any:
        return self.objects[ref_id]


MAX_SOURCE = 1024 * 1024  # bytes of a kata file; real ones are a few KiB

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")


def clean_text(text: str) -> str:
    """Memory addresses differ from run to run; a grade must not."""
    return _ADDRESS.sub("0x…", text)[: codec.MAX_TEXT]


def describe_exception(error: BaseException, kata_file: str) -> dict:
    line = None
    for frame, lineno in traceback.walk_tb(error.__traceback__):  # no source lookups: cheaper
        if frame.f_code.co_filename == kata_file:
            line = lineno
    try:
        message = str(error)
    except Exception:
        message = "<message could not be read>"
    return {
        "type": type(error).__name__,
        "mro": [cls.__name__ for cls in type(error).__mro__],
        "message": clean_text(message),
        "line": line,
    }


class LearnerSide:
    def __init__(self, kata_file: str, source: bytes, folder_fd: int) -> None:
        self.kata_file = kata_file
        self.source = source
        self.folder = f"/proc/self/fd/{folder_fd}"  # the kata's folder, whatever the locks hide
        self.module: Any = None
        self.refs = Refs()

    # ------------------------------------------------------------ loading

    def load(self) -> dict:
        path = Path(self.kata_file)
        sys.path.insert(0, self.folder)  # for helper modules beside the kata file
        sys.dont_write_bytecode = True
        # code that forgets to seed must still get the same numbers on every run; only the CPU
        # generator exists here, and torch.manual_seed's walk over device back-ends costs ~2 ms
        random.seed(0)
        np.random.seed(0)
        torch.default_generator.manual_seed(0)
        try:
            if len(self.source) > MAX_SOURCE:
                raise ImportError(f"the file is over {MAX_SOURCE // 1024} KiB")
            module = types.ModuleType(path.stem)
            module.__file__ = self.kata_file
            sys.modules[path.stem] = module
            exec(compile(self.source, self.kata_file, "exec", dont_inherit=True), module.__dict__)
        except SyntaxError as error:
            return {"load_error": {"type": "SyntaxError", "mro": ["SyntaxError"],
                                   "message": clean_text(error.msg or ""), "line": error.lineno}}
        except BaseException as error:  # noqa: BLE001 - any failure to import is the learner's to see
            return {"load_error": describe_exception(error, self.kata_file)}
        self.module = module
        return {"loaded": True}

    # ------------------------------------------------------------ live arguments

    def live(self, node: Any, kept: list) -> Any:
        """Build the live object a node stands for; remember tensors and generator items."""
        if node is None or type(node) in (bool, int, str):
            return node
        tag = node["$"]
        if tag == "float":
            return float(node["value"])
        if tag == "tensor":
            value = codec.decode_tensor_value(node).clone()
            if node["rg"]:
                value.requires_grad_(True)
            if node.get("grad") is not None:
                value.grad = codec.decode_tensor_value(node["grad"]).clone()
            return value
        if tag == "ndarray":
            return codec.decode(node).value
        if tag == "npscalar":
            return np.dtype(node["dtype"]).type(node["value"])
        if tag in ("list", "tuple"):
            items = [self.live(item, kept) for item in node["items"]]
            return items if tag == "list" else tuple(items)
        if tag == "dict":
            return {key: self.live(value, kept) for key, value in node["items"]}
        if tag == "scenario":
            params = {key: self.live(value, kept) for key, value in node["params"]["items"]}
            return scenarios.build(node["name"], params)
        if tag == "generator":
            items = [self.live(item, kept) for item in node["items"]]
            kept.append(items)
            return (item for item in items)
        if tag == "ref":
            return self.refs.get(node["id"])
        raise codec.ProtocolError(f"unknown tag {tag!r}")

    def target(self, spec: dict) -> Any:
        if "fn" in spec:
            return getattr(self.module, spec["fn"])
        obj = self.refs.get(spec["ref"])
        return getattr(obj, spec["attr"]) if spec.get("attr") else obj

    # ------------------------------------------------------------ requests

    def call(self, request: dict) -> dict:
        kept: list = []
        try:
            target = self.target(request["target"])
        except AttributeError as error:
            return {"missing": clean_text(str(error))}
        args = [self.live(node, kept) for node in request["args"]]
        kwargs = {key: self.live(node, kept) for key, node in request["kwargs"]["items"]}
        try:
            result = target(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - SystemExit too: it is the learner's
            return {"raised": describe_exception(error, self.kata_file),
                    "args": self.observe(args, kept)}
        answer: dict[str, Any] = {"value": codec.encode(result, self.refs)}
        if request.get("backward"):
            answer["backward"] = self.backward(result)
        answer["args"] = self.observe(args, kept)
        return answer

    def backward(self, result: Any) -> str:
        if not isinstance(result, torch.Tensor) or result.grad_fn is None:
            return "no graph"
        try:
            with torch._C.DisableTorchFunctionSubclass():
                result.sum().backward()
        except BaseException as error:  # noqa: BLE001
            return clean_text(f"{type(error).__name__}: {error}")
        return "ok"

    def observe(self, args: list, kept: list) -> Any:
        """The arguments as the call left them (generator items as lists)."""
        return codec.encode({"positional": args, "generators": kept}, self.refs)

    def inspect(self, request: dict) -> dict:
        obj = self.refs.get(request["ref"])
        if not isinstance(obj, nn.Module):
            return {"value": codec.encode({"type": codec.type_name(obj)})}
        modules = []
        for name, module in obj.named_modules():
            entry: dict[str, Any] = {"name": name, "type": codec.type_name(module)}
            if isinstance(module, nn.Linear):
                entry["in_features"] = int(module.in_features)
                entry["out_features"] = int(module.out_features)
            modules.append(entry)
        parameters = {name: p for name, p in obj.named_parameters()}
        return {"value": codec.encode({"type": codec.type_name(obj), "modules": modules,
                                       "parameters": parameters}, self.refs)}

    def handle(self, request: dict) -> dict:
        op = request.get("op")
        if op == "load":
            return self.load()
        if op == "call":
            return self.call(request)
        if op == "inspect":
            return self.inspect(request)
        if op == "make":
            return {"value": codec.encode(self.live(request["what"], []), self.refs)}
        raise codec.ProtocolError(f"unknown op {op!r}")


def refuse(sock: socket.socket, reason: str) -> None:
    """Answer every request with ``reason``: this process must not run learner code."""
    sock.settimeout(30)
    try:
        while codec.read_frame(lambda n: _recv_exactly(sock, n)):
            sock.sendall(codec.pack({"broken": reason}))
    except (EOFError, OSError, codec.ProtocolError):
        return


def _recv_exactly(sock: socket.socket, n: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < n:
        chunk = sock.recv(n - len(chunks))
        if not chunk:
            raise EOFError
        chunks += chunk
    return bytes(chunks)


def serve(sock: socket.socket, kata_file: str, source: bytes, folder_fd: int) -> None:
    """Answer requests until the judge hangs up. Runs in the learner process only."""
    side = LearnerSide(kata_file, source, folder_fd)

    while True:
        try:
            request = codec.unpack(codec.read_frame(lambda n: _recv_exactly(sock, n)))
        except (EOFError, OSError):
            return
        try:
            answer = side.handle(request)
            frame = codec.pack(answer)
        except BaseException as error:  # noqa: BLE001 - report, never die silently
            frame = codec.pack({"broken": clean_text(f"{type(error).__name__}: {error}")})
        sock.sendall(frame)


def silence_output() -> None:
    """A learner's prints must not flood the grader's terminal or logs."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
