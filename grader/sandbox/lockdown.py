"""The locks around learner processes: what this machine allows, set up once by the learner-process
server (``prepare``) and applied by each learner process before it runs a line of learner code
(``apply``).

| lock       | as root                                   | as a normal user                        |
|------------|-------------------------------------------|-----------------------------------------|
| network    | a network namespace with no interfaces    | Landlock refuses TCP (UDP stays open)   |
| files      | Landlock: read the system (less the grader's secrets), Python, a few devices and the    |
|            | kata folder; write a scratch folder only. Checked at start by a probe process          |
| user       | an unprivileged uid of its own per process| (needs root)                            |
| signals    | its own uid, and Landlock's signal scope  | Landlock's signal scope                 |
| processes  | RLIMIT_NPROC for that uid, a pids cgroup  | (counts all the user's processes)       |
| memory     | a memory cgroup per submission (2 GiB)    | (an address-space limit per process)    |
| cpu        | a cpu cgroup per submission: one CPU      | (RLIMIT_CPU and the wall-clock limits)  |
| ipc        | an IPC namespace of its own, and seccomp  | seccomp: no SysV IPC, POSIX message     |
|            | refuses SysV IPC, message queues, keyrings| queues or keyrings                      |
| limits     | CPU time, address space, open files, file size, no core files (always)              |
| scratch    | the scratch folders share a 512 MiB tmpfs | (on disk; a file size limit per process)|

Whatever is active, every learner process also runs under wall-clock deadlines and is killed with
its process group, and the server adopts and kills whatever it leaves behind (``zygote``).
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import select
import shutil
import signal
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import manifest
from grader.sandbox import landlock, seccomp

LOCKS = ("network", "files", "user", "signals", "processes", "memory", "cpu", "ipc", "limits", "scratch")
LEARNER_MEMORY = 2 * 1024**3  # bytes of address space a learner process may add to what it shares
CGROUP_MEMORY = 2 * 1024**3  # bytes all of one submission's processes may hold together
CGROUP_PIDS = 64  # processes and threads of one submission
OPEN_FILES = 256
FILE_SIZE = 64 * 1024**2
SCRATCH = 512 * 1024**2  # bytes of the tmpfs that holds every learner's scratch folder (as root)
PROCESSES = 32  # processes and threads of one learner uid
CPU_SECONDS = 60  # far past the wall-clock limits; only a process that escaped them meets it
CPU_PERIOD, CPU_QUOTA = 100_000, 100_000  # microseconds: one CPU per submission, whatever it starts
# A learner uid is this plus its pid: pids are unique among live processes and pid_max <= 2**22,
# so no two live learners share a uid; above systemd's container ranges, below 2**31.
UID_BASE = 2_000_000_000
_PID_MAX_LIMIT = 2**22

_SYSTEM_READ = ("/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/etc", "/proc",
                "/sys")
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")  # all Python, torch use
_CLONE_NEWNS, _CLONE_NEWIPC, _CLONE_NEWNET = 0x00020000, 0x08000000, 0x40000000
_MS_BIND, _MS_REC, _MS_PRIVATE = 4096, 16384, 1 << 18
_MNT_DETACH = 2
_CAP_SYS_ADMIN = 21
_PR_SET_DUMPABLE = 4
_libc = ctypes.CDLL(None, use_errno=True)


@dataclass
class Plan:
    """What the server set up and what each learner process will apply."""

    landlock_abi: int = 0
    network_namespace: bool = False
    ipc_namespace: bool = False
    seccomp_filter: bytes = b""
    learner_uids: bool = False
    read_paths: list[str] = field(default_factory=list)
    read_fds: list[int] = field(default_factory=list)  # read_paths opened once, in the server
    scratch_root: str = ""
    scratch_tmpfs: bool = False  # whether scratch_root is a tmpfs of SCRATCH bytes (in our mount namespace)
    remover: int = -1  # a pipe's write end: the remover removes scratch_root once it reads from it
    remover_done: int = -1  # a pipe's read end: it reads nothing, once the remover is done
    cgroups: dict[str, str] = field(default_factory=dict)  # controller -> the server's cgroup folder
    cgroup_v2: bool = False
    inactive: dict[str, str] = field(default_factory=dict)

    def report(self) -> dict:
        """The locks in force, for the grade: names, and for each missing one the reason."""
        return {"active": [name for name in LOCKS if name not in self.inactive],
                "inactive": dict(self.inactive)}


def _fail(what: str) -> OSError:
    errno = ctypes.get_errno()
    return OSError(errno, f"{what}: {os.strerror(errno)}")


def secret_paths() -> list[str]:
    """What learner code must never read: every copy of the grader package that holds hidden suites
    and that a learner process could be granted, and, for each in a source checkout, the whole
    checkout (solutions, tests holding correct code, its git history, class and output folders an
    instructor keeps there). Not only the copy running: a second one (a non-editable `pip install .`
    beside its checkout, the autograder's virtual environment beside its source folder, a
    site-packages of the system's Python) is as secret. Looked for in each folder on sys.path,
    in the site-packages of this Python, its base and the system's, where an import hook (an
    editable install) puts ``grader``, and where an installed distribution of it lists its suites."""
    import glob
    from importlib import metadata

    libraries = _libraries()
    places = {Path(entry or os.curdir) for entry in sys.path} | set(libraries)
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, "/", "/usr",
                   "/usr/local"}:
        for pattern in ("*-packages", "lib*/python3*/*-packages"):
            places.update(Path(found) for found in glob.glob(os.path.join(glob.escape(prefix), pattern)))
    copies = [place / "grader" for place in places]
    for finder in sys.meta_path:
        try:
            spec = finder.find_spec("grader", None)
        except Exception:  # noqa: BLE001 - someone's import hook: it just finds nothing here
            continue
        if spec is not None and spec.submodule_search_locations:
            copies += [Path(folder) for folder in spec.submodule_search_locations]
    try:  # "gradient-katas": the [project] name in pyproject.toml
        for distribution in metadata.distributions(name="gradient-katas"):
            copies += [Path(distribution.locate_file("grader")) for file in distribution.files or ()
                       if file.parts[:2] == ("grader", "suites")][:1]
    except Exception:  # noqa: BLE001 - a broken record of an install: the folders above still count
        pass
    homes = {manifest.PACKAGE_DIR} | {copy.resolve() for copy in copies if (copy / "suites").is_dir()}
    secrets: set[Path] = set()
    for home in homes:
        secrets.add(home)
        checkout = home.parent
        if _is_library(checkout, libraries):  # an installed copy: site-packages is no checkout
            continue
        secrets.update((checkout / "solutions", checkout / "tests"))
        if any((checkout / marker).exists() for marker in ("pyproject.toml", ".git", "solutions")):
            secrets.add(checkout)
    return sorted({str(path) for path in secrets if path.exists()})


def _libraries() -> list[Path]:
    paths = sysconfig.get_paths()
    return [Path(paths[name]).resolve() for name in ("stdlib", "platstdlib", "purelib", "platlib")]


def _is_library(folder: Path, libraries: list[Path]) -> bool:
    return folder.name in ("site-packages", "dist-packages") or any(
        folder.is_relative_to(library) for library in libraries)


def readable_paths(secrets: Iterable[str] | None = None, extra_roots: Iterable[str] = ()) -> list[str]:
    """System folders, Python's own library and installed packages, less every branch that holds
    a secret (``secret_paths`` unless given): a folder granted whole would grant all below it."""
    secrets = secret_paths() if secrets is None else list(secrets)
    libraries = _libraries()
    roots = [p for p in _SYSTEM_READ if os.path.isdir(p)] + [str(lib) for lib in libraries]
    for entry in sys.path:  # a folder on the path inside a secret (the checkout) only if Python's
        folder = Path(entry).resolve() if entry else None
        if folder is None or not folder.is_dir():
            continue
        if any(folder.is_relative_to(secret) for secret in secrets) and not _is_library(folder, libraries):
            continue
        roots.append(str(folder))
    return split_around([*roots, *extra_roots], secrets)


def split_around(roots: Iterable[str], secrets: Iterable[str]) -> list[str]:
    """``roots`` (symbolic links resolved, as Landlock sees them) with each secret's branch cut
    out: a root holding a secret becomes its other children, recursively along the way to the
    secret. A root that is a secret is dropped; one inside a secret stays (the caller asked for
    it: Python's library in a checkout's virtual environment), cut around the secrets inside."""
    cut = sorted({Path(secret).resolve() for secret in secrets})
    granted: set[Path] = set()
    seen: set[Path] = set()  # a link back up the tree must not send this round in circles

    def grant(path: Path) -> None:
        if path in cut or path in seen or not path.exists():
            return
        seen.add(path)
        if not any(secret.is_relative_to(path) for secret in cut):
            granted.add(path)
            return
        try:
            children = sorted(path.iterdir())
        except OSError:  # a folder this user cannot list: nothing below it is granted
            return
        for child in children:
            grant(child.resolve())

    for root in roots:
        grant(Path(root).resolve())
    # a path below another granted one adds nothing
    kept = sorted(granted, key=lambda path: len(path.parts))
    result: list[Path] = []
    for path in kept:
        if not any(path.is_relative_to(parent) for parent in result):
            result.append(path)
    return sorted(str(path) for path in result)


def _traversable_by_others(path: str) -> bool:
    """Whether another uid may walk to ``path`` (a device file itself needs no search bit)."""
    parts = Path(path).parts
    folders = [os.path.join(*parts[: n + 1]) for n in range(len(parts))]
    return all(os.stat(folder).st_mode & 0o001 for folder in folders if os.path.isdir(folder))


def _own_mounts(scratch_root: str) -> tuple[bool, str]:
    """Give this process a mount namespace of its own, with the scratch folders on a tmpfs of
    fixed size, so learner code cannot fill the disk. Whether the namespace is ours (private:
    nothing mounted in it reaches the machine's), and "" or, in words, why the tmpfs is missing."""
    if _libc.unshare(_CLONE_NEWNS) != 0:
        return False, _why_not("no mount namespace could be made")
    if _libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        return False, _why_not("the mount namespace could not be made private")
    if _libc.mount(b"tmpfs", scratch_root.encode(), b"tmpfs", 0, f"mode=0711,size={SCRATCH}".encode()) != 0:
        return True, _why_not(f"no tmpfs could be mounted on {scratch_root}")
    return True, ""


def _why_not(what: str) -> str:
    """``what`` failed, with the errno in words, and CAP_SYS_ADMIN named when this root lacks it."""
    errno = ctypes.get_errno()
    lacking = " (this root lacks CAP_SYS_ADMIN)" if _lacks_sys_admin() else ""
    return f"{what}: {os.strerror(errno)}{lacking}"


def _lacks_sys_admin() -> bool:
    """Whether this process lacks CAP_SYS_ADMIN (root in a container often does)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return False
    effective = next((line.split()[1] for line in status.splitlines() if line.startswith("CapEff:")), "")
    return bool(effective) and not int(effective, 16) >> _CAP_SYS_ADMIN & 1


def unmapped_learner_ids(uid_map: str = "/proc/self/uid_map", gid_map: str = "/proc/self/gid_map") -> str:
    """"" if every learner uid and gid (UID_BASE + a pid) exists in this user namespace, else why
    not in words: in one that maps only a few ids (rootless Podman or Docker, ``unshare -r``), a
    process cannot take an unmapped uid, so learner processes would die before their first line."""
    wanted = (UID_BASE, UID_BASE + _PID_MAX_LIMIT)
    for kind, path in (("uids", uid_map), ("gids", gid_map)):
        try:
            ranges = sorted(tuple(map(int, line.split()[:3]))
                            for line in Path(path).read_text().splitlines() if line.strip())
        except (OSError, ValueError):
            continue  # no /proc to tell: setting a uid is tried by the probe all the same
        covered = wanted[0]
        for first, _, count in ranges:
            if first <= covered < first + count:
                covered = first + count
        if covered <= wanted[1]:
            top = max((first + count - 1 for first, _, count in ranges), default=-1)
            if top < wanted[0]:
                return f"{kind} above {top:,} are not mapped in this user namespace"
            return f"{kind} {wanted[0]:,} to {wanted[1]:,} are not all mapped in this user namespace"
    return ""


def _blocked(paths: list[str]) -> str:
    """The first folder on the way to one of ``paths`` that other users cannot enter, or ""."""
    for path in paths:
        parts = Path(path).parts
        for n in range(len(parts)):
            folder = os.path.join(*parts[: n + 1])
            if not _traversable_by_others(folder):
                return folder
    return ""


def _expose(paths: list[str]) -> None:
    """In this process's own mount namespace, lay world-readable tmpfs over folders other users
    cannot enter (a Python under /root, say) and bind the needed paths back in place."""
    for path in paths:
        if _traversable_by_others(path):
            continue
        parts = Path(path).parts
        blocked = next(os.path.join(*parts[: n + 1]) for n in range(len(parts))
                       if not _traversable_by_others(os.path.join(*parts[: n + 1])))
        inside = [p for p in paths if Path(p).is_relative_to(blocked)]
        held = {p: os.open(p, os.O_PATH) for p in inside}
        try:
            if _libc.mount(b"tmpfs", blocked.encode(), b"tmpfs", 0, b"mode=0755,size=1m") != 0:
                raise _fail(f"mount tmpfs on {blocked}")
            for target, fd in held.items():
                os.makedirs(target, exist_ok=True)
                if _libc.mount(f"/proc/self/fd/{fd}".encode(), target.encode(), None,
                               _MS_BIND | _MS_REC, None) != 0:
                    raise _fail(f"bind {target}")
        finally:
            for fd in held.values():
                os.close(fd)


def prepare(scratch_root: str, privileged: bool | None = None, secrets: Iterable[str] | None = None,
            extra_roots: Iterable[str] = ()) -> Plan:
    """In the learner-process server, once: probe and set up what can be, say what cannot.
    ``privileged=False`` plans as a normal user would, even as root. ``secrets`` (``secret_paths``
    unless given) are what learner code must not read; ``extra_roots`` are granted besides the
    system's folders and Python's (for tests)."""
    secrets = secret_paths() if secrets is None else list(secrets)
    plan = Plan(landlock_abi=landlock.abi_version(), read_paths=readable_paths(secrets, extra_roots),
                scratch_root=scratch_root)
    plan.read_paths += [device for device in DEVICES if os.path.exists(device)]
    root = os.geteuid() == 0 if privileged is None else privileged
    plan.ipc_namespace, plan.seccomp_filter, ipc_problem = _ipc_plan(root)
    if ipc_problem:
        plan.inactive["ipc"] = ipc_problem
    features = landlock.features(plan.landlock_abi)
    if root:
        plan.network_namespace = _libc.unshare(_CLONE_NEWNET) == 0
        if not plan.network_namespace:
            plan.inactive["network"] = (_why_not("no network namespace could be made") + "; "
                                        + _open_network(features))
        os.chmod(scratch_root, 0o711)
        plan.remover, plan.remover_done = _start_remover(scratch_root)  # while the mounts are the machine's
        private, no_tmpfs = _own_mounts(scratch_root)
        plan.scratch_tmpfs = not no_tmpfs
        if no_tmpfs:
            plan.inactive["scratch"] = no_tmpfs + ": " + _DISK_ONLY
        _plan_learner_uids(plan, private, no_tmpfs)
        plan.cgroups, plan.cgroup_v2, missing = _make_cgroups()
        if "memory" in missing:
            plan.inactive["memory"] = f"no memory cgroup could be made ({missing['memory']}): " + _AS_ONLY
        if "cpu" in missing:
            plan.inactive["cpu"] = f"no cpu cgroup could be made ({missing['cpu']}): " + _CPU_ONLY
        if "pids" in missing:
            plan.inactive["processes"] = (f"no pids cgroup could be made ({missing['pids']}): "
                                          "nothing limits a submission's processes together")
    else:
        plan.inactive["memory"] = "needs root for a memory cgroup: " + _AS_ONLY
        plan.inactive["cpu"] = "needs root for a cpu cgroup: " + _CPU_ONLY
        plan.inactive["user"] = "needs root: learner code runs as your own user"
        plan.inactive["processes"] = "needs root: a process limit would count all your processes"
        plan.inactive["scratch"] = "needs root with CAP_SYS_ADMIN for a tmpfs: " + _DISK_ONLY
    if "files" not in features:
        plan.inactive["files"] = "Landlock is missing from this kernel: learner code can read files"
    if not plan.network_namespace:
        plan.inactive.setdefault("network", "needs root for a network namespace; " + _open_network(features))
    _user_dependent_locks(plan, features)
    plan.read_fds = _open_all(plan.read_paths)
    _check_claims(plan, secrets)
    return plan


def _open_network(features: list[str]) -> str:
    return ("Landlock refuses TCP, other protocols stay open" if "tcp" in features
            else "learner code can reach the network")


def _plan_learner_uids(plan: Plan, private: bool, no_mounts: str) -> None:
    """Whether each learner process can run as a uid of its own: the uids must exist in this
    user namespace, and Python's files must be open to other users (shown to them in our own
    mount namespace if they lie in a folder others cannot enter). If not, the user lock says why."""
    needed = [*plan.read_paths, plan.scratch_root]
    unmapped = unmapped_learner_ids()
    if unmapped:
        plan.inactive["user"] = unmapped + ": learner code runs as the grader's own uid"
        return
    try:
        if private:
            _expose(needed)
    except OSError as error:
        plan.inactive["user"] = f"Python's files could not be shown to another user ({error})"
        return
    plan.learner_uids = all(_traversable_by_others(p) for p in needed)
    if not plan.learner_uids:
        why = no_mounts if not private else "they could not be shown there"
        plan.inactive["user"] = (f"Python's files lie in a folder other users cannot enter "
                                 f"({_blocked(needed)}) and showing them needs a mount namespace, but {why}: "
                                 "learner code runs as the grader's own uid")


def _user_dependent_locks(plan: Plan, features: list[str]) -> None:
    """The locks that lean on a learner uid, once whether there is one is known."""
    if "signals" not in features and not plan.learner_uids:
        plan.inactive["signals"] = "learner code could signal the grader's processes"
    if not plan.learner_uids:
        plan.inactive.setdefault("user", "learner code runs as the grader's own uid")
    if "user" in plan.inactive and "processes" not in plan.inactive:
        plan.inactive["processes"] = "needs a learner uid of its own"


_AS_ONLY = "each learner process has a 2 GiB address-space limit, and so does each process it starts"
_CPU_ONLY = (f"each learner process has {CPU_SECONDS} s of CPU time (RLIMIT_CPU) and every call a "
             "wall-clock limit, but a submission's processes can hold every CPU until then")
_DISK_ONLY = (f"scratch folders are on the disk; each file a learner process writes is capped at "
              f"{FILE_SIZE // 1024**2} MiB (RLIMIT_FSIZE) and removed when the process ends, "
              "but not how many files it writes")


def _open_all(paths: list[str]) -> list[int]:
    """Each path opened once, here, so that a learner process only adds rules (no path walks)."""
    fds = []
    for path in paths:
        try:
            fds.append(os.open(path, os.O_PATH | os.O_CLOEXEC))
        except OSError:
            continue  # gone since it was listed: nothing to grant
    return fds


def _ipc_plan(root: bool) -> tuple[bool, bytes, str]:
    """Whether learner processes get an IPC namespace each, the seccomp filter they install, and
    what is missing; tried in a throwaway child, since both are for good."""
    program = seccomp.program()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            result = {"namespace": root and _libc.unshare(_CLONE_NEWIPC) == 0}
            try:
                if program:
                    seccomp.install(program)
            except OSError as error:
                result["seccomp"] = str(error)
            os.write(write_end, json.dumps(result).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        result = json.loads(pipe.read() or "{}")
    os.waitpid(pid, 0)
    namespace = bool(result.get("namespace"))
    problem = ""
    if not program:
        problem = f"no seccomp filter for this architecture ({os.uname().machine})"
    elif "seccomp" in result:
        problem = f"the seccomp filter could not be installed ({result['seccomp']})"
        program = b""
    if problem:
        problem += (": SysV IPC and message queues die with each learner process (IPC namespace), "
                    "keyrings stay shared" if namespace else
                    ": learner code can leave SysV IPC objects and keys behind, and share them")
    return namespace, program or b"", problem


def _samples(secrets: list[str], granted: list[str]) -> list[str]:
    """What a probe tries to read: each secret folder, and in up to ten of its folders that are
    not granted on purpose (a virtual environment in a checkout) the first file."""
    found = []
    for secret in secrets:
        found.append(secret)
        walked = 0
        for folder, dirs, files in os.walk(secret):
            dirs[:] = sorted(d for d in dirs if not any(Path(folder, d).is_relative_to(g) for g in granted))
            if files:
                found.append(os.path.join(folder, sorted(files)[0]))
            walked += 1
            if walked >= 10:
                break
    return found


def _check_claims(plan: Plan, secrets: list[str]) -> None:
    """Apply the plan in a throwaway learner process and try what it must refuse: reading a
    secret, making SysV IPC objects or keys. Whatever succeeds turns its lock inactive, with why."""
    samples = _samples(secrets, plan.read_paths)
    seen = probe(plan, samples)
    if "error" in seen and plan.learner_uids:  # a uid of its own failed: learners would all die
        plan.learner_uids = False
        plan.inactive["user"] = (f"a probe could not lock itself down as a learner uid ({seen['error']}): "
                                 "learner code runs as the grader's own uid")
        _user_dependent_locks(plan, landlock.features(plan.landlock_abi))
        seen = probe(plan, samples)
    if "error" in seen:
        for lock in ("files", "ipc"):
            plan.inactive.setdefault(lock, f"the locks could not be applied in a probe: {seen['error']}")
        return
    if seen["read"] and "files" not in plan.inactive:
        plan.inactive["files"] = "a probe under these locks could read " + ", ".join(seen["read"][:3])
    if seen["ipc"] and "ipc" not in plan.inactive:
        plan.inactive["ipc"] = "a probe under these locks could still call " + ", ".join(seen["ipc"])


def probe(plan: Plan, paths: list[str]) -> dict:
    """In a forked child locked down as a learner process is: which of ``paths`` it can read, and
    which of shmget, msgget, semget, add_key succeed (undone at once)."""
    scratch = tempfile.mkdtemp(prefix="probe-", dir=plan.scratch_root)

    def locked_then_try() -> dict:
        uid = learner_uid(plan)
        if uid is not None:
            os.chown(scratch, uid, uid)
        apply(plan, scratch, os.open(scratch, os.O_PATH | os.O_DIRECTORY), uid)
        return {"read": [path for path in paths if _readable(path)], "ipc": _ipc_attempts()}

    try:
        return run_in_child(locked_then_try)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run_in_child(work: Callable[[], Any]) -> Any:
    """Run ``work`` in a forked child, for what must not touch this process (locks are for
    good); what it returns comes back through JSON, what it raises as {"error": why}."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            try:
                result = work()
            except BaseException as error:  # noqa: BLE001 - reported to the parent
                result = {"error": f"{type(error).__name__}: {error}"}
            os.write(write_end, json.dumps(result).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(text or '{"error": "the child died"}')


def _readable(path: str) -> bool:
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            with open(path, "rb") as file:
                file.read(1)
        return True
    except OSError:
        return False


_IPC_PRIVATE, _IPC_CREAT, _IPC_RMID = 0, 0o1000, 0
_KEY_SPEC_PROCESS_KEYRING = -2


def _ipc_attempts() -> list[str]:
    """Which ways of leaving state behind work here; anything made is removed at once."""
    worked = []
    for name, make, remove in (("shmget", lambda: _libc.shmget(_IPC_PRIVATE, 4096, _IPC_CREAT | 0o600),
                                lambda ident: _libc.shmctl(ident, _IPC_RMID, None)),
                               ("msgget", lambda: _libc.msgget(_IPC_PRIVATE, _IPC_CREAT | 0o600),
                                lambda ident: _libc.msgctl(ident, _IPC_RMID, None)),
                               ("semget", lambda: _libc.semget(_IPC_PRIVATE, 1, _IPC_CREAT | 0o600),
                                lambda ident: _libc.semctl(ident, 0, _IPC_RMID))):
        ident = make()
        if ident >= 0:
            worked.append(name)
            remove(ident)
    key = _libc.syscall(seccomp.number("add_key"), b"user", b"grader-probe", b"x", 1,
                        _KEY_SPEC_PROCESS_KEYRING)
    if key >= 0:
        worked.append("add_key")
    return worked


def _make_cgroups() -> tuple[dict[str, str], bool, dict[str, str]]:
    """The server's own cgroup folders, one per controller (cgroup v1) or one for all (v2), and
    for each controller that could not be had, why."""
    name = f"grader-{os.getpid()}"
    wanted = ("memory", "pids", "cpu")
    _sweep_stale_cgroups(["/sys/fs/cgroup", *(f"/sys/fs/cgroup/{c}" for c in wanted)])
    missing: dict[str, str] = {}
    if os.path.exists("/sys/fs/cgroup/cgroup.controllers"):
        folder = f"/sys/fs/cgroup/{name}"
        available = Path("/sys/fs/cgroup/cgroup.controllers").read_text().split()
        enabled = []
        for controller in wanted:
            try:
                if controller not in available:
                    raise OSError(0, "not offered by this cgroup")
                _write("/sys/fs/cgroup/cgroup.subtree_control", f"+{controller}")
                enabled.append(controller)
            except OSError as error:
                missing[controller] = error.strerror or str(error)
        try:
            os.mkdir(folder)
            _write(f"{folder}/cgroup.subtree_control", " ".join(f"+{c}" for c in enabled))
        except OSError as error:
            return {}, True, dict.fromkeys(wanted, error.strerror or str(error))
        return dict.fromkeys(enabled, folder), True, missing
    groups = {}
    for controller in wanted:
        folder = f"/sys/fs/cgroup/{controller}/{name}"
        try:
            os.mkdir(folder)
            groups[controller] = folder
        except OSError as error:
            missing[controller] = error.strerror or str(error)
    return groups, False, missing


def _write(path: str, value: str) -> None:
    with open(path, "w") as file:
        file.write(value)


def join_cgroups(plan: Plan) -> None:
    """Put this process (a submission's server), and so every process it will start, in cgroups
    of its own with the submission's limits. Joining costs milliseconds (the kernel waits for
    other CPUs), so it is paid once per submission; learner processes are born inside."""
    pid = os.getpid()
    limits = ({"memory.max": CGROUP_MEMORY, "memory.swap.max": 0, "pids.max": CGROUP_PIDS,
               "cpu.max": f"{CPU_QUOTA} {CPU_PERIOD}", "cpu.weight": 100}
              if plan.cgroup_v2 else
              {"memory.limit_in_bytes": CGROUP_MEMORY, "pids.max": CGROUP_PIDS,
               "cpu.cfs_period_us": CPU_PERIOD, "cpu.cfs_quota_us": CPU_QUOTA, "cpu.shares": 1024})
    for folder in sorted(set(plan.cgroups.values())):
        mine = f"{folder}/{pid}"
        os.mkdir(mine)
        for setting, value in limits.items():
            if os.path.exists(f"{mine}/{setting}"):
                _write(f"{mine}/{setting}", str(value))
        _write(f"{mine}/cgroup.procs", str(pid))


def kill_all(pids: list[int]) -> None:
    """SIGKILL each of ``pids``; one already gone is no matter."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def not_dumpable() -> None:
    """No process of the same user may read this one's memory (the grader's holds the hidden
    suites; the learner server's, what learner processes are forked from)."""
    _libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)


def ran_out_of_memory(plan: Plan, pid: int) -> bool:
    """Whether the kernel killed a process in ``pid``'s memory cgroup for want of memory."""
    folder = plan.cgroups.get("memory")
    if not folder:
        return False
    events = "memory.events" if plan.cgroup_v2 else "memory.oom_control"
    try:
        with open(f"{folder}/{pid}/{events}") as counts:
            fields = dict(line.split() for line in counts if len(line.split()) == 2)
    except OSError:
        return False
    return int(fields.get("oom_kill", 0)) > 0


def release(plan: Plan, pid: int) -> None:
    """In the server, after ``pid`` (a submission's server) ended: kill whatever is left in its
    cgroups, and remove them."""
    for folder in sorted(set(plan.cgroups.values())):
        mine = f"{folder}/{pid}"
        for _ in range(100):
            try:
                with open(f"{mine}/cgroup.procs") as procs:
                    left = [int(line) for line in procs.read().split()]
            except OSError:
                break
            kill_all(left)
            try:
                os.rmdir(mine)
                break
            except OSError:
                time.sleep(0.005)


def remove_cgroups(plan: Plan) -> None:
    """In the server, as it stops: empty and remove every cgroup it made."""
    for folder in set(plan.cgroups.values()):
        _remove_tree(plan, folder)


def _remove_tree(plan: Plan, folder: str) -> None:
    for child in os.listdir(folder) if os.path.isdir(folder) else []:
        if child.isdigit():
            release(Plan(cgroups={"any": folder}, cgroup_v2=plan.cgroup_v2), int(child))
    for _ in range(20):  # the kernel frees a cgroup a moment after its last process is reaped
        try:
            os.rmdir(folder)
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.01)


def _sweep_stale_cgroups(parents: list[str]) -> None:
    """Cgroups left by a server that did not stop cleanly (killed): empty and remove them."""
    for parent in parents:
        for name in os.listdir(parent) if os.path.isdir(parent) else []:
            pid = name.removeprefix("grader-")
            if name.startswith("grader-") and pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
                _remove_tree(Plan(), os.path.join(parent, name))


def learner_uid(plan: Plan, pid: int | None = None) -> int | None:
    """A uid of its own for a learner process (``pid``, this one unless given): it cannot signal
    or read any other, and no other live learner has it."""
    pid = os.getpid() if pid is None else pid
    if not 0 < pid <= _PID_MAX_LIMIT:
        raise ValueError(f"pid {pid} is beyond Linux's pid_max limit")
    return UID_BASE + pid if plan.learner_uids else None


def apply(plan: Plan, scratch: str, kata_folder_fd: int, uid: int | None) -> None:
    """In a fresh learner process, before any learner code: every lock the plan has. Raises if
    one fails, so a learner process never runs with less than the grade says."""
    mapped = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    limits = {resource.RLIMIT_AS: mapped + LEARNER_MEMORY, resource.RLIMIT_NOFILE: OPEN_FILES,
              resource.RLIMIT_FSIZE: FILE_SIZE, resource.RLIMIT_CORE: 0,
              resource.RLIMIT_CPU: CPU_SECONDS}
    if uid is not None:
        limits[resource.RLIMIT_NPROC] = PROCESSES
    for kind, value in limits.items():
        resource.setrlimit(kind, (value, value))
    os.environ["TMPDIR"] = scratch
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = scratch  # torch._dynamo makes it on import; not /tmp
    tempfile.tempdir = scratch
    os.chdir(scratch)
    if plan.ipc_namespace and _libc.unshare(_CLONE_NEWIPC) != 0:  # needs root: before the uid drop
        raise _fail("unshare(IPC namespace)")
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    if plan.landlock_abi:
        readable = plan.read_fds or plan.read_paths
        landlock.restrict([*readable, kata_folder_fd], [scratch, "/dev/null"], plan.landlock_abi)
    for fd in plan.read_fds:
        os.close(fd)  # the rules hold them now; a learner has 256 descriptors to spend
    plan.read_fds = []
    if plan.seccomp_filter and not _filtered:
        seccomp.install(plan.seccomp_filter)


_filtered = False  # whether this process (and so each child it forks) runs under the filter


def filter_server(plan: Plan) -> None:
    """In the server, once: install the plan's seccomp filter on itself (it never needs those
    calls), so learner processes inherit it instead of paying its ~0.4 ms each."""
    global _filtered
    if plan.seccomp_filter and not _filtered:
        seccomp.install(plan.seccomp_filter)
        _filtered = True


def _start_remover(scratch_root: str) -> tuple[int, int]:
    """A process that stays in the mount namespace the server starts in and removes
    ``scratch_root`` there when asked, or when the server is gone (the pipe's other end closes).
    In the server's own namespace the folder lies under a tmpfs, and going back by setns needs
    CAP_SYS_ADMIN over the machine's namespace, which root in a container or in a user namespace
    lacks. Forked twice: not the server's child, so never taken for a learner's leftover. The
    ends of two pipes: one to ask, one that reads nothing once the folder is gone."""
    asked, ask = os.pipe()
    done, finished = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            if os.fork() == 0:
                for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                    signal.signal(sig, signal.SIG_IGN)
                low, high = sorted((asked, finished))
                os.closerange(3, low)
                os.closerange(low + 1, high)
                os.closerange(high + 1, max(resource.getrlimit(resource.RLIMIT_NOFILE)[0], high + 1))
                not_dumpable()
                try:
                    os.read(asked, 1)  # a byte, or nothing once every holder of the other end is gone
                except OSError:
                    pass
                remove_folder(scratch_root)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    os.close(asked)
    os.close(finished)
    return ask, done


def remove_folder(path: str) -> None:
    """Remove ``path`` and all in it, links not followed; folders a learner closed to its owner
    (mode 000, as the grader's own uid) opened again first."""
    def reopen(_function: Any, failed: str, _error: Any) -> None:
        for folder in (os.path.dirname(failed), failed):
            try:
                if not os.path.islink(folder):
                    os.chmod(folder, 0o700)
            except OSError:
                pass

    shutil.rmtree(path, onerror=reopen)  # once opening up, then for good
    shutil.rmtree(path, ignore_errors=True)


def remove_scratch(plan: Plan) -> None:
    """In the server, as it stops: remove the scratch folder, whatever the server could do. The
    remover (left in the mount namespace the server started in) removes it there; without one,
    or if it is gone, the tmpfs is detached from our own namespace and the folder removed."""
    if plan.remover >= 0:
        try:
            os.write(plan.remover, b"x")
        except OSError:
            pass
        select.select([plan.remover_done], [], [], 30)
        os.close(plan.remover)
        os.close(plan.remover_done)
        plan.remover, plan.remover_done = -1, -1
    if os.path.lexists(plan.scratch_root):
        if plan.scratch_tmpfs:
            _libc.umount2(plan.scratch_root.encode(), _MNT_DETACH)
        remove_folder(plan.scratch_root)
