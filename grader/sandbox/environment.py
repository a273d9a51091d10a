"""The environment variables a grading process keeps: an allow-list, so that nothing else of the
caller's (a CI token, a cloud key) is ever in memory that learner code runs in."""

from __future__ import annotations

from collections.abc import Mapping

KEPT = frozenset({
    "PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TERM", "COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR",
    "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHASHSEED", "PYTHONDONTWRITEBYTECODE",
    "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
    "MPLCONFIGDIR", "GRADER_DEBUG",
    # where the grader writes its results in GitHub Actions: file paths, nothing secret
    "CI", "GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY",
})


def kept(environ: Mapping[str, str]) -> dict[str, str]:
    """The variables of ``environ`` a grading process may hold (and the locale's LC_*)."""
    return {name: value for name, value in environ.items() if name in KEPT or name.startswith("LC_")}
