"""Save-to-verdict latency of `grader watch`, as a learner meets it.

    .venv/bin/python bench/watch_latency.py [--saves 40]

Releases a learner repository into a temporary folder, starts `grader watch` in it on a
pseudo-terminal, then saves the first kata's file again and again (its solution and its stub by
turns) and times each save until the new verdict is on the terminal. Prints p50 and p95 against
the target of 300 ms at p50.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.terminal import Terminal, verdict_pattern  # noqa: E402

KATA = "01_autograd/derivative"
VERDICT = verdict_pattern(KATA)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=40)
    saves = parser.parse_args().saves
    workdir = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    repo = workdir / "katas"
    subprocess.run([sys.executable, "-m", "grader", "release", str(repo)], check=True, cwd=REPO,
                   stdout=subprocess.DEVNULL)
    kata_file = repo / "exercises" / f"{KATA}.py"
    versions = [(REPO / "solutions" / f"{KATA}.py").read_text(), kata_file.read_text()]

    started = time.perf_counter()
    terminal = Terminal([sys.executable, "-m", "grader", "watch"], repo)
    terminal.wait_for(VERDICT, 1, timeout=120)
    print(f"watch started and showed its first verdict in {time.perf_counter() - started:.2f} s")
    latencies = []
    try:
        for save in range(saves):
            time.sleep(0.3)  # a learner does not save twice within the same moment
            with open(kata_file, "w") as file:
                file.write(versions[save % 2])
            saved = time.perf_counter()
            latencies.append(terminal.wait_for(VERDICT, save + 2, timeout=30) - saved)
    finally:
        terminal.close()
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    print(f"save to verdict over {saves} saves: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
          f"min {latencies[0] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms "
          f"(target: p50 at most 300 ms)")


if __name__ == "__main__":
    main()
