"""When a submission's graded commit was made, read from its git repository without trusting it.

A submission that is a git repository (a class clone, a zip of one) carries the time of the
commit that was graded: ``git log -1 --format=%cI HEAD``. The repository is the learner's, so
git runs here as a stranger's tool on hostile data: in a subprocess with a timeout and memory and
CPU limits; with an empty HOME, no system or global configuration, hooks pointed at /dev/null and
the repository-level settings that could start a program (fsmonitor, signature checks) overridden
on the command line, which wins over the repository's own file; given the repository explicitly,
so git never looks above the submission. A `.git` that is a link or a file ("gitdir: elsewhere")
is not followed: that submission's time is unknown, as is one that is not a repository at all.

A committer time is what the learner's machine said (and `git commit --date` says anything): it
marks work as late in good faith, it proves nothing.
"""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

GIT_TIMEOUT = 10.0  # seconds; reading one commit takes milliseconds
GIT_MEMORY = 1 << 30  # bytes of address space
# settings a repository's own .git/config could use to run a program or change what is read;
# -c wins over every configuration file
GIT_OVERRIDES = ("core.hooksPath=/dev/null", "core.fsmonitor=false", "log.showSignature=false",
                 "gpg.program=false", "gpg.ssh.program=false", "gpg.x509.program=false",
                 "core.pager=cat", "log.mailmap=false")


def parse_deadline(text: str) -> datetime:
    """An ISO 8601 time with its offset from UTC (`2025-03-01T23:59:00+01:00`, or `...Z`);
    ValueError, saying what to write, for anything else. A time without an offset would mean
    another instant on every machine a shard runs on, so it is refused."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"--deadline takes an ISO 8601 time like 2025-03-01T23:59:00+01:00; "
                         f"got {text!r}") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"--deadline {text}: say which time zone, e.g. {text.strip()}+01:00 or "
                         f"{text.strip()}Z (UTC)")
    return moment


def find_repository(folder: Path, boundary: Path) -> Path | None:
    """The `.git` folder of the repository holding folder, looked for from folder up to boundary
    (the submission's own folder) and never above it; None if there is none, or if the first
    `.git` found is a link or a file."""
    folder, boundary = folder.absolute(), boundary.absolute()
    if folder != boundary and boundary not in folder.parents:
        return None
    for candidate in (folder, *folder.parents):
        try:
            info = os.lstat(candidate / ".git")
        except OSError:
            info = None
        if info is not None:
            return candidate / ".git" if stat.S_ISDIR(info.st_mode) else None
        if candidate == boundary:
            return None
    return None


def _limit_git() -> None:  # in the child, before git starts: nothing but system calls
    resource.setrlimit(resource.RLIMIT_AS, (GIT_MEMORY, GIT_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (int(GIT_TIMEOUT), int(GIT_TIMEOUT)))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # git log writes nothing: nor may it
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def commit_time(folder: Path, boundary: Path) -> datetime | None:
    """The time of the commit checked out in the repository holding folder (see find_repository),
    with the committer's offset; None when it cannot be known (no repository, no commit, no git,
    a repository git cannot read in time)."""
    git_dir = find_repository(folder, boundary)
    if git_dir is None:
        return None
    with tempfile.TemporaryDirectory(prefix="grader-git-home-") as home:
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "XDG_CONFIG_HOME": home,
            "LC_ALL": "C", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CEILING_DIRECTORIES": str(boundary.absolute().parent), "GIT_TERMINAL_PROMPT": "0",
            "GIT_OPTIONAL_LOCKS": "0", "GIT_NO_REPLACE_OBJECTS": "1", "GIT_ATTR_NOSYSTEM": "1",
        }
        command = ["git", *(arg for setting in GIT_OVERRIDES for arg in ("-c", setting)),
                   "--no-pager", f"--git-dir={git_dir}", "log", "-1", "--no-show-signature",
                   "--format=%cI", "HEAD", "--"]
        try:
            done = subprocess.run(command, cwd=home, env=environment, stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=GIT_TIMEOUT, preexec_fn=_limit_git)
        except (OSError, subprocess.SubprocessError):
            return None
    if done.returncode != 0:
        return None
    try:
        moment = datetime.fromisoformat(done.stdout.decode("ascii", "replace").strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
