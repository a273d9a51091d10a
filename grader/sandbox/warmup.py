"""Ready a parent to fork judges or learners: pay torch's lazy first-use costs once, and for a
batch move its memory to huge pages so that each fork is cheap.

The first vector backward imports sympy (~0.7 s) and the first optimizer step imports much of
torch's compiler stack (~2 s): paid in every fresh process, they would dwarf a kata's tests.
Only tiny tensors are used, so no OpenMP pool starts before a fork (see ISOLATION's trap).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator


@contextlib.contextmanager
def _no_compiler_cache_left() -> Iterator[None]:
    """Importing torch._dynamo (the optimizer step does) makes torch's compiler cache folder,
    ``$TMPDIR/torchinductor_$USER`` unless told otherwise, and nothing ever removes it: point it
    at a folder of ours for the warm-up and remove that. One the caller chose is left alone."""
    if "TORCHINDUCTOR_CACHE_DIR" in os.environ:
        yield
        return
    folder = tempfile.mkdtemp(prefix="grader-torch-cache-")
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = folder
    try:
        yield
    finally:
        del os.environ["TORCHINDUCTOR_CACHE_DIR"]  # the folder goes: so must the pointer to it
        shutil.rmtree(folder, ignore_errors=True)


def warm_torch() -> None:
    with _no_compiler_cache_left():
        _warm_torch()


def _warm_torch() -> None:
    import numpy as np
    import torch
    from torch import nn

    x = torch.ones(3, dtype=torch.float64, requires_grad=True)
    (x * 2).backward(torch.ones(3, dtype=torch.float64))
    torch.autograd.grad((x**2).sum(), x)
    torch.func.grad(lambda t: (t**2).sum())(torch.ones(2))
    model = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1))
    for optimizer in (torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9),
                      torch.optim.SGD(model.parameters(), lr=0.1)):
        loss = nn.MSELoss()(model(torch.ones(4, 2)), torch.zeros(4, 1))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    torch.randperm(4, generator=torch.Generator().manual_seed(0))
    np.mean((np.arange(4.0) - 1.0) ** 2)


_MADV_HUGEPAGE, _MADV_COLLAPSE = 14, 25  # Linux: madvise(2); MADV_COLLAPSE from 6.1
_HUGE_PAGE = 2 * 1024 * 1024


def use_huge_pages() -> int:
    """Back this process's private memory with 2 MiB pages where the kernel can (Linux 6.1+).

    A fork copies one page-table entry per 2 MiB instead of 512, and the child's exit frees as
    few: for a ~220 MB torch process, fork plus exit drops from ~12 ms to ~4 ms
    (bench/fork_cost.py), which counts when a batch forks a learner process per kata. A write
    after the fork still copies only 4 KiB. Returns the bytes now on huge pages (0 where the
    kernel cannot); worth its ~0.6 s only in a process that will fork hundreds of times.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    collapsed = 0
    with open("/proc/self/maps") as maps:
        regions = [line.split() for line in maps]
    for fields in regions:
        low, high = (int(bound, 16) for bound in fields[0].split("-"))
        anonymous = len(fields) < 6 or fields[5] == "[heap]"
        if not (anonymous and fields[1].startswith("rw") and fields[1][3] == "p"):
            continue
        start = -(-low // _HUGE_PAGE) * _HUGE_PAGE
        end = high // _HUGE_PAGE * _HUGE_PAGE
        if end <= start:
            continue
        libc.madvise(start, end - start, _MADV_HUGEPAGE)
        if libc.madvise(start, end - start, _MADV_COLLAPSE) == 0:
            collapsed += end - start
    return collapsed
