"""The wire format decodes strictly: exact types, allowed dtypes, sizes that match."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from grader import codec


def roundtrip(value):
    return codec.decode(codec.unpack(codec.pack(codec.encode(value))[4:]))


def test_plain_values_keep_their_exact_types():
    assert roundtrip([1, 2.5, True, None, "x", (3.0,)]) == [1, 2.5, True, None, "x", (3.0,)]
    assert type(roundtrip(2.0)) is float
    assert type(roundtrip((1.0, [2.0]))) is tuple
    assert roundtrip(2**70) == 2**70


def test_tensors_keep_values_dtype_and_flags():
    leaf = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
    leaf.grad = torch.tensor([0.5, 0.25], dtype=torch.float64)
    seen = roundtrip(leaf)
    assert isinstance(seen, codec.TensorSeen) and seen.exact
    assert torch.equal(seen.value, leaf.detach()) and seen.value.dtype == torch.float64
    assert seen.requires_grad and seen.is_leaf and not seen.has_graph
    assert torch.equal(seen.grad, leaf.grad)
    assert roundtrip(leaf * 2).has_graph
    assert roundtrip(torch.tensor(3.0, dtype=torch.bfloat16)).value.item() == 3.0


def test_subclasses_and_numpy_scalars_are_named():
    assert roundtrip(torch.nn.Parameter(torch.ones(2))).type_name == "torch.nn.parameter.Parameter"
    scalar = roundtrip(np.float64(1.5))
    assert isinstance(scalar, codec.NumpyScalarSeen) and scalar.dtype == "float64"
    array = roundtrip(np.arange(6, dtype=np.float32).reshape(2, 3))
    assert array.value.shape == (2, 3) and array.value.dtype == np.float32


def test_lying_subclass_cannot_hide_its_bytes():
    class Liar(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return torch.zeros(2)

    liar = torch.ones(2).as_subclass(Liar)
    seen = roundtrip(liar)
    assert not seen.exact and torch.equal(seen.value, torch.ones(2))


@pytest.mark.parametrize("node, problem", [
    ({"$": "tensor", "dtype": "complex64", "shape": [1], "data": b"\0" * 8, "type": "t",
      "rg": False, "graph": False, "leaf": True, "storage": 0}, "not allowed"),
    ({"$": "tensor", "dtype": "float32", "shape": [3], "data": b"\0" * 8, "type": "t",
      "rg": False, "graph": False, "leaf": True, "storage": 0}, "does not match"),
    ({"$": "tensor", "dtype": "float32", "shape": [10**9], "data": b"", "type": "t",
      "rg": False, "graph": False, "leaf": True, "storage": 0}, "size cap"),
    ({"$": "pickle", "data": b"cos\nsystem\n"}, "unknown tag"),
    ({"$": "tensor", "dtype": "float32"}, "missing"),
    ([1, 2], "unexpected list"),
])
def test_malformed_data_is_rejected(node, problem):
    with pytest.raises(codec.ProtocolError, match=problem):
        codec.decode(node)


def test_objects_without_a_handle_table_are_refused():
    with pytest.raises(codec.ProtocolError):
        codec.encode(object())
