"""Attacks on the sandbox itself, rebuilt: secrets under a granted system folder, SysV IPC and keys
that outlive a learner, a submission's busy children starving the others, learner uids that
collide, and the grader's own leftovers in the temp folder."""

from __future__ import annotations

import ctypes
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from grader.sandbox import landlock, lockdown

from .conftest import REPO, build_submission, in_forked_child

ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="needs root")
needs_landlock = pytest.mark.skipif(landlock.abi_version() == 0, reason="Landlock is missing")
PLANS = [False, pytest.param(True, marks=needs_root)]  # privileged: as a normal user, as root


def with_plan(privileged: bool, learner, **plan_options) -> dict:
    """In a forked child (a plan as root unshares and mounts for good): prepare a plan, then run
    ``learner(plan)`` in a grandchild locked down as a learner process; both results come back."""

    def server() -> dict:
        plan = lockdown.prepare(tempfile.mkdtemp(prefix="test-sandbox-"), privileged=privileged,
                                **plan_options)
        try:
            def locked() -> dict:
                scratch = tempfile.mkdtemp(dir=plan.scratch_root)
                uid = lockdown.learner_uid(plan)
                if uid is not None:
                    os.chown(scratch, uid, uid)
                lockdown.apply(plan, scratch, os.open(scratch, os.O_PATH), uid)
                return learner(plan)

            return {"report": plan.report(), "learner": in_forked_child(locked)}
        finally:
            lockdown.remove_cgroups(plan)
            lockdown.remove_scratch(plan)

    return in_forked_child(server)


# ---------------------------------------------------------------- A: secrets under a granted folder

FAKE_INSTALL = """
import os, sys, json
import grader.sandbox.lockdown as lockdown
assert lockdown.__file__.startswith({site!r}), lockdown.__file__  # the copy, as if installed there
lockdown._SYSTEM_READ += ({usr!r},)  # its folder is a system folder, as /usr is
plan = lockdown.prepare({scratch!r}, privileged={privileged})
read_end, write_end = os.pipe()
pid = os.fork()
if pid == 0:
    scratch = os.path.join({scratch!r}, "learner")
    os.mkdir(scratch)
    uid = lockdown.learner_uid(plan)
    if uid is not None:
        os.chown(scratch, uid, uid)
    lockdown.apply(plan, scratch, os.open(scratch, os.O_PATH), uid)
    seen = {{}}
    for name, path in {targets!r}.items():
        try:
            if os.path.isdir(path):
                os.listdir(path)
            else:
                open(path, "rb").read(1)
            seen[name] = "read"
        except OSError as error:
            seen[name] = error.strerror
    os.write(write_end, json.dumps(seen).encode())
    os._exit(0)
os.close(write_end)
seen = json.loads(os.read(read_end, 1 << 16))
os.waitpid(pid, 0)
lockdown.remove_cgroups(plan)
print(json.dumps({{"seen": seen, "report": plan.report()}}))
"""


@needs_landlock
@pytest.mark.parametrize("privileged", PLANS)
def test_a_grader_installed_under_a_system_folder_keeps_its_suites(tmp_path, privileged):
    """The grader installed in site-packages under /usr (a python image, Gradescope): learner
    code reads the rest of /usr, never the package's hidden suites; and the grade says so."""
    usr = tmp_path / "usr"
    site = usr / "local" / "lib" / "python3.11" / "site-packages"
    shutil.copytree(REPO / "grader", site / "grader", ignore=shutil.ignore_patterns("__pycache__"))
    (site / "other_package").mkdir()
    (site / "other_package" / "__init__.py").write_text("x = 1\n")
    (usr / "bin").mkdir()
    (usr / "bin" / "tool").write_text("#!/bin/sh\n")
    suite = next((site / "grader" / "suites").rglob("test_*.py"))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    targets = {"suite": str(suite), "suites folder": str(site / "grader" / "suites"),
               "grader source": str(site / "grader" / "grading" / "judge.py"),
               "other package": str(site / "other_package" / "__init__.py"),
               "other system file": str(usr / "bin" / "tool"),
               "urandom": "/dev/urandom", "shared memory files": "/dev/shm"}
    script = FAKE_INSTALL.format(site=str(site), usr=str(usr), scratch=str(scratch),
                                 privileged=privileged, targets=targets)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(site)}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    hidden = {"Permission denied", "No such file or directory"}  # as root, a tmpfs may lie over it
    seen = result["seen"]
    assert {name: seen.pop(name) in hidden for name in ("suite", "suites folder", "grader source",
                                                         "shared memory files")} == dict.fromkeys(
        ("suite", "suites folder", "grader source", "shared memory files"), True), result["seen"]
    assert seen == {"other package": "read", "other system file": "read", "urandom": "read"}
    assert "files" in result["report"]["active"], result["report"]


def test_splitting_a_granted_tree_cuts_out_only_the_secrets_branch(tmp_path):
    for folder in ("a/b/secret/deep", "a/b/sibling", "a/c", "d"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "a" / "file.txt").write_text("x")
    (tmp_path / "a" / "b" / "loop").symlink_to(tmp_path / "a")  # a way back up must not loop
    paths = lockdown.split_around([str(tmp_path)], [str(tmp_path / "a/b/secret")])
    assert paths == sorted(str(tmp_path / p) for p in ("a/b/sibling", "a/c", "a/file.txt", "d"))
    assert lockdown.split_around([str(tmp_path / "a/b/secret/deep")], [str(tmp_path / "a/b/secret")]) \
        == [str(tmp_path / "a/b/secret/deep")]  # asked for inside a secret: kept, as a venv in a checkout
    assert lockdown.split_around([str(tmp_path / "a/b/secret")], [str(tmp_path / "a/b/secret")]) == []


@needs_landlock
def test_a_probe_turns_the_files_lock_off_when_a_secret_is_readable(tmp_path):
    """The files lock is checked when the server starts, not assumed: a plan that grants a
    secret's folder whole is reported inactive, naming what could be read."""
    root = tmp_path / "system"
    secret = root / "lib" / "grader"
    secret.mkdir(parents=True)
    (secret / "test_hidden.py").write_text("answer = 42\n")

    def server() -> dict:
        plan = lockdown.prepare(str(tmp_path), privileged=False, secrets=[str(secret)],
                                extra_roots=[str(root)])
        honest = dict(plan.inactive)
        for fd in plan.read_fds:
            os.close(fd)
        plan.read_fds, plan.read_paths = [], [*plan.read_paths, str(root)]  # granted whole, as on main
        lockdown._check_claims(plan, [str(secret)])
        return {"honest": honest.get("files", ""), "leaky": plan.inactive.get("files", "")}

    seen = in_forked_child(server)
    assert seen["honest"] == ""
    assert "could read" in seen["leaky"] and "test_hidden.py" in seen["leaky"], seen


def test_the_secrets_include_the_suites_and_the_checkouts_solutions():
    secrets = [Path(path) for path in lockdown.secret_paths()]
    for secret in (REPO / "grader" / "suites", REPO / "solutions", REPO / "tests", REPO / ".git"):
        assert any(secret.is_relative_to(path) for path in secrets), secret


# ---------------------------------------------------------------- B: SysV IPC, message queues, keys

_libc = ctypes.CDLL(None, use_errno=True)
_IPC_PRIVATE, _IPC_CREAT, _IPC_RMID, _KEYCTL_REVOKE = 0, 0o1000, 0, 3
_SYS = {"x86_64": {"add_key": 248, "keyctl": 250}, "aarch64": {"add_key": 217, "keyctl": 219}}
_KEY_SPEC_USER_KEYRING = -4


def sysv_ids(kind: str) -> set[int]:
    lines = Path(f"/proc/sysvipc/{kind}").read_text().splitlines()[1:]
    return {int(line.split()[1]) for line in lines if line.split()}


def hoard_ipc(_plan) -> dict:
    """What a kata would do to keep memory pinned and a channel open past its process's end."""
    made = {"ipc namespace": os.readlink("/proc/self/ns/ipc"), "pid": os.getpid()}
    shm = _libc.shmget(_IPC_PRIVATE, 64 * 2**20, _IPC_CREAT | 0o666)
    made["shmget"] = shm if shm >= 0 else os.strerror(ctypes.get_errno())
    msg = _libc.msgget(_IPC_PRIVATE, _IPC_CREAT | 0o666)
    made["msgget"] = msg if msg >= 0 else os.strerror(ctypes.get_errno())
    sem = _libc.semget(_IPC_PRIVATE, 1, _IPC_CREAT | 0o666)
    made["semget"] = sem if sem >= 0 else os.strerror(ctypes.get_errno())
    _libc.mq_open.restype = ctypes.c_int
    queue = _libc.mq_open(f"/grader-test-{os.getpid()}".encode(), os.O_CREAT | os.O_RDWR, 0o666, None)
    made["mq_open"] = queue if queue >= 0 else os.strerror(ctypes.get_errno())
    numbers = _SYS.get(os.uname().machine)
    if numbers:
        _libc.syscall.restype = ctypes.c_long
        key = _libc.syscall(numbers["add_key"], b"user", b"grader-test", b"secret", 6,
                            _KEY_SPEC_USER_KEYRING)
        made["add_key"] = key if key >= 0 else os.strerror(ctypes.get_errno())
    return made


@pytest.mark.parametrize("privileged", PLANS)
def test_learner_code_leaves_no_ipc_objects_or_keys_behind(privileged):
    before = {kind: sysv_ids(kind) for kind in ("shm", "msg", "sem")}
    result = with_plan(privileged, hoard_ipc)
    made = result.get("learner", {})
    left = {kind: sysv_ids(kind) - before[kind] for kind in before}
    # clear what the attack made on this machine before judging it
    for ident in left["shm"]:
        _libc.shmctl(ident, _IPC_RMID, None)
    for ident in left["msg"]:
        _libc.msgctl(ident, _IPC_RMID, None)
    for ident in left["sem"]:
        _libc.semctl(ident, 0, _IPC_RMID)
    if isinstance(made.get("mq_open"), int):
        _libc.mq_unlink(f"/grader-test-{made['pid']}".encode())
    if isinstance(made.get("add_key"), int):
        _libc.syscall(_SYS[os.uname().machine]["keyctl"], _KEYCTL_REVOKE, made["add_key"])
    assert left == {"shm": set(), "msg": set(), "sem": set()}, made
    assert "ipc" in result["report"]["active"], result["report"]
    denied = os.strerror(1)
    for call in ("shmget", "msgget", "semget", "mq_open", "add_key"):
        assert made.get(call, denied) == denied, (call, made)
    if privileged:
        assert made["ipc namespace"] != os.readlink("/proc/self/ns/ipc")


def test_the_seccomp_filter_matches_this_architecture():
    from grader.sandbox import seccomp

    program = seccomp.program()
    if os.uname().machine not in ("x86_64", "aarch64"):
        assert program is None
        return
    assert program and len(program) % 8 == 0 and len(program) // 8 < 64

    def filtered() -> dict:
        seccomp.install(program)
        shm = _libc.shmget(_IPC_PRIVATE, 4096, _IPC_CREAT | 0o600)
        return {"shmget": shm, "errno": ctypes.get_errno(), "pid": os.getpid(),
                "open": len(os.listdir("/proc/self/fd")) > 0}

    seen = in_forked_child(filtered)
    assert seen["shmget"] == -1 and seen["errno"] == 1 and seen["open"], seen


# ---------------------------------------------------------------- C: a CPU share per submission

@needs_root
def test_a_submissions_busy_children_get_no_more_than_one_cpu():
    """Three busy processes of one submission (on a 2-CPU machine) get one CPU between them."""
    seconds = 1.5

    def server() -> dict:
        plan = lockdown.prepare(tempfile.mkdtemp(prefix="test-sandbox-"), privileged=True)
        try:
            if "cpu" not in plan.cgroups:
                return {"report": plan.report()}

            def submission() -> dict:
                lockdown.join_cgroups(plan)
                started = time.monotonic()
                busy = []
                for _ in range(3):
                    pid = os.fork()
                    if pid == 0:
                        while time.monotonic() - started < seconds:
                            pass
                        os._exit(0)
                    busy.append(pid)
                for pid in busy:
                    os.waitpid(pid, 0)
                usage = resource.getrusage(resource.RUSAGE_CHILDREN)
                return {"cpu": usage.ru_utime + usage.ru_stime, "wall": time.monotonic() - started,
                        "cpus allowed": cpus_allowed()}

            return {"report": plan.report(), "used": in_forked_child(submission)}
        finally:
            lockdown.remove_cgroups(plan)
            lockdown.remove_scratch(plan)

    result = in_forked_child(server)
    assert "cpu" in result["report"]["active"], result["report"]
    used = result["used"]
    assert used["cpus allowed"] == 1, used  # (on an idle machine they would take both CPUs)
    assert used["cpu"] <= 1.2 * used["wall"], used  # one CPU, and a period's slack


def cpus_allowed() -> float | None:
    """The CPU bandwidth of this process's cgroup, in CPUs; None without a limit."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controllers == "" and os.path.exists(f"/sys/fs/cgroup{path}/cpu.max"):
            quota, period = Path(f"/sys/fs/cgroup{path}/cpu.max").read_text().split()
            return None if quota == "max" else int(quota) / int(period)
        if "cpu" in controllers.split(","):
            folder = f"/sys/fs/cgroup/{controllers}{path}"
            quota = int(Path(f"{folder}/cpu.cfs_quota_us").read_text())
            return None if quota < 0 else quota / int(Path(f"{folder}/cpu.cfs_period_us").read_text())
    return None


def test_a_normal_users_plan_says_what_stands_in_for_the_cpu_share():
    reason = lockdown.prepare(tempfile.mkdtemp(), privileged=False).inactive["cpu"]
    assert "RLIMIT_CPU" in reason and "wall-clock" in reason


# ---------------------------------------------------------------- D: learner uids

def test_no_two_live_learners_share_a_uid():
    plan = lockdown.Plan(learner_uids=True)
    pid_max = 2**22  # the kernel's ceiling; systemd sets pid_max to it
    pids = [1, 7, 100_007, 200_007, 300_000, 4_000_007, pid_max]
    uids = [lockdown.learner_uid(plan, pid) for pid in pids]
    assert len(set(uids)) == len(pids)
    assert all(65_536 * 16 < uid < 2**31 - 1 for uid in uids)
    assert lockdown.learner_uid(plan) == lockdown.learner_uid(plan, os.getpid())
    assert lockdown.learner_uid(lockdown.Plan(), 7) is None


# ---------------------------------------------------------------- E: the grader's own leftovers

HOARDING_MSE = """
import ctypes
libc = ctypes.CDLL(None)
pinned = libc.shmget(0, 64 * 2**20, 0o1000 | 0o666), libc.msgget(0, 0o1000 | 0o666)  # kept past exit
"""


def test_a_grade_leaves_nothing_behind(tmp_path):
    """Graded through the real server: nothing new in the temp folder (scratch, torch's compiler
    cache), and no SysV IPC object a kata made outlives it."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    root = build_submission(tmp_path / "learner", {
        "02_losses/mse": HOARDING_MSE + (REPO / "solutions" / "02_losses" / "mse.py").read_text()})
    before = {kind: sysv_ids(kind) for kind in ("shm", "msg")}
    done = subprocess.run([sys.executable, "-m", "grader", "grade", str(root), "--kata", "02_losses/mse",
                           "--format", "json"],
                          capture_output=True, text=True, timeout=300, cwd=REPO,
                          env={**os.environ, "TMPDIR": str(temp)})
    left = {kind: sysv_ids(kind) - before[kind] for kind in before}
    for ident in left["shm"]:
        _libc.shmctl(ident, _IPC_RMID, None)
    for ident in left["msg"]:
        _libc.msgctl(ident, _IPC_RMID, None)
    assert done.returncode == 0, done.stderr[-2000:]
    grade = json.loads(done.stdout)
    assert grade["katas"][0]["score"] == grade["katas"][0]["max_score"], grade["katas"][0]
    assert sorted(os.listdir(temp)) == []
    assert left == {"shm": set(), "msg": set()}


def test_scratch_is_unmounted_and_removed_when_the_server_stops():
    def server() -> dict:
        scratch_root = tempfile.mkdtemp(prefix="test-sandbox-")
        plan = lockdown.prepare(scratch_root, privileged=ROOT)
        lockdown.remove_cgroups(plan)
        lockdown.remove_scratch(plan)
        return {"left": os.path.exists(scratch_root), "path": scratch_root}

    seen = in_forked_child(server)
    assert seen["left"] is False
    assert not os.path.exists(seen["path"])


@needs_root
def test_scratch_is_removed_when_the_server_is_killed(tmp_path):
    """Killed before it could clear up (the grader gone, or an OOM kill), the server's scratch
    folder, learner files and all, is still removed: the remover left outside its mount namespace
    sees the pipe close."""
    scratch_root = tmp_path / "scratch"
    scratch_root.mkdir()
    (scratch_root / "learner-file").write_bytes(b"x" * 4096)

    def server() -> None:
        plan = lockdown.prepare(str(scratch_root), privileged=True)
        lockdown.remove_cgroups(plan)
        os.kill(os.getpid(), signal.SIGKILL)

    assert in_forked_child(server) == {"error": "the child died"}
    deadline = time.monotonic() + 10
    while scratch_root.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not scratch_root.exists()



# ---------------------------------------------------------------- F: root without all of root's powers

REPORTING_MSE_NUMPY = """
import json, os, resource, socket, tempfile

def mse_np(y_pred, y):
    scratch = os.statvfs(tempfile.gettempdir())
    facts = {"uid": os.getuid(), "scratch bytes": scratch.f_blocks * scratch.f_frsize,
             "file size limit": resource.getrlimit(resource.RLIMIT_FSIZE)[0]}
    try:
        open(SUITE, "rb").read(1)
        facts["suite"] = "read"
    except OSError as error:
        facts["suite"] = error.strerror
    try:
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", 9))
        facts["udp"] = "sent"
    except OSError as error:
        facts["udp"] = error.strerror
    groups = dict(line.split(":", 2)[1:] for line in open("/proc/self/cgroup").read().splitlines())
    for name, v1, v2 in (("memory", "memory.limit_in_bytes", "memory.max"),
                         ("cpu", "cpu.cfs_quota_us", "cpu.max"), ("pids", "pids.max", "pids.max")):
        for path in (f"/sys/fs/cgroup/{name}{groups.get(name, '/-')}/{v1}",
                     f"/sys/fs/cgroup{groups.get('')}/{v2}"):
            if name not in facts and os.path.exists(path):
                facts[name] = open(path).read().strip()
    raise RuntimeError("facts " + json.dumps(facts) + " end")
"""

CONDITIONS = {  # what a container gives root: the command before the grader's, and the lock it costs
    "root without CAP_SYS_ADMIN": (["setpriv", "--bounding-set", "-sys_admin", "--"], "scratch",
                                   "CAP_SYS_ADMIN"),
    "root in a user namespace": (["unshare", "--user", "--map-root-user", "--"], "user",
                                 "not mapped in this user namespace"),
}


def _condition_missing(prefix: list[str]) -> str | None:
    if not ROOT:
        return "needs root"
    if not shutil.which(prefix[0]):
        return f"{prefix[0]} is not installed"
    tried = subprocess.run([*prefix, "true"], capture_output=True, text=True, timeout=30)
    return f"{' '.join(prefix[:-1])} fails here: {tried.stderr.strip()}" if tried.returncode else None


@pytest.mark.parametrize("condition", list(CONDITIONS))
def test_a_grade_as_a_lesser_root_claims_only_the_locks_that_hold(tmp_path, condition):
    """Root as containers run it: without CAP_SYS_ADMIN (no mount or network namespace: no
    scratch tmpfs) and in a user namespace mapping only uid 0 (no learner uids). Correct code
    scores full, each lock listed active holds inside the learner process, each missing one is
    named in words, and nothing is left in the temp folder."""
    prefix, lost, why = CONDITIONS[condition]
    missing = _condition_missing(prefix)
    if missing:
        pytest.skip(missing)
    temp = tmp_path / "tmp"
    temp.mkdir()
    suite = REPO / "grader" / "suites" / "02_losses" / "test_mse.py"
    root = build_submission(tmp_path / "learner", {
        "02_losses/mse_numpy": f"SUITE = {str(suite)!r}\n" + REPORTING_MSE_NUMPY})
    done = subprocess.run([*prefix, sys.executable, "-m", "grader", "grade", str(root), "--format", "json",
                           "--kata", "02_losses/mse", "--kata", "02_losses/mse_numpy"],
                          capture_output=True, text=True, timeout=300, cwd=REPO,
                          env={**os.environ, "TMPDIR": str(temp)})
    assert done.returncode == 0, done.stderr[-2000:]
    grade = json.loads(done.stdout)
    katas = {kata["id"]: kata for kata in grade["katas"]}
    assert katas["02_losses/mse"]["score"] == katas["02_losses/mse"]["max_score"], katas["02_losses/mse"]
    message = katas["02_losses/mse_numpy"]["tests"][0]["message"]
    facts = json.loads(message.split("facts ", 1)[1].rsplit(" end", 1)[0])
    active, inactive = set(grade["locks"]["active"]), grade["locks"]["inactive"]
    assert active | set(inactive) == set(lockdown.LOCKS)
    assert why in inactive.get(lost, ""), inactive
    for name, reason in inactive.items():  # in words: what is missing and what stands in for it
        assert len(reason.split()) >= 6 and "Errno" not in reason and "Error" not in reason, (name, reason)
    learner, quota = lockdown.UID_BASE, lockdown.CPU_QUOTA
    holds = {"user": facts["uid"] >= learner,
             "scratch": facts["scratch bytes"] == lockdown.SCRATCH,
             "limits": facts["file size limit"] == lockdown.FILE_SIZE,
             "files": facts["suite"] == "Permission denied",
             "network": facts["udp"] != "sent",
             "memory": facts.get("memory") == str(lockdown.CGROUP_MEMORY),
             "cpu": facts.get("cpu") in (str(quota), f"{quota} {lockdown.CPU_PERIOD}"),
             "processes": facts.get("pids") == str(lockdown.CGROUP_PIDS) and facts["uid"] >= learner}
    claimed = {name: held for name, held in holds.items() if name in active}
    assert claimed == dict.fromkeys(claimed, True), (facts, grade["locks"])
    if "user" not in active:
        assert facts["uid"] == 0, facts  # the grader's own uid, and learner code still ran
    assert sorted(os.listdir(temp)) == []
