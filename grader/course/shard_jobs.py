"""The jobs that grade a class in N shards at once and merge them, on engines courses already run:
a GitHub Actions workflow (a matrix of N shard jobs, then a merge job) and a Slurm script (a job
array of N tasks, then the merge as a job that depends on them all).

They are written by a command from templates (grader/templates/grade-class.*) rather than copied
by hand, so the shard count is checked and set in one place, and what an instructor gets is what
the tests check (GitHub's workflow schema; the script run against a stand-in sbatch).
"""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
FILES = {"github": "grade-class.yml", "slurm": "grade-class.sbatch"}
MAX_SHARDS = {"github": 256, "slurm": 10_000}  # a matrix makes at most 256 jobs
NEXT = {  # what to do with the file written
    "github": "commit it under .github/workflows/ in the grader's private repository, add "
              "fetch-submissions.sh, and run it from the Actions tab once the deadline has passed",
    "slurm": "on the login node, run it with SUBMISSIONS OUT (it submits the job array and the merge)",
}


def render(engine: str, shards: int) -> str:
    """The workflow or script for this many shards; ValueError for a count the engine refuses."""
    if engine not in FILES:
        raise ValueError(f"no jobs for {engine!r}: github or slurm")
    if not 1 <= shards <= MAX_SHARDS[engine]:
        raise ValueError(f"--shards must be between 1 and {MAX_SHARDS[engine]} for {engine}")
    text = (TEMPLATES / FILES[engine]).read_text(encoding="utf-8")
    return (text.replace("@SHARD_LIST@", ", ".join(str(n) for n in range(1, shards + 1)))
            .replace("@SHARDS@", str(shards)))
