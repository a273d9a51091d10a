"""The wire format between judge and learner processes: msgpack, tagged nodes, strict decoding.

Nothing here unpickles or calls ``torch.load``. The judge decodes what a learner process sends
into exact, judge-built objects (``torch.Tensor``, ``numpy.ndarray``, Python scalars) and
rejects anything outside the allowed shapes: unknown tags, disallowed dtypes, oversized data.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from typing import Any

import msgpack
import numpy as np
import torch

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
MAX_ELEMENTS = 8 * 1024 * 1024
MAX_DEPTH = 12
MAX_ITEMS = 100_000
MAX_TEXT = 4000

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


# ---------------------------------------------------------------- framing


def pack(node: Any) -> bytes:
    payload = msgpack.packb(node, use_bin_type=True)
    if len(payload) > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message of {len(payload)} bytes is over the cap")
    return struct.pack("!I", len(payload)) + payload


def unpack(payload: bytes) -> Any:
    try:
        return msgpack.unpackb(
            payload,
            raw=False,
            strict_map_key=True,
            use_list=True,
        )
    except Exception as error:  # msgpack raises several unrelated types
        raise ProtocolError(f"undecodable message: {error}") from None


def read_frame(recv_exactly) -> bytes:
    (length,) = struct.unpack("!I", recv_exactly(4))
    if length > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"frame of {length} bytes is over the cap")
    return recv_exactly(length)


# ---------------------------------------------------------------- encoding (both sides)


def type_name(obj: Any) -> str:
    cls = type(obj)
    module = cls.__module__
    if module == "builtins":
        return cls.__qualname__
    if cls is torch.Tensor:
        return "torch.Tensor"
    return f"{module}.{cls.__qualname__}"


def tensor_bytes(t: torch.Tensor) -> tuple[str, list[int], bytes]:
    """Raw dtype, shape and bytes of any tensor; callers disable subclass overrides first."""
    plain = t.detach().cpu().contiguous()
    dtype = str(plain.dtype).removeprefix("torch.")
    flat = plain.reshape(-1)
    if flat.dtype == torch.bfloat16:
        flat = flat.view(torch.int16)
    return dtype, list(plain.shape), flat.numpy().tobytes()


def encode_tensor(t: torch.Tensor, *, with_grad: bool = True) -> dict:
    with torch._C.DisableTorchFunctionSubclass():
        dtype, shape, data = tensor_bytes(t)
        grad = t.grad if with_grad and (t.is_leaf or t.retains_grad) else None
        node = {
            "$": "tensor",
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
    if obj is None or kind in (bool, int, str):
        if kind is int and not -(2**63) <= obj < 2**63:
            return {"$": "bigint", "text": str(obj)[:MAX_TEXT]}
        return obj
    if kind is float:
        return {"$": "float", "value": obj}
    if isinstance(obj, torch.Tensor):
        return encode_tensor(obj)
    if isinstance(obj, np.ndarray):
        if obj.dtype.name not in NUMPY_DTYPES:
            return _opaque(obj, refs)
        data = np.ascontiguousarray(obj)
        return {
            "$": "ndarray",
            "dtype": data.dtype.name,
            "shape": list(data.shape),
            "data": data.tobytes(),
            "type": type_name(obj),
        }
    if isinstance(obj, np.generic) and obj.dtype.name in NUMPY_DTYPES:
        return {"$": "npscalar", "dtype": obj.dtype.name, "value": obj.item(), "type": type_name(obj)}
    if kind in (list, tuple):
        return {"$": kind.__name__, "items": [encode(item, refs, depth + 1) for item in obj]}
    if kind is dict and all(type(k) is str for k in obj):
        return {"$": "dict", "items": [[k, encode(v, refs, depth + 1)] for k, v in obj.items()]}
    if isinstance(obj, Scenario):
        return {"$": "scenario", "name": obj.name, "params": encode(obj.params, refs, depth + 1)}
    if isinstance(obj, AsGenerator):
        return {"$": "generator", "items": [encode(item, refs, depth + 1) for item in obj.items]}
    if isinstance(obj, Ref):
        return {"$": "ref", "id": obj.id, "type": obj.type_name, "callable": obj.callable}
    return _opaque(obj, refs)


def _opaque(obj: Any, refs: Any) -> dict:
    if refs is None:
        raise ProtocolError(f"cannot send a {type_name(obj)}")
    return {"$": "ref", "id": refs.keep(obj), "type": type_name(obj), "callable": callable(obj)}


# ---------------------------------------------------------------- strict decoding


def _want(node: dict, key: str, kind: type | tuple[type, ...]) -> Any:
    if key not in node or not isinstance(node[key], kind) or type(node[key]) is bool and kind is int:
        raise ProtocolError(f"field {key!r} missing or of the wrong type")
    return node[key]


def _text(node: dict, key: str) -> str:
    return _want(node, key, str)[:MAX_TEXT]


def _shape(node: dict) -> list[int]:
    shape = _want(node, "shape", list)
    if len(shape) > 8 or not all(type(n) is int and 0 <= n for n in shape):
        raise ProtocolError("bad shape")
    if math.prod(shape) > MAX_ELEMENTS:  # Python ints: no overflow to wrap the check
        raise ProtocolError("tensor over the size cap")
    return shape


def decode_tensor_value(node: dict) -> torch.Tensor:
    dtype_name = _want(node, "dtype", str)
    if dtype_name not in TORCH_DTYPES:
        raise ProtocolError(f"dtype {dtype_name!r} is not allowed")
    dtype = TORCH_DTYPES[dtype_name]
    shape = _shape(node)
    data = _want(node, "data", bytes)
    count = math.prod(shape)
    if len(data) != count * dtype.itemsize:
        raise ProtocolError("tensor data does not match its shape")
    if count == 0:
        return torch.zeros(shape, dtype=dtype)
    return torch.frombuffer(bytearray(data), dtype=dtype).reshape(shape)


def decode(node: Any, depth: int = 0) -> Any:
    """Judge side: rebuild a value from tagged plain data, trusting nothing."""
    if depth > MAX_DEPTH:
        raise ProtocolError("value nested too deeply")
    if node is None or type(node) in (bool, int):
        return node
    if type(node) is str:
        return node[:MAX_TEXT]
    if type(node) is not dict:
        raise ProtocolError(f"unexpected {type(node).__name__} in a message")
    tag = _want(node, "$", str)
    if tag == "float":
        return float(_want(node, "value", (float, int)))
    if tag == "bigint":
        return int(_text(node, "text"))
    if tag == "tensor":
        grad_node = node.get("grad")
        return TensorSeen(
            value=decode_tensor_value(node),
            type_name=_text(node, "type"),
            requires_grad=_want(node, "rg", bool),
            has_graph=_want(node, "graph", bool),
            is_leaf=_want(node, "leaf", bool),
            storage=_want(node, "storage", int),
            grad=None if grad_node is None else decode_tensor_value(grad_node),
        )
    if tag == "ndarray":
        dtype_name = _want(node, "dtype", str)
        if dtype_name not in NUMPY_DTYPES:
            raise ProtocolError(f"dtype {dtype_name!r} is not allowed")
        shape = _shape(node)
        data = _want(node, "data", bytes)
        dtype = NUMPY_DTYPES[dtype_name]
        if len(data) != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
            raise ProtocolError("array data does not match its shape")
        value = np.frombuffer(data, dtype=dtype).reshape(shape).copy()
        return ArraySeen(value=value, type_name=_text(node, "type"))
    if tag == "npscalar":
        dtype_name = _want(node, "dtype", str)
        if dtype_name not in NUMPY_DTYPES:
            raise ProtocolError(f"dtype {dtype_name!r} is not allowed")
        value = _want(node, "value", (float, int, bool))
        return NumpyScalarSeen(value=value, dtype=dtype_name, type_name=_text(node, "type"))
    if tag in ("list", "tuple"):
        items = _want(node, "items", list)
        if len(items) > MAX_ITEMS:
            raise ProtocolError("too many items")
        decoded = [decode(item, depth + 1) for item in items]
        return decoded if tag == "list" else tuple(decoded)
    if tag == "dict":
        items = _want(node, "items", list)
        if len(items) > MAX_ITEMS:
            raise ProtocolError("too many items")
        result = {}
        for pair in items:
            if not (isinstance(pair, list) and len(pair) == 2 and type(pair[0]) is str):
                raise ProtocolError("bad dict entry")
            result[pair[0][:MAX_TEXT]] = decode(pair[1], depth + 1)
        return result
    if tag == "ref":
        return Ref(id=_want(node, "id", int), type_name=_text(node, "type"),
                   callable=_want(node, "callable", bool))
    raise ProtocolError(f"unknown tag {tag!r}")
