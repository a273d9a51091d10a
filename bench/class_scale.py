"""How long a class takes to grade, and what that says for 1,000 submissions on N runners.

    .venv/bin/python bench/class_scale.py [--sizes 4 24] [--topics 01 ... 09] [--merge-size 1000]

1. Two generated classes (tests/class_factory.py: correct, buggy, stubs, one that hangs, one that
   crashes, two zips) are graded by `grader batch` with its default --jobs (cores + 1), on the
   topics given. Wall and CPU seconds of each run fit a line: wall = fixed + size x per submission.
   The fixed part is what every runner pays once (starting, collecting the suites, the report).
2. The larger class's output folder is copied into a class of --merge-size submissions (each grade,
   kept code and commit time under a new id) and `grader merge` joins it: the merge job's time
   (similar work over the whole class, the report, the feedback files), and the report's size.
3. Extrapolation for 1,000 submissions on N runners like this machine: N x fixed spent in
   parallel, then 1,000 / N x per submission, then the merge. Installing the stack on a runner is
   not measured here (it depends on the runner's network and cache) and is left out of the figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.class_factory import make_class  # noqa: E402


def timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU-seconds of every process the command waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def grow(source: Path, target: Path, size: int) -> None:
    """An output folder of `size` submissions made of copies of source's, under new ids."""
    grades = sorted(path for path in source.glob("*.json"))
    for folder in (".grader/hashes", ".grader/code", ".grader/commits"):
        (target / folder).mkdir(parents=True, exist_ok=True)
    for number in range(size):
        original = grades[number % len(grades)]
        new = f"s{number:04d}"
        data = json.loads(original.read_text())
        data["submission"] = new
        (target / f"{new}.json").write_text(json.dumps(data))
        for kept, copy in ((f".grader/code/{original.stem}.json", f".grader/code/{new}.json"),
                           (f".grader/commits/{original.stem}", f".grader/commits/{new}")):
            if (source / kept).is_file():
                shutil.copyfile(source / kept, target / copy)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs=2, default=[4, 24])
    parser.add_argument("--topics", nargs="+", default=[f"{n:02d}" for n in range(1, 10)])
    parser.add_argument("--merge-size", type=int, default=1000)
    args = parser.parse_args()
    from grader import manifest

    topics = [topic.id for topic in manifest.load().topics if topic.id[:2] in args.topics]
    katas = [kata for kata in manifest.load().katas if kata.topic in topics]
    grader = [sys.executable, "-m", "grader"]
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    cores = os.cpu_count() or 1
    print(f"{cores} cores; topics {topics[0]} to {topics[-1]}: {len(katas)} katas")
    runs = []
    for size in args.sizes:
        school, out = work / f"class{size}", work / f"out{size}"
        make_class(school, size)
        wall, cpu = timed([*grader, "batch", str(school), "--out", str(out),
                           *(arg for topic in topics for arg in ("--kata", topic))])
        runs.append((size, wall, cpu))
        print(f"batch of {size:3d}: {wall:6.1f} s wall, {cpu:6.1f} CPU-s")
    (small, wall_small, cpu_small), (large, wall_large, cpu_large) = runs
    per = (wall_large - wall_small) / (large - small)
    per_cpu = (cpu_large - cpu_small) / (large - small)
    fixed = wall_small - small * per
    print(f"per submission: {per:.2f} s wall ({per_cpu:.2f} CPU-s) on {cores} cores; "
          f"fixed {fixed:.1f} s a run")

    big = work / "big"
    grow(work / f"out{large}", big, args.merge_size)
    merge_wall, merge_cpu = timed([*grader, "merge", str(big), "--out", str(work / "merged"),
                                   "--deadline", "2025-03-01T23:59:00+01:00"])
    report = (work / "merged" / "report.html").stat().st_size
    print(f"merge of {args.merge_size}: {merge_wall:.1f} s wall ({merge_cpu:.1f} CPU-s); report.html "
          f"{report / 1e6:.1f} MB")
    print(f"1,000 submissions of {len(katas)} katas, runners of {cores} cores (install not counted):")
    for runners in (1, 4, 8, 16, 32):
        total = fixed + 1000 / runners * per + merge_wall * 1000 / args.merge_size
        print(f"  {runners:2d} runner{'s' if runners > 1 else ' '}: about {total / 60:5.1f} minutes")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
