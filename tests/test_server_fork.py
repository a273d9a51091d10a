"""The command line forks its learner-process server from the warm grader, before any hidden suite
is loaded: learner code finds no suite in its memory, and grades repeat exactly."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from grader.model import Grade

from .conftest import MSE_POINTS, REPO, SOLUTIONS, build_submission

MSE = "02_losses/mse"
LOOK_FOR_SUITES = '''import gc
import sys


def _suite_in_memory():
    names = [name for name in sys.modules if "suites" in name or name.startswith("test_")]
    files = {getattr(getattr(thing, "__code__", None), "co_filename", "") for thing in gc.get_objects()
             if callable(thing)}
    return names + sorted(f for f in files if "/suites/" in f)


'''


def grade_by_command(root, *extra: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONHASHSEED"}
    done = subprocess.run([sys.executable, "-m", "grader", "grade", str(root), "--format", "json", *extra],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_learner_code_finds_no_hidden_suite_in_its_memory(tmp_path):
    source = (SOLUTIONS / f"{MSE}.py").read_text().replace(
        "    ### BEGIN SOLUTION\n",
        "    ### BEGIN SOLUTION\n    if _suite_in_memory():\n"
        "        raise RuntimeError(f'found {_suite_in_memory()[:3]}')\n")
    root = build_submission(tmp_path / "snoop", {MSE: LOOK_FOR_SUITES + source})
    grade = grade_by_command(root, "--kata", MSE)
    assert grade["score"] == grade["max_score"] == MSE_POINTS, grade["katas"][0]["tests"][0]["message"]
    assert grade["locks"]["inactive"] == {} or os.geteuid() != 0


def test_a_forked_server_grades_alike_every_time(tmp_path):
    hashing = ("def mse(y_pred, y):\n    import torch\n"
               "    order = list({'alpha', 'beta', 'gamma', 'delta', 'epsilon'})\n"
               "    factor = 1.0 + 1e-3 * order.index('alpha')\n"
               "    if y_pred.shape != y.shape:\n        raise ValueError('shapes')\n"
               "    return ((y_pred - y) ** 2).mean() * factor\n")
    root = build_submission(tmp_path / "hashes", {MSE: hashing})
    first, second = (Grade.from_dict(grade_by_command(root, "--kata", MSE)).without_timings()
                     for _ in range(2))
    assert first == second


def test_learner_code_sees_none_of_the_callers_variables(tmp_path):
    source = ("import os\n\n\ndef mse(y_pred, y):\n"
              "    raise RuntimeError('seen: ' + ' '.join(sorted(os.environ)) + ' '\n"
              "                       + os.environ.get('INSTRUCTOR_SECRET', '<absent>'))\n")
    root = build_submission(tmp_path / "env", {MSE: source})
    env = {**os.environ, "INSTRUCTOR_SECRET": "s3cr3t-marker"}
    done = subprocess.run([sys.executable, "-m", "grader", "grade", str(root), "--format", "json",
                           "--kata", MSE], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    by_command = json.loads(done.stdout)["katas"][0]["tests"][0]["message"]
    os.environ["INSTRUCTOR_SECRET"] = "s3cr3t-marker"  # too late for the session's engine: a new one
    try:
        from grader.grading.engine import Engine

        with Engine(katas=[MSE]) as fresh:
            in_process = fresh.grade(root, [MSE]).katas[0].tests[0].message
    finally:
        del os.environ["INSTRUCTOR_SECRET"]
    for message in (by_command, in_process):
        assert "seen: " in message and "s3cr3t" not in message and "INSTRUCTOR_SECRET" not in message


def test_an_engine_started_in_a_learners_folder_imports_nothing_from_it(tmp_path, monkeypatch):
    """A script that starts an Engine (not the command line) starts its server in a fresh
    interpreter: a module the server imports by name must come from Python, never from the
    caller's working folder."""
    from grader.grading.engine import Engine

    folder = build_submission(tmp_path / "alice")
    marker = tmp_path / "imported"
    (folder / "json.py").write_text(f"open({str(marker)!r}, 'w').close()\nraise ImportError('planted')\n")
    monkeypatch.chdir(folder)
    with Engine(katas=[MSE]) as engine:
        grade = engine.grade(folder)
    assert not marker.exists()
    assert grade.score == MSE_POINTS
