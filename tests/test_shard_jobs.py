"""`grader shard-jobs`: a GitHub Actions workflow that GitHub's schema accepts (a matrix of N shard
jobs, artifacts, one merge job) and a Slurm script (a job array, the merge afterok), whose commands
are run here with stand-ins for `grader` and `sbatch` and read back with the grader's own parser:
the shard that each job grades, the options that reach it, the merge of every shard."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from grader import cli
from grader.cli.common import settings_from
from grader.course import shard_jobs

ASSIGNMENT = "Week 3: \"losses\" & $(touch pwned) `id`"
DEADLINE = "2025-03-01T23:59:00+01:00"
OPTIONS = ["--kata", "02_losses/mse", "--kata-timeout", "4"]


def _stand_in(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!{sys.executable}\nimport json, os, sys\n{body}")
    path.chmod(0o755)
    return path


def _fake_grader(folder: Path, log: Path) -> Path:
    return _stand_in(folder, "grader", f"with open({str(log)!r}, 'a') as log:\n"
                                       "    log.write(json.dumps(sys.argv[1:]) + '\\n')\n")


def _calls(log: Path) -> list:
    return [cli.parser().parse_args(json.loads(line)) for line in log.read_text().splitlines()]


def test_the_workflow_is_valid_for_any_shard_count(tmp_path):
    paths = []
    for count in (1, 3, 256):
        path = tmp_path / f"grade-{count}.yml"
        assert cli.main(["shard-jobs", "github", "--shards", str(count), "--output", str(path)]) == 0
        paths.append(str(path))
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.github-workflows", *paths], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    for engine, wrong in (("github", 0), ("github", 257), ("slurm", 0)):
        with pytest.raises(ValueError, match="--shards"):
            shard_jobs.render(engine, wrong)


def _workflow(count: int) -> dict:
    return YAML(typ="safe").load(shard_jobs.render("github", count))


def test_the_workflow_is_a_matrix_of_shards_then_one_merge():
    workflow = _workflow(5)
    jobs = workflow["jobs"]
    assert jobs["grade"]["needs"] == "collect" and jobs["merge"]["needs"] == "grade"
    assert jobs["grade"]["strategy"]["matrix"]["shard"] == [1, 2, 3, 4, 5]
    assert jobs["grade"]["strategy"]["fail-fast"] is False
    uploads = {job: [step["with"] for step in jobs[job]["steps"]
                     if step.get("uses", "").startswith("actions/upload-artifact")] for job in jobs}
    downloads = {job: [step["with"] for step in jobs[job]["steps"]
                       if step.get("uses", "").startswith("actions/download-artifact")] for job in jobs}
    assert uploads["collect"][0]["name"] == downloads["grade"][0]["name"] == "submissions"
    (shard_upload,) = uploads["grade"]
    assert shard_upload["name"] == "shard-${{ matrix.shard }}"
    assert shard_upload["include-hidden-files"] is True  # .grader/: the code graded, the commit times
    assert downloads["merge"][0] == {"pattern": "shard-*", "path": "shards"}
    for job in jobs.values():  # nothing a dispatcher types is pasted into a script
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step["run"]
        checkouts = [step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout")]
        assert all(step["with"]["persist-credentials"] is False for step in checkouts)
    assert workflow["permissions"] == {"contents": "read"}


def _expand(value: str, shard: int, count: int) -> str:
    return (value.replace("${{ matrix.shard }}", str(shard)).replace("${{ strategy.job-total }}", str(count))
            .replace("${{ inputs.assignment }}", ASSIGNMENT).replace("${{ inputs.deadline }}", DEADLINE)
            .replace("${{ vars.GRADER_BATCH_OPTIONS }}", " ".join(OPTIONS)))


def _run_step(step: dict, workspace: Path, bin_folder: Path, shard: int = 0, count: int = 0) -> None:
    env = {"PATH": f"{bin_folder}:{os.environ['PATH']}", "HOME": str(workspace)}
    env.update({name: _expand(str(value), shard, count) for name, value in step.get("env", {}).items()})
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, env=env, check=True)


def test_the_workflow_commands_grade_each_shard_and_merge_them_all(tmp_path):
    count, log = 3, tmp_path / "calls"
    bin_folder = tmp_path / "bin"
    _fake_grader(bin_folder, log)
    jobs = _workflow(count)["jobs"]
    (grade_step,) = [step for step in jobs["grade"]["steps"] if "grader batch" in step.get("run", "")]
    (merge_step,) = [step for step in jobs["merge"]["steps"] if "grader merge" in step.get("run", "")]
    for shard in range(1, count + 1):
        _run_step(grade_step, tmp_path, bin_folder, shard, count)
        (tmp_path / "shards" / f"shard-{shard}").mkdir(parents=True)  # as download-artifact lays them
    _run_step(merge_step, tmp_path, bin_folder)
    *batches, merge = _calls(log)
    assert [args.shard for args in batches] == ["1/3", "2/3", "3/3"]
    for number, args in enumerate(batches, start=1):
        assert (args.command, args.root, args.out) == ("batch", "submissions", f"shard-{number}")
        assert args.kata == ["02_losses/mse"] and args.kata_timeout == 4
        assert settings_from(args).assignment == ASSIGNMENT and args.deadline == DEADLINE
    assert merge.command == "merge" and merge.folders == [f"shards/shard-{n}" for n in (1, 2, 3)]
    assert merge.out == "grades" and settings_from(merge).deadline == settings_from(batches[0]).deadline
    assert merge.assignment_name == ASSIGNMENT
    assert not (tmp_path / "pwned").exists()


def test_without_a_deadline_the_workflow_passes_none(tmp_path):
    log, bin_folder = tmp_path / "calls", tmp_path / "bin"
    _fake_grader(bin_folder, log)
    steps = _workflow(2)["jobs"]["grade"]["steps"]
    (step,) = [step for step in steps if "grader batch" in step.get("run", "")]
    step = {**step, "env": {**step["env"], "DEADLINE": ""}}
    _run_step(step, tmp_path, bin_folder, 1, 2)
    (args,) = _calls(log)
    assert args.deadline is None and args.shard == "1/2"


def _fake_sbatch(folder: Path, log: Path) -> None:
    kept = ["STEP", "SUBMISSIONS", "OUT", "BATCH_OPTIONS", "GRADER", "ASSIGNMENT", "DEADLINE"]
    _stand_in(folder, "sbatch", f"kept = {kept!r}\n"
                                f"with open({str(log)!r}, 'a') as log:\n"
                                "    log.write(json.dumps({'argv': sys.argv[1:], 'env': {k: os.environ[k] "
                                "for k in kept if k in os.environ}}) + '\\n')\n"
                                "print('4242;cluster' if os.environ.get('STEP') == 'grade' else '4243')\n")


def test_the_slurm_script_submits_an_array_then_the_merge_afterok(tmp_path):
    script = tmp_path / "grade-class.sbatch"
    assert cli.main(["shard-jobs", "slurm", "--shards", "3", "--output", str(script)]) == 0
    assert os.access(script, os.X_OK)
    bin_folder, submitted, calls = tmp_path / "bin", tmp_path / "submitted", tmp_path / "calls"
    _fake_sbatch(bin_folder, submitted)
    grader = _fake_grader(bin_folder, calls)
    (tmp_path / "class").mkdir()
    base = {"PATH": f"{bin_folder}:{os.environ['PATH']}", "HOME": str(tmp_path), "GRADER": str(grader),
            "ASSIGNMENT": ASSIGNMENT, "DEADLINE": DEADLINE}
    done = subprocess.run(["bash", str(script), "class", "out", *OPTIONS], cwd=tmp_path, env=base,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "4242" in done.stdout and "4243" in done.stdout
    array, merge = (json.loads(line) for line in submitted.read_text().splitlines())
    assert array["argv"][:3] == ["--parsable", "--array=1-3", "--export=ALL"]
    assert array["env"]["STEP"] == "grade"
    assert "--dependency=afterok:4242" in merge["argv"] and "--kill-on-invalid-dep=yes" in merge["argv"]
    assert merge["env"]["STEP"] == "merge" and array["argv"][-1] == merge["argv"][-1] == str(script)
    # each task of the array, then the merge, as Slurm would run them (from its copy of the script)
    for task in (1, 2, 3):
        env = {**base, **array["env"], "SLURM_JOB_ID": "4242", "SLURM_ARRAY_TASK_ID": str(task),
               "SLURM_CPUS_PER_TASK": "4"}
        subprocess.run(["bash", str(script)], cwd=tmp_path, env=env, check=True)
        (tmp_path / "out" / "shards" / str(task)).mkdir(exist_ok=True)
    subprocess.run(["bash", str(script)], cwd=tmp_path, env={**base, **merge["env"], "SLURM_JOB_ID": "4243"},
                   check=True)
    *batches, merged = _calls(calls)
    out = tmp_path / "out"
    assert [(args.shard, args.out, args.jobs) for args in batches] == [
        (f"{n}/3", str(out / "shards" / str(n)), 5) for n in (1, 2, 3)]
    for args in batches:
        assert args.root == str(tmp_path / "class") and args.kata == ["02_losses/mse"]
        assert args.kata_timeout == 4 and args.assignment_name == ASSIGNMENT and args.deadline == DEADLINE
    assert merged.folders == [str(out / "shards" / str(n)) for n in (1, 2, 3)]
    assert merged.out == str(out / "grades") and merged.deadline == DEADLINE
    assert merged.assignment_name == ASSIGNMENT and not (tmp_path / "pwned").exists()


def test_the_slurm_script_refuses_to_run_as_a_job_of_its_own(tmp_path):
    script = tmp_path / "grade-class.sbatch"
    script.write_text(shard_jobs.render("slurm", 2))
    done = subprocess.run(["bash", str(script)], cwd=tmp_path, capture_output=True, text=True,
                          env={"PATH": os.environ["PATH"], "SLURM_JOB_ID": "7"})
    assert done.returncode == 2 and "login node" in done.stderr
