"""Grading a whole class: discover, shard, skip what is already graded, grade in parallel, report.

Results go to an output folder, one ``<id>.json`` per submission (the grade JSON), written
atomically as each submission finishes, with the hash of the content it graded beside it in
``.grader/hashes/``. Beside them too, for the class's views: the kata files graded (for similar
work), in ``.grader/code/``, and the time of the graded commit, in ``.grader/commits/``. The class
outputs (``grades.csv``, ``gradebook.csv``, ``similar.csv``, ``report.html``, ``feedback/``) are
rebuilt from those files at the end, so a batch killed at any moment and run again with
``resume`` gives the same outputs as one that never stopped, an edited submission is graded
again, and shards merged give what one batch gives.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from grader import manifest as manifest_module
from grader.class_model import DEFAULT_ASSIGNMENT, ClassRecord
from grader.course import lateness, similarity
from grader.formats import csv as csv_format
from grader.formats import feedback_md
from grader.formats import html as html_format
from grader.formats.class_summary import ClassFigures, summarize_class
from grader.grading.engine import Engine, Job, interrupts_held
from grader.manifest import Kata
from grader.model import Grade, not_graded
from grader.submission import (
    Located,
    Submission,
    SubmissionError,
    arrange,
    content_hash,
    discover,
    locate,
    read_file,
    unpack,
)

STATE = ".grader"  # the batch's own bookkeeping: hashes/, code/, commits/ (by id) and stats.json
HASHES = f"{STATE}/hashes"
CODE = f"{STATE}/code"  # <id>.json: the kata files graded, with their tokens once computed
COMMITS = f"{STATE}/commits"  # <id>: the graded commit's time (ISO 8601), or "unknown"
FEEDBACK = "feedback"  # <id>.md per learner
MAX_KEPT_BYTES = 32 * 1024 * 1024  # a kept-code file: a submission's kata files and their tokens


@dataclass(frozen=True)
class ReportSettings:
    """What the class's views are told: the assignment's name (the gradebook's column, the
    report's title) and the deadline (None: no lateness)."""

    assignment: str = DEFAULT_ASSIGNMENT
    deadline: datetime | None = None


@dataclass(frozen=True)
class Shard:
    """Part ``index`` (1-based) of ``count``: a stable split by submission id."""

    index: int = 1
    count: int = 1

    @classmethod
    def parse(cls, text: str) -> Shard:
        try:
            index, count = (int(part) for part in text.split("/"))
        except ValueError:
            raise ValueError(f"--shard takes I/N, like 2/4; got {text!r}") from None
        if not 1 <= index <= count:
            raise ValueError(f"--shard {text}: I must be between 1 and N")
        return cls(index, count)

    def holds(self, submission_id: str) -> bool:
        bucket = int(hashlib.sha256(submission_id.encode()).hexdigest()[:8], 16) % self.count
        return bucket == self.index - 1


@dataclass
class BatchResult:
    grades: list[Grade]
    graded: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)  # not graded: id -> why
    figures: ClassFigures | None = None
    record: ClassRecord | None = None


def write_atomically(path: Path, text: str, durable: bool = True) -> None:
    """Write a whole file or nothing (a reader never sees half of it); durable: on disk before it
    replaces the old one (a grade, its hash: what --resume trusts). Files made again from those
    at every run (the class's views, a merge's copies) skip the fsync: a thousand of them would
    wait seconds each on a slow disk."""
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class ResultStore:
    """The output folder: per-submission grades and the hashes of what they graded."""

    def __init__(self, folder: Path, create: bool = True, durable: bool = True) -> None:
        self.folder = folder
        self.durable = durable  # a merge's folder is made again from the shards: no fsyncs
        if create:
            for kept in (HASHES, CODE, COMMITS):
                (folder / kept).mkdir(parents=True, exist_ok=True)
        elif not folder.is_dir():
            raise ValueError(f"{folder} is not a folder")

    def grade_path(self, submission_id: str) -> Path:
        return self.folder / f"{submission_id}.json"

    def is_current(self, submission_id: str, digest: str) -> bool:
        hash_path = self.folder / HASHES / submission_id
        return (self.grade_path(submission_id).is_file() and hash_path.is_file()
                and hash_path.read_text().strip() == digest)

    def save(self, grade: Grade, digest: str) -> None:
        # grade first, hash second: a kill between the two means "grade again", never a stale skip
        write_atomically(self.grade_path(grade.submission), grade.to_json(), self.durable)
        write_atomically(self.folder / HASHES / grade.submission, digest + "\n", self.durable)

    def load(self, submission_id: str) -> Grade:
        return Grade.from_dict(json.loads(self.grade_path(submission_id).read_text()))

    def grade_files(self) -> dict[str, tuple[Path, Grade]]:
        """Every grade file here, read, by submission id (its file name). A shard folder to merge
        may hold anything: a file that is a link, too big, not a grade, or the grade of another
        submission than its name says is a ValueError naming it."""
        found = {}
        for path in sorted(self.folder.glob("*.json")):
            if path.name.startswith("."):
                continue
            found[path.stem] = (path, read_grade(path))
        return found

    def all_grades(self) -> list[Grade]:
        return [grade for _, grade in self.grade_files().values()]

    # ---- what the class's views need beyond the grades: the code graded, the commit's time

    def kept_path(self, submission_id: str) -> Path:
        return self.folder / CODE / f"{submission_id}.json"

    def kept_files(self, submission_id: str) -> dict[str, similarity.Kept]:
        """A submission's kept kata files, by kata id; {} if none or unreadable. Each file is read
        on its own: tokens that do not read back are dropped (computed again from the code), and a
        record without code costs that file only, never the submission's other files."""
        path = self.kept_path(submission_id)
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_KEPT_BYTES:
                return {}
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict):
            return {}
        files = {}
        for kata_id, kept in data.items():
            try:
                files[kata_id] = similarity.Kept.from_dict(kept)
            except ValueError:
                if isinstance(kept, dict) and isinstance(kept.get("code"), str):
                    files[kata_id] = similarity.Kept.of(kept["code"])  # its tokens: made again
        return files

    def write_kept(self, submission_id: str, files: dict[str, similarity.Kept], durable: bool = True) -> None:
        data = {kata_id: files[kata_id].to_dict() for kata_id in sorted(files)}
        text = json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"
        write_atomically(self.kept_path(submission_id), text, durable and self.durable)

    def save_code(self, submission_id: str, files: dict[str, str]) -> None:
        """Keep a submission's kata files (for similar work), and the tokens of those unchanged."""
        before = self.kept_files(submission_id)
        kept = {}
        for kata_id, code in files.items():
            fresh = similarity.Kept.of(code)
            unchanged = kata_id in before and before[kata_id].code == fresh.code
            kept[kata_id] = before[kata_id] if unchanged else fresh
        if kept:
            self.write_kept(submission_id, kept)
        else:  # nothing but stubs: nothing of theirs to compare
            self.kept_path(submission_id).unlink(missing_ok=True)

    def code(self, submission_ids: list[str]) -> dict[str, dict[str, similarity.Kept]]:
        """The kept files of these submissions, tokenized; tokens computed now are kept too."""
        found = {}
        for submission_id in submission_ids:
            files = self.kept_files(submission_id)
            tokenized = {kata_id: kept.tokenized() for kata_id, kept in files.items()}
            if tokenized != files:  # a cache: if lost, computed again
                self.write_kept(submission_id, tokenized, durable=False)
            if tokenized:
                found[submission_id] = tokenized
        return found

    def save_commit(self, submission_id: str, moment: datetime | None) -> None:
        write_atomically(self.folder / COMMITS / submission_id,
                         (moment.isoformat() if moment else "unknown") + "\n", self.durable)

    def commit(self, submission_id: str) -> datetime | None:
        path = self.folder / COMMITS / submission_id
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > 100:
                return None
            moment = datetime.fromisoformat(path.read_text(encoding="ascii").strip())
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        return moment if moment.tzinfo is not None else None

    def forget(self, submission_id: str) -> None:
        """Nothing kept of a submission that could not be graded."""
        self.kept_path(submission_id).unlink(missing_ok=True)
        self.save_commit(submission_id, None)

    # ---- the class's outputs

    def record(self, grades: list[Grade], kata_ids: list[str], settings: ReportSettings) -> ClassRecord:
        """The class as its views see it: grades, commit times, similar work."""
        ids = [grade.submission for grade in grades]
        stubs = {}
        for kata_id in kata_ids:
            stub = manifest_module.EXERCISES_DIR / f"{kata_id}.py"
            if stub.is_file():
                stubs[kata_id] = stub.read_text(encoding="utf-8")
        return ClassRecord(grades=sorted(grades, key=lambda grade: grade.submission), kata_ids=kata_ids,
                           assignment=settings.assignment, deadline=settings.deadline,
                           committed={submission_id: self.commit(submission_id) for submission_id in ids},
                           similar=similarity.find_similar(self.code(ids), stubs, kata_ids))

    def write_class_outputs(self, grades: list[Grade], kata_ids: list[str],
                            settings: ReportSettings) -> tuple[ClassRecord, ClassFigures]:
        record = self.record(grades, kata_ids, settings)
        figures = summarize_class(record.grades, kata_ids)
        feedback = self.folder / FEEDBACK
        feedback.mkdir(exist_ok=True)
        for grade in record.grades:
            if "/" not in grade.submission and not grade.submission.startswith("."):
                write_atomically(feedback / f"{grade.submission}.md", feedback_md.render(record, grade),
                                 durable=False)
        views = {"grades.csv": csv_format.render(record),
                 "gradebook.csv": csv_format.render_gradebook(record.grades, settings.assignment),
                 "similar.csv": csv_format.render_similar(record),
                 "report.html": html_format.render(record, figures)}
        for name, text in views.items():
            write_atomically(self.folder / name, text, durable=False)
        return record, figures


def run_batch(engine: Engine, root: Path, out: Path, *, workers: int, resume: bool = False,
              shard: Shard | None = None, katas: list[str] | None = None,
              settings: ReportSettings | None = None,
              on_start: Callable[[int], None] | None = None,
              on_graded: Callable[[Grade], None] | None = None) -> BatchResult:
    """Grade every submission under root (this shard's share) into out."""
    shard = shard or Shard()
    settings = settings or ReportSettings()
    selected = engine.manifest.select(katas)
    kata_ids = [kata.id for kata in selected]
    store = ResultStore(out)
    submissions = [sub for sub in discover(root) if shard.holds(sub.id)]
    result = BatchResult(grades=[])
    work = Path(tempfile.mkdtemp(prefix="grader-batch-"))
    try:
        plans = _Plans(work, selected, store, result)
        pending = []
        for submission in submissions:
            digest = plans.digest(submission)
            if digest is None:
                continue
            if resume and store.is_current(submission.id, digest):
                result.reused.append(submission.id)
                continue
            pending.append(submission)
        if on_start is not None:
            on_start(len(pending))

        def graded(job: Job, grade: Grade) -> None:
            with interrupts_held():  # a grade saved is a grade counted, whenever Ctrl-C comes
                store.save(grade, plans.digests[job.name])
                result.graded.append(job.name)
                if on_graded is not None:
                    on_graded(grade)
            plans.done(job.name)

        tests_before = engine.test_seconds
        # zips are unpacked only as their turn comes and removed once graded: a class of zips
        # never needs more disk than the judges at work
        engine.grade_many(plans.jobs(pending, on_graded), katas, workers=workers, on_graded=graded)
        write_atomically(out / STATE / "stats.json", json.dumps({
            "graded": len(result.graded), "workers": workers,
            "test_seconds": round(engine.test_seconds - tests_before, 3)}) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.grades = [store.load(sub.id) for sub in submissions if store.grade_path(sub.id).is_file()]
    result.record, result.figures = store.write_class_outputs(result.grades, kata_ids, settings)
    return result


class _Plans:
    """A batch's submissions on their way to the judges: hashed first, unpacked when due."""

    def __init__(self, work: Path, katas: list[Kata], store: ResultStore, result: BatchResult) -> None:
        self.work, self.katas, self.store, self.result = work, katas, store, result
        self.digests: dict[str, str] = {}
        self.located: dict[str, Located] = {}
        self.stubs: dict[str, str | None] = {}

    def _space(self, kind: str, submission_id: str) -> Path:
        """A folder of its own per submission and use: ids are unique, kinds apart."""
        return self.work / kind / submission_id

    def digest(self, submission: Submission) -> str | None:
        """The hash of what would be graded (a zip: its bytes, read in chunks), or None when the
        submission cannot be graded (it then gets its row saying why)."""
        try:
            if submission.is_zip:
                digest = hashlib.sha256(b"zip\0")
                with open(submission.path, "rb") as archive:
                    while chunk := archive.read(1 << 20):
                        digest.update(chunk)
                found = digest.hexdigest()
            else:
                located = self._find(submission)
                self.located[submission.id] = located
                found = content_hash(located)
        except Exception as error:  # noqa: BLE001 - whatever a submission is, it costs only its row
            self.refuse(submission.id, error)
            return None
        self.digests[submission.id] = found
        return found

    def _find(self, submission: Submission) -> Located:
        """Where a submission's katas are: its exercises folder, however deep; or, where the kata
        files lie elsewhere (the files alone, say), copies of them arranged in a folder of ours.
        What the class's views need of it is kept on the way (see _keep)."""
        folder = unpack(submission, self.work / "unzipped")  # a zip into unzipped/<id>, as done() expects
        every = list(manifest_module.load().katas)
        try:
            located = locate(folder, every)
        except SubmissionError:
            staging = self._space("arranged", submission.id)
            if not arrange(folder, staging, every):
                raise
            located = locate(staging, every)
        self._keep(submission.id, located, folder)
        return located

    def _keep(self, submission_id: str, located: Located, folder: Path) -> None:
        """Its kata files (those not left as the stub) and its graded commit's time (its own
        folder is the repository, or holds it; never a folder above)."""
        files = {}
        for kata in self.katas:
            try:
                code = read_file(located.root, located.kata_path(kata.id)).decode("utf-8", "replace")
            except (SubmissionError, OSError):
                continue
            if code != self._stub(kata.id):
                files[kata.id] = code
        self.store.save_code(submission_id, files)
        # the repository holding its exercises folder (a zip of `ada/` with `ada/.git`), or its own
        start = located.folder if located.root == folder else folder  # not our arranged copy
        self.store.save_commit(submission_id, lateness.commit_time(start, folder))

    def _stub(self, kata_id: str) -> str | None:
        if kata_id not in self.stubs:
            path = manifest_module.EXERCISES_DIR / f"{kata_id}.py"
            self.stubs[kata_id] = path.read_text(encoding="utf-8") if path.is_file() else None
        return self.stubs[kata_id]

    def jobs(self, pending: list[Submission], on_graded: Callable[[Grade], None] | None) -> Iterator[Job]:
        for submission in pending:
            located = self.located.get(submission.id)
            if located is None:
                try:
                    located = self._find(submission)
                except Exception as error:  # noqa: BLE001 - as in digest()
                    grade = self.refuse(submission.id, error)
                    if on_graded is not None:
                        on_graded(grade)
                    continue
            yield Job(name=submission.id, located=located)

    def done(self, submission_id: str) -> None:
        for kind in ("unzipped", "arranged"):
            shutil.rmtree(self._space(kind, submission_id), ignore_errors=True)

    def refuse(self, submission_id: str, error: Exception) -> Grade:
        """Its row: every kata 0, and why (in words, whatever went wrong)."""
        if isinstance(error, SubmissionError):
            problem = str(error)
        else:
            problem = f"{type(error).__name__}: {getattr(error, 'strerror', None) or error}"
        grade = not_graded(submission_id, [(kata.id, kata.points) for kata in self.katas], problem)
        self.store.save(grade, "unreadable")
        self.store.forget(submission_id)
        self.result.unreadable[submission_id] = problem
        self.done(submission_id)
        return grade


MAX_GRADE_BYTES = 16 * 1024 * 1024  # a real grade file is tens of KiB


def read_grade(path: Path) -> Grade:
    """A grade file, read strictly: not through a link, within a size cap, every field checked,
    and the grade of the submission its name says."""
    if path.is_symlink() or not path.is_file():
        raise ValueError(f"{path} is not a plain grade file (a link?): it is not merged")
    if path.stat().st_size > MAX_GRADE_BYTES:
        raise ValueError(f"{path} is too big to be a grade file")
    try:
        grade = Grade.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, RecursionError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} is not a grade file: {str(error)[:200]}") from None
    if grade.submission != path.stem:
        raise ValueError(f"{path} holds the grade of {grade.submission!r}, not of {path.stem!r}")
    return grade


def merge(folders: list[Path], out: Path, kata_order: list[str],
          settings: ReportSettings | None = None) -> BatchResult:
    """Join shard outputs into one folder with one grades.csv, report.html and the rest: what one
    batch of the whole class writes, byte for byte."""
    settings = settings or ReportSettings()
    shards = [ResultStore(folder, create=False) for folder in folders]
    store = ResultStore(out, durable=False)
    seen: dict[str, tuple[Path, Grade]] = {}
    for shard in shards:
        for submission_id, (source, grade) in shard.grade_files().items():
            if submission_id in seen and seen[submission_id][1].without_timings() != grade.without_timings():
                raise ValueError(f"{submission_id} was graded differently in "
                                 f"{seen[submission_id][0].parent} and {shard.folder}")
            seen[submission_id] = source, grade
            if shard.folder.resolve() != out.resolve():
                write_atomically(store.grade_path(submission_id), source.read_text(), durable=False)
                hash_file = shard.folder / HASHES / submission_id
                if hash_file.is_file() and not hash_file.is_symlink() and hash_file.stat().st_size < 200:
                    write_atomically(out / HASHES / submission_id, hash_file.read_text(), durable=False)
                # read strictly and written anew: a shard folder may hold anything
                store.save_commit(submission_id, shard.commit(submission_id))
                kept = shard.kept_files(submission_id)
                if kept:
                    store.write_kept(submission_id, kept)
                else:
                    store.kept_path(submission_id).unlink(missing_ok=True)
    grades = store.all_grades()
    present = {kata.id for grade in grades for kata in grade.katas}
    kata_ids = [kata_id for kata_id in kata_order if kata_id in present]
    result = BatchResult(grades=grades)
    result.record, result.figures = store.write_class_outputs(grades, kata_ids, settings)
    return result
