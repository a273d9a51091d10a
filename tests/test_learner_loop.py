"""The learner's loop in a released repository: check, list, hint, reset, and saved progress."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from grader import cli, release
from grader.progress import STATE_FILE, NotALearnerRepo, Progress, find_repo

from .conftest import SOLUTIONS
from .terminal import Terminal, verdict_pattern

FIRST, SECOND = "01_autograd/derivative", "01_autograd/vjp"


@pytest.fixture
def repo(manifest, tmp_path, monkeypatch):
    out = tmp_path / "katas"
    release.build(out, manifest)
    monkeypatch.chdir(out / "exercises" / "01_autograd")  # anywhere inside the repository
    return out


def test_progress_survives_a_restart_and_a_broken_file(manifest, tmp_path):
    progress = Progress(tmp_path)
    assert progress.current(manifest).id == FIRST
    progress.record(FIRST, passed=True)
    assert progress.next_hint(manifest.kata(SECOND))[0] == 1
    progress.save()
    again = Progress.load(tmp_path)
    assert again.current(manifest).id == SECOND and again.hints_shown == {SECOND: 1}
    (tmp_path / STATE_FILE).write_text("{not json")
    assert Progress.load(tmp_path).solved == []


def test_hints_come_one_at_a_time_then_all_again(manifest, tmp_path):
    kata = manifest.kata(FIRST)
    progress = Progress(tmp_path)
    shown = [progress.next_hint(kata) for _ in kata.hints]
    assert shown == [(n, text) for n, text in enumerate(kata.hints, start=1)]
    assert progress.next_hint(kata) is None


def test_the_repository_is_found_from_a_subfolder(repo, tmp_path):
    assert find_repo(repo / "exercises" / "02_losses") == repo
    with pytest.raises(NotALearnerRepo):
        find_repo(tmp_path.parent)


def test_check_fails_on_a_stub_and_passes_once_solved(repo, capsys):
    assert cli.main(["check"]) == 1
    assert f"✗ {FIRST}" in capsys.readouterr().out
    shutil.copyfile(SOLUTIONS / f"{FIRST}.py", repo / "exercises" / f"{FIRST}.py")
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out
    assert f"✓ {FIRST}" in out and f"Next: {SECOND}" in out
    assert json.loads((repo / STATE_FILE).read_text())["solved"] == [FIRST]
    assert cli.main(["list"]) == 0
    assert f"1 of 28 katas solved; next: {SECOND}" in capsys.readouterr().out


def test_hint_shows_the_current_katas_next_hint(repo, manifest, capsys):
    assert cli.main(["hint"]) == 0
    assert f"Hint 1 of 3 for {FIRST}: {manifest.kata(FIRST).hints[0]}" in capsys.readouterr().out
    assert cli.main(["hint", FIRST]) == 0
    assert "Hint 2 of 3" in capsys.readouterr().out


def test_reset_restores_the_stub_only_when_confirmed(repo, monkeypatch):
    kata_file = repo / "exercises" / f"{FIRST}.py"
    stub = kata_file.read_text()
    shutil.copyfile(SOLUTIONS / f"{FIRST}.py", kata_file)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert cli.main(["reset", FIRST]) == 1
    assert kata_file.read_text() != stub
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert cli.main(["reset", FIRST]) == 0
    assert kata_file.read_text() == stub


def test_watch_reruns_on_save_and_moves_on_only_when_asked(repo, manifest):
    """A learner's session on a terminal: stub fails, a save of the solution passes, the watcher
    stays until n, then shows the next kata; h shows a hint; q quits and progress is saved."""
    first_verdict, second_verdict = verdict_pattern(FIRST), verdict_pattern(SECOND)
    terminal = Terminal([sys.executable, "-m", "grader"], repo)  # `grader` alone means watch
    try:
        terminal.wait_for(first_verdict, 1, timeout=120)
        assert f"✗ {FIRST}" in terminal.seen
        shutil.copyfile(SOLUTIONS / f"{FIRST}.py", repo / "exercises" / f"{FIRST}.py")
        terminal.wait_for(first_verdict, 2, timeout=30)
        later = terminal.read_for(1.0)  # the rest of the screen, and a second of nothing new
        assert f"✓ {FIRST}" in terminal.seen and "Press n to move on" in terminal.seen
        assert f"{SECOND}:" not in later  # it waits for the learner to move on
        terminal.press("n")
        terminal.wait_for(second_verdict, 3, timeout=30, at_least=True)
        terminal.press("h")
        assert f"Hint 1 of 3: {manifest.kata(SECOND).hints[0][:40]}" in terminal.read_for(1.0)
    finally:
        code = terminal.close()
    assert code == 0
    saved = json.loads((repo / STATE_FILE).read_text())
    assert saved == {"solved": [FIRST], "hints_shown": {SECOND: 1}}
