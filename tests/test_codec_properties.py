"""Properties of the wire format: every value the seam carries comes back equal, both ways, and no
frame, however forged, gets anything out of the reader but a ProtocolError."""

from __future__ import annotations

import math
import struct

import msgpack
import numpy as np
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.sandbox import codec
from grader.sandbox.learner_process import LiveObjects, Refs

from . import forged_frames

SHAPES = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)  # 0-d and empty included
# no example database: runs leave nothing behind in the work tree
BASE = settings(database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BIG_INTS = st.integers(min_value=-(2**codec.MAX_INT_BITS) + 1, max_value=2**codec.MAX_INT_BITS - 1)


@st.composite
def arrays(draw) -> np.ndarray:
    """Of every allowed dtype, in either byte order, some of them transposed (not contiguous)."""
    dtype = np.dtype(draw(st.sampled_from(sorted(codec.NUMPY_DTYPES))))
    array = draw(hnp.arrays(dtype.newbyteorder(draw(st.sampled_from("<>"))), SHAPES))
    return array.T if draw(st.booleans()) else array


@st.composite
def tensors(draw) -> torch.Tensor:
    dtype_name = draw(st.sampled_from(sorted(codec.TORCH_DTYPES)))
    dtype = codec.TORCH_DTYPES[dtype_name]
    source = "float32" if dtype_name == "bfloat16" else dtype_name  # numpy has no bfloat16
    shape = draw(SHAPES)
    tensor = torch.from_numpy(draw(hnp.arrays(np.dtype(source), shape))).to(dtype)
    if tensor.dim() >= 2 and draw(st.booleans()):
        tensor = tensor.transpose(0, 1)  # a view, not contiguous
        shape = tensor.shape
    if dtype.is_floating_point and draw(st.booleans()):
        tensor.requires_grad_(True)
        if draw(st.booleans()):
            grad = torch.from_numpy(draw(hnp.arrays(np.dtype(source), shape))).to(dtype)
            tensor.grad = grad
    return tensor


numpy_scalars = st.sampled_from(sorted(codec.NUMPY_DTYPES)).flatmap(
    lambda name: hnp.from_dtype(np.dtype(name)).map(np.dtype(name).type))

leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), BIG_INTS, st.floats(), st.text(max_size=20),
    tensors(), arrays(), numpy_scalars,
)
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=12,
)


def same_bits(a: torch.Tensor | np.ndarray, b: torch.Tensor | np.ndarray) -> bool:
    """Equal dtype, shape and bytes: nan equals nan, -0.0 is not 0.0."""
    if isinstance(a, torch.Tensor):
        return a.dtype == b.dtype and a.shape == b.shape and codec.tensor_bytes(a) == codec.tensor_bytes(b)
    a = a.astype(a.dtype.newbyteorder("="))  # what arrives is in this machine's byte order
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def same_scalar(a: object, b: object) -> bool:
    if type(a) is float:
        return type(b) is float and struct.pack("!d", a) == struct.pack("!d", b)
    return type(a) is type(b) and a == b


def assert_same_tree(sent: object, got: object, leaf) -> None:
    """Lists, tuples and dicts alike on both sides, every leaf checked by ``leaf(sent, got)``."""
    if type(sent) in (list, tuple):
        assert type(got) is type(sent) and len(got) == len(sent)
        for a, b in zip(sent, got, strict=True):
            assert_same_tree(a, b, leaf)
    elif type(sent) is dict:
        assert type(got) is dict and list(got) == list(sent)
        for key in sent:
            assert_same_tree(sent[key], got[key], leaf)
    else:
        leaf(sent, got)


def _live_leaf(sent: object, built: object) -> None:
    if isinstance(sent, torch.Tensor):
        assert type(built) is torch.Tensor and same_bits(sent.detach(), built.detach())
        assert built.requires_grad == sent.requires_grad
        assert (built.grad is None) == (sent.grad is None)
        assert sent.grad is None or same_bits(sent.grad, built.grad)
    elif isinstance(sent, np.ndarray):
        assert type(built) is np.ndarray and same_bits(sent, built)
    elif isinstance(sent, np.generic):
        assert type(built) is type(sent) and built.tobytes() == sent.tobytes()
    else:
        assert same_scalar(sent, built), (sent, built)


def _seen_leaf(sent: object, seen: object) -> None:
    if isinstance(sent, torch.Tensor):
        assert isinstance(seen, codec.TensorSeen) and seen.exact
        assert same_bits(sent.detach(), seen.value)
        assert (seen.requires_grad, seen.is_leaf, seen.has_graph) == (sent.requires_grad, sent.is_leaf,
                                                                      sent.grad_fn is not None)
        assert (seen.grad is None) == (sent.grad is None)
        assert sent.grad is None or same_bits(sent.grad, seen.grad)
    elif isinstance(sent, np.ndarray):
        assert isinstance(seen, codec.ArraySeen) and same_bits(sent, seen.value)
    elif isinstance(sent, np.generic):
        assert isinstance(seen, codec.NumpyScalarSeen) and seen.dtype == sent.dtype.name
        assert same_scalar(sent.item(), seen.value)
    else:
        assert same_scalar(sent, seen), (sent, seen)


def assert_live_equal(sent: object, built: object) -> None:
    """What the learner side built is what the judge sent, type for type."""
    assert_same_tree(sent, built, _live_leaf)


def assert_seen_equal(sent: object, seen: object) -> None:
    """What the judge decoded is what the learner side sent, flags and all."""
    assert_same_tree(sent, seen, _seen_leaf)


def over_the_wire(node: object) -> object:
    frame = codec.pack(node)
    (length,) = struct.unpack("!I", frame[:4])
    assert length == len(frame) - 4
    return codec.unpack(frame[4:])


@settings(BASE, max_examples=300)
@given(values)
def test_judge_to_learner(value):
    built = codec.build(over_the_wire(codec.encode(value)), LiveObjects(Refs()))
    assert_live_equal(value, built)


@settings(BASE, max_examples=300)
@given(values)
def test_learner_to_judge(value):
    seen = codec.decode(over_the_wire(codec.encode(value, Refs())))
    assert_seen_equal(value, seen)


@settings(BASE, max_examples=50)
@given(tensors())
def test_tensors_with_a_graph_keep_its_flags(tensor):
    if not tensor.requires_grad:
        tensor = tensor.double().requires_grad_(True)
    result = tensor * 2
    seen = codec.decode(over_the_wire(codec.encode(result, Refs())))
    assert seen.has_graph and not seen.is_leaf and seen.requires_grad and seen.grad is None
    assert torch.equal(seen.value.nan_to_num(), result.detach().nan_to_num())


# ---------------------------------------------------------------- forged input


def only_protocol_errors(payload: bytes) -> None:
    """Reading and decoding ``payload`` either works or raises ProtocolError, both ways."""
    try:
        node = codec.unpack(payload)
    except codec.ProtocolError:
        return
    for read in (codec.decode, lambda n: codec.build(n, LiveObjects(Refs()))):
        try:
            read(node)
        except codec.ProtocolError:
            pass


@settings(BASE, max_examples=500)
@given(st.binary(max_size=200))
def test_random_bytes_raise_only_protocol_errors(payload):
    only_protocol_errors(payload)


plain = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**64 - 1), st.floats(),
              st.text(max_size=10), st.binary(max_size=10)),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=6), children, max_size=4)),
    max_leaves=10,
)
FIELDS = ["$", "dtype", "shape", "data", "type", "rg", "graph", "leaf", "storage", "grad", "value", "hex",
          "items", "id", "callable", "name", "params"]


@st.composite
def mutated_nodes(draw) -> object:
    """A real node with some of its fields, at any depth, replaced by junk of any type."""
    node = codec.encode(draw(values), Refs())
    for _ in range(draw(st.integers(1, 3))):
        target = node
        while (isinstance(target, dict) and isinstance(target.get("items"), list) and target["items"]
               and draw(st.booleans())):
            item = draw(st.sampled_from(target["items"]))
            pair = target.get("$") == "dict" and isinstance(item, list) and len(item) == 2
            target = item[1] if pair else item
        if isinstance(target, dict):
            key = draw(st.sampled_from(FIELDS))
            if draw(st.booleans()):
                target[key] = draw(plain | st.sampled_from([[0, 2**64 - 1], [-1], [2**63] * 8, "complex64"]))
            else:
                target.pop(key, None)
    return node


@settings(BASE, max_examples=500)
@given(mutated_nodes())
def test_mutated_nodes_raise_only_protocol_errors(node):
    only_protocol_errors(msgpack.packb(node, use_bin_type=True))


@settings(BASE, max_examples=300)
@given(st.lists(st.sampled_from(sorted(forged_frames.SMALL)), min_size=1, max_size=3), st.binary(max_size=20))
def test_spliced_forged_frames_raise_only_protocol_errors(names, junk):
    payload = b"".join(forged_frames.SMALL[name][:64] for name in names) + junk
    only_protocol_errors(payload)


@settings(BASE, max_examples=100)
@given(st.lists(st.integers(min_value=-(2**63), max_value=2**64 - 1), max_size=10),
       st.sampled_from(sorted(codec.TORCH_DTYPES) + ["complex64", "object", ""]), st.binary(max_size=64))
def test_forged_shapes_raise_only_protocol_errors(shape, dtype, data):
    node = forged_frames.tensor_node(shape=shape, dtype=dtype, data=data)
    valid = (dtype in codec.TORCH_DTYPES and len(shape) <= codec.MAX_DIMS
             and all(0 <= n <= codec.MAX_ELEMENTS for n in shape)
             and math.prod(shape) * codec.TORCH_DTYPES.get(dtype, torch.uint8).itemsize == len(data))
    try:
        seen = codec.decode(node)
    except codec.ProtocolError:
        assert not valid or dtype == "bool"  # bool data is checked for other bytes than 0 and 1
    else:
        assert valid and list(seen.value.shape) == shape
