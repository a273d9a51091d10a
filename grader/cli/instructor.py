"""The instructor's commands: grade one submission, batch a class, merge shards (and write the jobs
that run shards on GitHub Actions or Slurm), release the learner repository, build the Gradescope
zip, arrange an upload."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from grader import manifest as manifest_module
from grader.cli.common import (
    cannot_write,
    file_problem,
    kata_option,
    limit_options,
    limits_from,
    refuse,
    report_options,
    settings_from,
    unwritable_file,
    unwritable_folder,
)
from grader.model import locks_warning, not_graded
from grader.submission import NotASubmission, SubmissionError, arrange, submission_folder, submission_id

if TYPE_CHECKING:
    from rich.console import Console

    from grader.course.batch import BatchResult
    from grader.model import Grade


def _grade(args: argparse.Namespace) -> int:
    try:  # the options are checked before torch is imported, and before any grading
        limits = limits_from(args)
    except ValueError as error:
        return refuse(str(error))
    if args.output and (problem := unwritable_file(Path(args.output), "--output")):
        return refuse(problem)
    from rich.console import Console

    from grader.formats import table as table_format
    from grader.grading.engine import Engine
    from grader.learner import public
    from grader.manifest import SUITES_DIR

    err = Console(stderr=True)
    path = Path(args.submission)
    try:
        chosen = manifest_module.load().select(args.kata)
    except KeyError as error:
        return refuse(error.args[0])
    try:
        with submission_folder(path) as submission, \
                err.status("grading…") if err.is_terminal else contextlib.nullcontext():
            if any(SUITES_DIR.glob("*/test_*.py")):
                with Engine(limits=limits, katas=args.kata) as engine:
                    grade = engine.grade(submission, args.kata)
            else:  # a learner's repository: the hidden suites are not installed
                err.print("[yellow]the hidden suites are not installed here: grading by the public "
                          "tests[/yellow]", highlight=False, soft_wrap=True)
                grade = public.grade(submission, chosen, limits.per_test, limits.judge_deadline)
    except NotASubmission as error:
        return refuse(error.args[0])
    except SubmissionError as error:  # a zip that does not unpack: a grade all the same, 0, saying why
        grade = not_graded(submission_id(path.name), [(k.id, k.points) for k in chosen], str(error))
        grade.limits = limits.stated()
    if grade.locks != public.LOCKS:  # by the public tests, no locks are promised: said once above
        _warn_about_locks(err, grade.locks)
    if args.format == "classroom" and os.environ.get("GITHUB_OUTPUT") and not args.output:
        _report_to_github(grade)
        return 0
    if args.format == "table" and not args.output:
        table_format.show(grade, Console())
        return 0
    text = _render(grade, args.format)
    if args.output:
        try:
            Path(args.output).parent.mkdir(parents=True, exist_ok=True)
            Path(args.output).write_text(text)
        except OSError as error:
            return refuse(cannot_write(args.output, error))
        err.print(f"wrote {args.output}", highlight=False, soft_wrap=True)
    else:
        sys.stdout.write(text)
    return 0


def _render(grade: Grade, format_name: str) -> str:
    """The grade as text in one of the formats, each a view of the grade JSON."""
    from grader.formats import autolab, classroom, gradescope, junit, prairielearn
    from grader.formats import json as json_format
    from grader.formats import table as table_format

    if format_name == "classroom":
        return json.dumps(classroom.result(grade), indent=2, ensure_ascii=False) + "\n"
    renderers = {"json": json_format.render, "table": table_format.render,
                 "gradescope": gradescope.render, "junit": junit.render,
                 "prairielearn": prairielearn.render, "autolab": autolab.render}
    return renderers[format_name](grade)


def _report_to_github(grade: Grade) -> None:
    """Inside a GitHub Actions step: the reporter's result as the step output `result`, a
    summary on the job page, an annotation on each kata file that lost points, and the table."""
    from rich.console import Console

    from grader.formats import classroom
    from grader.formats import table as table_format

    with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as output:
        output.write(f"result={classroom.encoded(grade)}\n")
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(classroom.summary(grade))
    for line in classroom.annotations(grade):
        print(line)
    table_format.show(grade, Console(width=120))


def _out_in_class(out: Path, root: Path) -> str | None:
    """Why ``out`` cannot take a batch's files: it is the class folder or lies inside it, where
    they would be taken for submissions next time (None when it lies elsewhere)."""
    if not root.is_dir():  # not a class folder: discover says so in its own words
        return None
    where, folder = out.resolve(), root.resolve()
    if where == folder or folder in where.parents:
        place = "is the class folder" if where == folder else f"lies inside the class folder {root}"
        return (f"--out {out} {place}: what the batch writes would be taken for submissions; "
                "name a folder outside it")
    return None


def _batch(args: argparse.Namespace) -> int:
    root, out = Path(args.root), Path(args.out)
    try:  # the options are checked before torch is imported, and before any grading
        limits = limits_from(args)
    except ValueError as error:
        return refuse(str(error))
    problem = unwritable_folder(out, "--out") or _out_in_class(out, root)
    if problem:
        return refuse(problem)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from grader.course import batch
    from grader.grading.engine import Engine

    err = Console(stderr=True)
    try:
        shard = batch.Shard.parse(args.shard) if args.shard else batch.Shard()
        settings = settings_from(args)
        manifest_module.load().select(args.kata)
        batch.discover(root)
    except (ValueError, KeyError, SubmissionError) as error:
        return refuse(error.args[0])
    progress = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                        console=err, transient=False)
    task = progress.add_task("grading", total=None)
    counts: dict[str, int] = {"graded": 0}

    def started(total: int) -> None:
        counts["total"] = total
        progress.update(task, total=total)

    def graded(grade: Grade) -> None:
        counts["graded"] += 1
        progress.advance(task)

    try:
        with progress, Engine(limits=limits, many=True, secrets=[root, out],
                              katas=args.kata) as engine:
            result = batch.run_batch(engine, root, out, workers=args.jobs, resume=args.resume, shard=shard,
                                     katas=args.kata, settings=settings, on_start=started, on_graded=graded)
    except KeyboardInterrupt:
        print(_batch_stopped(counts, args.resume), file=sys.stderr)
        return 130
    _warn_about_locks(err, engine.locks)
    console = Console()
    _class_summary(console, result, f"{root.name}: {len(result.grades)} submissions")
    for grade in result.grades:
        if grade.problem:  # the grade's text is clean: no learner file name acts on the terminal
            console.print(f"not graded: {grade.submission}: {grade.problem}", markup=False,
                          highlight=False, soft_wrap=True, style="yellow")
    console.print(f"graded {len(result.graded)}, reused {len(result.reused)} already graded, "
                  f"{len(result.unreadable)} not graded; wrote {out / 'report.html'}, grades.csv, "
                  "gradebook.csv, similar.csv, feedback/<id>.md and one JSON per submission",
                  markup=False, highlight=False, soft_wrap=True)
    return 0


def _class_summary(console: Console, result: BatchResult, title: str) -> None:
    """After a batch or a merge: the katas, the learners most in need, late and similar work."""
    from grader.class_model import LATE, UNKNOWN
    from grader.formats import table as table_format

    figures, record = result.figures, result.record
    from grader.formats.class_summary import points

    # points as the report and the feedback files show them
    console.print(table_format.class_table(figures, f"{title}, mean {points(figures.mean)} / "
                                           f"{points(figures.max_score)}"))
    console.print(table_format.need_table(record, figures))
    lines = []
    if record.deadline is not None:
        late = sum(record.lateness(grade.submission) == LATE for grade in record.grades)
        unknown = sum(record.lateness(grade.submission) == UNKNOWN for grade in record.grades)
        lines.append(f"late: {late}; no commit time (not a git repository): {unknown}")
    learners = len({(pair.first, pair.second) for pair in record.similar})
    lines.append(f"similar work: {len(record.similar)} pairs of files, {learners} pairs of learners "
                 "(similar.csv; the evidence in report.html)")
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def _batch_stopped(counts: dict[str, int], resumed: bool) -> str:
    """What an interrupted batch did, and how to finish it: each grade is saved as it is made."""
    again = "run the same command again" if resumed else "run the same command with --resume"
    if "total" not in counts:
        return "stopped before grading began; run the same command again to start"
    graded, total = counts["graded"], counts["total"]
    if graded < total:
        return f"stopped: {graded} of {total} graded; {again} to grade the rest"
    return (f"stopped: all {total} graded, but grades.csv and report.html are not written; "
            f"{again} to write them")


def _warn_about_locks(err: Console, locks: dict) -> None:
    from rich.markup import escape


    warning = locks_warning(locks)
    if warning:  # the reasons are text, never markup
        err.print(f"[yellow]{escape(warning)}[/yellow]", highlight=False, soft_wrap=True)


def _merge(args: argparse.Namespace) -> int:
    problem = unwritable_folder(Path(args.out), "--out")
    if problem:
        return refuse(problem)
    from rich.console import Console

    from grader.course import batch

    try:
        result = batch.merge([Path(folder) for folder in args.folders], Path(args.out),
                             [kata.id for kata in manifest_module.load().katas], settings_from(args))
    except ValueError as error:
        return refuse(str(error))
    console = Console()
    _class_summary(console, result, f"merged: {len(result.grades)} submissions")
    console.print(f"wrote {Path(args.out) / 'report.html'}, grades.csv, gradebook.csv, similar.csv "
                  "and feedback/<id>.md", markup=False, highlight=False, soft_wrap=True)
    return 0


RELEASED = {  # what to do with what `grader release` wrote, per platform
    "classroom": "push it as the course's template repository (see its README and "
                 ".github/workflows/classroom.yml)",
    "classroom50": "push template/ as the assignment's template repository, and copy "
                   "autograders/{assignment}/ to <classroom>/autograders/{assignment}/ in your "
                   "classroom50 repository (see its README)",
    "prairielearn": "copy questions/ and serverFilesCourse/ into your course repository, and build "
                    "image/ and push it as {image} (see image/README.md)",
}


def _shard_jobs(args: argparse.Namespace) -> int:
    from grader.course import shard_jobs

    if args.output and (problem := unwritable_file(Path(args.output), "--output")):
        return refuse(problem)
    try:
        text = shard_jobs.render(args.engine, args.shards)
    except ValueError as error:
        return refuse(str(error))
    if not args.output:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text)
        if args.engine == "slurm":
            Path(args.output).chmod(0o755)
    except OSError as error:
        return refuse(cannot_write(args.output, error))
    print(f"wrote {args.output}: {shard_jobs.NEXT[args.engine]}")
    return 0


def _release(args: argparse.Namespace) -> int:
    from grader.course import release

    if (args.assignment is None) != (args.platform != "classroom50"):
        return refuse("--assignment SLUG goes with --for classroom50, and only with it")
    problem = unwritable_folder(Path(args.out), "the release folder")
    if problem:
        return refuse(problem)
    try:
        manifest = manifest_module.load()
        katas = manifest.select(args.kata)
        if args.platform == "classroom50":
            from grader.course import classroom50

            written = classroom50.build(Path(args.out), manifest, katas, args.assignment)
        elif args.platform == "prairielearn":
            from grader.course import prairielearn

            written = prairielearn.build(Path(args.out), manifest, katas, image=args.image)
        else:
            written = release.build(Path(args.out), manifest, katas=katas)
    except release.ReleaseError as error:
        return refuse(str(error))
    except OSError as error:
        return refuse(file_problem(error, args.out))
    print(f"wrote {len(written)} files to {args.out}: "
          + RELEASED[args.platform].format(assignment=args.assignment, image=args.image))
    return 0


def _gradescope(args: argparse.Namespace) -> int:
    from grader.course import gradescope as gradescope_zip

    problem = unwritable_file(Path(args.out), "the zip")
    if problem:
        return refuse(problem)
    try:
        names = gradescope_zip.build(Path(args.out))
    except OSError as error:  # the hidden suites missing here, in words; or the write failed
        return refuse(str(error) if error.errno is None else cannot_write(args.out, error))
    print(f"wrote {args.out} ({len(names)} files): upload it as the assignment's autograder "
          "(Ubuntu 22.04 base image)")
    return 0


def _arrange(args: argparse.Namespace) -> int:
    katas = manifest_module.load().katas
    problem = unwritable_folder(Path(args.target), "the target")
    if problem:
        return refuse(problem)
    try:
        found = arrange(Path(args.source), Path(args.target), list(katas))
    except SubmissionError as error:
        return refuse(error.args[0])
    except OSError as error:
        return refuse(file_problem(error, args.target))
    print(f"found {len(found)} of {len(katas)} kata files; wrote {Path(args.target) / 'exercises'}")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register these commands on the top-level parser."""
    grade = commands.add_parser("grade", help="grade one submission with the hidden suites")
    grade.add_argument("submission", help="a learner's repo, its exercises folder, any folder holding "
                       "one, or a zip of any of these")
    grade.add_argument("--format", choices=["table", "json", "classroom", "gradescope", "junit",
                                            "prairielearn", "autolab"],
                       default="table",
                       help="table (for people), json (the grade), classroom (GitHub Classroom's "
                       "reporter: inside Actions it writes the step output, summary and "
                       "annotations), gradescope (results.json), junit (XML), prairielearn "
                       "(results.json), autolab (feedback, then the scores line)")
    grade.add_argument("--output", help="write the result to this file instead of standard output")
    kata_option(grade)
    limit_options(grade)
    grade.set_defaults(run=_grade)

    run = commands.add_parser("batch", help="grade a whole class: every submission under ROOT")
    run.add_argument("root", help="a folder of submissions: learner folders, zip files, or a class "
                     "clone (ROOT/<assignment>-submissions/<repo>/)")
    run.add_argument("--out", required=True, help="where the JSONs, grades.csv and report.html go")
    # one more judge than cores: a judge waiting on a hung kata leaves its core to the spare one
    run.add_argument("--jobs", type=int, default=(os.cpu_count() or 1) + 1,
                     help="submissions graded at once (default: the number of cores plus one)")
    run.add_argument("--resume", action="store_true",
                     help="skip submissions whose graded content is unchanged since the last run")
    run.add_argument("--shard", help="grade only part I of N (I/N, 1-based), e.g. for a CI matrix")
    kata_option(run)
    limit_options(run)
    report_options(run)
    run.set_defaults(run=_batch)

    join = commands.add_parser("merge", help="join the output folders of several shards (or write one "
                               "folder's report again, with another deadline say)")
    join.add_argument("folders", nargs="+", help="output folders of `grader batch --shard`")
    join.add_argument("--out", required=True, help="the merged output folder")
    report_options(join)
    join.set_defaults(run=_merge)

    jobs = commands.add_parser("shard-jobs", help="write a GitHub Actions workflow or a Slurm script "
                               "that grades a class in N shards at once, then merges them")
    jobs.add_argument("engine", choices=["github", "slurm"])
    jobs.add_argument("--shards", type=int, default=4, help="how many shards (runners, array tasks)")
    jobs.add_argument("--output", help="the file to write (default: standard output)")
    jobs.set_defaults(run=_shard_jobs)

    out = commands.add_parser("release", help="build the learner template repository: stubs, public "
                              "tests, the grader without its hidden suites, and the push workflow; "
                              "or a Classroom 50 assignment, or PrairieLearn questions")
    out.add_argument("out", help="a new folder for the repository")
    out.add_argument("--for", dest="platform", choices=sorted(RELEASED), default="classroom",
                     help="classroom (a template with a GitHub Actions workflow), classroom50 "
                     "(OUT/template and OUT/autograders/SLUG), prairielearn (a question per topic, "
                     "serverFilesCourse, the grading image)")
    out.add_argument("--assignment", metavar="SLUG", help="the Classroom 50 assignment's slug")
    out.add_argument("--image", default="gradient-katas/grader:latest",
                     help="the grading image PrairieLearn pulls (default: %(default)s)")
    kata_option(out)
    out.set_defaults(run=_release)

    scope = commands.add_parser("gradescope",
                                help="build Gradescope's autograder zip (with the hidden suites)")
    scope.add_argument("out", help="the zip file to write, e.g. autograder.zip")
    scope.set_defaults(run=_gradescope)

    order = commands.add_parser("arrange", help="copy a submission's kata files, whatever its layout "
                                "(repo, exercises/, or the files alone), into TARGET/exercises/")
    order.add_argument("source")
    order.add_argument("target")
    order.set_defaults(run=_arrange)
