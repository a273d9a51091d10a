"""What a fork of a warmed server costs, with its memory on 4 KiB pages and on 2 MiB pages.

    .venv/bin/python bench/fork_cost.py [--forks 40]

Warms torch as the learner-process server does (``warmup.warm_torch``, ``gc.freeze``), then
forks children that do nothing, a small backward pass, or a 5000-step loop, and exit. It prints
per fork: the wall time, the parent's system time (copying page tables), the child's system
time (its faults and its exit) and minor faults; then moves the memory to huge pages
(``warmup.use_huge_pages``) and measures again. A batch forks a learner process per kata.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grader.sandbox import warmup  # noqa: E402


def nothing() -> None:
    pass


def small_backward() -> None:
    import torch

    x = torch.ones(3, requires_grad=True)
    ((x * 2 - 1) ** 2).mean().backward()


def training_loop() -> None:
    import torch

    params, x, y = torch.tensor([1.0, 0.0]), torch.rand(11), torch.rand(11)
    for _ in range(5000):
        residual = params[0] * x + params[1] - y
        params = params - 1e-2 * torch.stack([(2 * residual * x).mean(), (2 * residual).mean()])


def measure(work: Callable[[], None], forks: int) -> str:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    for _ in range(forks):
        pid = os.fork()
        if pid == 0:
            work()
            os._exit(0)
        os.waitpid(pid, 0)
    wall = (time.perf_counter() - started) / forks
    own2, children2 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return (f"  {work.__name__:15s} {wall * 1e3:6.1f} ms per fork; parent system "
            f"{(own2.ru_stime - own.ru_stime) / forks * 1e3:4.1f} ms, child system "
            f"{(children2.ru_stime - children.ru_stime) / forks * 1e3:4.1f} ms, child faults "
            f"{(children2.ru_minflt - children.ru_minflt) / forks:5.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forks", type=int, default=40)
    args = parser.parse_args()
    warmup.warm_torch()
    gc.collect()
    gc.freeze()
    works = (nothing, small_backward, training_loop)
    print("4 KiB pages:")
    for work in works:
        print(measure(work, args.forks))
    started = time.perf_counter()
    collapsed = warmup.use_huge_pages()
    print(f"2 MiB pages ({collapsed / 2**20:.0f} MiB moved in {time.perf_counter() - started:.2f} s):")
    for work in works:
        print(measure(work, args.forks))


if __name__ == "__main__":
    main()
