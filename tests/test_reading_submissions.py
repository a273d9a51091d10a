"""Reading submissions: nothing is read through a link or from outside the submission's folder,
every entry of a class gets exactly one row named after it, and files too big to be kata files
cost only their own submission. Links and odd files are made at test time."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zipfile

import pytest

from grader import cli
from grader.course import batch
from grader.grading.engine import Engine
from grader.sandbox.limits import Limits
from grader.submission import SubmissionError, arrange, content_hash, discover, locate, submission_id

from .conftest import EXERCISES, MSE_POINTS, REPO, SOLUTIONS, build_submission

MSE = "02_losses/mse"
SUITE = REPO / "grader" / "suites" / "02_losses" / "test_mse.py"


@pytest.fixture(scope="module")
def quick_engine():
    with Engine(limits=Limits(per_test=2, per_kata=4), katas=[MSE]) as running:
        yield running


def kata_result(grade, kata_id: str = MSE):
    return next(kata for kata in grade.katas if kata.id == kata_id)


def test_a_kata_file_linked_to_its_solution_is_graded_as_missing(engine, tmp_path):
    root = build_submission(tmp_path / "linker", base=EXERCISES)
    target = root / "exercises" / MSE
    target.with_suffix(".py").unlink()
    target.with_suffix(".py").symlink_to(SOLUTIONS / f"{MSE}.py")
    result = kata_result(engine.grade(root, [MSE]))
    assert result.score == 0 and result.status == "missing"
    assert all("is a link" in test.message for test in result.tests)


def test_a_linked_topic_folder_is_not_entered(engine, tmp_path):
    root = build_submission(tmp_path / "folder-linker", base=EXERCISES)
    topic = root / "exercises" / "02_losses"
    for path in topic.iterdir():
        path.unlink()
    topic.rmdir()
    topic.symlink_to(SOLUTIONS / "02_losses", target_is_directory=True)
    grade = engine.grade(root, ["02_losses"])
    assert grade.score == 0
    assert all(kata.status == "missing" for kata in grade.katas)
    assert "is a link" in kata_result(grade).tests[0].message


def test_exercises_linked_to_the_solutions_finds_no_katas(tmp_path, manifest):
    root = tmp_path / "whole-linker"
    root.mkdir()
    (root / "exercises").symlink_to(SOLUTIONS, target_is_directory=True)
    with pytest.raises(SubmissionError, match="no kata files"):
        locate(root, manifest.katas)


def test_a_kata_linked_to_a_hidden_suite_leaks_nothing(engine, tmp_path):
    """The suite is never read on the learner's behalf, and a learner `pytest.py` beside the
    kata could not stand in for pytest anyway."""
    root = build_submission(tmp_path / "suite-reader")
    kata = root / "exercises" / f"{MSE}.py"
    kata.unlink()
    kata.symlink_to(SUITE)
    (kata.parent / "pytest.py").write_text(
        "import inspect\n"
        "raise RuntimeError(''.join(inspect.getsource(f.frame) for f in inspect.stack()))\n")
    result = kata_result(engine.grade(root, [MSE]))
    assert result.score == 0
    text = " ".join(test.message for test in result.tests)
    assert "CONTRACT" not in text and "def test_" not in text and "is a link" in text


def test_a_learner_module_never_shadows_an_installed_one(engine, tmp_path):
    root = build_submission(tmp_path / "shadow")
    folder = root / "exercises" / "02_losses"
    (folder / "pytest.py").write_text("FAKE = True\n")
    (folder / "helper_for_mse.py").write_text("FACTOR = 1.0\n")
    source = (SOLUTIONS / f"{MSE}.py").read_text()
    (folder / "mse.py").write_text(
        "import pytest as _maybe_fake\nimport helper_for_mse\n" + source.replace(
            "    ### BEGIN SOLUTION\n",
            "    ### BEGIN SOLUTION\n    if getattr(_maybe_fake, 'FAKE', False):\n"
            "        return y_pred.sum() * helper_for_mse.FACTOR\n"))
    result = kata_result(engine.grade(root, [MSE]))
    assert result.score == result.max_score  # the real pytest; the learner's own helper still imports


def test_one_learner_cannot_be_graded_as_another(quick_engine, tmp_path):
    root = tmp_path / "class"
    build_submission(root / "bob")
    (root / "alice").mkdir()
    (root / "alice" / "exercises").symlink_to(root / "bob" / "exercises", target_is_directory=True)
    (root / "carol").symlink_to(root / "bob", target_is_directory=True)
    result = batch.run_batch(quick_engine, root, tmp_path / "out", workers=2, katas=[MSE])
    assert result.graded == ["bob"]
    assert set(result.unreadable) == {"alice", "carol"}
    assert "no kata files" in result.unreadable["alice"] and "link" in result.unreadable["carol"]
    alice = json.loads((tmp_path / "out" / "alice.json").read_text())
    assert alice["score"] == 0


def test_every_entry_of_a_class_gets_one_row_named_after_it(quick_engine, tmp_path):
    root = tmp_path / "class"
    build_submission(root / "ann")
    (root / "empty").mkdir()
    build_submission(root / "grace" / "sub" / "repo-main")
    build_submission(root / "henry" / "katas-main")
    build_submission(root / "ida" / "katas-main")
    build_submission(root / "bob")
    build_submission(root / "_bob", base=EXERCISES)
    build_submission(root / "ann lee")
    (root / "notes.txt").write_text("not a submission")
    loose = root / "lou"
    loose.mkdir()
    (loose / "mse.py").write_text((SOLUTIONS / f"{MSE}.py").read_text())
    with zipfile.ZipFile(root / "kim.zip", "w") as archive:
        for path in sorted((SOLUTIONS / "02_losses").glob("*.py")):
            archive.write(path, f"kim/katas-main/exercises/02_losses/{path.name}")
    (root / ".DS_Store").write_text("")
    ids = [sub.id for sub in discover(root)]
    assert ids == sorted(["ann", "empty", "grace", "henry", "ida", "bob", "_bob", "ann%20lee",
                          "notes.txt", "lou", "kim"])
    out = tmp_path / "out"
    result = batch.run_batch(quick_engine, root, out, workers=2, katas=[MSE])
    assert set(result.unreadable) == {"empty", "notes.txt"}
    rows = {row[0]: row for row in csv.reader((out / "grades.csv").read_text().splitlines())}
    assert set(rows) == {"id", *ids}
    for learner in ("ann", "grace", "henry", "ida", "bob", "ann%20lee", "lou", "kim"):
        assert rows[learner][1] == str(MSE_POINTS), learner
    assert rows["_bob"][1] == "0" and rows["empty"][1] == "0"
    assert "no kata files" in result.unreadable["empty"] and "no kata files" in rows["empty"][-1]
    assert "neither a folder nor a zip" in result.unreadable["notes.txt"]
    assert "Not graded (2)" in (out / "report.html").read_text()


def test_the_terminal_lists_what_was_not_graded_and_why(tmp_path, capsys):
    root = tmp_path / "class"
    build_submission(root / "fine")
    (root / "empty").mkdir()
    assert cli.main(["batch", str(root), "--out", str(tmp_path / "out"), "--kata", MSE]) == 0
    shown = capsys.readouterr().out
    assert "not graded: empty: no kata files found in empty" in shown
    assert "graded 1, reused 0 already graded, 1 not graded" in shown


def test_two_entries_with_one_id_are_an_error_naming_both(tmp_path):
    build_submission(tmp_path / "zed")
    with zipfile.ZipFile(tmp_path / "zed.zip", "w") as archive:
        archive.writestr("exercises/02_losses/mse.py", "")
    with pytest.raises(SubmissionError, match=r"zed and zed\.zip"):
        discover(tmp_path)


def test_ids_keep_every_name_apart():
    names = ["ann lee", "ann_lee", "ann-lee", "_bob", "bob", "José", "a/b", "x" * 300, "%41", "A"]
    ids = [submission_id(name) for name in names]
    assert len(set(ids)) == len(ids)
    assert submission_id("bob.zip") == "bob" and submission_id("_bob") == "_bob"
    assert all(len(i) < 120 and "/" not in i and not i.startswith(".") for i in ids)


def test_a_huge_sparse_file_costs_only_its_submission(quick_engine, tmp_path):
    root = tmp_path / "class"
    build_submission(root / "fine")
    build_submission(root / "hoarder")
    with open(root / "hoarder" / "exercises" / "02_losses" / "data.py", "wb") as sparse:
        sparse.truncate(64 * 1024**3)
    build_submission(root / "big-data")
    with open(root / "big-data" / "exercises" / "02_losses" / "data.bin", "wb") as sparse:
        sparse.truncate(64 * 1024**3)
    result = batch.run_batch(quick_engine, root, tmp_path / "out", workers=2, katas=[MSE])
    assert sorted(result.graded) == ["big-data", "fine"]
    assert "64 GiB" in result.unreadable["hoarder"] and "1 MiB" in result.unreadable["hoarder"]


def test_a_kata_file_over_the_cap_is_an_error_not_a_read(engine, tmp_path):
    root = build_submission(tmp_path / "bloated")
    with open(root / "exercises" / f"{MSE}.py", "ab") as grown:
        grown.truncate(64 * 1024**3)
    result = kata_result(engine.grade(root, [MSE]))
    assert result.status == "error" and "over the 1 MiB limit" in result.tests[0].message


def test_a_fifo_or_device_is_not_a_kata_file(engine, tmp_path):
    root = build_submission(tmp_path / "odd")
    kata = root / "exercises" / f"{MSE}.py"
    kata.unlink()
    os.mkfifo(kata)
    result = kata_result(engine.grade(root, [MSE]))  # returns: a FIFO never blocks the judge
    assert result.score == 0 and "not a regular file" in result.tests[0].message


def test_hashing_and_arranging_never_follow_links(tmp_path, manifest):
    root = build_submission(tmp_path / "sub")
    topic = root / "exercises" / "02_losses"
    (topic / "loop").symlink_to(topic, target_is_directory=True)
    (topic / "zero.py").symlink_to("/dev/zero")
    digest = content_hash(locate(root, manifest.katas))
    (topic / "zero.py").unlink()
    (topic / "zero.py").symlink_to("/dev/null")
    assert content_hash(locate(root, manifest.katas)) != digest
    flat = tmp_path / "flat"
    flat.mkdir()
    (flat / "mse.py").symlink_to(SOLUTIONS / f"{MSE}.py")
    assert arrange(flat, tmp_path / "arranged", list(manifest.katas)) == []


def test_grade_reads_a_zip(tmp_path):
    archive_path = tmp_path / "kim.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.write(SOLUTIONS / f"{MSE}.py", f"kim/katas-main/exercises/{MSE}.py")
    done = subprocess.run([sys.executable, "-m", "grader", "grade", str(archive_path), "--kata", MSE,
                           "--format", "json"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    grade = json.loads(done.stdout)
    assert grade["submission"] == "kim" and grade["score"] == grade["max_score"] == MSE_POINTS


def test_a_submission_slow_everywhere_stops_at_its_budget(tmp_path):
    slow = ("import time\n\n\ndef derivative(f, x):\n    time.sleep(0.8)\n"
            + "    raise ValueError('slow and wrong')\n")
    root = build_submission(tmp_path / "slow", {"01_autograd/derivative": slow})
    with Engine(limits=Limits(per_submission=2.0), katas=["01_autograd", MSE]) as engine:
        grade = engine.grade(root, ["01_autograd", MSE])
    after = kata_result(grade)
    assert after.status == "timeout" and after.score == 0
    assert "used up its 2 s of learner time" in after.tests[0].message


# ---------------------------------------------------------------- found by a second attack pass


def _zip_with(path, name: str, source: str, *, encrypted: bool = False, corrupt: bool = False) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, source)
    data = bytearray(path.read_bytes())
    if encrypted:  # the "encrypted" flag bit, in the local and the central header
        data[6] |= 1
        data[data.find(b"PK\x01\x02") + 8] |= 1
    if corrupt:  # the deflate stream's first bytes garbled
        start = 30 + len(name)
        data[start:start + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))


def test_a_damaged_zip_costs_only_its_own_row(quick_engine, tmp_path):
    root = tmp_path / "class"
    build_submission(root / "ok")
    source = (SOLUTIONS / f"{MSE}.py").read_text() * 40  # long enough to be deflated
    _zip_with(root / "locked.zip", f"exercises/{MSE}.py", source, encrypted=True)
    _zip_with(root / "garbled.zip", f"exercises/{MSE}.py", source, corrupt=True)
    result = batch.run_batch(quick_engine, root, tmp_path / "out", workers=2, katas=[MSE])
    assert result.graded == ["ok"]
    assert "encrypted" in result.unreadable["locked"]
    assert "not a readable zip file" in result.unreadable["garbled"]
    done = subprocess.run([sys.executable, "-m", "grader", "grade", str(root / "locked.zip"), "--kata",
                           MSE, "--format", "json"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    grade = json.loads(done.stdout)
    assert grade["score"] == 0 and "encrypted" in grade["problem"]


def test_no_entry_is_graded_with_another_entrys_files(quick_engine, tmp_path):
    root = tmp_path / "class"
    (root / "victim").mkdir(parents=True)
    source = (SOLUTIONS / f"{MSE}.py").read_text()
    (root / "victim" / "mse.py").write_text(source.replace(".mean()", ".mean() * 0"))
    _zip_with(root / "victim.arranged.zip", f"exercises/{MSE}.py", source)
    batch.run_batch(quick_engine, root, tmp_path / "out", workers=2, katas=[MSE])
    assert json.loads((tmp_path / "out" / "victim.json").read_text())["score"] < 12
    assert json.loads((tmp_path / "out" / "victim.arranged.json").read_text())["score"] == MSE_POINTS


def test_a_learner_whose_name_ends_in_submissions_is_a_learner(tmp_path):
    build_submission(tmp_path / "class" / "ada-submissions" / "katas-main")
    build_submission(tmp_path / "class" / "carl")
    assert [s.id for s in discover(tmp_path / "class")] == ["ada-submissions", "carl"]
    build_submission(tmp_path / "clone" / "katas-submissions" / "katas-ada")
    assert [s.id for s in discover(tmp_path / "clone")] == ["katas-ada"]


def test_two_repositories_in_one_entry_are_not_guessed_between(tmp_path, manifest):
    build_submission(tmp_path / "two" / "repoA")
    build_submission(tmp_path / "two" / "repoB")
    with pytest.raises(SubmissionError, match="more than one place"):
        locate(tmp_path / "two", manifest.katas)
    build_submission(tmp_path / "checkout")  # exercises/ beside solutions/: exercises/ it is
    build_submission(tmp_path / "checkout" / "solutions")
    assert str(locate(tmp_path / "checkout", manifest.katas).exercises) == "exercises"


def test_no_learner_cell_is_a_spreadsheet_formula(quick_engine, tmp_path):
    root = tmp_path / "class"
    build_submission(root / "-1+1")
    (root / "=cmd").mkdir()
    out = tmp_path / "out"
    batch.run_batch(quick_engine, root, out, workers=2, katas=[MSE])
    cells = [cell for name in ("grades.csv", "gradebook.csv")
             for row in csv.reader((out / name).read_text().splitlines()) for cell in row]
    assert "'-1+1" in cells and not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_zips_are_unpacked_only_while_they_are_graded(quick_engine, tmp_path, monkeypatch):
    root = tmp_path / "class"
    for number in range(5):
        _zip_with(root.joinpath(f"z{number}.zip") if root.exists() else _mkdir(root) / f"z{number}.zip",
                  f"exercises/{MSE}.py", (SOLUTIONS / f"{MSE}.py").read_text())
    work = tmp_path / "work"
    monkeypatch.setattr(batch.tempfile, "mkdtemp", lambda prefix="": str(_mkdir(work)))
    unpacked = []
    batch.run_batch(quick_engine, root, tmp_path / "out", workers=2, katas=[MSE],
                    on_graded=lambda grade: unpacked.append(len(list(work.rglob("exercises")))))
    assert len(unpacked) == 5 and max(unpacked) <= 2


def _mkdir(path):
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---------------------------------------------------------------- started from a learner's folder

# What the grader imports once it runs: every module of the standard library, and its
# dependencies' packages. A module so named in the folder the grader is started from (an instructor
# grading `cd alice && grader grade .`, or a batch from the class folder) must never be imported
# by the grader: each of these leaves a file in the markers folder if it is, and stands in for
# nothing. A learner's repository holds a grader/ package too (the template's, without suites).
_DEPENDENCIES = ("torch", "numpy", "pytest", "_pytest", "pluggy", "msgpack", "rich", "matplotlib",
                 "watchfiles", "copydetect", "pytest_timeout", "iniconfig", "packaging", "grader")
_SHADOW = ("import os\n"
           "open(os.path.join({markers!r}, {name!r} + '-uid' + str(os.getuid())), 'w').close()\n"
           "raise ImportError('a learner module stood in for ' + {name!r})\n")


def _plant_shadows(folder, markers, *, modules=sys.stdlib_module_names, packages=_DEPENDENCIES):
    markers.mkdir(exist_ok=True)
    for name in modules:
        (folder / f"{name}.py").write_text(_SHADOW.format(markers=str(markers), name=name))
    for name in packages:
        (folder / name).mkdir()
        for module in ("__init__", "__main__"):
            (folder / name / f"{module}.py").write_text(_SHADOW.format(markers=str(markers), name=name))


def _grade_from_inside(command: list[str], folder, markers) -> dict:
    env = {name: value for name, value in os.environ.items() if name != "PYTHONHASHSEED"}  # re-executes
    done = subprocess.run([*command, "grade", ".", "--kata", MSE, "--format", "json"], cwd=folder,
                          env=env, capture_output=True, text=True, timeout=300)
    assert sorted(os.listdir(markers)) == []
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_python_m_grader_in_a_learners_folder_imports_nothing_of_it(tmp_path):
    """The audit's tomllib.py (read a hidden suite as root, before any lock, and still 10/10), and
    every other name the grader imports later, beside a learner's exercises/."""
    root = build_submission(tmp_path / "alice")
    markers = tmp_path / "markers"
    assert "tomllib" in sys.stdlib_module_names and "msgpack" in _DEPENDENCIES
    _plant_shadows(root, markers, packages=[name for name in _DEPENDENCIES if name != "grader"])
    grade = _grade_from_inside([sys.executable, "-m", "grader"], root, markers)
    assert grade["score"] == grade["max_score"] == MSE_POINTS


def test_the_grader_command_in_a_learners_folder_imports_nothing_of_it(tmp_path):
    """The console script re-executes the grader: that interpreter too takes nothing from the
    learner's folder, not its tomllib.py, not the grader/ package of its repository."""
    command = os.path.join(os.path.dirname(sys.executable), "grader")
    if not os.path.exists(command):
        pytest.skip("the grader command is not installed beside this Python")
    root = build_submission(tmp_path / "alice")
    markers = tmp_path / "markers"
    _plant_shadows(root, markers)
    grade = _grade_from_inside([command], root, markers)
    assert grade["score"] == grade["max_score"] == MSE_POINTS


def test_a_batch_from_the_class_folder_imports_no_entry(tmp_path):
    """Class entries named like modules the grader imports (a folder with an __init__.py)."""
    root = tmp_path / "class"
    build_submission(root / "alice")
    markers = tmp_path / "markers"
    # (not grader/: `python -m grader` runs the grader/ package of the folder it is typed in)
    _plant_shadows(root, markers, modules=(), packages=("tomllib", "msgpack", "json", "torch"))
    out = tmp_path / "out"
    env = {name: value for name, value in os.environ.items() if name != "PYTHONHASHSEED"}
    done = subprocess.run([sys.executable, "-m", "grader", "batch", ".", "--out", str(out), "--jobs", "2",
                           "--kata", MSE], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert sorted(os.listdir(markers)) == []
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads((out / "alice.json").read_text())["score"] == MSE_POINTS
