"""The push workflow keeps the hidden suites' token away from learner code: it is used before any
learner code runs, and it is never left on disk (git config) where learner code could read it."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

WORKFLOW = Path(__file__).resolve().parents[1] / "grader" / "templates" / "classroom.yml"


def _steps() -> list[dict]:
    workflow = YAML(typ="safe").load(WORKFLOW.read_text())
    (job,) = workflow["jobs"].values()
    return job["steps"]


def test_no_checkout_leaves_credentials_behind():
    checkouts = [step for step in _steps() if str(step.get("uses", "")).startswith("actions/checkout@")]
    assert len(checkouts) == 2
    for step in checkouts:
        assert step["with"]["persist-credentials"] is False, step["name"]


def test_the_suites_arrive_without_git_and_before_learner_code_runs():
    steps = _steps()
    names = [step["name"] for step in steps]
    fetch = next(i for i, step in enumerate(steps) if "HIDDEN_SUITES_TOKEN" in str(step.get("with", "")))
    install = names.index("Install the hidden suites")
    script = steps[install]["run"]
    assert script.index("rm -rf .hidden-suites/.git") < script.index("mv .hidden-suites")
    # installing the submission runs its build code, and grading runs its katas
    learner_code = [i for i, step in enumerate(steps) if "pip install" in step.get("run", "")
                    or "grader grade" in step.get("run", "")]
    assert fetch < install < min(learner_code)
