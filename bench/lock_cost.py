"""What the locks cost: the same submissions graded with every lock and with none.

    .venv/bin/python bench/lock_cost.py [--runs 7]

Two warm engines, one whose learner processes lock down (``lockdown``) and one started with
``--no-locks``, grade the solutions and the stubs in turn. It prints the median wall time per
submission for each, and the difference per kata (a learner process per kata), against the
target of at most 30 ms per kata. It also times ``lockdown.apply`` alone in forked children.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def apply_alone(runs: int) -> list[float]:
    """Seconds for ``lockdown.apply`` in a fresh child of this process, as a learner pays it."""
    from grader.sandbox import lockdown

    scratch_root = tempfile.mkdtemp(prefix="bench-locks-")
    plan = lockdown.prepare(scratch_root, privileged=False)  # the server's one-time set-up aside
    lockdown.filter_server(plan)  # as the server does: learners inherit its seccomp filter
    folder = os.open(REPO / "exercises" / "02_losses", os.O_PATH | os.O_DIRECTORY)
    times = []
    for run in range(runs):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                scratch = os.path.join(scratch_root, str(run))
                os.mkdir(scratch)
                started = time.perf_counter()
                lockdown.apply(plan, scratch, folder, uid=None)
                os.write(write_end, f"{time.perf_counter() - started}".encode())
            finally:
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end) as pipe:
            times.append(float(pipe.read() or "nan"))
        os.waitpid(pid, 0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs

    from grader.grading.engine import Engine

    with Engine() as locked, Engine(locked=False) as open_:
        print(f"locks active: {', '.join(locked.locks['active'])}"
              + (f"; inactive: {', '.join(locked.locks['inactive'])}" if locked.locks["inactive"] else ""))
        katas = len(locked.manifest.katas)
        for folder in ("solutions", "exercises"):
            walls: dict[str, list[float]] = {"locked": [], "open": []}
            for _ in range(runs):  # interleaved, so drift in the machine's load hits both alike
                for name, engine in (("locked", locked), ("open", open_)):
                    started = time.perf_counter()
                    engine.grade(REPO / folder)
                    walls[name].append(time.perf_counter() - started)
            with_locks, without = statistics.median(walls["locked"]), statistics.median(walls["open"])
            print(f"{folder}: with locks {with_locks:.3f} s, without {without:.3f} s per submission; "
                  f"locks cost {(with_locks - without) / katas * 1000:+.1f} ms per kata "
                  f"({katas} katas, median of {runs}; target at most 30 ms)")
    alone = apply_alone(max(runs, 20))
    print(f"lockdown.apply alone (rlimits, Landlock; no uid or cgroups as planned for a normal user): "
          f"median {statistics.median(alone) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
