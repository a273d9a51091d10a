"""Batch grading against a loop of fresh `grader grade` processes, on one generated class.

    .venv/bin/python bench/batch_vs_loop.py [--size 40] [--jobs N] [--keep DIR]

The class (correct, buggy, stubs, one that hangs, one that crashes; some zipped) is graded by
`grader batch`, then by running `grader grade --format json` per submission in a fresh process,
then by `grader batch` again; the batch's wall is the mean of its two runs. It prints both
walls, their ratio, the per-submission overhead beyond the tests' own run time, and whether
all three gave identical grades.
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

    def run_batch(out: Path) -> float:
        started = time.perf_counter()
        subprocess.run([*grader, "batch", str(root), "--out", str(out), "--jobs", str(args.jobs)],
                       check=True, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - started

    # the batch runs before and after the loop, so a machine that drifts in speed over the
    # minutes the loop takes weighs on both sides alike
    batch_before = run_batch(out)
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
    batch_after = run_batch(base / "batch-out-again")
    batch_wall = (batch_before + batch_after) / 2

    def plain(grades: dict) -> dict:
        return {sid: Grade.from_dict(data).without_timings() for sid, data in grades.items()}

    batch_grades = {path.stem: json.loads(path.read_text()) for path in out.glob("[!.]*.json")}
    again = {path.stem: json.loads(path.read_text())
             for path in (base / "batch-out-again").glob("[!.]*.json")}
    same = plain(batch_grades) == plain(loop_grades) == plain(again)
    n = args.size
    tests = stats["test_seconds"]
    print(f"batch: {batch_wall:7.1f} s wall, {batch_wall / n:.2f} s per submission "
          f"(mean of {batch_before:.1f} s before the loop and {batch_after:.1f} s after it)")
    print(f"loop:  {loop_wall:7.1f} s wall, {loop_wall / n:.2f} s per submission")
    print(f"ratio: batch is {loop_wall / batch_wall:.1f}x faster")
    print(f"tests' own run time (judge-side pytest test phases): {tests:.1f} s in all, "
          f"{tests / n:.2f} s per submission")
    print(f"overhead per submission beyond the tests: loop {(loop_wall - tests) / n:.2f} s; "
          f"batch {(batch_wall * args.jobs - tests) / n:.2f} s of a job slot")
    print(f"identical grades: {'yes' if same else 'NO'}")
    if not same:
        runs = [plain(batch_grades), plain(loop_grades), plain(again)]
        for sid in sorted(set().union(*runs)):
            if len({repr(run.get(sid)) for run in runs}) > 1:
                print(f"  differs: {sid}")
    print(f"files: {base}")


if __name__ == "__main__":
    main()
