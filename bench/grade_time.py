"""How long grading one submission takes: the command end to end, and the engine's parts.

    .venv/bin/python bench/grade_time.py [--runs 5]

Reports the median wall time of `grader grade solutions` as a fresh command (what an instructor
waits for), then, inside one process, the engine's start-up and the time per submission for
the solutions (every test runs to the end) and the stubs (every test fails fast).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    grader = [sys.executable, "-m", "grader", "grade", "--format", "json"]

    def command(folder: str):
        return lambda: subprocess.run([*grader, str(REPO / folder)], check=True,
                                      capture_output=True, cwd=REPO)

    cold = [timed(command("solutions")) for _ in range(runs)]
    print(f"grader grade solutions, fresh process: median {statistics.median(cold):.2f} s "
          f"(min {min(cold):.2f}, max {max(cold):.2f}, {runs} runs)")

    from grader.grading.engine import Engine

    started = time.perf_counter()
    with Engine() as engine:
        print(f"engine start-up (learner-process server ready): {time.perf_counter() - started:.2f} s")
        for folder in ("solutions", "exercises"):
            walls = [timed(lambda f=folder: engine.grade(REPO / f)) for _ in range(runs)]
            print(f"one submission ({folder}), warm engine: median {statistics.median(walls):.2f} s "
                  f"(min {min(walls):.2f}, max {max(walls):.2f})")


if __name__ == "__main__":
    main()
