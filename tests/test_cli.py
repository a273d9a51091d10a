"""The command line: clear errors for bad input, JSON alone on standard output, and Ctrl-C that
stops cleanly (a batch says how to finish)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader import cli

from .class_factory import HANG
from .conftest import REPO, SOLUTIONS, build_submission


def test_a_missing_submission_is_a_clear_error(capsys, tmp_path):
    assert cli.main(["grade", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_an_unknown_kata_is_a_clear_error(capsys):
    assert cli.main(["grade", str(SOLUTIONS), "--kata", "no_such_kata"]) == 2
    assert "no kata matches 'no_such_kata'" in capsys.readouterr().err


def test_json_format_prints_only_the_grade(capsys):
    assert cli.main(["grade", str(SOLUTIONS), "--kata", "02_losses/mse", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["katas"][0]["id"] == "02_losses/mse"


def test_output_writes_the_table_to_a_file(tmp_path, manifest):
    target = tmp_path / "grade.txt"
    assert cli.main(["grade", str(SOLUTIONS), "--kata", "mse", "--output", str(target)]) == 0
    points = manifest.kata("02_losses/mse").points
    assert "02_losses/mse" in target.read_text() and f"{points}/{points}" in target.read_text()


def test_stubs_check_reports_no_drift(capsys):
    assert cli.main(["stubs", "--check"]) == 0


@pytest.fixture
def learner_repo(tmp_path, monkeypatch) -> Path:
    """The smallest learner repository the learner commands accept: a folder with exercises/."""
    (tmp_path / "exercises").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", [["hint", "bogus"], ["check", "bogus"], ["reset", "bogus", "--yes"],
                                     ["solution", "bogus"]])
def test_an_unknown_kata_is_one_error_line_in_every_learner_command(capsys, learner_repo, command):
    assert cli.main(command) == 2
    captured = capsys.readouterr()
    assert captured.err == "error: no kata matches 'bogus'; `grader list` shows them\n"
    assert captured.out == ""


def test_every_refusal_has_the_same_form(capsys, learner_repo, tmp_path):
    refusals = [["hint", "02_losses"], ["merge", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")],
                ["arrange", str(tmp_path / "nowhere"), str(tmp_path / "target")],
                ["batch", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]]
    for command in refusals:
        assert cli.main(command) == 2, command
        err = capsys.readouterr().err
        assert re.fullmatch(r"error: [^\n]+\n", err), (command, err)


# each command's arguments, run in one fresh interpreter: its exit status, its standard error, and
# whether torch was imported by then (a refusal comes before any engine, so it costs nothing)
REFUSE = """
import contextlib, io, json, sys
from grader import cli
seen = []
for argv in json.loads(sys.argv[1]):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        seen.append([cli.main(argv), err.getvalue(), "torch" in sys.modules])
print(json.dumps(seen))
"""


def test_unusable_arguments_are_refused_in_one_line_before_anything_starts(tmp_path):
    """Folders for files, files for folders, an output folder inside the class, time limits that
    are not numbers of seconds, an empty kata name: one `error:` line each, exit 2, no torch."""
    folder, file, learner = tmp_path / "folder", tmp_path / "file", tmp_path / "learner"
    folder.mkdir()
    file.write_text("")
    (learner / "exercises").mkdir(parents=True)
    root = build_submission(tmp_path / "class" / "ada").parent
    before = sorted(root.rglob("*"))
    seconds = "must be a number of seconds above 0 and at most 86400 (a day); got"
    cases = {
        ("grade", str(SOLUTIONS), "--output", str(folder)): f"--output {folder} is a folder; name a file",
        ("grade", str(SOLUTIONS), "--output", str(file / "grade.json")):
            f"--output {file / 'grade.json'}: {file} is a file, not a folder",
        ("grade", str(SOLUTIONS), "--test-timeout", "nan"): f"--test-timeout {seconds} nan",
        ("grade", str(SOLUTIONS), "--kata-timeout", "inf"): f"--kata-timeout {seconds} inf",
        ("grade", str(SOLUTIONS), "--submission-timeout", "-1"): f"--submission-timeout {seconds} -1",
        ("grade", str(SOLUTIONS), "--test-timeout", "0"): f"--test-timeout {seconds} 0",
        ("grade", str(SOLUTIONS), "--submission-timeout", "1e300"): f"--submission-timeout {seconds} 1e+300",
        ("batch", str(root), "--out", str(file)): f"--out {file} is a file, not a folder",
        ("batch", str(root), "--out", str(root)): f"--out {root} is the class folder: what the batch "
                                                  "writes would be taken for submissions",
        ("batch", str(root), "--out", str(root / "ada" / "graded")):
            f"--out {root / 'ada' / 'graded'} lies inside the class folder {root}",
        ("batch", str(root), "--out", str(folder), "--test-timeout", "nan"): f"--test-timeout {seconds} nan",
        ("merge", str(folder), "--out", str(file)): f"--out {file} is a file, not a folder",
        ("arrange", str(root / "ada"), str(file)): f"the target {file} is a file, not a folder",
        ("release", str(file)): f"the release folder {file} is a file, not a folder",
        ("gradescope", str(folder)): f"the zip {folder} is a folder; name a file",
        ("shard-jobs", "github", "--output", str(folder)): f"--output {folder} is a folder; name a file",
        ("stubs", "--exercises", str(file)): f"--exercises {file} is a file, not a folder",
        ("stubs", "--check", "--solutions", str(file)): f"--solutions {file} is not a folder",
        ("hint", ""): "no kata matches ''; `grader list` shows them",
        ("check", ""): "no kata matches ''; `grader list` shows them",
        ("watch", ""): "no kata matches ''; `grader list` shows them",
    }
    ran = subprocess.run([sys.executable, "-c", REFUSE, json.dumps([list(argv) for argv in cases])],
                         cwd=learner, capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert ran.returncode == 0, ran.stderr
    for (argv, expected), (code, err, torch) in zip(cases.items(), json.loads(ran.stdout), strict=True):
        assert (code, torch) == (2, False), (argv, code, err, torch)
        assert re.fullmatch(r"error: [^\n]+\n", err) and expected in err, (argv, err)
    assert sorted(root.rglob("*")) == before  # nothing written in the class
    assert [path.name for path in folder.iterdir()] == [] and file.read_text() == ""


def test_ctrl_c_in_any_command_stops_without_a_traceback(capsys, learner_repo, monkeypatch):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.learner, "_list", interrupted)
    assert cli.main(["list"]) == 130
    assert capsys.readouterr().err == "stopped\n"


def test_reset_without_anyone_to_ask_leaves_the_file(capsys, learner_repo, monkeypatch):
    monkeypatch.setattr("sys.stdin", open(os.devnull))  # noqa: SIM115 - closed with the test
    assert cli.main(["reset", "02_losses/mse"]) == 1
    assert "Left as it was." in capsys.readouterr().out
    assert not (learner_repo / "exercises" / "02_losses" / "mse.py").exists()


def _batch(root: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "grader", "batch", str(root), "--out", str(out),
                             "--jobs", "1", "--kata", "02_losses/mse", "--test-timeout", "2",
                             "--kata-timeout", "4", *extra],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own group, as a terminal's foreground job


def _grade_files(out: Path) -> list[Path]:
    return sorted(path for path in out.glob("*.json") if not path.name.startswith("."))


CTRL_C_WHILE_FORKING = """
import os, signal, types
from grader.grading.engine import Engine
# the interrupt lands inside Python's after-fork hooks, as it did once in a real batch
os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGINT))
judges = types.SimpleNamespace(_suites=types.SimpleNamespace(run=lambda *args: {}), socket_path="",
                               limits=types.SimpleNamespace(judge_deadline=5.0))
try:
    Engine._start_judge(judges, types.SimpleNamespace(located=None), [])
except KeyboardInterrupt:
    print("stopped")
else:
    print("went on")
"""


def test_ctrl_c_while_a_judge_is_forked_still_stops_the_batch():
    ran = subprocess.run([sys.executable, "-c", CTRL_C_WHILE_FORKING], cwd=REPO, capture_output=True,
                         text=True, timeout=60)
    assert ran.stdout == "stopped\n", ran.stderr


def test_ctrl_c_stops_a_batch_keeping_its_grades_and_says_how_to_finish(tmp_path):
    root, out = tmp_path / "class", tmp_path / "out"
    build_submission(root / "ada")
    build_submission(root / "bob")
    build_submission(root / "cyd", {"02_losses/mse": HANG})
    running = _batch(root, out)
    deadline = time.monotonic() + 120
    while not (out / "ada.json").exists() and running.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (out / "ada.json").exists(), running.communicate()
    os.killpg(running.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group gets it
    stdout, stderr = running.communicate(timeout=60)
    assert running.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    found = re.search(r"stopped: (\d) of 3 graded; run the same command with --resume to grade the rest",
                      stderr)
    assert found, stderr
    kept = _grade_files(out)
    assert len(kept) == int(found.group(1)) < 3
    assert not any("KeyboardInterrupt" in path.read_text() for path in kept)  # only real grades stay

    finished = _batch(root, out, "--resume")
    stdout, stderr = finished.communicate(timeout=300)
    assert finished.returncode == 0, stderr
    assert f"reused {len(kept)} already graded" in stdout
    assert [path.stem for path in _grade_files(out)] == ["ada", "bob", "cyd"]
