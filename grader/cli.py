"""The command line: `grader grade`, `batch`, `merge`, `stubs`, `release`, `gradescope` and `arrange`."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from grader import manifest as manifest_module
from grader import stubs
from grader.manifest import UnknownKata
from grader.progress import NotALearnerRepo
from grader.seam import Limits
from grader.submission import SubmissionError, arrange, submission_folder

if TYPE_CHECKING:
    from rich.console import Console

    from grader.manifest import Kata, Manifest
    from grader.model import Grade
    from grader.progress import Progress


def _error(message: str) -> int:
    """The command line's one way to refuse: `error: ...` on standard error, exit status 2."""
    print(f"error: {message}", file=sys.stderr)
    return 2


def _grade(args: argparse.Namespace) -> int:
    from rich.console import Console

    from grader import public
    from grader.engine import Engine
    from grader.formats import table as table_format
    from grader.judge import SUITES_DIR

    err = Console(stderr=True)
    with contextlib.ExitStack() as stack:
        try:
            manifest = manifest_module.load()
            manifest.select(args.kata)
            submission = stack.enter_context(submission_folder(Path(args.submission)))
        except (SubmissionError, KeyError) as error:
            return _error(error.args[0])
        with err.status("grading…") if err.is_terminal else contextlib.nullcontext():
            if any(SUITES_DIR.glob("*/test_*.py")):
                with Engine(limits=_limits(args)) as engine:
                    grade = engine.grade(submission, args.kata)
            else:  # a learner's repository: the hidden suites are not installed
                err.print("[yellow]the hidden suites are not installed here: grading by the public "
                          "tests[/yellow]", highlight=False, soft_wrap=True)
                limits = _limits(args)
                grade = public.grade(submission, manifest.select(args.kata),
                                     limits.per_test, limits.judge_deadline)
    _warn_about_locks(err, grade.locks)
    if args.format == "classroom" and os.environ.get("GITHUB_OUTPUT") and not args.output:
        _report_to_github(grade)
        return 0
    if args.format == "table" and not args.output:
        table_format.show(grade, Console())
        return 0
    text = _render(grade, args.format)
    if args.output:
        Path(args.output).write_text(text)
        err.print(f"wrote {args.output}", highlight=False, soft_wrap=True)
    else:
        sys.stdout.write(text)
    return 0


def _render(grade: Grade, format_name: str) -> str:
    """The grade as text in one of the formats, each a view of the grade JSON."""
    from grader.formats import classroom, gradescope, junit
    from grader.formats import json as json_format
    from grader.formats import table as table_format

    if format_name == "classroom":
        return json.dumps(classroom.result(grade), indent=2, ensure_ascii=False) + "\n"
    renderers = {"json": json_format.render, "table": table_format.render,
                 "gradescope": gradescope.render, "junit": junit.render}
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


def _batch(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from grader import batch
    from grader.engine import Engine
    from grader.formats import table as table_format

    err = Console(stderr=True)
    root, out = Path(args.root), Path(args.out)
    try:
        shard = batch.Shard.parse(args.shard) if args.shard else batch.Shard()
        manifest_module.load().select(args.kata)
        batch.discover(root)
    except (ValueError, KeyError, SubmissionError) as error:
        return _error(error.args[0])
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
        with progress, Engine(limits=_limits(args), many=True, secrets=[root, out]) as engine:
            result = batch.run_batch(engine, root, out, workers=args.jobs, resume=args.resume, shard=shard,
                                     katas=args.kata, on_start=started, on_graded=graded)
    except KeyboardInterrupt:
        print(_batch_stopped(counts, args.resume), file=sys.stderr)
        return 130
    _warn_about_locks(err, engine.locks)
    console = Console()
    console.print(table_format.class_table(result.figures, f"{root.name}: {len(result.grades)} "
                                           f"submissions, mean {result.figures.mean:.1f} / "
                                           f"{result.figures.max_score:g}"))
    for grade in result.grades:
        if grade.problem:  # the grade's text is clean: no learner file name acts on the terminal
            console.print(f"not graded: {grade.submission}: {grade.problem}", markup=False,
                          highlight=False, soft_wrap=True, style="yellow")
    console.print(f"graded {len(result.graded)}, reused {len(result.reused)} already graded, "
                  f"{len(result.unreadable)} not graded; wrote {out / 'grades.csv'}, "
                  f"{out / 'report.html'} and one JSON per submission", markup=False, highlight=False,
                  soft_wrap=True)
    return 0


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

    from grader.formats import table as table_format

    warning = table_format.locks_warning(locks)
    if warning:  # the reasons are text, never markup
        err.print(f"[yellow]{escape(warning)}[/yellow]", highlight=False, soft_wrap=True)


def _merge(args: argparse.Namespace) -> int:
    from rich.console import Console

    from grader import batch
    from grader.formats import table as table_format

    try:
        result = batch.merge([Path(folder) for folder in args.folders], Path(args.out),
                             [kata.id for kata in manifest_module.load().katas])
    except ValueError as error:
        return _error(str(error))
    console = Console()
    console.print(table_format.class_table(result.figures, f"merged: {len(result.grades)} submissions"))
    console.print(f"wrote {Path(args.out) / 'grades.csv'} and {Path(args.out) / 'report.html'}",
                  markup=False, highlight=False, soft_wrap=True)
    return 0


def _release(args: argparse.Namespace) -> int:
    from grader import release

    try:
        written = release.build(Path(args.out), manifest_module.load())
    except release.ReleaseError as error:
        return _error(str(error))
    print(f"wrote {len(written)} files to {args.out}: push it as the course's template repository "
          "(see its README and .github/workflows/classroom.yml)")
    return 0


def _gradescope(args: argparse.Namespace) -> int:
    from grader import gradescope_zip

    try:
        names = gradescope_zip.build(Path(args.out))
    except FileNotFoundError as error:
        return _error(str(error))
    print(f"wrote {args.out} ({len(names)} files): upload it as the assignment's autograder "
          "(Ubuntu 22.04 base image)")
    return 0


def _arrange(args: argparse.Namespace) -> int:
    katas = manifest_module.load().katas
    try:
        found = arrange(Path(args.source), Path(args.target), list(katas))
    except SubmissionError as error:
        return _error(error.args[0])
    print(f"found {len(found)} of {len(katas)} kata files; wrote {Path(args.target) / 'exercises'}")
    return 0


def _learner_repo() -> tuple[Path, Manifest, Progress]:
    from grader.progress import Progress, find_repo

    repo = find_repo(Path.cwd())
    return repo, manifest_module.load(), Progress.load(repo)


def _chosen(manifest: Manifest, progress: Progress, pattern: str | None) -> list[Kata]:
    if pattern:
        return manifest.select([pattern])
    current = progress.current(manifest)
    return [current] if current else []


def _one_kata(katas: list[Kata], command: str) -> Kata | None:
    if len(katas) == 1:
        return katas[0]
    _error(f"name one kata, e.g. `grader {command} 02_losses/mse`")
    return None


def _check(args: argparse.Namespace) -> int:
    from rich.console import Console

    from grader.formats import verdict
    from grader.watch import Runner

    repo, manifest, progress = _learner_repo()
    katas = _chosen(manifest, progress, args.kata)
    console = Console()
    if not katas:
        console.print("Every kata passes its public tests. Well done!")
        return 0
    runner = Runner(repo)
    results = [runner.run(kata) for kata in katas]
    for kata, result in zip(katas, results, strict=True):
        progress.record(kata.id, result.status == "passed")
    progress.save()
    for kata, result in zip(katas, results, strict=True):
        console.print(verdict.render(result, kata, progress.current(manifest)))
        curve = runner.curve(kata)
        if curve is not None:
            console.print(verdict.render_curve(curve, repo / "exercises" / kata.relative_file))
    return 0 if all(result.status == "passed" for result in results) else 1


def _list(args: argparse.Namespace) -> int:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    _, manifest, progress = _learner_repo()
    current = progress.current(manifest)
    table = Table(box=box.SIMPLE_HEAD)
    for column in ("", "kata", "what it is about", "points", "hints seen"):
        table.add_column(column)
    for kata in manifest.katas:
        mark = "✓" if kata.id in progress.solved else "▶" if kata is current else "·"
        table.add_row(mark, kata.id, kata.title, str(kata.points),
                      f"{progress.hints_shown.get(kata.id, 0)}/{len(kata.hints)}")
    console = Console()
    console.print(table)
    console.print(f"{len(progress.solved)} of {len(manifest.katas)} katas solved"
                  + (f"; next: {current.id}" if current else ""), highlight=False)
    return 0


def _hint(args: argparse.Namespace) -> int:
    _, manifest, progress = _learner_repo()
    kata = _one_kata(_chosen(manifest, progress, args.kata), "hint")
    if kata is None:
        return 2
    shown = progress.next_hint(kata)
    progress.save()
    if shown is None:
        print(f"No more hints for {kata.id}; all {len(kata.hints)} again:")
        for number, text in enumerate(kata.hints, start=1):
            print(f"  {number}. {text}")
    else:
        number, text = shown
        print(f"Hint {number} of {len(kata.hints)} for {kata.id}: {text}")
    return 0


def _reset(args: argparse.Namespace) -> int:
    from grader import release

    repo, manifest, progress = _learner_repo()
    kata = _one_kata(manifest.select([args.kata]), "reset")
    if kata is None:
        return 2
    target = repo / "exercises" / kata.relative_file
    stub = release.pristine_stub(kata)
    if stub is None:
        return _error(f"no stub for {kata.id} here to restore")
    if not args.yes:
        shown = target.relative_to(repo)
        try:
            answer = input(f"Restore {shown} to its stub? Your code in it will be lost. [y/N] ")
        except EOFError:  # no one to ask (stdin closed): the answer is no
            answer = ""
            print()
        except KeyboardInterrupt:
            print("\nLeft as it was.")
            return 130
        if answer.strip().lower() not in ("y", "yes"):
            print("Left as it was.")
            return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(stub)
    progress.record(kata.id, passed=False)
    progress.save()
    print(f"Restored {target.relative_to(repo)}.")
    return 0


def _solution(args: argparse.Namespace) -> int:
    from grader import release, stubs
    from grader.watch import Runner

    repo, manifest, progress = _learner_repo()
    kata = _one_kata(manifest.select([args.kata]), "solution")
    if kata is None:
        return 2
    sources = [repo / "solutions" / kata.relative_file, release.REPO / "solutions" / kata.relative_file]
    found = next((path for path in sources if path.is_file()), None)
    if found is None:
        print(f"There is no solution for {kata.id} in this repository: solutions stay with your "
              "instructor until they publish them (into solutions/ here).")
        return 2
    result = Runner(repo).run(kata)
    progress.record(kata.id, result.status == "passed")
    progress.save()
    if result.status != "passed":
        print(f"{kata.id} does not pass its public tests yet: the solution opens once it does "
              f"(`grader check {kata.id}`, `grader hint {kata.id}`).")
        return 1
    print(f"# A reference solution for {kata.id}; yours passes too, and may well be better.\n")
    print(stubs.strip_markers(found.read_text()))
    return 0


def _stubs(args: argparse.Namespace) -> int:
    try:
        katas = manifest_module.load().select(args.kata)
    except KeyError as error:
        return _error(error.args[0])
    solutions, exercises = Path(args.solutions), Path(args.exercises)
    if args.check:
        drifted = stubs.drift(katas, solutions, exercises)
        for path in drifted:
            print(f"out of date: {exercises / path}")
        if drifted:
            print("run `grader stubs` to regenerate them from the solutions")
        return 1 if drifted else 0
    for path in stubs.write(katas, solutions, exercises):
        print(f"wrote {exercises / path}")
    return 0


def _kata_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--kata", action="append",
                         help="only this kata (an id, topic or file stem); repeatable")


def _limit_options(command: argparse.ArgumentParser) -> None:
    defaults = Limits()
    command.add_argument("--test-timeout", type=float, default=defaults.per_test, metavar="SECONDS",
                         help=f"wall-clock limit per hidden test (default {defaults.per_test:g})")
    command.add_argument("--kata-timeout", type=float, default=defaults.per_kata, metavar="SECONDS",
                         help=f"learner time per kata, all tests together (default {defaults.per_kata:g})")
    command.add_argument("--submission-timeout", type=float, default=defaults.per_submission,
                         metavar="SECONDS", help="learner time per submission, all katas together "
                         f"(default {defaults.per_submission:g})")


def _limits(args: argparse.Namespace) -> Limits:
    return Limits(per_test=args.test_timeout, per_kata=args.kata_timeout,
                  per_submission=args.submission_timeout)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="grader",
                                  description="Gradient-descent katas: grade and manage them.")
    commands = top.add_subparsers(dest="command", required=True)

    grade = commands.add_parser("grade", help="grade one submission with the hidden suites")
    grade.add_argument("submission", help="a learner's repo (holding exercises/) or the exercises folder")
    grade.add_argument("--format", choices=["table", "json", "classroom", "gradescope", "junit"],
                       default="table",
                       help="table (for people), json (the grade), classroom (GitHub Classroom's "
                       "reporter: inside Actions it writes the step output, summary and "
                       "annotations), gradescope (results.json), junit (XML)")
    grade.add_argument("--output", help="write the result to this file instead of standard output")
    _kata_option(grade)
    _limit_options(grade)
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
    _kata_option(run)
    _limit_options(run)
    run.set_defaults(run=_batch)

    join = commands.add_parser("merge", help="join the output folders of several shards")
    join.add_argument("folders", nargs="+", help="output folders of `grader batch --shard`")
    join.add_argument("--out", required=True, help="the merged output folder")
    join.set_defaults(run=_merge)

    stub = commands.add_parser("stubs", help="regenerate exercises/ stubs from solutions/")
    stub.add_argument("--check", action="store_true", help="only report stubs that drifted; exit 1 if any")
    _kata_option(stub)
    stub.add_argument("--solutions", default=str(stubs.REPO / "solutions"))
    stub.add_argument("--exercises", default=str(stubs.REPO / "exercises"))
    stub.set_defaults(run=_stubs)

    out = commands.add_parser("release", help="build the learner template repository: stubs, public "
                              "tests, the grader without its hidden suites, and the push workflow")
    out.add_argument("out", help="a new folder for the repository")
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

    check = commands.add_parser("check", help="run a kata's public tests (the current one by default); "
                                "exit 0 if they pass")
    check.add_argument("kata", nargs="?", help="a kata id, topic or file stem")
    check.set_defaults(run=_check)
    listing = commands.add_parser("list", help="every kata with your progress")
    listing.set_defaults(run=_list)
    hint = commands.add_parser("hint", help="the next hint for a kata (the current one by default)")
    hint.add_argument("kata", nargs="?")
    hint.set_defaults(run=_hint)
    reset = commands.add_parser("reset", help="restore a kata file to its stub")
    reset.add_argument("kata")
    reset.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    reset.set_defaults(run=_reset)
    answer = commands.add_parser("solution", help="a reference solution, once your kata passes")
    answer.add_argument("kata")
    answer.set_defaults(run=_solution)
    watching = commands.add_parser("watch", help="run the current kata's public tests on every save "
                                   "(also what `grader` alone does in a kata repository)")
    watching.set_defaults(run=_watch)
    return top


def _watch(args: argparse.Namespace) -> int:
    from grader.watch import watch

    repo, manifest, progress = _learner_repo()
    return watch(repo, manifest, progress)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:  # `grader` alone: in a kata repository, watch; elsewhere, the help
        from grader.progress import find_repo

        try:
            find_repo(Path.cwd())
        except NotALearnerRepo:
            parser().print_help()
            return 2
        argv = ["watch"]
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (NotALearnerRepo, UnknownKata) as error:
        return _error(error.args[0])
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 130
    except RuntimeError as error:
        from grader.judge import SuiteError  # pytest comes with it: only when needed

        if not isinstance(error, SuiteError):
            raise
        return _error(str(error))


if __name__ == "__main__":
    sys.exit(main())
