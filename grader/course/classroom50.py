"""`grader release OUT --for classroom50 --assignment SLUG`: a Classroom 50 assignment.

``OUT/template/`` is the learner's starter repository: what `grader release` writes (stubs, public
tests, README, the grader without its hidden suites), without the Classroom-style workflow
(Classroom 50 adds its own autograde workflow when a learner accepts) and with a README that says
how Classroom 50 grades. ``OUT/autograders/SLUG/`` is the teacher's bundle, to be copied to
``<classroom>/autograders/SLUG/`` in the classroom50 configuration repository: ``autograder.py``
(the entrypoint Classroom 50's runner runs), the grader with the hidden suites of the assignment's
katas, ``constraints.txt`` and ``pyproject.toml`` (the pinned stack it installs), and a README.
"""

from __future__ import annotations

import io
import re
import stat
import tarfile
from pathlib import Path

from grader.course import package, release
from grader.manifest import REPO_DIR, Kata, Manifest

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,38}$")  # Classroom 50's rule for assignment slugs
MAX_BUNDLE = 10 * 1024 * 1024  # bytes: the largest bundle (.tar.gz) Classroom 50's runner fetches


def packed_size(folder: Path) -> int:
    """The bundle's size as Classroom 50 fetches it: a .tar.gz of the folder."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(folder, arcname=folder.name)
    return len(buffer.getvalue())


def build_bundle(out: Path, katas: list[Kata], assignment: str, manifest: Manifest,
                 constraints: Path = REPO_DIR / "constraints.txt") -> list[Path]:
    """The teacher's bundle in ``out`` (new); returns the files written."""
    out.mkdir(parents=True)
    package.copy(out / "grader", katas, hidden=True)
    entry = out / "autograder.py"
    entry.write_text(release.template("classroom50_autograder.py"))
    entry.chmod(entry.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    pins = constraints.read_text()
    (out / "constraints.txt").write_text(pins)
    (out / "pyproject.toml").write_text(release.template("pyproject.toml"))
    chosen = release.selection(manifest, katas)
    (out / "README.md").write_text(
        release.template("classroom50_bundle.md").replace("__ASSIGNMENT__", assignment)
        .replace("__KATAS__", str(len(chosen.katas)))
        .replace("__POINTS__", str(sum(kata.points for kata in chosen.katas)))
        .replace("__TOPICS__", ", ".join(f"`{topic.id}`" for topic in chosen.topics))
        .replace("__TORCH__", release.torch_pin(pins)))
    size = packed_size(out)
    if size > MAX_BUNDLE:
        raise release.ReleaseError(f"the bundle packs to {size / 2**20:.1f} MiB, over Classroom 50's "
                                   f"{MAX_BUNDLE / 2**20:.0f} MiB: select fewer katas with --kata")
    return sorted(path for path in out.rglob("*") if path.is_file())


def build(out: Path, manifest: Manifest, katas: list[Kata], assignment: str) -> list[Path]:
    """The starter repository in ``out/template`` and the bundle in ``out/autograders/SLUG``."""
    if not SLUG.match(assignment or ""):
        raise release.ReleaseError(f"--assignment {assignment!r} is not a Classroom 50 slug: 2 to 39 "
                                   "lowercase letters, digits and hyphens, not starting with a hyphen")
    if out.exists() and any(out.iterdir()):
        raise release.ReleaseError(f"{out} is not empty: release into a new folder")
    try:
        package.check_suites(katas)  # before anything is written
    except FileNotFoundError as error:
        raise release.ReleaseError(str(error)) from error
    template = release.build(out / "template", manifest, katas=katas, workflow=False,
                             grading=release.template("classroom50_grading.md"))
    return template + build_bundle(out / "autograders" / assignment, katas, assignment, manifest)
