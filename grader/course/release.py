"""`grader release OUT`: the learner template repository, with nothing hidden in it.

It holds the stubs and public tests (``exercises/``), the grader without its hidden suites (so a
push grades by the public tests, or by hidden suites the workflow fetches from a private
repository), the pinned stack, a learner README and the Classroom-style workflow. A selection of
katas (``--kata``) makes a repository of those katas alone; a platform that grades pushes its own
way (Classroom 50) gets the repository without the workflow, and its own "How you are graded".
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

from grader.course import package, stubs
from grader.learner import curves
from grader.manifest import EXERCISES_DIR, PACKAGE_DIR, REPO_DIR, SOLUTIONS_DIR, Kata, Manifest

GRADING_HEADING = "## How you are graded"  # the learner README's last section: how pushes are graded
GITIGNORE = (".venv/\n__pycache__/\n*.pyc\n*.egg-info/\n.pytest_cache/\n.hidden-suites/\n"
             ".grader-progress*\n*_losses.png\n")


class ReleaseError(Exception):
    pass


def template(name: str) -> str:
    """A file of grader/templates, as text."""
    return resources.files("grader").joinpath("templates", name).read_text()


def _topics_table(manifest: Manifest) -> str:
    rows = ["| topic | katas |", "|---|---|"]
    for topic in manifest.topics:
        stems = ", ".join(f"`{kata.stem}`" for kata in manifest.katas if kata.topic == topic.id)
        rows.append(f"| `{topic.id}`: {topic.title} | {stems} |")
    return "\n".join(rows)


def torch_pin(constraints: str) -> str:
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


def selection(manifest: Manifest, katas: list[Kata] | None) -> Manifest:
    """The manifest of ``katas`` (every kata if None) and of their topics, in the manifest's order."""
    if katas is None:
        return manifest
    wanted = {kata.id for kata in katas}
    chosen = tuple(kata for kata in manifest.katas if kata.id in wanted)
    topics = {kata.topic for kata in chosen}
    return Manifest(topics=tuple(topic for topic in manifest.topics if topic.id in topics), katas=chosen)


def _copy_exercises(exercises: Path, target: Path, manifest: Manifest, chosen: Manifest) -> None:
    """exercises/ as it is, or for a selection: its topics' folders less the other katas' files."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    if chosen == manifest:
        shutil.copytree(exercises, target, ignore=ignore)
        return
    others = {kata.relative_file for kata in manifest.katas if kata not in chosen.katas}
    others |= {kata.public_test for kata in manifest.katas if kata not in chosen.katas}
    target.mkdir(parents=True)
    for topic in chosen.topics:
        shutil.copytree(exercises / topic.id, target / topic.id, ignore=lambda folder, names: [
            *ignore(folder, names), *(name for name in names if Path(folder, name).relative_to(exercises)
                                      in others)])


def with_grading_section(readme: str, section: str) -> str:
    """The learner README with its last section, how pushes are graded, replaced by ``section``."""
    if GRADING_HEADING not in readme or not section.startswith(GRADING_HEADING):
        raise ReleaseError(f"the README template has no {GRADING_HEADING!r} section to replace")
    return readme[:readme.index(GRADING_HEADING)] + section


def build(out: Path, manifest: Manifest, exercises: Path = EXERCISES_DIR,
          solutions: Path = SOLUTIONS_DIR, constraints: Path = REPO_DIR / "constraints.txt",
          katas: list[Kata] | None = None, workflow: bool = True,
          grading: str | None = None) -> list[Path]:
    """Write the template repository into ``out`` (new or empty); returns the files written.
    ``katas``: only these (default: all); ``workflow``: with the push workflow; ``grading``: the
    README's section on how pushes are graded, if not the workflow's."""
    if out.exists() and any(out.iterdir()):
        raise ReleaseError(f"{out} is not empty: release into a new folder")
    if not exercises.is_dir() or not constraints.is_file():
        raise ReleaseError("run it from the grader's own checkout: exercises/ and constraints.txt are needed")
    chosen = selection(manifest, katas)
    drifted = stubs.drift(list(chosen.katas), solutions, exercises)
    if drifted:
        raise ReleaseError(f"{len(drifted)} stubs are out of date with the solutions "
                           f"({drifted[0]}, …): run `grader stubs` first")
    out.mkdir(parents=True, exist_ok=True)
    _copy_exercises(exercises, out / "exercises", manifest, chosen)
    package.copy(out / "grader", list(chosen.katas), hidden=False)
    for kata in chosen.katas:  # the stubs as released, for `grader reset`
        (out / "grader" / "pristine" / kata.relative_file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(exercises / kata.relative_file, out / "grader" / "pristine" / kata.relative_file)
    pins = constraints.read_text()
    (out / "constraints.txt").write_text(pins)
    (out / "pyproject.toml").write_text(template("pyproject.toml"))
    readme = (template("README.md").replace("__TOPICS__", _topics_table(chosen))
              .replace("__POINTS__", str(sum(kata.points for kata in chosen.katas)))
              .replace("__TORCH__", torch_pin(pins)))
    if grading is not None:
        readme = with_grading_section(readme, grading.replace("__POINTS__", str(sum(
            kata.points for kata in chosen.katas))))
    (out / "README.md").write_text(readme)
    (out / ".gitignore").write_text(GITIGNORE)
    write_references(out / "grader" / curves.REFERENCE_FILE.relative_to(PACKAGE_DIR), list(chosen.katas))
    if workflow:
        workflows = out / ".github" / "workflows"
        workflows.mkdir(parents=True)
        (workflows / "classroom.yml").write_text(template("classroom.yml"))
    return sorted(path for path in out.rglob("*") if path.is_file())
