"""`grader release --for prairielearn` and `--format prairielearn`: questions whose info.json
PrairieLearn's own schema accepts, the hidden suites where the grading job finds them, and
results that carry our points, from the grading script run as PrairieLearn's container runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from grader import model
from grader.course import prairielearn as questions
from grader.formats import prairielearn
from grader.model import summarize, summarize_kata

from .conftest import EXERCISES, MUTANTS, SOLUTIONS

SCHEMA = json.loads((Path(__file__).with_name("schemas") / "prairielearn_info_question.json").read_text())
TOPICS = ["02_losses", "06_sqrt"]


@pytest.fixture(scope="module")
def released(manifest, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("prairielearn") / "course"
    questions.build(out, manifest, manifest.select(TOPICS), image="someone/gradient-katas:2.13.0")
    return out


def test_each_question_validates_against_prairielearns_schema(released, manifest):
    folders = sorted((released / "questions" / questions.COURSE_FOLDER).iterdir())
    assert [folder.name for folder in folders] == TOPICS
    uuids = set()
    for folder in folders:
        info = json.loads((folder / "info.json").read_text())
        jsonschema.Draft7Validator(SCHEMA).validate(info)
        with pytest.raises(jsonschema.ValidationError):  # the schema is no rubber stamp
            jsonschema.Draft7Validator(SCHEMA).validate({**info, "gradingMethod": "Automatic"})
        assert info["gradingMethod"] == "External" and info["type"] == "v3"
        options = info["externalGradingOptions"]
        assert options["image"] == "someone/gradient-katas:2.13.0"
        assert options["entrypoint"].split() == [questions.ENTRYPOINT, folder.name]
        assert options["serverFilesCourse"] == [f"{questions.COURSE_FOLDER}/"]
        assert 0 < options["timeout"] <= 600 and options["enableNetworking"] is False
        uuids.add(info["uuid"])
        page = (folder / "question.html").read_text()
        for kata in manifest.select([folder.name]):
            assert f'<pl-file-editor file-name="{kata.stem}.py"' in page
            stub = (folder / "stubs" / f"{kata.stem}.py").read_text()
            assert stub == (EXERCISES / kata.relative_file).read_text()
        assert "<pl-external-grader-results>" in page and "{{" not in page
    assert len(uuids) == len(TOPICS)


def test_a_question_keeps_its_uuid_from_release_to_release(manifest):
    topic = manifest.topics[1]
    assert questions.question_uuid(topic) == questions.question_uuid(topic)
    assert questions.question_uuid(topic) != questions.question_uuid(manifest.topics[2])


def test_the_suites_go_to_serverfilescourse_and_never_into_the_public_image(released, manifest):
    shared = released / "serverFilesCourse" / questions.COURSE_FOLDER
    shipped = sorted(path.relative_to(shared / "grader" / "suites").as_posix()
                     for path in (shared / "grader" / "suites").glob("*/test_*.py"))
    assert shipped == sorted(kata.public_test.as_posix() for kata in manifest.select(TOPICS))
    assert os.access(shared / "grade_prairielearn", os.X_OK)
    image = released / "image"
    assert not (image / "grader" / "suites").exists()
    dockerfile = (image / "Dockerfile").read_text()
    assert "torch==2.13.0" in dockerfile and "download.pytorch.org/whl/cpu" in dockerfile
    assert "COPY grader" in dockerfile and (image / "pyproject.toml").is_file()


def test_the_grading_script_writes_results_with_our_points(released, engine, tmp_path):
    """The entrypoint as PrairieLearn runs it: the editors' files in /grade/student (here a folder
    named by GRADE_ROOT), results in /grade/results/results.json."""
    student = tmp_path / "grade" / "student"
    student.mkdir(parents=True)
    shutil.copyfile(MUTANTS / "02_losses" / "mse" / "sum_not_mean.py", student / "mse.py")
    shutil.copyfile(SOLUTIONS / "02_losses" / "sqrt_loss.py", student / "sqrt_loss.py")
    shutil.copyfile(EXERCISES / "02_losses" / "mse_numpy.py", student / "mse_numpy.py")
    env = {**os.environ, "GRADE_ROOT": str(tmp_path / "grade"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    script = released / "serverFilesCourse" / questions.COURSE_FOLDER / "grade_prairielearn"
    done = subprocess.run([str(script), "02_losses"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "grade" / "results" / "results.json").read_text())
    submission = tmp_path / "submission" / "exercises" / "02_losses"
    submission.mkdir(parents=True)
    for path in student.iterdir():
        shutil.copyfile(path, submission / path.name)
    grade = engine.grade(tmp_path / "submission", ["02_losses"])
    assert results["gradable"] is True and results["score"] == pytest.approx(grade.score / grade.max_score)
    assert grade.score > 0
    assert sum(test["points"] for test in results["tests"]) == pytest.approx(grade.score, abs=1e-4)
    assert sum(test["max_points"] for test in results["tests"]) == pytest.approx(grade.max_score, abs=1e-4)
    fields = {"name", "points", "max_points", "message", "output"}
    assert all(fields <= set(test) for test in results["tests"])
    assert "did you take the mean?" in results["output"]


def test_results_stay_under_a_megabyte_whatever_the_messages():
    long = "x" * model.MAX_MESSAGE
    tests = [model.TestResult(name=f"check {n}", status="failed", score=0, max_score=1, message=long)
             for n in range(1500)]
    grade = summarize("dave", [summarize_kata("02_losses/mse", 1500, tests, missing=False)])
    text = prairielearn.render(grade)
    assert len(text.encode()) < prairielearn.MAX_BYTES
    results = json.loads(text)
    assert sum(test["max_points"] for test in results["tests"]) == 1500 and results["score"] == 0


def test_a_submission_that_cannot_be_read_is_not_gradable():
    grade = model.not_graded("erin", [("02_losses/mse", 13)], "mse.py is over the 1 MiB limit")
    results = json.loads(prairielearn.render(grade))
    assert results["gradable"] is False and "1 MiB" in results["format_errors"][0]
