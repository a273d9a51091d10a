"""A synthetic class's report, to look at in a browser: 50 learners over every kata in the manifest,
with stubs, missing files, mistakes, hangs, late work and two pairs of copied code.

    .venv/bin/python bench/report_page.py OUT [--learners 50] [--open]
    chromium --headless --screenshot=OUT/shot.png --window-size=1280,2000 file://$PWD/OUT/report.html

It writes OUT/report.html, OUT/similar.csv and OUT/feedback/; with --open, the first learner's row and
the first pair of similar work are open (to see what they show without clicking). Nothing is graded:
the grades are made up, from a seed, so the page is the same on every run.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from grader import manifest as manifest_module  # noqa: E402
from grader.class_model import ClassRecord  # noqa: E402
from grader.course.similarity import Kept, find_similar  # noqa: E402
from grader.formats import csv as csv_format  # noqa: E402
from grader.formats import feedback_md, html  # noqa: E402
from grader.model import Grade, KataResult, TestResult, summarize, summarize_kata  # noqa: E402

MISTAKES = [
    "{f}(...): off by a factor of N = {n}: did you take the mean?",
    "{f}(...) returned shape ({n}, {n}): an (N, 1) column broadcast against an (N,) vector",
    "{f}(...) changed its input in place: work on a copy",
    "{f}(...) returned a numpy float32 scalar; the contract asks for a Python float: wrap it in float()",
    "{f}(...): the loss went up after step {n}: is the learning rate's sign right?",
    "{f}(...) returned a tensor that requires grad: detach it, or compute it under torch.no_grad()",
    "{f}(...) raised RuntimeError: a leaf Variable that requires grad is being used in an in-place "
    "operation <b>not markup</b> & friends",
]


def _tests(kata_id: str, points: int, kind: str, rng: random.Random) -> list[TestResult]:
    name = kata_id.split("/")[1]
    count = max(2, points // 3)
    each = points / count
    if kind == "passed":
        return [TestResult(f"case {n}", "passed", each, each) for n in range(count)]
    if kind == "stub":
        return [TestResult(f"case {n}", "failed", 0, each,
                           f"{name} is not written yet: it still raises NotImplementedError")
                for n in range(count)]
    if kind == "missing":
        return [TestResult("file", "error", 0, points, f"exercises/{kata_id}.py is missing")]
    if kind == "broken":
        return [TestResult(f"case {n}", "error", 0, each,
                           f"exercises/{kata_id}.py does not import: SyntaxError: invalid syntax (line 12)")
                for n in range(count)]
    if kind == "timeout":
        return [TestResult(f"case {n}", "timeout", 0, each,
                           f"exercises/{kata_id}.py did not finish running {name} in time")
                for n in range(count)]
    wrong = rng.choice(MISTAKES).format(f=name, n=rng.randint(2, 9))
    passing = rng.randint(0, count - 1) if kind == "partial" else 0
    return [TestResult(f"case {n}", "passed" if n < passing else "failed", each if n < passing else 0, each,
                       "" if n < passing else f"{wrong}\n  input: x = tensor([1., 2.])\n  expected: 1.5")
            for n in range(count)]


def synthetic_class(learners: int, seed: int = 3) -> ClassRecord:
    rng = random.Random(seed)
    katas = manifest_module.load().katas
    grades, committed = [], {}
    deadline = datetime(2025, 3, 1, 23, 59, tzinfo=timezone(timedelta(hours=1)))
    for number in range(learners):
        submission = f"learner{number:02d}" if number % 17 else f"a.very-long_login.name+{number}@example"
        reach = rng.randint(len(katas) // 5, len(katas))  # how far this learner got
        results = []
        for place, kata in enumerate(katas):
            if place >= reach:
                kind = "stub" if rng.random() < 0.9 else "missing"
            else:
                kind = rng.choices(["passed", "partial", "failed", "broken", "timeout"],
                                   [70, 15, 8, 4, 3])[0]
            results.append(summarize_kata(kata.id, kata.points, _tests(kata.id, kata.points, kind, rng),
                                          missing=kind == "missing"))
        grade = summarize(submission, results)
        grade.locks = {"active": ["network", "files"], "inactive": {}}
        grades.append(grade)
        if number % 4:  # a quarter are not git repositories
            committed[submission] = deadline + timedelta(minutes=rng.choice([-3000, -600, -30, 45, 200, 2900])
                                                         if number % 5 == 0 else -rng.randint(60, 5000))
    unread = "could not read the submission: not a zip file"
    grades.append(Grade("broken-zip", katas=[
        KataResult(k.id, 0, k.points, "error", [TestResult("submission", "error", 0, k.points, unread)])
        for k in katas], max_score=sum(k.points for k in katas),
        problem="broken-zip.zip is not a readable zip file"))
    kata_ids = [kata.id for kata in katas]
    stubs = {kata_id: (REPO / "exercises" / f"{kata_id}.py").read_text() for kata_id in kata_ids
             if (REPO / "exercises" / f"{kata_id}.py").is_file()}
    work: dict[str, dict[str, Kept]] = {}
    for kata_id in kata_ids[:12]:
        solution = REPO / "solutions" / f"{kata_id}.py"
        if not solution.is_file():
            continue
        code = solution.read_text()
        renamed = re.sub(r"\b(y_pred|X|w|b|lr|loss)\b", lambda m: m.group(1) + "_mine", code)
        renamed = renamed.replace("    ", "  ")
        for who, text in (("learner07", code), ("learner19", renamed)):
            work.setdefault(who, {})[kata_id] = Kept.of(text)
    mse = (REPO / "solutions/02_losses/mse.py").read_text()
    work.setdefault("learner22", {})["02_losses/mse"] = Kept.of(mse)
    work.setdefault("learner23", {})["02_losses/mse"] = Kept.of(mse.replace("y_pred", "prediction"))
    return ClassRecord(grades=sorted(grades, key=lambda g: g.submission), kata_ids=kata_ids,
                       assignment="Gradient descent, weeks 1–9", deadline=deadline, committed=committed,
                       similar=find_similar(work, stubs, kata_ids))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--open", action="store_true", help="open the first row and the first pair")
    args = parser.parse_args()
    out = Path(args.out)
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    record = synthetic_class(args.learners)
    page = html.render(record)
    if args.open:
        page = page.replace("<details class='row'>", "<details class='row' open>", 1)
        page = page.replace("<div class='pairs'><details>", "<div class='pairs'><details open>", 1)
    (out / "report.html").write_text(page)
    (out / "similar.csv").write_text(csv_format.render_similar(record))
    for grade in record.grades:
        (out / "feedback" / f"{grade.submission}.md").write_text(feedback_md.render(record, grade))
    print(f"wrote {out / 'report.html'} ({len(page) // 1024} KiB), {len(record.similar)} similar pairs")


if __name__ == "__main__":
    main()
