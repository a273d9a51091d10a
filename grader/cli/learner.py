"""The learner's commands, run inside a kata repository: check, watch, list, hint, reset, solution."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from grader import manifest as manifest_module
from grader.cli.common import refuse
from grader.course import stubs
from grader.manifest import SOLUTIONS_DIR

if TYPE_CHECKING:
    from grader.learner.progress import Progress
    from grader.manifest import Kata, Manifest


def _learner_repo() -> tuple[Path, Manifest, Progress]:
    from grader.learner.progress import Progress, find_repo

    repo = find_repo(Path.cwd())
    return repo, manifest_module.load(), Progress.load(repo)


def _chosen(manifest: Manifest, progress: Progress, pattern: str | None) -> list[Kata]:
    if pattern is not None:  # even "": a name that matches no kata is refused, never taken as none
        return manifest.select([pattern])
    current = progress.current(manifest)
    return [current] if current else []


def _one_kata(katas: list[Kata], command: str) -> Kata | None:
    if len(katas) == 1:
        return katas[0]
    refuse(f"name one kata, e.g. `grader {command} 02_losses/mse`")
    return None


def _named_kata(pattern: str, command: str) -> Kata | None:
    """The one kata a command names (reset, solution), or None after saying why."""
    return _one_kata(manifest_module.load().select([pattern]), command)


def _check(args: argparse.Namespace) -> int:
    from rich.console import Console

    from grader.learner import verdict
    from grader.learner.watch import Runner

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
    table.add_column("")
    table.add_column("kata", no_wrap=True, min_width=max(len(kata.id) for kata in manifest.katas))
    table.add_column("what it is about", overflow="fold")  # the id is never cut: the title wraps
    table.add_column("points", no_wrap=True)
    table.add_column("hints seen", no_wrap=True)
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
    if shown is None:
        print(f"No more hints for {kata.id}; all {len(kata.hints)} again:")
        for number, text in enumerate(kata.hints, start=1):
            print(f"  {number}. {text}")
    else:
        number, text = shown
        print(f"Hint {number} of {len(kata.hints)} for {kata.id}: {text}")
    return 0


def _reset(args: argparse.Namespace) -> int:
    from grader.course import release

    repo, _, progress = _learner_repo()
    kata = _named_kata(args.kata, "reset")
    if kata is None:
        return 2
    target = repo / "exercises" / kata.relative_file
    stub = release.pristine_stub(kata)
    if stub is None:
        return refuse(f"no stub for {kata.id} here to restore")
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
    print(f"Restored {target.relative_to(repo)}.")
    return 0


def _solution(args: argparse.Namespace) -> int:
    from grader.learner.watch import Runner

    repo, _, progress = _learner_repo()
    kata = _named_kata(args.kata, "solution")
    if kata is None:
        return 2
    sources = [repo / "solutions" / kata.relative_file, SOLUTIONS_DIR / kata.relative_file]
    found = next((path for path in sources if path.is_file()), None)
    if found is None:
        print(f"There is no solution for {kata.id} in this repository: solutions stay with your "
              "instructor until they publish them (into solutions/ here).")
        return 2
    result = Runner(repo).run(kata)
    progress.record(kata.id, result.status == "passed")
    if result.status != "passed":
        print(f"{kata.id} does not pass its public tests yet: the solution opens once it does "
              f"(`grader check {kata.id}`, `grader hint {kata.id}`).")
        return 1
    print(f"# A reference solution for {kata.id}; yours passes too, and may well be better.\n")
    print(stubs.strip_markers(found.read_text()))
    return 0


def _watch(args: argparse.Namespace) -> int:
    from grader.learner.watch import watch

    repo, manifest, progress = _learner_repo()
    kata = _named_kata(args.kata, "watch") if args.kata is not None else None
    if args.kata is not None and kata is None:
        return 2
    return watch(repo, manifest, progress, kata=kata)


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register these commands on the top-level parser."""
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

    watching = commands.add_parser("watch", help="run the current kata's public tests on every save, "
                                   "following the kata whose file you save (also what `grader` alone "
                                   "does in a kata repository)")
    watching.add_argument("kata", nargs="?", help="start with this kata (an id, topic or file stem)")
    watching.set_defaults(run=_watch)
