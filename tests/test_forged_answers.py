"""A kata whose code writes forged frames to the judge's socket gets an error in words for that
kata: never a grader error, a hang, or a judge that fills its memory."""

from __future__ import annotations

import pytest

from grader.grading.engine import Engine
from grader.sandbox.limits import Limits

from .conftest import build_submission

# the learner's code finds its socket to the judge and answers before the real answer can
FORGER = """
import os, stat, struct, time

import msgpack


def mse(y_pred, y):
    payload = {payload}
    frame = memoryview(struct.pack("!I", len(payload)) + payload)
    fd = next(fd for fd in range(3, 256) if _is_socket(fd))
    while frame:
        frame = frame[os.write(fd, frame):]
    time.sleep(30)


def _is_socket(fd):
    try:
        return stat.S_ISSOCK(os.fstat(fd).st_mode)
    except OSError:
        return False
"""

TENSOR = ('{"$": "tensor", "dtype": "float32", "shape": %s, "data": b"", "type": "torch.Tensor", '
          '"rg": False, "graph": False, "leaf": True, "storage": 0, "grad": None}')
EMPTY_ARGS = '{"$": "dict", "items": [["positional", {"$": "list", "items": []}]]}'

CASES = {  # payload expression -> what the kata's message must say
    "30 MB of empty arrays": ('b"\\xdd" + struct.pack("!I", 30 * 2**20) + b"\\x90" * (30 * 2**20)',
                              "cannot read"),
    "nested too deeply": ('b"\\x91" * 1000 + b"\\xc0"', "cannot read"),
    "a timestamp": ("msgpack.packb({'value': msgpack.Timestamp(0)})", "cannot read"),
    "shape [0, 2**64-1]": (f"msgpack.packb({{'value': {TENSOR % '[0, 2**64 - 1]'}, 'args': {EMPTY_ARGS}}})",
                           "size cap"),
    "a negative dimension": (f"msgpack.packb({{'value': {TENSOR % '[-1, 0]'}, 'args': {EMPTY_ARGS}}})",
                             "bad shape"),
}


@pytest.fixture(scope="module")
def quick_engine():
    with Engine(limits=Limits(per_test=5, per_kata=10, per_import=5), katas=["02_losses/mse"]) as running:
        yield running


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_forged_answer_is_that_katas_error(quick_engine, tmp_path, case):
    payload, words = CASES[case]
    root = build_submission(tmp_path, {"02_losses/mse": FORGER.replace("{payload}", payload)})
    kata = quick_engine.grade(root, ["02_losses/mse"]).katas[0]
    assert kata.status == "error" and kata.score == 0, (kata.status, kata.tests[0].message)
    message = kata.tests[0].message
    assert words in message and "grader error" not in message, message
