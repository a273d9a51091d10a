"""Batch grading against a loop of fresh `grader grade` processes, on one generated class.

    .venv/bin/python bench/batch_vs_loop.py [--size 40] [--jobs N] [--keep DIR]

The class (correct, buggy, stubs, one that hangs, one that crashes; some zipped) is graded once by
`grader batch` and once by running `grader grade --format json` per submission in a fresh
process. It prints both walls, their ratio, the per-submission overhead beyond the tests' own
run time, and whether the two gave identical grades.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from grader.model import Grade  # noqa: E402
from grader.submission import discover, unpack  # noqa: E402
from tests.class_factory import make_class  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=(os.cpu_count() or 1) + 1,
                        help="as grader batch's default: cores plus one")
    parser.add_argument("--keep", help="write the class and the outputs here instead of a temp dir")
    args = parser.parse_args()
    base = Path(args.keep or tempfile.mkdtemp(prefix="bench-batch-"))
    root, out = base / "class", base / "batch-out"
    kinds = make_class(root, args.size)
    grader = [sys.executable, "-m", "grader"]
    mix = ", ".join(f"{kind} {list(kinds.values()).count(kind)}" for kind in sorted(set(kinds.values())))
    print(f"class: {args.size} submissions ({mix}); {os.cpu_count()} cores; batch --jobs {args.jobs}")

    started = time.perf_counter()
    subprocess.run([*grader, "batch", str(root), "--out", str(out), "--jobs", str(args.jobs)],
                   check=True, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    batch_wall = time.perf_counter() - started
    stats = json.loads((out / ".grader" / "stats.json").read_text())

    loop_grades, unzipped = {}, base / "unzipped"
    started = time.perf_counter()
    for submission in discover(root):
        folder = unpack(submission, unzipped)
        done = subprocess.run([*grader, "grade", str(folder), "--format", "json"], check=True,
                              cwd=REPO, capture_output=True, text=True)
        grade = json.loads(done.stdout)
        grade["submission"] = submission.id
        loop_grades[submission.id] = grade
    loop_wall = time.perf_counter() - started

    batch_grades = {path.stem: json.loads(path.read_text()) for path in out.glob("[!.]*.json")}
    same = ({sid: Grade.from_dict(data).without_timings() for sid, data in batch_grades.items()}
            == {sid: Grade.from_dict(data).without_timings() for sid, data in loop_grades.items()})
    n = args.size
    tests = stats["test_seconds"]
    print(f"batch: {batch_wall:7.1f} s wall, {batch_wall / n:.2f} s per submission")
    print(f"loop:  {loop_wall:7.1f} s wall, {loop_wall / n:.2f} s per submission")
    print(f"ratio: batch is {loop_wall / batch_wall:.1f}x faster")
    print(f"tests' own run time (judge-side pytest test phases): {tests:.1f} s in all, "
          f"{tests / n:.2f} s per submission")
    print(f"overhead per submission beyond the tests: loop {(loop_wall - tests) / n:.2f} s; "
          f"batch {(batch_wall * args.jobs - tests) / n:.2f} s of a job slot")
    print(f"identical grades: {'yes' if same else 'NO'}")
    if not same:
        for sid in sorted(set(batch_grades) | set(loop_grades)):
            if (Grade.from_dict(batch_grades[sid]).without_timings() if sid in batch_grades else None) != (
                    Grade.from_dict(loop_grades[sid]).without_timings() if sid in loop_grades else None):
                print(f"  differs: {sid}")
    print(f"files: {base}")


if __name__ == "__main__":
    main()
