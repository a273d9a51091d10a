"""The learner's loop in a released repository: check, list, hint, reset, and saved progress."""

from __future__ import annotations

import json
import shutil

import pytest

from grader import cli, release
from grader.progress import STATE_FILE, NotALearnerRepo, Progress, find_repo

from .conftest import SOLUTIONS

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
