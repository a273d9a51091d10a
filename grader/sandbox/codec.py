"""The wire format between judge and learner processes, both ways: frames, protocol names, tagged nodes.

Nothing here unpickles or calls ``torch.load``. A message is one msgpack frame of plain data;
values inside it are tagged nodes (``encode``). The judge rebuilds what a learner process sends
as judge-made records (``decode``: ``TensorSeen``, ``ArraySeen``, Python scalars...), the learner
side rebuilds the judge's arguments as live objects (``build``), and both read frames through one
bounded reader (``receive``). Whatever the bytes, reading and decoding raise only
``ProtocolError``, and stop early instead of building more than a real message needs.
"""

from __future__ import annotations

import math
import re
import socket
import struct
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import msgpack
import numpy as np
import torch

MAX_ELEMENTS = 8 * 1024 * 1024  # of one tensor or array: 64 MiB of float64
MAX_MESSAGE_BYTES = 8 * MAX_ELEMENTS + 1024 * 1024  # the largest tensor, and room for the rest
MAX_DIMS = 8
MAX_DEPTH = 12  # nodes within nodes
MAX_ITEMS = 100_000  # of one list, tuple or dict
MAX_TEXT = 4000  # characters of one string; longer ones are cut when encoded
# a big int travels as hex text; 4096 bits print in 1234 decimal digits, well inside Python's
# 4300-digit limit on int-to-text conversion, which a message about the value would hit
MAX_INT_BITS = 4096

# Checked while a frame is unpacked, before any node is looked at: a forged frame of tiny
# objects (one byte of msgpack can become a 64-byte dict) must stop long before it fills memory.
MAX_STR_BYTES = 4 * MAX_TEXT  # UTF-8 takes at most 4 bytes a character
MAX_MAP_LEN = 16  # maps are node and message records; a value's dicts travel as lists of pairs
MAX_WIRE_DEPTH = 3 * (MAX_DEPTH + 2) + 4  # a dict node nests 3 levels deep (node, items, pair)
MAX_OBJECTS = 1_000_000  # a float node counts 5; real answers hold a few thousand

TORCH_DTYPES = {
    "float64": torch.float64,
    "float32": torch.float32,
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "int64": torch.int64,
    "int32": torch.int32,
    "int16": torch.int16,
    "int8": torch.int8,
    "uint8": torch.uint8,
    "bool": torch.bool,
}
NUMPY_DTYPES = {
    name: np.dtype(name)
    for name in ("float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool")
}


class ProtocolError(Exception):
    """A message broke the wire format: only forged or corrupted data does this."""


# ---------------------------------------------------------------- protocol names
# Plain str constants, not enums: the encoder takes only exact str, and they come back as such.


class Op:
    """What a request asks of the learner process: the value of its ``Key.OP``."""

    LOAD = "load"  # import the kata file -> LOADED or LOAD_ERROR
    CALL = "call"  # TARGET, ARGS, KWARGS, BACKWARD -> VALUE, BACKWARD, ARGS; or RAISED, ARGS; or MISSING
    INSPECT = "inspect"  # REF -> VALUE
    MAKE = "make"  # WHAT -> VALUE
    ALL = (LOAD, CALL, INSPECT, MAKE)
    # asked of a submission's server by its judge, as one datagram each (not framed)
    SPAWN = "spawn"  # FILE, with the kata's file and folder as descriptors -> PID, and a socket
    STATUS = "status"  # PID -> EXIT


class Key:
    """Fields of requests and answers."""

    OP = "op"
    TARGET = "target"  # {FN: name} or {REF: id, ATTR: name or None}
    FN = "fn"
    REF = "ref"
    ATTR = "attr"
    ARGS = "args"  # request: a list of nodes; answer: a dict node {POSITIONAL: [...], GENERATORS: [...]}
    KWARGS = "kwargs"  # a dict node
    BACKWARD = "backward"  # request: bool; answer: "ok", "no graph" or what went wrong
    WATCH = "watch"  # request: names of library functions to watch during the call (see names_used)
    WATCHED = "watched"  # answer: the watched names that were called, in order, each once
    WHAT = "what"  # a scenario node
    POSITIONAL = "positional"
    GENERATORS = "generators"
    LOADED = "loaded"
    LOAD_ERROR = "load_error"  # a report
    VALUE = "value"  # a node
    RAISED = "raised"  # a report
    MISSING = "missing"  # the target does not exist: why, as text
    BROKEN = "broken"  # the learner side could not answer: why, as text
    FILE = "file"  # the name a spawned learner process gives the kata's module
    PID = "pid"
    EXIT = "exit"  # how a learner process ended, in words


class Report:
    """Fields of an exception report (``Key.RAISED``, ``Key.LOAD_ERROR``)."""

    TYPE = "type"
    MRO = "mro"  # class names of the exception and its bases
    MESSAGE = "message"
    LINE = "line"  # in the kata file, or None


class Tag:
    """The kinds of node (their ``"$"`` field)."""

    FLOAT = "float"
    BIGINT = "bigint"  # an int outside 64 bits, as hex text (linear to read, unlike decimal)
    TENSOR = "tensor"
    NDARRAY = "ndarray"
    NPSCALAR = "npscalar"
    LIST = "list"
    TUPLE = "tuple"
    DICT = "dict"
    REF = "ref"  # a learner-side object, by number
    SCENARIO = "scenario"  # judge to learner only
    GENERATOR = "generator"  # judge to learner only


# ---------------------------------------------------------------- what the judge sees


@dataclass(frozen=True)
class TensorSeen:
    """A tensor as the learner's code left it: values rebuilt by the judge, plus its flags."""

    value: torch.Tensor
    type_name: str = "torch.Tensor"
    requires_grad: bool = False
    has_graph: bool = False
    is_leaf: bool = True
    grad: torch.Tensor | None = None
    storage: int = 0  # identifies shared storage among tensors of one answer

    @property
    def exact(self) -> bool:
        return self.type_name == "torch.Tensor"


@dataclass(frozen=True)
class ArraySeen:
    value: np.ndarray
    type_name: str = "numpy.ndarray"


@dataclass(frozen=True)
class NumpyScalarSeen:
    value: float | int | bool
    dtype: str
    type_name: str


@dataclass(frozen=True)
class Ref:
    """A learner-side object the judge cannot hold (a module, a callable): a handle to it."""

    id: int
    type_name: str
    callable: bool = False


@dataclass(frozen=True)
class Scenario:
    """A trusted callable (or generator, or module) that the learner side builds by name."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AsGenerator:
    """Pass these items to learner code as a one-shot generator, not a list."""

    items: tuple


# ---------------------------------------------------------------- frames


def pack(message: Any) -> bytes:
    """One frame: a 4-byte length, then the msgpack payload."""
    payload = msgpack.packb(message, use_bin_type=True)
    if len(payload) > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message of {len(payload)} bytes is over the cap")
    return struct.pack("!I", len(payload)) + payload


class _Tally:
    """Counts what msgpack builds, and how deep it nests, to stop a frame past its budget.

    msgpack calls the hooks on each array and map once its items are built, so at most
    ``MAX_ITEMS`` items per open level are built uncounted."""

    def __init__(self) -> None:
        self.objects = 0
        self.depths: dict[int, int] = {}  # id of a finished container -> its depth, until its parent ends

    def _finish(self, container: Any, size: int, children: Any) -> Any:
        self.objects += size  # every object but the root is counted once, as an item of its container
        if self.objects > MAX_OBJECTS:
            raise ProtocolError(f"more than {MAX_OBJECTS} objects")
        depth = 1 + max((self.depths.pop(id(child), 0) for child in children), default=0)
        if depth > MAX_WIRE_DEPTH:
            raise ProtocolError("nested too deeply")
        self.depths[id(container)] = depth
        return container

    def list_hook(self, items: list) -> list:
        return self._finish(items, len(items), items)

    def object_pairs_hook(self, pairs: list[tuple[str, Any]]) -> dict:
        mapping = dict(pairs)
        if len(mapping) != len(pairs):
            raise ProtocolError("a map with a key twice")
        return self._finish(mapping, 2 * len(pairs), mapping.values())


def _no_ext(code: int, data: bytes) -> None:
    raise ProtocolError("msgpack extension types are not allowed")


def pack_datagram(node: Any) -> bytes:
    """One message of the judge and its submission's server: a datagram, so no length prefix."""
    return msgpack.packb(node, use_bin_type=True)


def unpack(payload: bytes | bytearray) -> Any:
    """A frame's payload as plain data, within every cap; anything else is a ProtocolError."""
    tally = _Tally()
    try:
        return msgpack.unpackb(
            payload,
            raw=False,
            strict_map_key=True,
            use_list=True,
            list_hook=tally.list_hook,
            object_pairs_hook=tally.object_pairs_hook,
            ext_hook=_no_ext,
            max_str_len=MAX_STR_BYTES,
            max_bin_len=MAX_MESSAGE_BYTES,
            max_array_len=MAX_ITEMS,
            max_map_len=MAX_MAP_LEN,
            max_ext_len=0,
        )
    except ProtocolError:
        raise
    except Exception as error:  # msgpack raises several unrelated types; MemoryError too
        raise ProtocolError(f"undecodable message: {type(error).__name__}: {error}"[:MAX_TEXT]) from error


def recv_exactly(sock: socket.socket, n: int, deadline: float | None = None) -> bytearray:
    """``n`` bytes from a stream socket, or EOFError if it closes first; with a ``deadline``
    (time.monotonic), TimeoutError once it passes, however the bytes trickle in."""
    buffer = bytearray(n)  # filled in place: no second copy of a large frame
    view = memoryview(buffer)
    got = 0
    while got < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the answer did not arrive in time")
            sock.settimeout(left)
        count = sock.recv_into(view[got:])
        if not count:
            raise EOFError
        got += count
    return buffer


def read_frame(sock: socket.socket, deadline: float | None = None) -> bytearray:
    """The next frame's payload; its length is checked before a byte of it is read."""
    (length,) = struct.unpack("!I", recv_exactly(sock, 4, deadline))
    if length > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"frame of {length} bytes is over the cap")
    return recv_exactly(sock, length, deadline)


def receive(sock: socket.socket, deadline: float | None = None) -> Any:
    """The next message from ``sock``, unpacked within the caps, by ``deadline`` if given."""
    return unpack(read_frame(sock, deadline))


def send(sock: socket.socket, message: Any) -> None:
    sock.sendall(pack(message))


# ---------------------------------------------------------------- encoding (both sides)


def type_name(obj: Any) -> str:
    cls = type(obj)
    module = cls.__module__
    if module == "builtins":
        name = cls.__qualname__
    elif cls is torch.Tensor:
        name = "torch.Tensor"
    else:
        name = f"{module}.{cls.__qualname__}"
    return name[:MAX_TEXT]


def tensor_bytes(t: torch.Tensor) -> tuple[str, list[int], bytes]:
    """Raw dtype, shape and bytes of any tensor; callers disable subclass overrides first."""
    plain = t.detach().cpu().contiguous()
    dtype = str(plain.dtype).removeprefix("torch.")
    flat = plain.reshape(-1)
    if flat.dtype == torch.bfloat16:
        flat = flat.view(torch.int16)
    return dtype, list(plain.shape), flat.numpy().tobytes()


def _check_size(count: int) -> None:
    if count > MAX_ELEMENTS:  # refused before its bytes are copied
        raise ProtocolError(f"cannot send {count} elements: the cap is {MAX_ELEMENTS}")


def encode_tensor(t: torch.Tensor, *, with_grad: bool = True) -> dict:
    with torch._C.DisableTorchFunctionSubclass():
        _check_size(t.numel())
        dtype, shape, data = tensor_bytes(t)
        grad = t.grad if with_grad and (t.is_leaf or t.retains_grad) else None
        node = {
            "$": Tag.TENSOR,
            "dtype": dtype,
            "shape": shape,
            "data": data,
            "type": type_name(t),
            "rg": bool(t.requires_grad),
            "graph": t.grad_fn is not None,
            "leaf": bool(t.is_leaf),
            "storage": int(t.untyped_storage().data_ptr()) if t.numel() else 0,
            "grad": encode_tensor(grad, with_grad=False) if isinstance(grad, torch.Tensor) else None,
        }
    return node


def encode(obj: Any, refs: Any = None, depth: int = 0) -> Any:
    """Encode a value into tagged plain data. ``refs`` (learner side) turns other objects into handles."""
    if depth > MAX_DEPTH:
        raise ProtocolError("value nested too deeply")
    kind = type(obj)
    if obj is None or kind is bool:
        return obj
    if kind is str:
        return obj[:MAX_TEXT]
    if kind is int:
        if -(2**63) <= obj < 2**63:
            return obj
        if obj.bit_length() > MAX_INT_BITS:
            raise ProtocolError(f"cannot send an integer of {obj.bit_length()} bits")
        return {"$": Tag.BIGINT, "hex": format(obj, "x")}
    if kind is float:
        return {"$": Tag.FLOAT, "value": obj}
    if isinstance(obj, torch.Tensor):
        return encode_tensor(obj)
    if isinstance(obj, np.ndarray):
        if obj.dtype.name not in NUMPY_DTYPES:
            return _opaque(obj, refs)
        _check_size(obj.size)
        native = obj if obj.dtype.isnative else obj.astype(obj.dtype.newbyteorder("="))
        return {
            "$": Tag.NDARRAY,
            "dtype": native.dtype.name,
            "shape": list(native.shape),  # not np.ascontiguousarray's: it makes a 0-d array 1-d
            "data": native.tobytes(order="C"),
            "type": type_name(obj),
        }
    if isinstance(obj, np.generic) and obj.dtype.name in NUMPY_DTYPES:
        return {"$": Tag.NPSCALAR, "dtype": obj.dtype.name, "value": obj.item(), "type": type_name(obj)}
    if kind in (list, tuple):
        return {"$": Tag.LIST if kind is list else Tag.TUPLE,
                "items": [encode(item, refs, depth + 1) for item in obj]}
    if kind is dict and all(type(k) is str for k in obj):
        return {"$": Tag.DICT, "items": [[k[:MAX_TEXT], encode(v, refs, depth + 1)] for k, v in obj.items()]}
    if isinstance(obj, Scenario):
        return {"$": Tag.SCENARIO, "name": obj.name, "params": encode(obj.params, refs, depth + 1)}
    if isinstance(obj, AsGenerator):
        return {"$": Tag.GENERATOR, "items": [encode(item, refs, depth + 1) for item in obj.items]}
    if isinstance(obj, Ref):
        return {"$": Tag.REF, "id": obj.id, "type": obj.type_name, "callable": obj.callable}
    return _opaque(obj, refs)


def _opaque(obj: Any, refs: Any) -> dict:
    if refs is None:
        raise ProtocolError(f"cannot send a {type_name(obj)}")
    return {"$": Tag.REF, "id": refs.keep(obj), "type": type_name(obj), "callable": callable(obj)}


# ---------------------------------------------------------------- strict decoding (both sides)


class LiveHooks(Protocol):
    """What the learner side makes of the nodes only the judge sends (and of handles)."""

    def scenario(self, name: str, params: dict[str, Any]) -> Any: ...

    def generator(self, items: list) -> Any: ...

    def ref(self, ref_id: int) -> Any: ...


def decode(node: Any) -> Any:
    """Judge side: rebuild a value the learner side sent, trusting nothing. Raises only ProtocolError."""
    return _guarded(node, None)


def build(node: Any, live: LiveHooks) -> Any:
    """Learner side: the live object a node from the judge stands for (tensors, arrays, scalars...)."""
    return _guarded(node, live)


def _guarded(node: Any, live: LiveHooks | None) -> Any:
    try:
        return _read(node, 0, live)
    except ProtocolError:
        raise
    except Exception as error:  # a check this module lacks must still not become a grader error
        raise ProtocolError(f"unreadable value: {type(error).__name__}: {error}"[:MAX_TEXT]) from error


def _field(node: dict, key: str, *kinds: type) -> Any:
    """``node[key]``, of one of these exact types (a bool is no int, an int no float)."""
    value = node.get(key, _field)
    if type(value) not in kinds:
        raise ProtocolError(f"field {key!r} missing or of the wrong type")
    return value


def _text(node: dict, key: str) -> str:
    return _field(node, key, str)[:MAX_TEXT]


def _dict(node: Any) -> dict:
    if type(node) is not dict:
        raise ProtocolError(f"unexpected {type(node).__name__} in a message")
    return node


def _shape(node: dict) -> list[int]:
    shape = _field(node, "shape", list)
    if len(shape) > MAX_DIMS or not all(type(n) is int and n >= 0 for n in shape):
        raise ProtocolError("bad shape")
    # each dimension bounded, not only their product: [0, 2**64-1] has none
    if max(shape, default=0) > MAX_ELEMENTS or math.prod(shape) > MAX_ELEMENTS:
        raise ProtocolError("tensor over the size cap")
    return shape


def _data(node: dict, shape: list[int], itemsize: int, is_bool: bool) -> bytes:
    data = _field(node, "data", bytes)
    if len(data) != math.prod(shape) * itemsize:
        raise ProtocolError("data does not match its shape")
    if is_bool and data.translate(None, b"\0\1"):  # any other byte makes a bool that is neither
        raise ProtocolError("bool data other than 0 and 1")
    return data


def _dtype(node: dict, allowed: dict[str, Any]) -> Any:
    name = _field(node, "dtype", str)
    if name not in allowed:
        raise ProtocolError(f"dtype {name[:40]!r} is not allowed")
    return allowed[name]


def _tensor_value(node: dict) -> torch.Tensor:
    dtype = _dtype(node, TORCH_DTYPES)
    shape = _shape(node)
    data = _data(node, shape, dtype.itemsize, dtype == torch.bool)
    if not data:
        return torch.zeros(shape, dtype=dtype)
    return torch.frombuffer(bytearray(data), dtype=dtype).reshape(shape)


def _tensor(node: dict) -> tuple[torch.Tensor, torch.Tensor | None, bool]:
    """A tensor node's values, its grad's, and whether it requires grad."""
    grad_node = node.get("grad")
    grad = None if grad_node is None else _tensor_value(_dict(grad_node))
    return _tensor_value(node), grad, _field(node, "rg", bool)


def _ndarray(node: dict) -> np.ndarray:
    dtype = _dtype(node, NUMPY_DTYPES)
    shape = _shape(node)
    data = _data(node, shape, dtype.itemsize, dtype.kind == "b")
    return np.frombuffer(data, dtype=dtype).reshape(tuple(shape)).copy()  # reshape([]) is no reshape


_SCALAR_KINDS = {"b": bool, "i": int, "u": int, "f": float}


def _npscalar(node: dict) -> np.generic:
    dtype_name = _field(node, "dtype", str)
    if dtype_name not in NUMPY_DTYPES:
        raise ProtocolError(f"dtype {dtype_name[:40]!r} is not allowed")
    dtype = NUMPY_DTYPES[dtype_name]
    value = _field(node, "value", _SCALAR_KINDS[dtype.kind])
    try:
        return dtype.type(value)
    except OverflowError:
        raise ProtocolError(f"{value} does not fit a {dtype_name}") from None


_HEX = re.compile(rf"-?[0-9a-f]{{1,{MAX_TEXT}}}")


def _items(node: dict) -> list:
    items = _field(node, "items", list)
    if len(items) > MAX_ITEMS:
        raise ProtocolError("too many items")
    return items


def _read(node: Any, depth: int, live: LiveHooks | None) -> Any:
    """One node: as the judge sees it (``live`` is None) or as the learner side's live object."""
    if depth > MAX_DEPTH:
        raise ProtocolError("value nested too deeply")
    if node is None or type(node) in (bool, int):
        return node
    if type(node) is str:
        return node[:MAX_TEXT]
    node = _dict(node)
    tag = _field(node, "$", str)
    if tag == Tag.FLOAT:
        return _field(node, "value", float)
    if tag == Tag.BIGINT:
        digits = _field(node, "hex", str)
        if not _HEX.fullmatch(digits):
            raise ProtocolError("a big int that is not hex digits")
        return int(digits, 16)
    if tag == Tag.TENSOR:
        value, grad, requires_grad = _tensor(node)
        if live is not None:
            value.requires_grad_(requires_grad)
            value.grad = grad
            return value
        return TensorSeen(value=value, type_name=_text(node, "type"), requires_grad=requires_grad,
                          has_graph=_field(node, "graph", bool), is_leaf=_field(node, "leaf", bool),
                          storage=_field(node, "storage", int), grad=grad)
    if tag == Tag.NDARRAY:
        array = _ndarray(node)
        return array if live is not None else ArraySeen(value=array, type_name=_text(node, "type"))
    if tag == Tag.NPSCALAR:
        scalar = _npscalar(node)
        if live is not None:
            return scalar
        return NumpyScalarSeen(value=scalar.item(), dtype=scalar.dtype.name, type_name=_text(node, "type"))
    if tag in (Tag.LIST, Tag.TUPLE):
        items = [_read(item, depth + 1, live) for item in _items(node)]
        return items if tag == Tag.LIST else tuple(items)
    if tag == Tag.DICT:
        result = {}
        for pair in _items(node):
            if not (type(pair) is list and len(pair) == 2 and type(pair[0]) is str):
                raise ProtocolError("bad dict entry")
            result[pair[0][:MAX_TEXT]] = _read(pair[1], depth + 1, live)
        return result
    if tag == Tag.REF:
        ref_id = _field(node, "id", int)
        if live is not None:
            return live.ref(ref_id)
        return Ref(id=ref_id, type_name=_text(node, "type"), callable=_field(node, "callable", bool))
    if live is not None and tag == Tag.SCENARIO:
        params = _read(_dict(node.get("params")), depth + 1, live)
        if type(params) is not dict:
            raise ProtocolError("scenario parameters that are not a dict")
        return live.scenario(_text(node, "name"), params)
    if live is not None and tag == Tag.GENERATOR:
        return live.generator([_read(item, depth + 1, live) for item in _items(node)])
    raise ProtocolError(f"unknown tag {tag[:40]!r}")
