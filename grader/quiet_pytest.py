"""How the grader runs pytest, for the hidden suites and for the public tests alike: no
configuration file of the submission's, and none of the plugins no run of ours needs (two of them
run gc.collect() around every test)."""

from __future__ import annotations

import os
from pathlib import Path

# neither runner needs these
_NEVER = ("cacheprovider", "unraisableexception", "threadexception", "faulthandler", "pastebin",
          "junitxml", "doctest", "stepwise", "lfplugin", "nfplugin")
# nor does a judge, whose tests use only the learner fixture; public tests may use their fixtures
_JUDGE_ONLY = ("logging", "warnings", "setuponly", "setupplan", "legacypath", "tmpdir", "monkeypatch",
               "recwarn")


def arguments(files: list[str], rootdir: Path, per_test: float, *, judge: bool) -> list[str]:
    """pytest's arguments for these test files: quiet, timed, configured by nothing on disk."""
    unused = _NEVER + (_JUDGE_ONLY if judge else ())
    return [*files, "-q", "-c", os.devnull, "--rootdir", str(rootdir), "-p", "pytest_timeout",
            *(arg for name in unused for arg in ("-p", f"no:{name}")),
            "--tb=no", "-o", f"timeout={per_test:g}"]
