"""`grader gradescope OUT.zip`: the autograder zip Gradescope builds its image from.

At its root: `setup.sh` (installs Python 3.11 and the pinned stack, and the grader editable: the
virtual environment points at /autograder/source/grader, so no second copy of the hidden suites
lies in its site-packages), `run_autograder` (grades /autograder/submission into
/autograder/results/results.json),
`constraints.txt`, `pyproject.toml`, `README.md` and the grader package. No solutions, no tests.
"""

from __future__ import annotations

import stat
import zipfile
from importlib import resources
from pathlib import Path

from grader.manifest import PACKAGE_DIR, REPO_DIR, SUITES_DIR

EXECUTABLE = (stat.S_IFREG | 0o755) << 16
REGULAR = (stat.S_IFREG | 0o644) << 16


def _template(name: str) -> str:
    return resources.files("grader").joinpath("templates", name).read_text()


def build(out: Path, repo: Path = REPO_DIR) -> list[str]:
    """Write the autograder zip; returns the names inside it."""
    if not any(SUITES_DIR.glob("*/test_*.py")):
        raise FileNotFoundError("the hidden suites are not installed here (grader/suites): "
                                "build the autograder from the instructor's checkout")
    entries: dict[str, tuple[str | bytes, int]] = {
        "setup.sh": (_template("gradescope_setup.sh"), EXECUTABLE),
        "run_autograder": (_template("gradescope_run_autograder"), EXECUTABLE),
    }
    for name in ("constraints.txt", "pyproject.toml", "README.md"):
        entries[name] = ((repo / name).read_text(), REGULAR)
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            entries[f"grader/{path.relative_to(PACKAGE_DIR).as_posix()}"] = (path.read_bytes(), REGULAR)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (content, mode) in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))  # same bytes every build
            info.external_attr = mode
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return list(entries)
