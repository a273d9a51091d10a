"""The wire format decodes strictly: exact types, allowed dtypes, sizes that match."""

from __future__ import annotations

import os
import socket
import struct
import threading

import msgpack
import numpy as np
import pytest
import torch

from grader.sandbox import codec, seam
from grader.sandbox.learner_process import LearnerSide, LiveObjects, Refs, serve

from . import forged_frames


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


# ---------------------------------------------------------------- forged frames (judge side)


@pytest.mark.parametrize("name", sorted(forged_frames.SMALL))
def test_forged_frames_are_refused_while_unpacking(name):
    with pytest.raises(codec.ProtocolError):
        codec.unpack(forged_frames.SMALL[name])


def test_a_frame_nested_deeper_than_any_message_is_refused_while_unpacking():
    """Within msgpack's own stack limit, but far deeper than a message: refused before it is used."""
    too_deep = b"\x91" * (codec.MAX_WIRE_DEPTH + 1) + b"\xc0"
    with pytest.raises(codec.ProtocolError, match="nested too deeply"):
        codec.unpack(too_deep)
    codec.unpack(b"\x91" * (codec.MAX_WIRE_DEPTH - 1) + b"\xc0")


def test_the_object_cap_is_counted_across_arrays():
    """Each array is short; together they hold more objects than the cap allows."""
    with pytest.raises(codec.ProtocolError, match="objects"):
        codec.unpack(forged_frames.rows(b"\x90", size=codec.MAX_OBJECTS + 10))
    assert len(codec.unpack(forged_frames.rows(b"\x90", size=codec.MAX_OBJECTS // 2))) == 6


@pytest.mark.parametrize("name", sorted(forged_frames.NODES))
def test_forged_nodes_are_refused_by_the_judge(name):
    node = forged_frames.NODES[name]
    with pytest.raises(codec.ProtocolError):
        codec.decode(codec.unpack(codec.pack(node)[4:]))


LEARNER_ONLY = {"a scenario from the learner", "a generator from the learner"}  # fine the other way


@pytest.mark.parametrize("name", sorted(set(forged_frames.NODES) - LEARNER_ONLY))
def test_forged_nodes_are_refused_by_the_learner_side(name):
    with pytest.raises(codec.ProtocolError):
        codec.build(forged_frames.NODES[name], LiveObjects(Refs()))


def test_largest_real_answers_still_decode():
    big = torch.arange(codec.MAX_ELEMENTS, dtype=torch.float64)
    assert torch.equal(roundtrip(big).value, big)
    history = [float(i) / 7 for i in range(codec.MAX_ITEMS)]  # a long loss history
    assert roundtrip(history) == history
    leaf = torch.ones(2, requires_grad=True)
    leaf.grad = torch.ones(2)
    nested = [leaf]
    for _ in range(codec.MAX_DEPTH):
        nested.append({"inner": nested[-1]})
    answer = {codec.Key.VALUE: codec.encode(nested[-1]),  # the deepest of each part of a message
              codec.Key.ARGS: codec.encode({codec.Key.POSITIONAL: [nested[-3]]}, Refs())}
    request = {codec.Key.ARGS: [codec.encode(nested[-1])], codec.Key.KWARGS: codec.encode({"k": nested[-2]})}
    for message in answer, request:
        for node in codec.unpack(codec.pack(message)[4:]).values():
            seen = codec.decode(node[0] if type(node) is list else node)
            while not isinstance(seen, codec.TensorSeen):
                seen = next(iter(seen.values())) if isinstance(seen, dict) else seen[0]
            assert torch.equal(seen.grad, leaf.grad)


def test_bool_data_must_be_zeros_and_ones():
    node = codec.encode(torch.tensor([True, False]))
    node["data"] = b"\x01\x02"
    with pytest.raises(codec.ProtocolError, match="bool"):
        codec.decode(node)


def forged_answer(payload: bytes, header: bytes | None = None) -> Exception:
    """What the judge's ``LearnerProcess.request`` raises when the learner process answers this."""
    judge_end, learner_end = socket.socketpair()
    frame = (header or struct.pack("!I", len(payload))) + payload
    writer = threading.Thread(target=learner_end.sendall, args=(frame,))  # more than a socket buffer
    with judge_end, learner_end:
        writer.start()
        process = object.__new__(seam.LearnerProcess)  # no process: the socket is all it uses
        process.sock = judge_end
        with pytest.raises(seam.LearnerProtocolError) as raised:
            process.request({codec.Key.OP: codec.Op.LOAD}, timeout=5)
        judge_end.shutdown(socket.SHUT_RDWR)  # a writer still sending stops
        writer.join()
    return raised.value


@pytest.mark.parametrize("name", ["an array declaring 2**32-1 items", "a timestamp ext", "trailing bytes",
                                  "nesting 100 000 maps deep", "a truncated payload"])
def test_an_unreadable_answer_is_a_protocol_error_in_words(name):
    error = forged_answer(forged_frames.SMALL[name])
    assert str(error).startswith("the learner process sent an answer the grader cannot read: ")


def test_an_oversized_frame_is_refused_before_it_is_read():
    error = forged_answer(b"", header=struct.pack("!I", codec.MAX_MESSAGE_BYTES + 1))
    assert "over the cap" in str(error)


def test_an_answer_that_is_not_a_map_is_refused():
    assert "not a map" in str(forged_answer(msgpack.packb([1, 2])))


@pytest.mark.parametrize("report", [
    None,
    {"type": "ValueError", "mro": ["ValueError"], "message": "m"},  # line missing is fine
    {"type": ["x"] * 3, "mro": [], "message": "", "line": None},
    {"type": "E", "mro": "E", "message": "", "line": None},
    {"type": "E", "mro": [["E"]], "message": "", "line": None},
    {"type": "E", "mro": ["E"], "message": b"bytes", "line": None},
    {"type": "E", "mro": ["E"], "message": "", "line": 1.5},
])
def test_exception_reports_are_checked_field_by_field(report):
    if report is not None and "line" not in report:
        assert seam._raised(report).line is None
        return
    with pytest.raises(seam.LearnerProtocolError, match="cannot read: a malformed exception report"):
        seam._raised(report)


# ---------------------------------------------------------------- one codec, both ways


def learner_side(tmp_path, source: str) -> LearnerSide:
    kata = tmp_path / "kata.py"
    kata.write_text(source)
    folder = os.open(tmp_path, os.O_PATH | os.O_DIRECTORY)
    side = LearnerSide(str(kata), source.encode(), folder)
    assert side.handle({codec.Key.OP: codec.Op.LOAD}) == {codec.Key.LOADED: True}
    return side


def call(side: LearnerSide, fn: str, *args, **kwargs) -> dict:
    request = {codec.Key.OP: codec.Op.CALL, codec.Key.TARGET: {codec.Key.FN: fn},
               codec.Key.ARGS: [codec.encode(arg) for arg in args], codec.Key.KWARGS: codec.encode(kwargs),
               codec.Key.BACKWARD: False}
    answer = codec.unpack(codec.pack(side.handle(codec.unpack(codec.pack(request)[4:])))[4:])
    return {key: codec.decode(value) if key in (codec.Key.VALUE, codec.Key.ARGS) else value
            for key, value in answer.items()}


def test_the_learner_side_reads_every_tag_the_judge_sends(tmp_path):
    side = learner_side(tmp_path, "def echo(*args, **kwargs):\n    return [list(a) if hasattr(a, '__next__')"
                                  " else a for a in args], kwargs\n")
    args = (2**70, -(2**64), 1.5, np.float32(2.5), np.arange(3), torch.ones(2), codec.AsGenerator((1, 2)))
    answer = call(side, "echo", *args, big=2**100)
    returned, kwargs = answer[codec.Key.VALUE]
    assert returned[:3] == [2**70, -(2**64), 1.5] and returned[-1] == [1, 2]
    assert kwargs == {"big": 2**100}
    assert answer[codec.Key.ARGS][codec.Key.GENERATORS] == [[1, 2]]


def test_the_learner_side_answers_every_op(tmp_path):
    side = learner_side(tmp_path, "import torch\n\ndef model():\n    return torch.nn.Linear(2, 1)\n")
    made = call(side, "model")[codec.Key.VALUE]
    assert isinstance(made, codec.Ref)
    inspected = side.handle({codec.Key.OP: codec.Op.INSPECT, codec.Key.REF: made.id})
    assert codec.decode(inspected[codec.Key.VALUE])["type"] == "torch.nn.modules.linear.Linear"
    missing = side.handle({codec.Key.OP: codec.Op.CALL, codec.Key.TARGET: {codec.Key.FN: "nope"}})
    assert codec.Key.MISSING in missing
    with pytest.raises(codec.ProtocolError, match="unknown op"):
        side.handle({codec.Key.OP: "unpickle"})


def test_the_learner_side_answers_an_unreadable_request_then_hangs_up(tmp_path):
    """It reads frames with the judge's reader, caps included, and says why it stops."""
    judge_end, learner_end = socket.socketpair()
    with judge_end, learner_end:
        judge_end.sendall(struct.pack("!I", 5) + forged_frames.SMALL["an array declaring 2**32-1 items"])
        serve(learner_end, str(tmp_path / "kata.py"), b"", os.open(tmp_path, os.O_PATH))
        answer = codec.receive(judge_end)
    assert "unreadable request" in answer[codec.Key.BROKEN]
