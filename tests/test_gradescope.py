"""`grader gradescope`: the autograder zip, and its run_autograder run as Gradescope runs it."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

from grader.course import gradescope as gradescope_zip
from grader.submission import arrange

from .conftest import MUTANTS, SOLUTIONS

SCHEMA = json.loads((Path(__file__).with_name("schemas") / "gradescope_results.json").read_text())


@pytest.fixture(scope="module")
def autograder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    gradescope_zip.build(out)
    return out


def test_the_zip_has_gradescopes_layout_and_the_hidden_suites(autograder):
    with zipfile.ZipFile(autograder) as archive:
        infos = {info.filename: info for info in archive.infolist()}
    for script in ("setup.sh", "run_autograder"):
        assert stat.S_IMODE(infos[script].external_attr >> 16) & 0o111, f"{script} is not executable"
    assert any(name.startswith("grader/suites/02_losses/test_mse") for name in infos)
    assert {"constraints.txt", "pyproject.toml", "grader/katas.toml"} <= set(infos)
    assert not any(name.split("/")[0] in ("solutions", "tests", "exercises") for name in infos)


def _run_autograder(autograder: Path, root: Path, upload: dict[str, str]) -> dict:
    """Lay out /autograder as Gradescope does (under root) and run run_autograder."""
    with zipfile.ZipFile(autograder) as archive:
        archive.extractall(root / "source")
    submission = root / "submission"
    submission.mkdir()
    for name, text in upload.items():
        (submission / name).write_text(text)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "GRADER_PYTHON": sys.executable}
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True,
                   timeout=600, check=True)
    return json.loads((root / "results" / "results.json").read_text())


def test_run_autograder_grades_a_flat_upload(autograder, engine, tmp_path):
    upload = {path.name: path.read_text() for path in SOLUTIONS.rglob("*.py")}
    upload["mse.py"] = (MUTANTS / "02_losses" / "mse" / "sum_not_mean.py").read_text()
    result = _run_autograder(autograder, tmp_path, upload)
    jsonschema.validate(result, SCHEMA)
    arranged = tmp_path / "again"
    arrange(tmp_path / "submission", arranged, list(engine.manifest.katas))
    assert result["score"] == engine.grade(arranged).score < sum(k.points for k in engine.manifest.katas)
    mse = [test for test in result["tests"] if test["name"].startswith("02_losses/mse:")]
    assert mse and any(test["status"] == "failed" and "factor" in test["output"] for test in mse)


def test_run_autograder_writes_results_for_an_empty_upload(autograder, tmp_path):
    result = _run_autograder(autograder, tmp_path, {})
    jsonschema.validate(result, SCHEMA)
    assert result["score"] == 0 and result["tests"]


def test_arrange_finds_kata_files_in_any_layout(manifest, tmp_path):
    katas = list(manifest.katas)
    repo = tmp_path / "repo"
    shutil.copytree(SOLUTIONS, repo / "exercises")
    assert len(arrange(repo, tmp_path / "a", katas)) == len(katas)
    assert len(arrange(repo / "exercises", tmp_path / "b", katas)) == len(katas)
    flat = tmp_path / "flat"
    flat.mkdir()
    (flat / "mse.py").write_text("# stray copy\n")
    (flat / "02_losses").mkdir()
    (flat / "02_losses" / "mse.py").write_text("# the one in its topic folder\n")
    assert arrange(flat, tmp_path / "c", katas) == ["02_losses/mse"]
    arranged = tmp_path / "c" / "exercises" / "02_losses" / "mse.py"
    assert arranged.read_text() == "# the one in its topic folder\n"
