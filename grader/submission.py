"""Submissions on disk: found, read safely, hashed; a class of them; zip files unpacked.

The one rule: nothing of a submission is read through a link, and nothing outside its own folder
is ever read on its behalf. Every file of a submission the grader reads is opened one path
component at a time with ``O_NOFOLLOW``, beneath a folder found without following links, and
read in chunks, up to a size cap. The grader runs as root in a batch, so a kata file linked to a
reference solution, a hidden suite or another learner's folder would otherwise be read for it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.manifest import Kata

MAX_FILE_BYTES = 1024 * 1024  # one Python file of a submission; real kata files are a few KiB
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
MAX_WALKED = 20_000  # files and folders looked at to find or hash a submission
MAX_HASHED_BYTES = 32 * 1024 * 1024  # all of a submission's Python files, read to hash them
MAX_DEPTH = 8  # folder levels searched beneath a submission for its kata files
SKIPPED_PARTS = {".git", "__pycache__", ".venv", "venv", ".pytest_cache", "node_modules", "__MACOSX"}
CLASS_CLONE_SUFFIX = "-submissions"  # ROOT/<assignment>-submissions/<repo>/: a whole class cloned
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # NONBLOCK: a FIFO never hangs
_DIR_FLAGS = os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class SubmissionError(Exception):
    """The path given cannot be graded at all, or breaks a limit."""


class NotASubmission(SubmissionError):
    """The path given is no submission at all: missing, or neither a folder nor a zip file."""


class NotARegularFile(SubmissionError):
    """A file of the submission is a link, a device or a folder, or is missing."""


# ---------------------------------------------------------------- reading beneath a folder


def _components(relative: str | PurePosixPath) -> list[str]:
    parts = PurePosixPath(relative).parts
    if not parts or any(part in ("", ".", "..", "/") for part in parts):
        raise ValueError(f"not a plain relative path: {relative}")
    return list(parts)


def _link_or_missing(folder_fd: int, name: str, shown: str) -> NotARegularFile:
    """Why ``name`` in an open folder could not be opened as asked."""
    try:
        info = os.lstat(name, dir_fd=folder_fd)
    except FileNotFoundError:
        return NotARegularFile(f"{shown} is missing")
    except OSError as error:
        return NotARegularFile(f"{shown} cannot be read: {error.strerror}")
    if stat.S_ISLNK(info.st_mode):
        return NotARegularFile(f"{shown} is a link, and links are never followed: "
                               "submit the file itself")
    if stat.S_ISDIR(info.st_mode):
        return NotARegularFile(f"{shown} is a folder, not a file")
    return NotARegularFile(f"{shown} is not a regular file")


def open_folder(root: Path, relative: str | PurePosixPath = ".") -> int:
    """An ``O_PATH`` descriptor of ``root/relative``, reached without following a link below root.

    ``root`` is the folder the grader was given (an instructor's path); beneath it nothing is
    followed. Raises NotARegularFile when a component is missing or is a link.
    """
    fd = os.open(root, _DIR_FLAGS & ~os.O_NOFOLLOW)
    if str(relative) in (".", ""):
        return fd
    shown = PurePosixPath()
    try:
        for part in _components(relative):
            shown /= part
            try:
                inner = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError:
                raise _link_or_missing(fd, part, str(shown)) from None
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_file(root: Path, relative: str | PurePosixPath, limit: int = MAX_FILE_BYTES,
              shown: str | None = None) -> int:
    """A read-only descriptor of the regular file ``root/relative``, no component a link, at
    most ``limit`` bytes long. Raises NotARegularFile or SubmissionError (over the limit)."""
    parts = _components(relative)
    shown = shown or str(PurePosixPath(*parts))
    folder = open_folder(root, PurePosixPath(*parts[:-1]))  # "." for a file right in root
    try:
        try:
            fd = os.open(parts[-1], _OPEN_FLAGS, dir_fd=folder)
        except OSError:
            raise _link_or_missing(folder, parts[-1], shown) from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            raise NotARegularFile(f"{shown} is not a regular file")
        if info.st_size > limit:
            os.close(fd)
            raise SubmissionError(f"{shown} is {_size(info.st_size)} ({info.st_size} bytes), over "
                                  f"the {_size(limit)} limit for one file")
        os.set_blocking(fd, True)
        return fd
    finally:
        os.close(folder)


def read_file(root: Path, relative: str | PurePosixPath, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``root/relative``, read as ``open_file`` opens it."""
    with os.fdopen(open_file(root, relative, limit), "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew since it was opened
        raise SubmissionError(f"{relative} is over the {_size(limit)} limit for one file")
    return data


def _shown(name: str, limit: int = 80) -> str:
    """A name from a submission, short enough for a message."""
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


def walk(root: Path, max_depth: int = MAX_DEPTH) -> Iterator[tuple[PurePosixPath, os.DirEntry]]:
    """Every entry beneath root, breadth first (shallowest first), as (relative path, entry);
    links are listed but never entered, caches and version-control folders are skipped.
    Raises SubmissionError past MAX_WALKED entries."""
    queue: deque[tuple[PurePosixPath, Path, int]] = deque([(PurePosixPath(), root, 0)])
    seen = 0
    while queue:
        relative, folder, depth = queue.popleft()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_WALKED:
                raise SubmissionError(f"{root.name} holds more than {MAX_WALKED} files and folders")
            yield relative / entry.name, entry
            if (entry.is_dir(follow_symlinks=False) and entry.name not in SKIPPED_PARTS
                    and depth + 1 < max_depth):
                queue.append((relative / entry.name, Path(entry.path), depth + 1))


# ---------------------------------------------------------------- one submission


@dataclass(frozen=True)
class Located:
    """Where a submission's katas are: ``root`` (the folder given) and, beneath it, the folder
    that holds the topic folders (``exercises``, as a path relative to root)."""

    root: Path
    exercises: PurePosixPath

    @property
    def folder(self) -> Path:
        return self.root / self.exercises

    def kata_path(self, kata_id: str) -> PurePosixPath:
        """The kata's file relative to root; a kata id is its file's path below exercises/."""
        return self.exercises / f"{kata_id}.py"

    def open_kata(self, kata_id: str) -> int:
        """A descriptor of the kata's file, opened safely; NotARegularFile or SubmissionError."""
        return open_file(self.root, self.kata_path(kata_id), shown=f"exercises/{kata_id}.py")

    def open_kata_folder(self, kata_id: str) -> int:
        """An O_PATH descriptor of the kata's topic folder (for helper modules beside the file)."""
        return open_folder(self.root, self.kata_path(kata_id).parent)

    def is_missing(self, kata_id: str) -> bool:
        """No regular file for the kata (none at all, or a link, a folder, a device)."""
        try:
            os.close(self.open_kata(kata_id))
        except NotARegularFile:
            return True
        except (SubmissionError, OSError):
            return False
        return False


def _holds_katas(folder: Path, katas: Iterable[Kata]) -> bool:
    """Whether folder holds <topic>/<stem>.py for some kata, as real files, not links."""
    for kata in katas:
        try:
            info = os.lstat(folder / kata.relative_file)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and not (folder / kata.topic).is_symlink():
            return True
    return False


def locate(root: Path, katas: Iterable[Kata]) -> Located:
    """The folder beneath root (root itself included) holding the topic folders: the shallowest
    one, an `exercises` folder first among equals. Links are never followed on the way."""
    katas = list(katas)
    if not root.exists():
        raise SubmissionError(f"{root} does not exist")
    if not root.is_dir():
        raise SubmissionError(f"{root} is not a folder")
    if _holds_katas(root, katas):
        return Located(root, PurePosixPath("."))
    topics = {kata.topic for kata in katas}
    candidates: list[PurePosixPath] = []
    depth = None
    for relative, entry in walk(root):
        if depth is not None and len(relative.parts) > depth:
            break
        if entry.name in topics or not entry.is_dir(follow_symlinks=False):
            continue
        if entry.name not in SKIPPED_PARTS and _holds_katas(Path(entry.path), katas):
            candidates.append(relative)
            depth = len(relative.parts)
    if not candidates:
        raise SubmissionError(f"no kata files found in {root.name} (expected "
                              "exercises/<topic>/<kata>.py, e.g. exercises/02_losses/mse.py)")
    named = [path for path in candidates if path.name == "exercises"]
    if len(candidates) > 1 and len(named) != 1:  # two repositories in one entry: which is theirs?
        shown = " and ".join(str(path) for path in candidates[:3])
        raise SubmissionError(f"{root.name} holds kata files in more than one place ({shown}): "
                              "submit one of them")
    return Located(root, named[0] if named else candidates[0])


def content_hash(located: Located) -> str:
    """A hash of what is graded (the Python files beneath the exercises folder): an edit means a
    new grade. Links count by where they point, never followed; each file is read in chunks up
    to the size cap, and a file over it is a SubmissionError. So is more than MAX_HASHED_BYTES
    of Python in all: thousands of files each under the cap would hold up the whole class,
    whose submissions are hashed before any is graded."""
    digest = hashlib.sha256()
    hashed = 0
    for relative, entry in walk(located.folder):
        if entry.is_symlink():
            digest.update(f"{relative} -> {os.readlink(entry.path)}".encode() + b"\0")
        elif relative.suffix == ".py" and entry.is_file(follow_symlinks=False):
            data = read_file(located.folder, relative)
            hashed += len(data)
            if hashed > MAX_HASHED_BYTES:
                raise SubmissionError(f"{located.folder.name} holds more than {_size(MAX_HASHED_BYTES)} "
                                      "of Python files; a whole submission is a few hundred KiB")
            digest.update(str(relative).encode() + b"\0")
            digest.update(data + b"\0")
    return digest.hexdigest()


def arrange(source: Path, target: Path, katas: list[Kata]) -> list[str]:
    """Copy a submission's kata files into ``target/exercises/<topic>/<stem>.py``, whatever its
    layout: a repository, its exercises folder, or the kata files alone (an upload to Gradescope).
    Returns the ids of the katas found; a kata found twice is taken from its own topic folder.
    Links are never followed, and a file over the size cap is left out."""
    if not source.is_dir():
        raise SubmissionError(f"{source} is not a folder")
    by_name: dict[str, list[PurePosixPath]] = {}
    for relative, entry in walk(source):
        if relative.suffix == ".py" and entry.is_file(follow_symlinks=False):
            by_name.setdefault(relative.name, []).append(relative)
    found = []
    for kata in katas:
        candidates = sorted(by_name.get(f"{kata.stem}.py", []), key=lambda p: (len(p.parts), str(p)))
        if not candidates:
            continue
        chosen = next((path for path in candidates if path.parent.name == kata.topic), candidates[0])
        try:
            data = read_file(source, chosen)
        except SubmissionError:
            continue
        destination = target / "exercises" / kata.relative_file
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
        found.append(kata.id)
    (target / "exercises").mkdir(parents=True, exist_ok=True)
    return found


# ---------------------------------------------------------------- a class of submissions


@dataclass(frozen=True)
class Submission:
    """One top-level entry of a class folder, a learner's: a folder or a zip file, named by ``id``."""

    id: str
    path: Path

    @property
    def is_zip(self) -> bool:
        return self.path.suffix.lower() == ".zip" and not self.path.is_symlink()

    @property
    def is_link(self) -> bool:
        return self.path.is_symlink()


_SAFE = re.compile(r"[\w.@+-]")
_MAX_ID = 100


def submission_id(name: str) -> str:
    """A learner's id from the name of their entry: the name itself, with any character that is
    not safe in a file name written as %XX (so two names never share an id), a zip's `.zip`
    dropped, and a very long name shortened with a hash of the whole."""
    if name.lower().endswith(".zip"):
        name = name[:-4]
    cleaned = "".join(ch if _SAFE.fullmatch(ch) else "".join(f"%{b:02X}" for b in ch.encode())
                      for ch in name)
    if cleaned.startswith("."):
        cleaned = "%2E" + cleaned[1:]
    if len(cleaned) > _MAX_ID:
        cleaned = cleaned[:_MAX_ID] + "~" + hashlib.sha256(name.encode()).hexdigest()[:8]
    return cleaned or "%00"


def _entries(root: Path) -> list[Path]:
    """The class's entries: every top-level entry but hidden ones. A class clone's folder
    (<assignment>-submissions) alone in root stands for the entries inside it; beside other
    entries it is a learner's own (a login may end in -submissions too)."""
    entries = [child for child in sorted(root.iterdir()) if not child.name.startswith(".")]
    if (len(entries) == 1 and entries[0].name.endswith(CLASS_CLONE_SUFFIX) and entries[0].is_dir()
            and not entries[0].is_symlink()):
        return [grand for grand in sorted(entries[0].iterdir()) if not grand.name.startswith(".")]
    return entries


def discover(root: Path) -> list[Submission]:
    """Every learner's entry under root, sorted by id: each top-level entry gets exactly one,
    its id from that entry's own name. Two entries with one id are an error that names both."""
    if not root.is_dir():
        raise SubmissionError(f"{root} is not a folder")
    found: dict[str, Submission] = {}
    for path in _entries(root):
        key = submission_id(path.name)
        if key in found:
            raise SubmissionError(f"{found[key].path.relative_to(root)} and {path.relative_to(root)} "
                                  f"would both be graded as {key!r}: rename one of them")
        found[key] = Submission(id=key, path=path)
    return sorted(found.values(), key=lambda sub: sub.id)


def unpack(submission: Submission, into: Path) -> Path:
    """The submission's folder: itself, or its zip extracted safely into ``into``."""
    if submission.is_link:
        raise SubmissionError(f"{submission.path.name} is a link, and links are never followed: "
                              "put the submission itself in the class folder")
    if not submission.is_zip:
        if not submission.path.is_dir():
            raise NotASubmission(f"{submission.path.name} is neither a folder nor a zip file")
        return submission.path
    target = into / submission.id
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    try:
        with zipfile.ZipFile(submission.path) as archive:
            _extract_within_limits(archive, target, submission.path.name)
    except SubmissionError:
        raise
    except Exception as error:  # noqa: BLE001 - encrypted, corrupt, truncated: every way is the zip's
        why = str(error) or type(error).__name__
        raise SubmissionError(f"{submission.path.name} is not a readable zip file: {why}") from None
    return target


@contextmanager
def submission_folder(path: Path) -> Iterator[Path]:
    """One submission as a folder: the folder itself, or a zip of one unpacked for as long as
    the ``with`` lasts. NotASubmission for a path that is neither; SubmissionError for a zip
    that cannot be unpacked."""
    if not path.exists():
        raise NotASubmission(f"{path} does not exist")
    if path.is_dir():
        yield path
        return
    if path.suffix.lower() != ".zip" or not path.is_file():
        raise NotASubmission(f"{path} is neither a folder nor a zip file")
    with tempfile.TemporaryDirectory(prefix="grader-unzipped-") as work:
        yield unpack(Submission(submission_id(path.name), path), Path(work))


def _extract_within_limits(archive: zipfile.ZipFile, target: Path, name: str) -> None:
    """Extract member by member, counting the bytes really written: declared sizes can lie."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise SubmissionError(f"{name} holds too many files")
    written = 0
    seen: set[PurePosixPath] = set()
    for member in members:
        path = PurePosixPath(member.filename.replace("\\", "/"))
        shown = _shown(member.filename)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise SubmissionError(f"{name} has an unsafe path: {shown}")
        if path in seen:  # which copy would the learner have meant? unzip tools disagree
            raise SubmissionError(f"{name} holds {shown} twice")
        seen.add(path)
        destination = target.joinpath(*path.parts)
        try:
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
        except OSError as error:  # a file where a folder must go, a name too long: no paths of ours
            raise SubmissionError(f"{name}: {shown} cannot be unpacked ({error.strerror})") from None
