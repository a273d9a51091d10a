"""Frames a hostile learner process could send: built byte by byte, as no encoder would make them.

Each builder returns a payload (the bytes after the 4-byte length), at most ``MAX_MESSAGE_BYTES``
long, shaped to make a careless decoder build as many Python objects, or as deep a structure, as
the bytes allow.
"""

from __future__ import annotations

import struct

import msgpack

from grader.sandbox import codec

ROOM = codec.MAX_MESSAGE_BYTES - 64  # headers take a few bytes


def array_header(n: int) -> bytes:
    return b"\xdd" + struct.pack("!I", n)


def map_header(n: int) -> bytes:
    return b"\xdf" + struct.pack("!I", n)


def rows(item: bytes, size: int = ROOM, row: int = codec.MAX_ITEMS) -> bytes:
    """As many copies of ``item`` as fit, in arrays short enough to pass a per-array length cap."""
    count = size // len(item)
    full, rest = divmod(count, row)
    body = (array_header(row) + item * row) * full + array_header(rest) + item * rest
    return array_header(full + 1) + body


def tensor_node(**changes) -> dict:
    node = {"$": "tensor", "dtype": "float32", "shape": [2], "data": b"\0" * 8, "type": "torch.Tensor",
            "rg": False, "graph": False, "leaf": True, "storage": 0, "grad": None}
    node.update(changes)
    return node


# name -> payload; the big ones are built only when asked for
BULKY = {
    "30 MB of empty arrays in one array": lambda: array_header(30 * 2**20) + b"\x90" * (30 * 2**20),
    "empty arrays in rows": lambda: rows(b"\x90"),
    "empty maps in rows": lambda: rows(b"\x80"),
    "floats in rows": lambda: rows(b"\xcb" + b"\x3f\xf0" + b"\0" * 6),
    "64-bit ints in rows": lambda: rows(b"\xcf" + b"\x7f" * 8),
    "short strings in rows": lambda: rows(b"\xa2ab"),
    "one-item arrays of short strings in rows": lambda: rows(b"\x91\xa2ab"),
    "maps of one empty array in rows": lambda: rows(b"\x81\xa1k\x90"),
    "small bins in rows": lambda: rows(b"\xc4\x02xy"),  # one-byte bytes objects are shared
    "empty tensors in rows": lambda: rows(msgpack.packb(tensor_node(shape=[0], data=b"")), row=4096),
    "empty tensor nodes in a list node, within the object cap": lambda: msgpack.packb(
        {"$": "list", "items": [tensor_node(shape=[0], data=b"")] * 40_000}),
    "big ints of MAX_TEXT hex digits in a list node": lambda: msgpack.packb(
        {"$": "list", "items": [{"$": "bigint", "hex": "f" * codec.MAX_TEXT}] * 16_000}),
    "a float64 tensor of MAX_ELEMENTS (a real answer's largest)": lambda: msgpack.packb(
        tensor_node(dtype="float64", shape=[codec.MAX_ELEMENTS], data=b"\0" * (8 * codec.MAX_ELEMENTS))),
    "empty dict nodes nested in list nodes": lambda: msgpack.packb(
        {"$": "list", "items": [{"$": "list", "items": [{"$": "dict", "items": []}] * 25_000}] * 150}),
}

SMALL = {
    "nesting 100 000 arrays deep": b"\x91" * 100_000 + b"\xc0",
    "nesting 100 000 maps deep": b"\x81\xa1k" * 100_000 + b"\xc0",
    "an array declaring 2**32-1 items": array_header(2**32 - 1),
    "a map declaring 2**32-1 pairs": map_header(2**32 - 1),
    "a bin declaring 2**32-1 bytes": b"\xc6\xff\xff\xff\xff",
    "a str declaring 2**32-1 bytes": b"\xdb\xff\xff\xff\xff",
    "an ext declaring 2**32-1 bytes": b"\xc9\xff\xff\xff\xff\x01",
    "a timestamp ext": msgpack.packb(msgpack.Timestamp(0)),
    "an ext type": msgpack.packb(msgpack.ExtType(5, b"x")),
    "a long str": msgpack.packb("x" * (codec.MAX_STR_BYTES + 1)),
    "a map with an int key": b"\x81\x01\x02",
    "a map with an array key": b"\x81\x90\x02",
    "a map with a key twice": b"\x82\xa1k\x90\xa1k\x90",
    "a truncated payload": msgpack.packb({"value": "abc"})[:-1],
    "trailing bytes": msgpack.packb({"value": 1}) + b"\xc0",
    "a reserved byte": b"\xc1",
    "empty": b"",
}

# tagged nodes that unpack fine and must be refused by the strict decoder
NODES = {
    "shape [0, 2**64-1]": tensor_node(shape=[0, 2**64 - 1], data=b""),
    "shape [2**64-1, 0]": tensor_node(shape=[2**64 - 1, 0], data=b""),
    "shape [0, 2**62, 2**62]": tensor_node(shape=[0, 2**62, 2**62], data=b""),
    "a negative dimension": tensor_node(shape=[-1, 0], data=b""),
    "shape [-2, -1]": tensor_node(shape=[-2, -1], data=b"\0" * 8),
    "a bool dimension": tensor_node(shape=[True, True], data=b"\0" * 4),
    "nine dimensions": tensor_node(shape=[1] * 9, data=b"\0" * 4),
    "a shape that is not a list": tensor_node(shape=2, data=b"\0" * 8),
    "dtype complex64": tensor_node(dtype="complex64"),
    "dtype object": tensor_node(dtype="object"),
    "dtype qint8": tensor_node(dtype="qint8"),
    "dtype torch.float32": tensor_node(dtype="torch.float32"),
    "data too short": tensor_node(data=b"\0" * 7),
    "data as a str": tensor_node(data="\0" * 8),
    "a grad that is an int": tensor_node(grad=5),
    "a grad with a bad shape": tensor_node(grad=tensor_node(shape=[0, 2**64 - 1], data=b"")),
    "rg as an int": tensor_node(rg=1),
    "ndarray shape [0, 2**64-1]": {"$": "ndarray", "dtype": "float64", "shape": [0, 2**64 - 1], "data": b"",
                                   "type": "numpy.ndarray"},
    "ndarray shape [2**32, 2**32]": {"$": "ndarray", "dtype": "uint8", "shape": [2**32, 2**32], "data": b"",
                                     "type": "numpy.ndarray"},
    "ndarray dtype object": {"$": "ndarray", "dtype": "object", "shape": [1], "data": b"\0" * 8,
                             "type": "numpy.ndarray"},
    "ndarray dtype <f8": {"$": "ndarray", "dtype": "<f8", "shape": [1], "data": b"\0" * 8,
                          "type": "numpy.ndarray"},
    "npscalar int8 of 300": {"$": "npscalar", "dtype": "int8", "value": 300, "type": "numpy.int8"},
    "npscalar int64 of 2**64-1": {"$": "npscalar", "dtype": "int64", "value": 2**64 - 1,
                                  "type": "numpy.int64"},
    "npscalar bool of 2.5": {"$": "npscalar", "dtype": "bool", "value": 2.5, "type": "numpy.bool"},
    "npscalar dtype object": {"$": "npscalar", "dtype": "object", "value": 1, "type": "numpy.object_"},
    "bigint of letters": {"$": "bigint", "hex": "twelve"},
    "bigint of MAX_TEXT + 1 digits": {"$": "bigint", "hex": "f" * (codec.MAX_TEXT + 1)},
    "bigint with underscores": {"$": "bigint", "hex": "1_000"},
    "bigint with a prefix": {"$": "bigint", "hex": "0x10"},
    "bigint in decimal text": {"$": "bigint", "text": "100"},
    "float as a str": {"$": "float", "value": "nan"},
    "float as an int": {"$": "float", "value": 2**64 - 1},
    "a list node with a dict for items": {"$": "list", "items": {"a": 1}},
    "a dict node with a bad pair": {"$": "dict", "items": [["a"]]},
    "a dict node with an int key": {"$": "dict", "items": [[1, 2]]},
    "a scenario from the learner": {"$": "scenario", "name": "x", "params": {"$": "dict", "items": []}},
    "a generator from the learner": {"$": "generator", "items": []},
    "a ref with a str id": {"$": "ref", "id": "1", "type": "x", "callable": False},
    "a pickle tag": {"$": "pickle", "data": b"cos\nsystem\n"},
    "a tag that is not a str": {"$": 1},
    "bytes where a value goes": b"abc",
    "a bare list": [1, 2],
    "list nodes nested 40 deep": {"$": "list", "items": []},  # filled in below
}
deep = {"$": "list", "items": []}
for _ in range(40):
    deep = {"$": "list", "items": [deep]}
NODES["list nodes nested 40 deep"] = deep
