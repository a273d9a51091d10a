"""Classroom 50's autograder for the gradient-descent katas. Made by `grader release --for classroom50`.

Classroom 50's runner runs `python3 autograder.py` in the learner's checkout, with this folder (the
bundle) in CLASSROOM50_BUNDLE_DIR and the submission's identity in CLASSROOM, ASSIGNMENT,
SUBMISSION_TAG, COMMIT_URL, RELEASE_URL, REVIEW_URL and USERNAME. This script

1. installs what this interpreter lacks of the grader's pinned stack (constraints.txt): torch's CPU
   build, and the rest from the default index. On Linux the requirement is torch==VERSION+cpu,
   the label of PyTorch's CPU index: PyPI refuses such labels, so no index that serves the CUDA
   build by default (PyPI's torch pulls gigabytes of CUDA packages) can satisfy it. pip looks for
   it on PyTorch's CPU index (with pip's own retries and timeouts) and wherever pip is configured to
   look (pip.conf, PIP_FIND_LINKS, PIP_INDEX_URL, PIP_EXTRA_INDEX_URL: a wheel folder or a mirror
   set on a self-hosted runner or in a container image); when the CPU index does not answer within
   5 s, in those configured sources alone first. What is already installed at the pinned
   versions is used as it is; a missing piece goes into a virtual environment beside the runner's
   scratch files that sees this interpreter's packages, so the interpreter itself is never changed;
2. grades the checkout with the grader in this folder and its hidden suites (`grader/suites`), in
   the grader's sandbox: the learner's code never sees this folder;
3. writes result.json (classroom50/result/v1: one test per kata, in whole points: a partly solved
   kata's points rounded down, so the total is at most the grade, by less than a point per partly
   solved kata) and release-body.md (the learner's feedback: per kata, points and diagnoses, and what
   to try next).

It exits 0 whenever it graded, whatever the grade. Any other exit means it could not grade, and
the runner then records an error ("autograder exited N") instead of a score, so a learner is never
given a 0 the grader did not decide: 3 when torch's CPU build could not be installed, 2 when
another part of the pinned stack could not, 1 for anything else (no Python 3.11+, a grader error).
The reason is an ::error annotation on the job and a line in its summary page.
"""

from __future__ import annotations  # so that an old Python reaches the version check below

import atexit
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import NoReturn

CPU_INDEX = "https://download.pytorch.org/whl/cpu"
KNOCK = 5  # seconds: whether the CPU index answers at once
NOT_GRADED, STACK_MISSING, TORCH_MISSING = 1, 2, 3  # exit statuses when it could not grade
PIP = ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--progress-bar", "off"]
HERE = Path(__file__).resolve().parent
AWAY = tempfile.mkdtemp(prefix="gradient-katas-")  # an empty folder to run pip and probes in: never
# the checkout, whose files `python -m` and `python -c` would put first on the import path
atexit.register(shutil.rmtree, AWAY, ignore_errors=True)
# what a grading interpreter reports of itself: the version of each distribution it is asked about
VERSIONS = ("import json, sys\nfrom importlib import metadata\nfound = {}\n"
            "for name in json.loads(sys.argv[1]):\n"
            "    try:\n        found[name] = metadata.version(name)\n"
            "    except metadata.PackageNotFoundError:\n        found[name] = None\n"
            "print(json.dumps(found))\n")


def say(message: str) -> None:
    print(f"autograder: {message}", flush=True)


def give_up(message: str, status: int = NOT_GRADED) -> NoReturn:
    """Not graded: an error annotation on the run and a line on its summary page, and an exit the
    runner records as an error ("autograder exited <status>")."""
    message = " ".join(message.split())
    print(f"::error::gradient-katas autograder: {message}", flush=True)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as page:
                page.write(f"**Not graded** (autograder exit {status}): {message}\n")
        except OSError:
            pass
    sys.exit(status)


def bundle() -> Path:
    for folder in (os.environ.get("CLASSROOM50_BUNDLE_DIR"), HERE):
        if folder and (Path(folder) / "grader" / "katas.toml").is_file():
            return Path(folder).resolve()
    give_up(f"no grader in the bundle ({HERE}): copy the whole folder `grader release` wrote")


def normalized(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def pins(folder: Path) -> dict[str, str]:
    """The grader's own requirements (pyproject.toml), each with its pinned version."""
    import tomllib

    pinned = {}
    for line in (folder / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pinned[normalized(name)] = version.strip()
    wanted = tomllib.loads((folder / "pyproject.toml").read_text())["project"]["dependencies"]
    unpinned = [name for name in wanted if normalized(name) not in pinned]
    if unpinned:
        give_up(f"constraints.txt pins no version of {', '.join(unpinned)}")
    return {normalized(name): pinned[normalized(name)] for name in wanted}


def lacking(python: str, wanted: dict[str, str]) -> list[str]:
    """What ``python`` lacks at the pinned versions (a local label such as +cpu is the same
    version: torch 2.13.0+cpu is torch==2.13.0)."""
    done = subprocess.run([python, "-c", VERSIONS, json.dumps(list(wanted))],
                          capture_output=True, text=True, cwd=AWAY)
    if done.returncode != 0:
        give_up(f"{python} could not report its packages: {done.stderr.strip()[-500:]}")
    found = json.loads(done.stdout)
    return [name for name, version in wanted.items()
            if found.get(name) is None or found[name].split("+")[0] != version.split("+")[0]]


def torch_requirement(version: str, platform: str = sys.platform) -> str:
    """The pinned torch as its CPU build. On Linux, PyTorch's CPU index labels it +cpu, a label
    PyPI never has, so an index whose torch is the CUDA build cannot satisfy it; elsewhere (macOS,
    Windows) PyPI's torch is the CPU build itself."""
    base = version.split("+")[0]
    return f"torch=={base}+cpu" if platform.startswith("linux") else f"torch=={base}"


def answers(url: str) -> bool:
    """Whether an index answers at once (a first knock; pip then has its own retries)."""
    try:
        with urllib.request.urlopen(url + "/torch/", timeout=KNOCK) as answer:
            return answer.status == 200
    except (OSError, ValueError):
        return False


def pip_install(python: str, specs: list[str], constraints: Path, *index: str) -> bool:
    command = [python, *PIP, "-c", str(constraints), *index, *specs]
    say(" ".join(command[1:]))
    return subprocess.run(command, cwd=AWAY).returncode == 0


def stack(folder: Path) -> str:
    """An interpreter with the pinned stack: this one if it has it, else a virtual environment
    (beside the runner's scratch files) that sees this one's packages and gets the rest."""
    wanted = pins(folder)
    python = sys.executable
    missing = lacking(python, wanted)
    if not missing:
        say(f"{python} has the pinned stack: nothing to install")
        return python
    if sys.prefix == sys.base_prefix:  # not a virtual environment: never install into it
        scratch = Path(os.environ.get("RUNNER_TEMP") or tempfile.gettempdir()) / "gradient-katas-venv"
        if not (scratch / "bin" / "python").exists():
            say(f"making {scratch} (it sees {python}'s packages)")
            made = subprocess.run([python, "-m", "venv", "--system-site-packages", str(scratch)],
                                  cwd=AWAY)
            if made.returncode != 0:
                give_up(f"could not make a virtual environment with {python}")
        python = str(scratch / "bin" / "python")
        missing = lacking(python, wanted)
    started = time.monotonic()
    constraints = folder / "constraints.txt"
    specs = {name: f"{name}=={wanted[name]}" for name in missing}
    if "torch" in specs:
        specs.pop("torch")
        torch = torch_requirement(wanted["torch"])
        # PyTorch's CPU index besides the indexes and wheel folders pip is configured with: the
        # requirement itself keeps the CUDA build out, whichever of them answers. When the CPU
        # index does not answer a first knock, the configured sources alone are tried first
        # (a runner's wheel folder: no retries against an index out of reach), then the CPU
        # index again, with pip's own retries and timeouts.
        tries = [["--extra-index-url", CPU_INDEX]]
        if not answers(CPU_INDEX):
            say(f"{CPU_INDEX} does not answer: looking for {torch} where pip is configured to look")
            tries.insert(0, [])
        if not any(pip_install(python, [torch], constraints, *extra) for extra in tries):
            give_up(f"torch could not be installed: pip found no {torch} (the CPU build) at "
                    f"{CPU_INDEX} or in the sources pip is configured with (pip.conf, PIP_FIND_LINKS, "
                    "PIP_INDEX_URL). Nothing was graded. torch is never taken from an index whose "
                    "torch is the CUDA build; a runner or container image that has the pinned stack, "
                    "or a wheel folder or mirror in pip's configuration, grades without PyTorch's "
                    "index.", TORCH_MISSING)
    if specs and not pip_install(python, list(specs.values()), constraints):
        give_up(f"pip could not install {', '.join(specs.values())}: nothing was graded",
                STACK_MISSING)
    still = lacking(python, wanted)
    if still:
        give_up(f"after installing, {python} still lacks {', '.join(still)} at the pinned versions: "
                "nothing was graded", TORCH_MISSING if "torch" in still else STACK_MISSING)
    say(f"installed {', '.join(missing)} in {time.monotonic() - started:.0f} s")
    return python


def identity() -> dict:
    """Who and what is graded, as Classroom 50's runner says (it checks them against the repo)."""
    env = os.environ
    needed = ("CLASSROOM", "ASSIGNMENT", "SUBMISSION_TAG", "COMMIT_URL", "RELEASE_URL")
    absent = [name for name in needed if not env.get(name)]
    if absent:
        give_up(f"not run by Classroom 50's runner: {', '.join(absent)} unset")
    return {"classroom": env["CLASSROOM"], "assignment": env["ASSIGNMENT"],
            "owner": env.get("OWNER") or env.get("USERNAME") or "unknown",
            "assignment_type": env.get("ASSIGNMENT_TYPE") or "individual",
            "submission": env["SUBMISSION_TAG"], "commit": env["COMMIT_URL"],
            "release": env["RELEASE_URL"], "review": env.get("REVIEW_URL") or env["COMMIT_URL"],
            "when": datetime.datetime.now(datetime.UTC)}


def main() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 (it runs on whatever Python the runner has)
        give_up(f"Python {sys.version.split()[0]} is too old: the pinned stack needs 3.11 to 3.14 "
                '(set "python": "3.11" in the assignment\'s runtime)')
    checkout, folder = Path.cwd(), bundle()
    who = identity()
    python = stack(folder)
    with tempfile.TemporaryDirectory(prefix="gradient-katas-") as scratch:
        grade_file = Path(scratch) / "grade.json"
        started = time.monotonic()
        graded = subprocess.run([python, "-m", "grader", "grade", str(checkout), "--format", "json",
                                 "--output", str(grade_file)], cwd=folder)
        if graded.returncode != 0 or not grade_file.is_file():
            give_up(f"the grader stopped (exit status {graded.returncode}) without a grade")
        sys.path.insert(0, str(folder))  # the bundle's grader: its model and its formats
        from grader.formats import classroom50
        from grader.model import Grade

        grade = Grade.from_dict(json.loads(grade_file.read_text()))
    (checkout / "result.json").write_text(json.dumps(classroom50.result(grade, **who), indent=2) + "\n")
    (checkout / "release-body.md").write_text(classroom50.release_body(grade))
    say(f"graded in {time.monotonic() - started:.0f} s: {grade.score:g} / {grade.max_score:g}; "
        "wrote result.json and release-body.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
