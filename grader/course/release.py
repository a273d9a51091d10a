"""`grader release OUT`: the learner template repository, with nothing hidden in it.

It holds the stubs and public tests (``exercises/``), the grader without its hidden suites (so a
push grades by the public tests, or by hidden suites the workflow fetches from a private
repository), the pinned stack, a learner README and the Classroom-style workflow.
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

from grader.course import stubs
from grader.learner import curves
from grader.manifest import EXERCISES_DIR, PACKAGE_DIR, REPO_DIR, SOLUTIONS_DIR, Kata, Manifest

HIDDEN = ("suites",)  # folders of the grader package that never leave the instructor's side
GITIGNORE = (".venv/\n__pycache__/\n*.pyc\n*.egg-info/\n.pytest_cache/\n.hidden-suites/\n"
             ".grader-progress*\n*_losses.png\n")


class ReleaseError(Exception):
    pass


def _template(name: str) -> str:
    return resources.files("grader").joinpath("templates", name).read_text()


def _topics_table(manifest: Manifest) -> str:
    rows = ["| topic | katas |", "|---|---|"]
    for topic in manifest.topics:
        stems = ", ".join(f"`{kata.stem}`" for kata in manifest.katas if kata.topic == topic.id)
        rows.append(f"| `{topic.id}`: {topic.title} | {stems} |")
    return "\n".join(rows)


def _torch_pin(constraints: str) -> str:
    return next((line.split("==")[1] for line in constraints.splitlines() if line.startswith("torch==")), "")


PRISTINE = PACKAGE_DIR / "pristine"  # in a released repository: the stubs as they were, for `grader reset`


def pristine_stub(kata: Kata) -> str | None:
    """A kata's untouched stub: generated from its solution in the instructor's checkout, or the
    copy a released repository carries."""
    solution = SOLUTIONS_DIR / kata.relative_file
    if solution.is_file():
        return stubs.make_stub(solution.read_text(), kata)
    shipped = PRISTINE / kata.relative_file
    return shipped.read_text() if shipped.is_file() else None


def write_references(path: Path, katas: list[Kata]) -> None:
    """The reference runs a released repository draws its curves and pictures against: the
    solutions' seed runs, numbers only (null for a kata without a solution yet)."""
    path.write_text(json.dumps(curves.reference_runs(katas), indent=1) + "\n")


def build(out: Path, manifest: Manifest, exercises: Path = EXERCISES_DIR,
          solutions: Path = SOLUTIONS_DIR, constraints: Path = REPO_DIR / "constraints.txt") -> list[Path]:
    """Write the template repository into ``out`` (new or empty); returns the files written."""
    if out.exists() and any(out.iterdir()):
        raise ReleaseError(f"{out} is not empty: release into a new folder")
    if not exercises.is_dir() or not constraints.is_file():
        raise ReleaseError("run it from the grader's own checkout: exercises/ and constraints.txt are needed")
    drifted = stubs.drift(list(manifest.katas), solutions, exercises)
    if drifted:
        raise ReleaseError(f"{len(drifted)} stubs are out of date with the solutions "
                           f"({drifted[0]}, …): run `grader stubs` first")
    out.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", *HIDDEN)
    shutil.copytree(exercises, out / "exercises", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copytree(PACKAGE_DIR, out / "grader", ignore=ignore)
    for kata in manifest.katas:  # the stubs as released, for `grader reset`
        (out / "grader" / "pristine" / kata.relative_file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(exercises / kata.relative_file, out / "grader" / "pristine" / kata.relative_file)
    pins = constraints.read_text()
    (out / "constraints.txt").write_text(pins)
    (out / "pyproject.toml").write_text(_template("pyproject.toml"))
    readme = (_template("README.md").replace("__TOPICS__", _topics_table(manifest))
              .replace("__POINTS__", str(sum(kata.points for kata in manifest.katas)))
              .replace("__TORCH__", _torch_pin(pins)))
    (out / "README.md").write_text(readme)
    (out / ".gitignore").write_text(GITIGNORE)
    write_references(out / "grader" / curves.REFERENCE_FILE.relative_to(PACKAGE_DIR), list(manifest.katas))
    workflows = out / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "classroom.yml").write_text(_template("classroom.yml"))
    return sorted(path for path in out.rglob("*") if path.is_file())
