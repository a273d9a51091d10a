"""Grading a class: every submission once, resumable after kill -9, shardable, robust to bad ones.

The class has 30 submissions (correct, buggy, stubs, one that hangs, one that crashes, two zips);
it is graded on four katas, with short limits, so the whole file stays quick in CI.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from grader import cli
from grader.course import batch, lateness, similarity
from grader.grading.engine import Engine
from grader.model import Grade
from grader.sandbox.limits import Limits
from grader.submission import discover

from .class_factory import make_class
from .conftest import MSE_POINTS, REPO, SOLUTIONS, build_submission

KATAS = ["01_autograd/derivative", "02_losses/mse", "03_gradients/linear_grad", "05_loops/fit_numpy"]
QUICK = ["--test-timeout", "2", "--kata-timeout", "4"]
SIZE = 30


@pytest.fixture(scope="module")
def quick_engine():
    with Engine(limits=Limits(per_test=2, per_kata=4), katas=KATAS) as running:
        yield running


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    return root, make_class(root, SIZE)


@pytest.fixture(scope="module")
def full_run(school, tmp_path_factory):
    root, _ = school
    out = tmp_path_factory.mktemp("full")
    args = ["batch", str(root), "--out", str(out), "--jobs", "2", *QUICK]
    assert cli.main([*args, *(arg for kata in KATAS for arg in ("--kata", kata))]) == 0
    return out


def csv_rows(out: Path) -> list[list[str]]:
    return list(csv.reader((out / "grades.csv").read_text().splitlines()))


def test_every_submission_is_graded_once(school, full_run):
    _, kinds = school
    rows = csv_rows(full_run)
    assert rows[0] == ["id", "total", "max", *KATAS, "committed", "late", "not graded because"]
    assert sorted(row[0] for row in rows[1:]) == sorted(kinds)
    assert sorted(p.stem for p in full_run.glob("[!.]*.json")) == sorted(kinds)
    assert sorted(p.stem for p in (full_run / "feedback").glob("*.md")) == sorted(kinds)
    report = (full_run / "report.html").read_text()
    assert report.count("<details class='row'>") == SIZE and "learner000" in report


def test_the_gradebook_file_has_the_lms_import_layout(full_run):
    totals = {row[0]: row[1] for row in csv_rows(full_run)[1:]}
    header, possible, *rows = csv.reader((full_run / "gradebook.csv").read_text().splitlines())
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert possible[0] == "Points Possible" and possible[5] == csv_rows(full_run)[1][2]
    assert {row[3]: row[5] for row in rows} == totals


def test_each_kind_of_submission_gets_its_grade(school, full_run):
    _, kinds = school
    for learner, kind in kinds.items():
        grade = json.loads((full_run / f"{learner}.json").read_text())
        status = {kata["id"]: kata["status"] for kata in grade["katas"]}
        if kind == "correct":
            assert grade["score"] == grade["max_score"], learner
        elif kind == "stubs":
            assert grade["score"] == 0, learner
        elif kind == "hangs":
            assert status["02_losses/mse"] == "timeout"
            assert status["01_autograd/derivative"] == "passed"
        elif kind == "crashes":
            assert status["01_autograd/derivative"] == "error"
            assert status["02_losses/mse"] == "passed"


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if text in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                    if state != "Z":
                        found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_killed_batch_resumes_to_the_same_grades(school, full_run, tmp_path):
    root, _ = school
    out = tmp_path / "out"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    command = [sys.executable, "-m", "grader", "batch", str(root), "--out", str(out), "--jobs", "2",
               *QUICK, *(arg for kata in KATAS for arg in ("--kata", kata))]
    env = {**os.environ, "TMPDIR": str(scratch)}
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list(out.glob("*.json"))) < 8 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done_before = len(list(out.glob("*.json")))
    assert 8 <= done_before < SIZE, "the batch was not killed mid-way"

    time.sleep(1.5)  # the learner-process server notices its parent is gone within 0.5 s
    assert _processes_mentioning(str(scratch)) == [] and _processes_mentioning(str(out)) == []

    with Engine(limits=Limits(per_test=2, per_kata=4), katas=KATAS) as engine:
        result = batch.run_batch(engine, root, out, workers=2, resume=True, katas=KATAS)
    assert len(result.reused) >= done_before - 2  # a grade written without its hash is redone
    assert len(result.reused) + len(result.graded) == SIZE
    assert (out / "grades.csv").read_text() == (full_run / "grades.csv").read_text()


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and path.name != "stats.json"}


def _commit(folder: Path, when: str) -> None:
    env = {**os.environ, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when, "GIT_CONFIG_NOSYSTEM": "1"}
    for command in (["init", "-q"], ["add", "-A"],
                    ["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "work"]):
        subprocess.run(["git", *command], cwd=folder, env=env, check=True)


def test_shards_merge_into_the_single_run(quick_engine, tmp_path):
    """Three shards merged write what one batch of the whole class writes: the same bytes in
    grades.csv, gradebook.csv, similar.csv, report.html, every feedback file and the batch's own
    records; the grade JSONs are the shards' own bytes, and the single run's but for `seconds`
    (the tests' run time, the one field that differs between two gradings). The class has no
    submission that hangs (which tests a hang reaches depends on the machine's load), two
    repositories (one late) and copied code, so every view has something to show. The copy and
    its original open with a comment (copydetect's offsets then start at -1) and lie in different
    shards (learner000 in 1/3, learner005 in 2/3): the merge reads back the tokens each shard
    kept, and must still find them alike."""
    root = tmp_path / "class"
    make_class(root, 12)
    mse = (SOLUTIONS / "02_losses" / "mse.py").read_text()
    original = "# mse, my own way\n" + mse.replace("y_pred", "guess")
    copy = "# squared errors, averaged\n" + original.replace("guess", "estimate").replace("    ", "  ")
    for learner, code in (("learner000", original), ("learner005", copy)):
        shutil.rmtree(root / learner)
        build_submission(root / learner, {"02_losses/mse": code})
    assert batch.Shard(1, 3).holds("learner000") and batch.Shard(2, 3).holds("learner005")
    _commit(root / "learner000", "2025-03-02T09:00:00+01:00")
    _commit(root / "learner008", "2025-02-27T09:00:00+01:00")
    katas = KATAS[:2]
    settings = batch.ReportSettings("Week 2: losses", lateness.parse_deadline("2025-03-01T23:59:00+01:00"))
    full = tmp_path / "full"
    single = batch.run_batch(quick_engine, root, full, workers=2, katas=katas, settings=settings)
    shards = []
    for index in (1, 2, 3):
        out = tmp_path / f"shard{index}"
        result = batch.run_batch(quick_engine, root, out, workers=2, katas=katas, settings=settings,
                                 shard=batch.Shard(index, 3))
        assert 0 < len(result.graded) < 12
        shards.append(out)
    merged = batch.merge(shards, tmp_path / "merged", list(katas), settings)
    assert ("02_losses/mse", "learner000", "learner005") in {
        (pair.kata, pair.first, pair.second) for pair in single.record.similar}
    assert len(merged.grades) == 12 and merged.record.similar == single.record.similar
    for shard in shards:  # every file each shard kept, with its tokens, reads back whole
        store = batch.ResultStore(shard, create=False)
        for kept in (shard / batch.CODE).glob("*.json"):
            files = store.kept_files(kept.stem)
            assert files and all(file.filtered is not None for file in files.values()), kept
    assert merged.record.lateness("learner000") == "late"
    assert merged.record.lateness("learner008") == "on time"
    one, joined = _files(full), _files(tmp_path / "merged")
    assert sorted(one) == sorted(joined)
    grades = {name for name in one if name.endswith(".json") and "/" not in name}
    assert len(grades) == 12 and "report.html" in one and "feedback/learner000.md" in one
    for name in sorted(set(one) - grades):
        assert joined[name] == one[name], name
    from_shards = {name: data for shard in shards for name, data in _files(shard).items() if name in grades}
    for name in grades:
        assert joined[name] == from_shards[name], name
        plain = [Grade.from_dict(json.loads(data)).without_timings() for data in (joined[name], one[name])]
        assert plain[0] == plain[1], name


def test_a_bad_kept_record_costs_its_own_file_only(tmp_path):
    """A shard folder may hold anything: a kata file whose tokens do not read back keeps its code
    (the tokens are made again), one without code is dropped, and the others are kept as they are."""
    store = batch.ResultStore(tmp_path / "out")
    good = similarity.Kept.of("# mine\nx = 1\n").tokenized()
    store.write_kept("ada", {"02_losses/mse": good, "01_autograd/derivative": good})
    data = json.loads(store.kept_path("ada").read_text())
    data["01_autograd/derivative"]["offsets"] = [[0, "x"]]
    data["02_losses/sqrt_loss"] = {"code": 3}
    store.kept_path("ada").write_text(json.dumps(data))
    files = store.kept_files("ada")
    assert files == {"02_losses/mse": good, "01_autograd/derivative": similarity.Kept.of(good.code)}


def test_an_edited_submission_is_graded_again(quick_engine, tmp_path):
    root = tmp_path / "class"
    for name in ("ada", "bob"):
        build_submission(root / name)
    out = tmp_path / "out"
    batch.run_batch(quick_engine, root, out, workers=2, katas=["02_losses/mse"])
    mse = root / "bob" / "exercises" / "02_losses" / "mse.py"
    mse.write_text(mse.read_text().replace(".mean()", ".sum()"))
    again = batch.run_batch(quick_engine, root, out, workers=2, resume=True, katas=["02_losses/mse"])
    assert again.graded == ["bob"] and again.reused == ["ada"]
    assert json.loads((out / "bob.json").read_text())["score"] < 12


def test_unreadable_and_unsafe_zips_get_an_error_row(quick_engine, tmp_path):
    root = tmp_path / "class"
    root.mkdir()
    (root / "broken.zip").write_bytes(b"not a zip at all")
    with zipfile.ZipFile(root / "sneaky.zip", "w") as archive:
        archive.writestr("../../escaped.py", "print('out')")
    build_submission(root / "fine")
    out = tmp_path / "out"
    result = batch.run_batch(quick_engine, root, out, workers=2, katas=["02_losses/mse"])
    assert sorted(result.unreadable) == ["broken", "sneaky"]
    assert not (tmp_path / "escaped.py").exists()
    rows = {row[0]: row for row in csv_rows(out)[1:]}
    assert rows["broken"][1] == "0" and rows["fine"][1] == str(MSE_POINTS)
    assert "could not read" in (out / "sneaky.json").read_text()


def test_discovery_understands_a_class_clone_and_zips(tmp_path):
    clone = tmp_path / "root" / "kata-assignment-submissions"
    build_submission(clone / "kata-assignment-ada")
    build_submission(clone / "kata-assignment-bob")
    with zipfile.ZipFile(clone / "cy.zip", "w") as archive:
        archive.writestr("exercises/02_losses/mse.py", (SOLUTIONS / "02_losses/mse.py").read_text())
    (clone / "notes.txt").write_text("not a submission, but an entry: it gets its row")
    found = discover(tmp_path / "root")
    assert [s.id for s in found] == ["cy", "kata-assignment-ada", "kata-assignment-bob", "notes.txt"]


def test_shard_parsing_is_strict():
    assert batch.Shard.parse("2/4") == batch.Shard(2, 4)
    for bad in ("0/4", "5/4", "x", "1/0"):
        with pytest.raises(ValueError):
            batch.Shard.parse(bad)


def test_links_are_hashed_not_followed(quick_engine, tmp_path):
    root = tmp_path / "class"
    build_submission(root / "loopy")
    topic = root / "loopy" / "exercises" / "02_losses"
    (topic / "loop").symlink_to(topic, target_is_directory=True)
    (topic / "device.py").symlink_to("/dev/zero")
    result = batch.run_batch(quick_engine, root, tmp_path / "out", workers=1, katas=["02_losses/mse"])
    assert result.graded == ["loopy"]
    assert json.loads((tmp_path / "out" / "loopy.json").read_text())["score"] == MSE_POINTS


def test_names_that_clean_up_alike_stay_apart(tmp_path):
    for name in ("ann lee", "ann_lee", "ann-lee"):
        build_submission(tmp_path / name)
    build_submission(tmp_path / "zed")
    ids = [s.id for s in discover(tmp_path)]
    assert ids == ["ann%20lee", "ann-lee", "ann_lee", "zed"]


def test_merge_refuses_a_missing_folder_and_conflicting_grades(school, full_run, tmp_path):
    with pytest.raises(ValueError, match="not a folder"):
        batch.merge([tmp_path / "nowhere"], tmp_path / "out", KATAS)
    altered = tmp_path / "altered"
    altered.mkdir()
    grade = json.loads((full_run / "learner003.json").read_text())
    grade["score"] = 0
    (altered / "learner003.json").write_text(json.dumps(grade))
    with pytest.raises(ValueError, match="graded differently"):
        batch.merge([full_run, altered], tmp_path / "out", KATAS)


def test_zip_extraction_counts_real_bytes(tmp_path, monkeypatch):
    from grader import submission as submission_module

    monkeypatch.setattr(submission_module, "MAX_UNZIPPED_BYTES", 1000)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("exercises/02_losses/mse.py", "#" * 5000)
    with pytest.raises(submission_module.SubmissionError, match="more than 256 MiB"):
        submission_module.unpack(submission_module.Submission("bomb", bomb), tmp_path / "work")
