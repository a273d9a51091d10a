"""Submissions on disk: a learner's repo, its exercises folder, a class of them, or zip files."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from grader.manifest import Kata

MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
SKIPPED_PARTS = {".git", "__pycache__", ".venv", ".pytest_cache"}


class SubmissionError(Exception):
    """The path given cannot be graded at all."""


def exercises_folder(path: Path) -> Path:
    if not path.exists():
        raise SubmissionError(f"{path} does not exist")
    if not path.is_dir():
        raise SubmissionError(f"{path} is not a folder")
    nested = path / "exercises"
    return nested if nested.is_dir() else path


def arrange(source: Path, target: Path, katas: list[Kata]) -> list[str]:
    """Copy a submission's kata files into ``target/exercises/<topic>/<stem>.py``, whatever its
    layout: a repository, its exercises folder, or the kata files alone (an upload to Gradescope).
    Returns the ids of the katas found; a kata found twice is taken from its own topic folder."""
    if not source.is_dir():
        raise SubmissionError(f"{source} is not a folder")
    found = []
    for kata in katas:
        candidates = sorted(path for path in source.rglob(f"{kata.stem}.py")
                            if path.is_file() and not path.is_symlink())
        if not candidates:
            continue
        chosen = next((path for path in candidates if path.parent.name == kata.topic), candidates[0])
        destination = target / "exercises" / kata.relative_file
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(chosen, destination)
        found.append(kata.id)
    (target / "exercises").mkdir(parents=True, exist_ok=True)
    return found


def submission_name(path: Path) -> str:
    return path.resolve().name


# ---------------------------------------------------------------- a class of submissions


@dataclass(frozen=True)
class Submission:
    """One learner's work in a class folder: a folder or a zip file, named by ``id``."""

    id: str
    path: Path

    @property
    def is_zip(self) -> bool:
        return self.path.suffix.lower() == ".zip"


def _looks_like_submission(path: Path) -> bool:
    if path.suffix.lower() == ".zip" and path.is_file():
        return True
    return path.is_dir() and ((path / "exercises").is_dir() or any(
        child.is_dir() and re.match(r"\d\d_", child.name) for child in path.iterdir()))


def safe_id(name: str) -> str:
    """A file-name-safe id: results are written to <id>.json."""
    cleaned = re.sub(r"[^A-Za-z0-9._@+-]", "_", name).strip("._") or "submission"
    return cleaned[:120]


def discover(root: Path) -> list[Submission]:
    """Every submission under root, sorted by id.

    root/<learner>/ (a repo holding exercises/, or an exercises folder), root/<learner>.zip, and the
    layout cloning a whole class gives, root/<assignment>-submissions/<repo>/, all count.
    """
    if not root.is_dir():
        raise SubmissionError(f"{root} is not a folder")
    found: dict[str, Submission] = {}
    for child in sorted(root.iterdir()):
        if child.name.startswith(".") or child.name in SKIPPED_PARTS:
            continue
        if _looks_like_submission(child):
            candidates = [child]
        elif child.is_dir():  # a class clone: one more level down
            candidates = [grand for grand in sorted(child.iterdir())
                          if not grand.name.startswith(".") and _looks_like_submission(grand)]
        else:
            continue
        for path in candidates:
            base = safe_id(path.stem if path.suffix.lower() == ".zip" else path.name)
            key, number = base, 1
            while key in found:  # "a b" and "a_b", or a.zip beside a/: never one result file
                number += 1
                key = f"{base}-{number}"
            found[key] = Submission(id=key, path=path)
    return sorted(found.values(), key=lambda sub: sub.id)


def unpack(submission: Submission, into: Path) -> Path:
    """The submission's folder: itself, or its zip extracted safely into ``into``."""
    if not submission.is_zip:
        return submission.path
    target = into / submission.id
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    try:
        with zipfile.ZipFile(submission.path) as archive:
            _extract_within_limits(archive, target, submission.path.name)
    except zipfile.BadZipFile as error:
        raise SubmissionError(f"{submission.path.name} is not a readable zip file: {error}") from None
    entries = [entry for entry in target.iterdir() if not entry.name.startswith(("__MACOSX", "."))]
    if len(entries) == 1 and entries[0].is_dir() and not re.match(r"\d\d_", entries[0].name):
        return entries[0]  # a zip of the repo folder itself
    return target


def _extract_within_limits(archive: zipfile.ZipFile, target: Path, name: str) -> None:
    """Extract member by member, counting the bytes really written: declared sizes can lie."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise SubmissionError(f"{name} holds too many files")
    written = 0
    for member in members:
        path = Path(member.filename)
        if path.is_absolute() or ".." in path.parts:
            raise SubmissionError(f"{name} has an unsafe path: {member.filename}")
        destination = target / path
        if member.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as source, open(destination, "wb") as sink:
            while chunk := source.read(1 << 20):
                written += len(chunk)
                if written > MAX_UNZIPPED_BYTES:
                    raise SubmissionError(f"{name} unpacks to more than 256 MiB")
                sink.write(chunk)


def content_hash(folder: Path) -> str:
    """A hash of what is graded (the exercises folder's files): an edit means a new grade.
    Links are hashed as links, never followed: out of the submission, into a loop, or to a device."""
    digest = hashlib.sha256()
    exercises = exercises_folder(folder)
    for directory, subfolders, files in os.walk(exercises, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if name not in SKIPPED_PARTS)
        for name in sorted(files + [d for d in subfolders if (Path(directory) / d).is_symlink()]):
            path = Path(directory) / name
            relative = path.relative_to(exercises)
            if path.is_symlink():
                digest.update(f"{relative} -> {os.readlink(path)}".encode() + b"\0")
            elif path.is_file():
                digest.update(str(relative).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
