"""A kata whose code exits, crashes, hangs, floods or patches libraries costs that kata alone."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

import pytest

from grader.grading.engine import Engine
from grader.sandbox.limits import Limits
from grader.submission import Located

from .conftest import SOLUTIONS, build_submission, in_forked_child

PATCHES = """
import numpy, pytest, torch, math
torch.allclose = lambda *a, **k: True
torch.isclose = lambda a, b, *r, **k: torch.ones_like(a, dtype=torch.bool)
torch.equal = lambda *a, **k: True
torch.Tensor.__eq__ = lambda *a, **k: True
numpy.allclose = lambda *a, **k: True
numpy.isclose = lambda *a, **k: True
math.isclose = lambda *a, **k: True
pytest.approx = lambda expected, *a, **k: expected
"""

ZERO_MSE_NP = "def mse_np(y_pred, y):\n    return 0.0\n"

# kata -> (its hostile source, the status it must get; | separates acceptable ones)
HOSTILE = {
    "01_autograd/derivative": ("import sys\nsys.exit(0)\n", "error"),
    "01_autograd/vjp": ("import os\nos._exit(0)\n", "error"),
    "01_autograd/accumulation": ("while True:\n    pass\n", "timeout"),
    "02_losses/mse": ("import os\n\ndef mse(y_pred, y):\n    os._exit(7)\n", "error"),
    "02_losses/sqrt_loss": ("import ctypes\n\ndef sqrt_loss(guess, n):\n    ctypes.string_at(0)\n",
                            "error"),
    "02_losses/mse_numpy": (PATCHES + "\n" + ZERO_MSE_NP, "failed"),
    "03_gradients/scalar_grad": ("def dmse_dw(x, y, w):\n    while True:\n        print('x' * 10000)\n",
                                 "timeout"),
    "03_gradients/linear_grad": ("import time\n\ndef linear_grad(t_u, t_c, w, b):\n"
                                 "    while True:\n        time.sleep(1)\n", "timeout"),
    "03_gradients/matrix_grad": ("import torch\n\ndef matrix_grad(X, y, a):\n    hoard = []\n"
                                 "    while True:\n        hoard.append(torch.ones(50_000_000))\n",
                                 "failed|timeout"),  # the 2 GiB cap or the clock, whichever first
    "03_gradients/sqrt_grad": ("hoard = []\nwhile True:\n    hoard.append(bytearray(200_000_000))\n",
                               "error|timeout"),
}


@pytest.fixture(scope="module")
def quick_engine():
    # the hostile katas are in topics 01-03; topic 04 and the rest of 03 grade after them
    with Engine(limits=Limits(per_test=2, per_kata=4, per_import=2),
                katas=["01_autograd", "02_losses", "03_gradients", "04_updates"]) as running:
        yield running


@pytest.fixture(scope="module")
def reference(quick_engine):
    return {kata.id: kata for kata in quick_engine.grade(SOLUTIONS).katas}


def live_children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def test_hostile_katas_cost_only_themselves(quick_engine, reference, tmp_path):
    """Each hostile kata earns only what its code earns honestly; every other kata is untouched."""
    root = build_submission(tmp_path / "hostile", {k: source for k, (source, _) in HOSTILE.items()})
    grade = quick_engine.grade(root)
    honest = build_submission(tmp_path / "honest", {"02_losses/mse_numpy": ZERO_MSE_NP})
    honest_score = quick_engine.grade(honest, ["02_losses/mse_numpy"]).katas[0].score
    for kata in grade.katas:
        if kata.id in HOSTILE:
            expected = honest_score if kata.id == "02_losses/mse_numpy" else 0
            assert kata.score == expected, (kata.id, kata.tests)
            assert kata.status in HOSTILE[kata.id][1].split("|"), (kata.id, kata.status,
                                                                   kata.tests[0].message)
        else:
            assert kata == reference[kata.id], kata.id


def test_patching_libraries_changes_no_check(quick_engine, tmp_path):
    """A correct mse that also patches torch, numpy, math and pytest at import keeps full marks,
    and a wrong one that patches them still loses its points."""
    correct = PATCHES + (SOLUTIONS / "02_losses/mse.py").read_text()
    wrong = correct.replace("((y_pred - y) ** 2).mean()", "((y_pred - y) ** 2).sum()")
    assert wrong != correct
    for source, full in ((correct, True), (wrong, False)):
        root = build_submission(tmp_path / str(full), {"02_losses/mse": source})
        kata = quick_engine.grade(root, ["02_losses/mse"]).katas[0]
        assert (kata.score == kata.max_score) is full, kata.tests


def test_nothing_keeps_running(quick_engine, tmp_path):
    root = build_submission(tmp_path, {
        "03_gradients/scalar_grad": HOSTILE["03_gradients/scalar_grad"][0],
        "02_losses/mse": "import os\nos.fork()\nos.fork()\nfrom mse_real import *\n",
    })
    (root / "exercises/02_losses/mse_real.py").write_text((SOLUTIONS / "02_losses/mse.py").read_text())
    quick_engine.grade(root, ["03_gradients/scalar_grad", "02_losses/mse"])
    deadline = time.monotonic() + 3
    while live_children(quick_engine._zygote.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert live_children(quick_engine._zygote.pid) == []


def test_a_missing_file_is_missing(quick_engine, tmp_path):
    root = build_submission(tmp_path)
    os.remove(root / "exercises/02_losses/mse.py")
    kata = quick_engine.grade(root, ["02_losses/mse"]).katas[0]
    assert kata.status == "missing" and kata.score == 0
    assert "missing" in kata.tests[0].message


def test_a_syntax_error_is_an_error_with_its_line(quick_engine, tmp_path):
    root = build_submission(tmp_path, {"02_losses/mse": "import torch\n\ndef mse(y_pred, y)\n    pass\n"})
    kata = quick_engine.grade(root, ["02_losses/mse"]).katas[0]
    assert kata.status == "error"
    assert "does not import" in kata.tests[0].message and "line 3" in kata.tests[0].message


def test_an_interrupted_spawn_never_hands_its_late_answer_to_the_next(quick_engine):
    """A test's time limit may strike between a spawn request and its answer; the next spawn
    must get its own process, not that late answer (it once got the previous kata's)."""
    from grader.sandbox import seam

    def judge() -> dict:  # forked by the grader that started the server, as judges are
        client = seam.ZygoteClient(quick_engine.socket_path)
        real_recv = seam.socket.recv_fds
        calls = []

        def interrupted_once(*args, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise TimeoutError("the test's time limit")  # the answer stays unread
            return real_recv(*args, **kwargs)

        seam.socket.recv_fds = interrupted_once
        folder = os.open(SOLUTIONS / "01_autograd", os.O_PATH | os.O_DIRECTORY)
        try:
            client.spawn(os.open(SOLUTIONS / "01_autograd" / "derivative.py", os.O_RDONLY), folder,
                         "derivative.py")
        except TimeoutError:
            pass
        learner = seam.Learner("02_losses/mse", Located(SOLUTIONS, PurePosixPath(".")), client,
                               Limits(per_test=5, per_kata=10))
        import torch

        outcome = learner.call("mse", torch.tensor([1.0, 3.0]), torch.tensor([1.0, 1.0]))
        return {"returned": repr(outcome.returned)}

    seen = in_forked_child(judge)
    assert "value=tensor(2.)" in seen.get("returned", ""), seen


def test_a_batch_server_moves_its_memory_to_huge_pages():
    """Forks of a batch's servers copy one page-table entry per 2 MiB (Linux 6.1+)."""
    probe = ("from grader.sandbox import warmup\nheld = bytearray(64 * 2**20)\n"
             "held[::4096] = b'x' * (len(held) // 4096)\n"
             "moved = warmup.use_huge_pages()\n"
             "huge = [l for l in open('/proc/self/smaps_rollup') if l.startswith('AnonHugePages')]\n"
             "print(moved, int(huge[0].split()[1]) * 1024)\n")
    for _ in range(3):  # the kernel finds no free 2 MiB page now and then, when memory is fragmented
        moved, huge = map(int, subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                              check=True).stdout.split())
        if moved:
            break
    if moved == 0 and tuple(map(int, os.uname().release.split(".")[:2])) < (6, 1):
        pytest.skip("MADV_COLLAPSE needs Linux 6.1")
    assert moved >= 32 * 2**20, f"only {moved} bytes were moved to huge pages"
    assert huge >= 32 * 2**20, f"the kernel reports {huge} bytes on huge pages"
