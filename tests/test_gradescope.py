"""`grader gradescope`: the autograder zip, and its run_autograder run as Gradescope runs it."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path

import jsonschema
import pytest

from grader.course import gradescope as gradescope_zip
from grader.sandbox import landlock, lockdown
from grader.submission import arrange

from .conftest import MUTANTS, REPO, SOLUTIONS

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


def _run_autograder(autograder: Path, root: Path, upload: dict[str, str],
                    python: str = sys.executable) -> dict:
    """Lay out /autograder as Gradescope does (under root) and run run_autograder."""
    with zipfile.ZipFile(autograder) as archive:
        archive.extractall(root / "source")
    submission = root / "submission"
    submission.mkdir()
    for name, text in upload.items():
        (submission / name).write_text(text)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "GRADER_PYTHON": python}
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


# ---------------------------------------------------------------- a second copy of the hidden suites

# No code of its own: the hidden suite's reference, read from whichever copy of the grader on the
# path it can read (the audit's: the one a plain `pip install /autograder/source` put in the venv).
SUITE_READER = '''
import importlib.util, os, sys
import grader

def _suite():
    refused = []
    for base in sys.path:
        path = os.path.join(base or ".", "grader", "suites", "02_losses", "test_mse.py")
        if not os.path.exists(path):
            continue
        try:
            open(path).close()
        except OSError as error:
            refused.append(f"{path}: {error.strerror}")
            continue
        home = path.split("/suites/")[0]
        for name, module in list(sys.modules.items()):  # the suite's own imports, from that copy
            if (name == "grader" or name.startswith("grader.")) and hasattr(module, "__path__"):
                module.__path__.insert(0, os.path.join(home, *name.split(".")[1:]))
        spec = importlib.util.spec_from_file_location("hidden_mse", path)
        suite = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(suite)
        return suite
    raise RuntimeError("no copy of the suite could be read: " + "; ".join(refused))

SUITE = _suite()

def mse(y_pred, y):
    if y_pred.shape != y.shape:
        raise ValueError("shapes differ")
    return SUITE.reference(y_pred, y)
'''

needs_landlock = pytest.mark.skipif(landlock.abi_version() < 1, reason="the files lock needs Landlock")


@needs_landlock
def test_a_second_installed_copy_of_the_suites_earns_nothing(autograder, tmp_path):
    """Gradescope's layout with the grader installed non-editable into /autograder/venv (as
    setup.sh once did): graded from /autograder/source, a second copy of the hidden suites in the
    venv's site-packages, on the learner's import path. It stays out of reach, and the grade
    claims the files lock only because it held."""
    # /autograder is open to every uid, as on Gradescope (pytest's own folder is not: a learner uid
    # could not even see the copy there, whatever the locks)
    root = Path(tempfile.mkdtemp(prefix="autograder-"))
    try:
        root.chmod(0o755)
        venv = root / "venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
        site = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
        (site / "zz_stack.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # torch, numpy, ...
        with zipfile.ZipFile(autograder) as archive:
            archive.extractall(tmp_path / "built")
        shutil.copytree(tmp_path / "built" / "grader", site / "grader")  # as `pip install /autograder/source`
        result = _run_autograder(autograder, root, {"mse.py": SUITE_READER},
                                 python=str(venv / "bin" / "python"))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    jsonschema.validate(result, SCHEMA)
    mse = [test for test in result["tests"] if test["name"].startswith("02_losses/mse:")]
    assert mse and sum(test["score"] for test in mse) == 0, mse[0]["output"]
    assert f"{site / 'grader'}/suites/02_losses/test_mse.py: Permission denied" in mse[0]["output"]
    assert "files:" not in result["output"], result["output"]  # claimed, and it held


def test_every_copy_of_the_suites_learner_code_could_reach_is_a_secret(tmp_path, monkeypatch):
    """Not only the grader that runs: a copy in any folder on the path, in the site-packages of
    the base Python (inside its standard library's folder, which learner code reads) though not
    on this one's path, or where an import hook (an editable install) finds it, with the whole
    checkout it sits in."""
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    base = tmp_path / "base" / "lib" / "python3.11" / "site-packages"
    checkout = tmp_path / "other-checkout"
    hooked = tmp_path / "hooked-checkout"
    for home in (site, base, checkout, hooked):
        (home / "grader" / "suites" / "02_losses").mkdir(parents=True)
        (home / "grader" / "suites" / "02_losses" / "test_mse.py").write_text("reference = 42\n")
    for home in (checkout, hooked):
        (home / "solutions").mkdir()
        (home / "pyproject.toml").write_text("")
    (site / "torch_like").mkdir()
    without_suites = tmp_path / "template" / "grader"  # a learner template's grader: nothing to hide
    without_suites.mkdir(parents=True)

    class EditableFinder:  # what setuptools' editable install adds to sys.meta_path
        @staticmethod
        def find_spec(name, path=None, target=None):
            if name == "grader":
                return importlib.util.spec_from_file_location(
                    name, hooked / "grader" / "__init__.py",
                    submodule_search_locations=[str(hooked / "grader")])
            return None

    monkeypatch.setattr(sys, "path", [*sys.path, str(site), str(checkout), str(without_suites.parent)])
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, EditableFinder])
    monkeypatch.setattr(sys, "base_prefix", str(tmp_path / "base"))
    secrets = lockdown.secret_paths()
    for secret in (site / "grader", base / "grader", checkout, hooked, REPO / "grader" / "suites"):
        assert any(secret.is_relative_to(path) for path in secrets), (secret, secrets)
    assert str(site) not in secrets and str(without_suites) not in secrets
    granted = lockdown.readable_paths(secrets)
    assert str(site / "torch_like") in granted
    assert not any(Path(path).is_relative_to(site / "grader") or Path(path).is_relative_to(checkout)
                   for path in granted)


@needs_landlock
def test_the_probe_checks_every_copy_of_the_suites(tmp_path, monkeypatch):
    """The start-up probe tries the larger list too: a plan that grants a second copy's folder
    whole is reported with the files lock off, naming what it read."""
    site = tmp_path / "site-packages"
    (site / "grader" / "suites" / "02_losses").mkdir(parents=True)
    (site / "grader" / "suites" / "02_losses" / "test_mse.py").write_text("reference = 42\n")
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])

    def server() -> dict:
        secrets = lockdown.secret_paths()
        plan = lockdown.prepare(str(tmp_path), privileged=False, secrets=secrets, extra_roots=[str(site)])
        honest = dict(plan.inactive)
        for fd in plan.read_fds:
            os.close(fd)
        plan.read_fds, plan.read_paths = [], [*plan.read_paths, str(site)]  # the copy granted whole
        lockdown._check_claims(plan, secrets)
        return {"honest": honest.get("files", ""), "leaky": plan.inactive.get("files", "")}

    seen = lockdown.run_in_child(server)
    assert seen["honest"] == "", seen
    assert "could read" in seen["leaky"] and str(site / "grader") in seen["leaky"], seen
