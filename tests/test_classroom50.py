"""`grader release --for classroom50`: a starter repository with nothing hidden in it, and a bundle
that Classroom 50's real runner (the fixture's harness: runner.py, a local Pages server, the
result schema) grades to the points `grader grade` gives, with feedback whose learner text is data.

The harness runs the bundle with this interpreter, which has the pinned stack: nothing is
installed, so the two harness runs take seconds. One topic keeps the grading short."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from markdown_it import MarkdownIt

from grader import model
from grader.course import classroom50 as bundle_builder
from grader.course import release
from grader.formats import classroom50
from grader.manifest import SUITES_DIR
from grader.model import Grade, KataResult, summarize, summarize_kata

from .conftest import MUTANTS, REPO, SOLUTIONS

FIXTURES = REPO.parent / "shared" / "classroom50"  # Classroom 50's runner, its schema, the harness
TOPIC = "02_losses"
needs_harness = pytest.mark.skipif(not (FIXTURES / "harness.py").is_file(),
                                   reason=f"Classroom 50's runner fixtures are not at {FIXTURES}")


@pytest.fixture(scope="module")
def released(manifest, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("classroom50") / "release"
    bundle_builder.build(out, manifest, manifest.select([TOPIC]), "katas")
    return out


def _learner_repo(released: Path, root: Path, kata_files: dict[str, Path]) -> Path:
    """A learner's repository made from the template, with some kata files replaced."""
    shutil.copytree(released / "template", root)
    for kata_id, source in kata_files.items():
        shutil.copyfile(source, root / "exercises" / f"{kata_id}.py")
    return root


def _harness(repo: Path, bundle: Path, tmp_path: Path) -> tuple[dict, str, str]:
    """Classroom 50's runner on ``repo`` with ``bundle``: the final result.json, the release body
    and the harness's output."""
    result_file = tmp_path / f"{repo.name}-result.json"
    done = subprocess.run([sys.executable, str(FIXTURES / "harness.py"), str(repo), str(bundle),
                           "--classroom", "ml101", "--assignment", "katas", "--owner", repo.name,
                           "--python", sys.executable, "--result-out", str(result_file)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert "HARNESS: PASS" in done.stdout and "PASS: valid" in done.stdout
    assert "runner.validate_result(final result.json): OK" in done.stdout
    body = done.stdout.split("===== release-body.md ")[1].split("\n", 1)[1].split("\n===== ")[0]
    return json.loads(result_file.read_text()), body, done.stdout


def test_the_template_holds_nothing_hidden_and_no_classroom_workflow(released):
    template = released / "template"
    files = [path.relative_to(template) for path in template.rglob("*") if path.is_file()]
    assert not any("suites" in path.parts or "solutions" in path.parts for path in files)
    assert not (template / ".github").exists()  # Classroom 50 adds its own shim on accept
    assert {path for path in files if path.parts[0] == "exercises" and path.suffix == ".py"} == {
        Path("exercises", TOPIC, f"{stem}.py") for stem in ("mse", "mse_numpy", "sqrt_loss")} | {
        Path("exercises", TOPIC, f"test_{stem}.py") for stem in ("mse", "mse_numpy", "sqrt_loss")}
    readme = (template / "README.md").read_text()
    assert "Classroom 50" in readme and "classroom.yml" not in readme
    solutions = {path.read_text() for path in SOLUTIONS.rglob("*.py")}
    assert not any(path.read_text(errors="replace") in solutions for path in template.rglob("*.py"))


def test_the_bundle_holds_the_hidden_suites_of_its_katas_only(released, manifest):
    bundle = released / "autograders" / "katas"
    suites = sorted(path.relative_to(bundle / "grader" / "suites").as_posix()
                    for path in (bundle / "grader" / "suites").glob("*/test_*.py"))
    assert suites == [kata.public_test.as_posix() for kata in manifest.select([TOPIC])]
    assert (bundle / "grader" / "suites" / TOPIC / "test_mse.py").read_text() == \
        (SUITES_DIR / TOPIC / "test_mse.py").read_text()
    assert (bundle / "autograder.py").stat().st_mode & 0o111
    assert (bundle / "constraints.txt").read_text() == (REPO / "constraints.txt").read_text()
    assert bundle_builder.packed_size(bundle) < bundle_builder.MAX_BUNDLE


def test_every_kata_of_topics_01_to_09_fits_under_the_bundle_cap(manifest, tmp_path):
    topics = [f"0{number}_" for number in range(1, 10)]
    katas = [kata for kata in manifest.katas if kata.topic[:3] in topics]
    bundle = tmp_path / "bundle"
    bundle_builder.build_bundle(bundle, katas, "katas", manifest)
    assert bundle_builder.packed_size(bundle) < bundle_builder.MAX_BUNDLE / 4


def test_release_refuses_a_slug_classroom50_would_refuse(manifest, tmp_path):
    for slug in ("Katas", "-katas", "k", "katas_2", "a" * 40):
        with pytest.raises(release.ReleaseError, match="slug"):
            bundle_builder.build(tmp_path / slug, manifest, manifest.select([TOPIC]), slug)


@needs_harness
def test_the_real_runner_grades_a_full_an_empty_and_a_buggy_repository_to_our_points(released, engine,
                                                                                   manifest, tmp_path):
    """Classroom 50 records whole points: a partly solved kata's are rounded down, so its total
    equals `grader grade`'s for full and empty work, and is below it by less than a point per
    partly solved kata otherwise."""
    topic_points = sum(kata.points for kata in manifest.select([TOPIC]))
    schema = json.loads((FIXTURES / "result-v1.schema.json").read_text())
    bundle = released / "autograders" / "katas"
    full = _learner_repo(released, tmp_path / "full", {
        f"{TOPIC}/{stem}": SOLUTIONS / TOPIC / f"{stem}.py" for stem in ("mse", "mse_numpy", "sqrt_loss")})
    empty = _learner_repo(released, tmp_path / "empty", {})  # the template as a learner accepts it
    buggy = _learner_repo(released, tmp_path / "buggy", {
        f"{TOPIC}/mse": MUTANTS / TOPIC / "mse" / "sum_not_mean.py",
        f"{TOPIC}/sqrt_loss": SOLUTIONS / TOPIC / "sqrt_loss.py"})
    for repo, kind in ((full, "full"), (empty, "empty"), (buggy, "buggy")):
        result, body, log = _harness(repo, bundle, tmp_path)
        jsonschema.validate(result, schema)
        grade = engine.grade(repo, [TOPIC])
        whole_scores = [classroom50.whole(kata.score) for kata in grade.katas]
        partly = [kata for kata in grade.katas if 0 < kata.score < kata.max_score]
        assert result["score"] == sum(whole_scores) and result["max-score"] == grade.max_score == topic_points
        if kind == "full":
            assert result["score"] == grade.score == topic_points
        elif kind == "empty":
            assert result["score"] == grade.score == 0
        else:
            assert partly and 0 <= grade.score - result["score"] < len(partly), (grade.score, result["score"])
        assert [test["test-name"] for test in result["tests"]] == [kata.id for kata in grade.katas]
        assert [test["score"] for test in result["tests"]] == whole_scores
        assert all(isinstance(test["score"], int) for test in result["tests"])
        assert (result["classroom"], result["assignment"], result["owner"]) == ("ml101", "katas", repo.name)
        assert result["submission"].startswith("submit/")
        assert f"status={'success' if kind == 'full' else 'failure'}" in log
        assert f"### Gradient-descent katas: {sum(whole_scores)} / {grade.max_score:g}" in body
        assert "has the pinned stack: nothing to install" in log
        if kind == "empty":
            assert "not written yet" in body and "grader check 02_losses/mse" in body
    assert "did you take the mean?" in body and "grader hint 02_losses/mse" in body  # the buggy one's


def test_the_docs_say_a_partly_solved_katas_points_are_rounded_down(released):
    """Classroom 50's total is not always exactly `grader grade`'s: the README, the bundle's README
    and the format's docstring say how it differs."""
    section = (REPO / "README.md").read_text().split("### Classroom 50\n", 1)[1].split("\n### ", 1)[0]
    bundle_readme = (released / "autograders" / "katas" / "README.md").read_text()
    for text in (section, bundle_readme, classroom50.__doc__):
        said = " ".join(text.split())
        assert "rounded down" in said and "less than a point per partly solved kata" in said
        assert "exactly" not in said


def _autograder(released: Path, name: str):
    """The bundle's autograder.py as a module (its main() is not run)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, released / "autograders" / "katas" / "autograder.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("cpu_index_answers", [True, False])
@pytest.mark.parametrize("torch_found", [True, False])
def test_torch_is_the_cpu_build_from_no_index_that_serves_cuda(released, monkeypatch, tmp_path, capsys,
                                                               cpu_index_answers, torch_found):
    """Whatever answers, the bundle asks pip for torch==VERSION+cpu (a label PyPI never has) with
    PyTorch's CPU index added, never the default index's torch; when no source has it, nothing is
    graded and the job says why, with its own exit status."""
    autograder = _autograder(released, f"autograder_{cpu_index_answers}_{torch_found}")
    commands: list[list[str]] = []
    installed: set[str] = set()

    def run(command, **_):
        commands.append(command)
        ok = torch_found or not any(arg.startswith("torch") for arg in command)
        if ok and "install" in command:
            installed.update(arg.split("==")[0] for arg in command if "==" in arg)
        return subprocess.CompletedProcess(command, 0 if ok else 1)

    monkeypatch.setattr(autograder.subprocess, "run", run)
    monkeypatch.setattr(autograder, "answers", lambda url: cpu_index_answers)
    monkeypatch.setattr(autograder, "lacking", lambda python, wanted: [
        name for name in ("torch", "numpy") if name not in installed])
    monkeypatch.setattr(autograder.sys, "platform", "linux")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    monkeypatch.setenv("RUNNER_TEMP", str(tmp_path))
    bundle = released / "autograders" / "katas"
    torch = f"torch=={release.torch_pin((bundle / 'constraints.txt').read_text()).split('+')[0]}+cpu"
    if torch_found:
        autograder.stack(bundle)
    else:
        with pytest.raises(SystemExit) as stopped:
            autograder.stack(bundle)
        assert stopped.value.code == autograder.TORCH_MISSING == 3
        said = capsys.readouterr().out
        assert "::error::" in said and "torch could not be installed" in said and "CPU build" in said
        assert "Nothing was graded" in (tmp_path / "summary.md").read_text()
    installs = [command for command in commands if "install" in command]
    with_torch = [command for command in installs if any(arg.startswith("torch") for arg in command)]
    assert with_torch and all(command[-1] == torch for command in with_torch)
    for command in installs:
        assert "--index-url" not in command and "--no-index" not in command
        extra = command.count("--extra-index-url")
        assert extra == 0 or (extra == 1 and command[-3:] == ["--extra-index-url", autograder.CPU_INDEX,
                                                              torch])
    # tried with the CPU index in any case; first without it (the configured sources) when it is silent
    assert [autograder.CPU_INDEX in command for command in with_torch] == (
        [True] if cpu_index_answers else [False, True] if not torch_found else [False])
    assert (any("numpy==" in arg for command in installs for arg in command)) == torch_found


def _hostile_grade() -> Grade:
    """A grade whose learner-controlled text tries every way to act as Markdown or HTML."""
    hostile = ("<img src=x onerror=alert(1)> | cell | @octocat #1 [link](https://evil.example) "
               "**bold** </details>\n```\n<script>alert(2)</script>\n````")
    tests = [model.TestResult(name="mean of squared differences", status="failed", score=0, max_score=3,
                        message=f"mse raised ValueError: {hostile}"),
             model.TestResult(name="rule", status="passed", score=1, max_score=1)]
    return summarize("alice", [summarize_kata("02_losses/mse", 4, tests, missing=False),
                               summarize_kata("02_losses/sqrt_loss", 11, [model.TestResult(
                                   name="all", status="passed", score=11, max_score=11)], False)])


def test_the_feedback_shows_learner_text_as_text():
    body = classroom50.release_body(_hostile_grade())
    rendered = MarkdownIt("commonmark").enable("table").render(body)
    for tag in ("<img", "<script", "</details", '<a href="https://evil'):
        assert tag not in rendered, tag
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered
    assert "<strong>bold</strong>" not in rendered
    # every line of the table is one row of four cells: the learner's pipe did not split one
    rows = [line for line in body.splitlines() if line.startswith("| `02_losses/")]
    assert len(rows) == 2 and all(len(re.findall(r"(?<!\\)\|", row)) == 5 for row in rows)


def test_points_are_whole_and_add_up_exactly_even_from_fractions():
    shares = [model.TestResult(name=f"public {n}", status="passed" if n < 2 else "failed",
                         score=13 / 3 if n < 2 else 0, max_score=13 / 3) for n in range(3)]
    grade = summarize("bob", [summarize_kata("02_losses/mse", 13, shares, missing=False),
                              KataResult(id="02_losses/mse", score=5, max_score=5, status="passed")])
    result = classroom50.result(grade, classroom="c", assignment="a", owner="bob", submission="submit/x",
                                commit="u", release="u", review="", when=_when())
    assert [test["score"] for test in result["tests"]] == [8, 5]  # 8.67 rounded down, never up
    assert result["score"] == 13 and result["max-score"] == 18 and result["review"] == "u"
    assert len({test["test-name"] for test in result["tests"]}) == 2


def test_a_submission_that_could_not_be_graded_says_so_and_what_to_do():
    grade = summarize("carol", [summarize_kata("02_losses/mse", 13, [], missing=True)])
    grade.problem = "no kata files found in it"
    body = classroom50.release_body(grade)
    assert "could not be graded" in body and "exercises/<topic>/<kata>.py" in body


def _when():
    from datetime import UTC, datetime

    return datetime(2026, 1, 1, tzinfo=UTC)
