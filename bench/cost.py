"""What grading costs, in CPU-seconds, against a torch calibration run measured in the same session
(these machines drift in speed by tens of percent within an hour, so raw seconds mislead).

    .venv/bin/python bench/cost.py [--runs 3] [--class-size 12] [--kata PATTERN]...

- calibration: CPU-seconds of a fresh `python -c "import torch"` (median of the runs);
- light commands: `grader --help`, `grader list` and `grader hint` in a kata repository, wall
  seconds, and whether torch was imported (it must not be);
- a fresh `grader grade solutions`: its CPU-seconds (every process it started), in calibrations;
- `grader batch` of a generated class: CPU-seconds per kata per submission, in calibrations.

``--kata`` (ids, topics or stems, repeatable) narrows both grades to some katas, as
``grader grade --kata`` does: e.g. topics 01-09 alone, the set the speed targets were first set on.

CPU-seconds are read from getrusage(RUSAGE_CHILDREN) around each command: every process the
grader starts is waited for by its parent, so its time is counted.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.class_factory import make_class  # noqa: E402


def cpu_seconds(command: list[str], cwd: Path = REPO) -> tuple[float, float]:
    """(CPU-seconds, wall seconds) of a command and every process it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def median_cpu(command: list[str], runs: int, cwd: Path = REPO) -> tuple[float, float]:
    measured = [cpu_seconds(command, cwd) for _ in range(runs)]
    return statistics.median(c for c, _ in measured), statistics.median(w for _, w in measured)


def imports_torch(command: list[str], cwd: Path) -> bool:
    done = subprocess.run([sys.executable, "-X", "importtime", *command], cwd=cwd, capture_output=True,
                          text=True)
    return any(line.rstrip().endswith("| torch") for line in done.stderr.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--class-size", type=int, default=12)
    parser.add_argument("--kata", action="append", default=[], help="only these katas (repeatable)")
    args = parser.parse_args()
    python = sys.executable
    katas = len(__import__("grader.manifest", fromlist=["load"]).load().select(args.kata))
    narrowed = [arg for kata in args.kata for arg in ("--kata", kata)]
    print(f"{katas} katas")

    calibration, _ = median_cpu([python, "-c", "import torch"], args.runs)
    print(f"calibration (fresh `import torch`): {calibration:.2f} CPU-s")

    with tempfile.TemporaryDirectory(prefix="bench-cost-") as scratch:
        work = Path(scratch)
        learner_repo = work / "repo"
        subprocess.run([python, "-m", "grader", "release", str(learner_repo)], cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL)
        for name, command in (("--help", ["--help"]), ("list", ["list"]), ("hint", ["hint"])):
            _, wall = median_cpu([python, "-m", "grader", *command], args.runs, cwd=learner_repo)
            torch_loaded = imports_torch(["-m", "grader", *command], learner_repo)
            print(f"grader {name}: {wall:.2f} s wall, torch imported: {'yes' if torch_loaded else 'no'}")

        fresh, wall = median_cpu([python, "-m", "grader", "grade", "solutions", "--format", "json",
                                  *narrowed], args.runs)
        print(f"fresh `grader grade solutions`: {fresh:.2f} CPU-s = {fresh / calibration:.2f} "
              f"calibrations ({wall:.2f} s wall)")

        school = work / "class"
        make_class(school, args.class_size)
        batch, wall = cpu_seconds([python, "-m", "grader", "batch", str(school), "--out",
                                   str(work / "out"), "--jobs", str((os.cpu_count() or 1) + 1), *narrowed])
        per_kata = batch / (args.class_size * katas)
        print(f"`grader batch` of {args.class_size} submissions: {batch:.1f} CPU-s ({wall:.1f} s wall); "
              f"per kata per submission {per_kata * 1000:.0f} CPU-ms = {per_kata / calibration:.3f} "
              "calibrations")
        per_submission = batch / args.class_size
        for cores in (2, 16):
            print(f"  1,000 submissions on {cores} cores: about {per_submission * 1000 / cores / 60:.0f} "
                  "minutes of wall time, if the work spreads evenly")


if __name__ == "__main__":
    main()
