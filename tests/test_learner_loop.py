"""The learner's loop in a released repository: check, list, hint, reset, and saved progress."""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
import time

import pytest
from rich.console import Console

from grader import cli
from grader.course import release
from grader.learner import curves, pictures
from grader.learner.progress import STATE_FILE, NotALearnerRepo, Progress, find_repo

from . import seed_katas
from .conftest import MUTANTS, SOLUTIONS
from .seed_katas import ADAM_ID, CRITICAL_LR_ID, EARLY_STOPPING_ID, LOGISTIC, XOR
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


def test_check_fails_on_a_stub_and_passes_once_solved(repo, capsys, manifest):
    assert cli.main(["check"]) == 1
    assert f"✗ {FIRST}" in capsys.readouterr().out
    shutil.copyfile(SOLUTIONS / f"{FIRST}.py", repo / "exercises" / f"{FIRST}.py")
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out
    assert f"✓ {FIRST}" in out and f"Next: {SECOND}" in out
    assert json.loads((repo / STATE_FILE).read_text())["solved"] == [FIRST]
    assert cli.main(["list"]) == 0
    assert f"1 of {len(manifest.katas)} katas solved; next: {SECOND}" in capsys.readouterr().out


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


def test_loss_curves_name_what_the_curve_shows():
    reference = [30.0 * 0.7**epoch for epoch in range(30)]

    def verdict_of(losses):
        return curves.compare(curves.Curve("05_loops/fit_numpy", "seed", losses, reference))

    assert verdict_of(list(reference)) == "your losses follow the reference run"
    assert "one epoch ahead" in verdict_of(reference[1:] + [reference[-1] * 0.7])
    assert "diverges" in verdict_of(reference[:5] + [float("inf")] * 25)
    assert "does not go down" in verdict_of(list(reversed(reference)))
    assert "more slowly" in verdict_of([30.0 * 0.9**epoch for epoch in range(30)])
    assert "one loss per epoch" in verdict_of(reference[:10])
    line = curves.sparkline(reference)
    assert line[0] == "█" and line[-1] == "▁" and "✗" in curves.sparkline([1.0, float("nan")])


def test_the_release_carries_the_reference_runs(repo, manifest):
    references = json.loads((repo / "grader" / curves.REFERENCE_FILE.name).read_text())
    assert set(references) == {kata.id for kata in manifest.katas if kata.id in curves.SEED_RUNS}
    assert references["05_loops/fit_numpy"]["losses"][0] == 30.0  # the contract's seed: losses[0] = 30.0
    runs = [run for kata_id, run in references.items() if kata_id.startswith(("05_", "09_"))]
    assert all(len(run["losses"]) == 30 and run["losses"][-1] < run["losses"][0] and run["picture"] is None
               for run in runs)


def _leaves(value):
    """Every value in a JSON document but the pictures' kinds."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from ([] if key == "kind" else _leaves(item))
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def test_the_reference_file_carries_the_pictures_as_numbers(tmp_path, monkeypatch):
    """The file `grader release` ships: the solutions' seed runs with their pictures, strict JSON of
    numbers only; a kata without a solution yet has an unknown reference, not a broken release."""
    solutions = tmp_path / "solutions"
    seed_katas.write(solutions, LOGISTIC, seed_katas.FIT_LOGISTIC)
    seed_katas.write(solutions, XOR, seed_katas.FIT_XOR)
    monkeypatch.setattr(curves, "SOLUTIONS_DIR", solutions)  # fit_numpy's solution is missing there
    shipped = tmp_path / "reference_curves.json"
    katas = [seed_katas.kata(kata_id) for kata_id in (LOGISTIC, XOR, "05_loops/fit_numpy", "02_losses/mse")]
    release.write_references(shipped, katas)

    def no_nan(constant):
        raise ValueError(f"{constant} is not JSON")

    references = json.loads(shipped.read_text(), parse_constant=no_nan)
    assert set(references) == {LOGISTIC, XOR, "05_loops/fit_numpy"}
    assert all(isinstance(leaf, int | float) or leaf is None for leaf in _leaves(references))
    monkeypatch.setattr(curves, "REFERENCE_FILE", shipped)
    fit = curves.reference_run(LOGISTIC)["picture"]
    assert fit["kind"] == "sigmoid" and len(curves.reference_run(LOGISTIC)["losses"]) == 2000
    assert (fit["w"], fit["b"]) == (pytest.approx(1.5046, abs=1e-3), pytest.approx(-4.0777, abs=1e-3))
    regions = curves.reference_run(XOR)["picture"]
    assert regions["kind"] == "regions" and pictures.right_points(regions) == 4
    assert len(regions["signs"]) == pictures.GRID and set(sum(regions["signs"], [])) == {-1, 1}
    assert curves.reference_run("05_loops/fit_numpy") is None


def test_watch_shows_the_second_picture_of_the_new_loops(tmp_path, monkeypatch):
    """logistic_fit and fit_xor run in a forked child whose numbers come back as JSON: the terminal
    names the fitted sigmoid and counts XOR's points; the PNG beside each kata has both panels; the
    reference comes from a solution, or is unknown while there is none (fit_xor's here)."""
    from grader.learner import verdict
    from grader.learner.watch import Runner

    solutions, exercises = tmp_path / "solutions", tmp_path / "repo" / "exercises"
    seed_katas.write(solutions, LOGISTIC, seed_katas.FIT_LOGISTIC)
    seed_katas.write(exercises, LOGISTIC, seed_katas.FIT_LOGISTIC_WITHOUT_BIAS)
    seed_katas.write(exercises, XOR, seed_katas.FIT_XOR)
    monkeypatch.setattr(curves, "SOLUTIONS_DIR", solutions)
    monkeypatch.setattr(curves, "REFERENCE_FILE", tmp_path / "not_released.json")
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # the runner sets it; restored after
    runner = Runner(tmp_path / "repo")
    shown = {}
    for kata_id in (LOGISTIC, XOR):
        curve = runner.curve(seed_katas.kata(kata_id))
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(verdict.render_curve(curve, exercises / f"{kata_id}.py"))
        shown[kata_id] = curve, console.export_text()
        png = (exercises / f"{kata_id}_losses.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 1100  # 2 panels
    logistic, said = shown[LOGISTIC]
    assert logistic.picture["b"] == 0.0
    assert logistic.reference_picture["b"] == pytest.approx(-4.0777, abs=1e-3)
    assert re.search(r"\n    fit: σ\(0\.\d\d·hours \+ 0\.00\); reference σ\(1\.50·hours − 4\.08\)\n", said)
    xor, said = shown[XOR]
    assert xor.reference is None and xor.reference_picture is None and len(xor.losses) == 500
    assert "\n    XOR: the trained net classifies 4 of 4 points right\n" in said


def test_check_draws_the_loss_curve_of_a_diverging_loop(repo, capsys):
    kata_file = repo / "exercises" / "05_loops" / "fit_numpy.py"
    shutil.copyfile(MUTANTS / "05_loops" / "fit_numpy" / "uphill.py", kata_file)
    assert cli.main(["check", "05_loops/fit_numpy"]) == 1
    out = capsys.readouterr().out
    assert "Loss on the seed data" in out and "does not go down" in out
    picture = kata_file.with_name("fit_numpy_losses.png")
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shown = re.search(r"plot: (\S+)", out).group(1)
    assert (repo / shown) == picture  # the path shown is the picture's, from the repository's root


def test_a_solution_opens_only_once_the_kata_passes(repo, capsys):
    assert cli.main(["solution", FIRST]) == 1
    assert "does not pass its public tests yet" in capsys.readouterr().out
    shutil.copyfile(SOLUTIONS / f"{FIRST}.py", repo / "exercises" / f"{FIRST}.py")
    assert cli.main(["solution", FIRST]) == 0
    shown = capsys.readouterr().out
    assert "def derivative" in shown and "### BEGIN SOLUTION" not in shown


def test_two_commands_at_once_never_undo_each_others_progress(manifest, tmp_path):
    """watch holds its Progress for a whole session while check, hint and reset run elsewhere."""
    watching, elsewhere = Progress.load(tmp_path), Progress.load(tmp_path)
    watching.record(FIRST, passed=True)
    elsewhere.record(SECOND, passed=True)  # `grader check` in another terminal
    watching.record(FIRST, passed=True)  # watch saves again: SECOND must stay solved
    assert Progress.load(tmp_path).solved == [FIRST, SECOND]
    kata = manifest.kata(FIRST)
    assert elsewhere.next_hint(kata)[0] == 1  # `grader hint` elsewhere
    assert watching.next_hint(kata)[0] == 2  # then `h` in watch: the next one, not hint 1 again
    elsewhere.record(FIRST, passed=False)  # `grader reset`
    watching.reload()
    assert FIRST not in watching.solved and watching.current(manifest).id == FIRST


def test_list_never_cuts_a_kata_id(repo, manifest, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    assert cli.main(["list"]) == 0
    shown = capsys.readouterr().out
    assert all(kata.id in shown for kata in manifest.katas)


def test_watch_follows_the_kata_whose_file_was_saved(manifest, tmp_path):
    from grader.learner.watch import kata_saved

    exercises = tmp_path / "exercises"
    mse = exercises / "02_losses" / "mse.py"
    assert kata_saved([str(mse)], exercises, manifest).id == "02_losses/mse"
    assert kata_saved([str(exercises / "02_losses" / "test_mse.py")], exercises, manifest) is None
    assert kata_saved([str(exercises / "02_losses" / "helper.py")], exercises, manifest) is None
    both = [str(mse), str(exercises / "01_autograd" / "vjp.py")]
    assert kata_saved(both, exercises, manifest).id == SECOND


def test_a_loop_that_never_ends_costs_one_test_limit_not_one_per_test(repo, manifest):
    from grader.learner.watch import Runner

    kata = manifest.kata("02_losses/mse")
    (repo / "exercises" / kata.relative_file).write_text(
        "def mse(y_pred, y):\n    while True:\n        pass\n")
    runner = Runner(repo, per_test=1)
    started = time.monotonic()
    result = runner.run(kata)
    took = time.monotonic() - started
    statuses = [test.status for test in result.tests]
    assert len(statuses) > 2 and set(statuses) == {"timeout"}, statuses
    assert "loop that never ends" in result.tests[0].message
    assert all("not run" in test.message for test in result.tests[1:])
    assert took < 1 * len(statuses), took  # one limit, not one per test


def test_keys_work_while_a_run_hangs(repo, manifest):
    """A kata stuck in a loop: watch says it is running, n moves on at once, q quits at once."""
    (repo / "exercises" / f"{FIRST}.py").write_text("def derivative(f, x):\n    while True:\n        pass\n")
    terminal = Terminal([sys.executable, "-m", "grader"], repo)
    try:
        deadline = time.monotonic() + 120
        while f"running {FIRST}'s public tests" not in terminal.seen and time.monotonic() < deadline:
            terminal.read_for(0.2)
        terminal.press("n")  # the hung run is stopped, the next kata's runs
        terminal.wait_for(verdict_pattern(SECOND), 1, timeout=8)  # well inside the hung test's 10 s
        assert f"✗ {SECOND}" in terminal.seen
        (repo / "exercises" / f"{SECOND}.py").write_text((repo / "exercises" / f"{FIRST}.py").read_text()
                                                         .replace("derivative", "vjp"))
        terminal.read_for(1.0)  # the save starts a run that hangs
        started = time.monotonic()
    finally:
        code = terminal.close()
    assert code == 0 and time.monotonic() - started < 4  # q does not wait for the hung run


def test_the_reference_file_carries_the_new_pictures_as_numbers(tmp_path, monkeypatch):
    """Adam's paths, the runs either side of the critical lr and early stopping's curves ship as
    strict JSON of numbers, and read back as the pictures they were."""
    solutions = tmp_path / "solutions"
    ours = {ADAM_ID: seed_katas.ADAM, CRITICAL_LR_ID: seed_katas.CRITICAL_LR,
            EARLY_STOPPING_ID: seed_katas.EARLY_STOPPING}
    for kata_id, source in ours.items():
        seed_katas.write(solutions, kata_id, source)
    monkeypatch.setattr(curves, "SOLUTIONS_DIR", solutions)
    shipped = tmp_path / "reference_curves.json"
    release.write_references(shipped, [seed_katas.kata(kata_id) for kata_id in ours])

    def no_nan(constant):
        raise ValueError(f"{constant} is not JSON")

    references = json.loads(shipped.read_text(), parse_constant=no_nan)
    assert set(references) == set(ours)
    assert all(isinstance(leaf, int | float) for leaf in _leaves(references))
    monkeypatch.setattr(curves, "REFERENCE_FILE", shipped)
    paths = curves.reference_run(ADAM_ID)["picture"]
    assert paths["kind"] == "paths" and set(paths["paths"]) == {"adam", "sgd", "momentum"}
    assert pictures.summary(paths, paths).endswith("momentum in 87 (the reference Adam in 61)")
    edge = curves.reference_run(CRITICAL_LR_ID)
    assert edge["picture"]["kind"] == "either_side" and edge["picture"]["below"] == edge["losses"]
    assert edge["picture"]["lr"] == pytest.approx(3.39938e-4, rel=1e-5)
    kept = curves.reference_run(EARLY_STOPPING_ID)["picture"]
    assert kept["kind"] == "stopping" and kept["best_epoch"] == 20 and len(kept["val"]) == 41


def test_watch_shows_the_pictures_of_topics_12_to_14(tmp_path, monkeypatch):
    """The forked child's numbers come back as JSON: the terminal says what each picture shows, the
    PNG has the paths or early stopping's curves beside the losses, or the run at 1.1 × over them;
    an Adam that raises shows its error, and no picture."""
    from grader.learner import verdict
    from grader.learner.watch import Runner

    solutions, exercises = tmp_path / "solutions", tmp_path / "repo" / "exercises"
    for kata_id, source in ((ADAM_ID, seed_katas.ADAM), (CRITICAL_LR_ID, seed_katas.CRITICAL_LR),
                            (EARLY_STOPPING_ID, seed_katas.EARLY_STOPPING)):
        seed_katas.write(solutions, kata_id, source)
    seed_katas.write(exercises, ADAM_ID, seed_katas.ADAM)
    seed_katas.write(exercises, CRITICAL_LR_ID, seed_katas.CRITICAL_LR_ONE_OVER_LAMBDA)
    seed_katas.write(exercises, EARLY_STOPPING_ID, seed_katas.EARLY_STOPPING_WITHOUT_LOAD)
    monkeypatch.setattr(curves, "SOLUTIONS_DIR", solutions)
    monkeypatch.setattr(curves, "REFERENCE_FILE", tmp_path / "not_released.json")
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # the runner sets it; restored after
    runner = Runner(tmp_path / "repo")

    def shown(kata_id):
        console = Console(width=400, record=True, file=io.StringIO())
        curve = runner.curve(seed_katas.kata(kata_id))
        console.print(verdict.render_curve(curve, exercises / f"{kata_id}.py"))
        return console.export_text()

    widths = {}
    said = {kata_id: shown(kata_id) for kata_id in (ADAM_ID, CRITICAL_LR_ID, EARLY_STOPPING_ID)}
    for kata_id in said:
        png = (exercises / f"{kata_id}_losses.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        widths[kata_id] = int.from_bytes(png[16:20], "big")
    assert widths == {ADAM_ID: 1100, CRITICAL_LR_ID: 600, EARLY_STOPPING_ID: 1100}  # 1.1 × is drawn over
    assert ("\n    your Adam reaches 1e-3 of the minimum in 61 steps, SGD not in 100, momentum in 87 (the "
            "reference Adam in 61)\n") in said[ADAM_ID]
    assert "\n    GD converges at 0.9 × and at 1.1 × your critical lr 1.69969e-4: " in said[CRITICAL_LR_ID]
    assert ("\n    stopped after epoch 40, best epoch 20 (validation loss 0.1002); the model ends with "
            "validation loss 0.1373, not the best epoch's") in said[EARLY_STOPPING_ID]
    seed_katas.write(exercises, ADAM_ID, seed_katas.ADAM_WITHOUT_NO_GRAD)
    (exercises / f"{ADAM_ID}_losses.png").unlink()
    failed = shown(ADAM_ID)
    assert "your run failed: RuntimeError: a leaf Variable that requires grad" in failed
    assert "reaches" not in failed and not (exercises / f"{ADAM_ID}_losses.png").exists()
