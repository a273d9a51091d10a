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

from grader.sandbox import codec, scenarios
from grader.sandbox.call_watch import watching


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
    """An exception report (``codec.Report``'s fields) for the judge."""
    line = None
    for frame, lineno in traceback.walk_tb(error.__traceback__):  # no source lookups: cheaper
        if frame.f_code.co_filename == kata_file:
            line = lineno
    try:
        message = str(error)
    except Exception:
        message = "<message could not be read>"
    return {
        codec.Report.TYPE: clean_text(type(error).__name__),
        codec.Report.MRO: [clean_text(cls.__name__) for cls in type(error).__mro__],
        codec.Report.MESSAGE: clean_text(message),
        codec.Report.LINE: line,
    }


class LiveObjects:
    """What the judge's scenario, generator and ref nodes stand for in this process (``codec.build``)."""

    def __init__(self, refs: Refs) -> None:
        self.refs = refs
        self.generators: list[list] = []  # each generator's items, reported as the call left them

    def scenario(self, name: str, params: dict[str, Any]) -> Any:
        return scenarios.build(name, params)

    def generator(self, items: list) -> Any:
        self.generators.append(items)
        return (item for item in items)

    def ref(self, ref_id: int) -> Any:
        return self.refs.get(ref_id)


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
        # helper modules beside the kata file may be imported, but last of all: a learner's
        # `pytest.py` or `torch.py` never stands in for a module the grader or the kata imports
        sys.path.append(self.folder)
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
            return {codec.Key.LOAD_ERROR: {
                codec.Report.TYPE: "SyntaxError", codec.Report.MRO: ["SyntaxError"],
                codec.Report.MESSAGE: clean_text(error.msg or ""), codec.Report.LINE: error.lineno}}
        except BaseException as error:  # noqa: BLE001 - any failure to import is the learner's to see
            return {codec.Key.LOAD_ERROR: describe_exception(error, self.kata_file)}
        self.module = module
        return {codec.Key.LOADED: True}

    # ------------------------------------------------------------ requests

    def target(self, spec: dict) -> Any:
        if codec.Key.FN in spec:
            return getattr(self.module, spec[codec.Key.FN])
        obj = self.refs.get(spec[codec.Key.REF])
        attr = spec.get(codec.Key.ATTR)
        return getattr(obj, attr) if attr else obj

    def call(self, request: dict) -> dict:
        try:
            target = self.target(request[codec.Key.TARGET])
        except AttributeError as error:
            return {codec.Key.MISSING: clean_text(str(error))}
        live = LiveObjects(self.refs)
        args = [codec.build(node, live) for node in request[codec.Key.ARGS]]
        kwargs = codec.build(request[codec.Key.KWARGS], live)
        watch = request.get(codec.Key.WATCH)
        with watching(watch if isinstance(watch, list) else []) as called:
            try:
                result = target(*args, **kwargs)
            except BaseException as error:  # noqa: BLE001 - SystemExit too: it is the learner's
                return {codec.Key.RAISED: describe_exception(error, self.kata_file),
                        codec.Key.ARGS: self.observe(args, live), codec.Key.WATCHED: list(called)}
        answer: dict[str, Any] = {codec.Key.VALUE: codec.encode(result, self.refs),
                                  codec.Key.WATCHED: list(called)}
        if request.get(codec.Key.BACKWARD):
            answer[codec.Key.BACKWARD] = self.backward(result)
        answer[codec.Key.ARGS] = self.observe(args, live)
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

    def observe(self, args: list, live: LiveObjects) -> Any:
        """The arguments as the call left them (generator items as lists)."""
        return codec.encode({codec.Key.POSITIONAL: args, codec.Key.GENERATORS: live.generators}, self.refs)

    def inspect(self, request: dict) -> dict:
        obj = self.refs.get(request[codec.Key.REF])
        if not isinstance(obj, nn.Module):
            return {codec.Key.VALUE: codec.encode({"type": codec.type_name(obj)})}
        modules = []
        for name, module in obj.named_modules():
            entry: dict[str, Any] = {"name": name, "type": codec.type_name(module)}
            if isinstance(module, nn.Linear):
                entry["in_features"] = int(module.in_features)
                entry["out_features"] = int(module.out_features)
            modules.append(entry)
        parameters = {name: p for name, p in obj.named_parameters()}
        return {codec.Key.VALUE: codec.encode({"type": codec.type_name(obj), "modules": modules,
                                               "parameters": parameters,
                                               "unregistered": unregistered(obj)}, self.refs)}

    def make(self, request: dict) -> dict:
        built = codec.build(request[codec.Key.WHAT], LiveObjects(self.refs))
        return {codec.Key.VALUE: codec.encode(built, self.refs)}

    def handle(self, request: dict) -> dict:
        op = request.get(codec.Key.OP)
        if op not in codec.Op.ALL:
            raise codec.ProtocolError(f"unknown op {op!r}")
        if op == codec.Op.LOAD:
            return self.load()
        if op == codec.Op.CALL:
            return self.call(request)
        if op == codec.Op.INSPECT:
            return self.inspect(request)
        return self.make(request)


def unregistered(module: nn.Module) -> list[dict[str, str]]:
    """Modules hidden from nn.Module in plain containers (``self.layers = [nn.Linear(...)]``):
    each such attribute of the module or a submodule, with its container's type."""
    hidden = []
    for prefix, sub in module.named_modules():
        for attr, value in vars(sub).items():
            items = value.values() if isinstance(value, dict) else value
            if isinstance(value, list | tuple | dict) and any(isinstance(v, nn.Module) for v in items):
                hidden.append({"name": f"{prefix}.{attr}" if prefix else attr,
                               "container": type(value).__name__})
    return hidden[:16]


def refuse(sock: socket.socket, reason: str) -> None:
    """Answer every request with ``reason``: this process must not run learner code."""
    sock.settimeout(30)
    try:
        while codec.read_frame(sock):
            codec.send(sock, {codec.Key.BROKEN: reason})
    except (EOFError, OSError, codec.ProtocolError):
        return


def serve(sock: socket.socket, kata_file: str, source: bytes, folder_fd: int) -> None:
    """Answer requests until the judge hangs up. Runs in the learner process only."""
    side = LearnerSide(kata_file, source, folder_fd)

    while True:
        try:
            request = codec.receive(sock)
        except (EOFError, OSError):
            return
        except codec.ProtocolError as error:  # the stream may be out of step: say why, then hang up
            codec.send(sock, {codec.Key.BROKEN: clean_text(f"unreadable request: {error}")})
            return
        try:
            answer = side.handle(request)
            frame = codec.pack(answer)
        except BaseException as error:  # noqa: BLE001 - report, never die silently
            frame = codec.pack({codec.Key.BROKEN: clean_text(f"{type(error).__name__}: {error}")})
        sock.sendall(frame)


def silence_output() -> None:
    """A learner's prints must not flood the grader's terminal or logs."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
