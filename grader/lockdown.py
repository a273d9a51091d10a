"""The locks around learner processes: what this machine allows, set up once by the learner-process
server (``prepare``) and applied by each learner process before it runs a line of learner code
(``apply``).

| lock       | as root                                   | as a normal user                        |
|------------|-------------------------------------------|-----------------------------------------|
| network    | a network namespace with no interfaces    | Landlock refuses TCP (UDP stays open)   |
| files      | Landlock: read the system, Python and the kata folder; write a scratch folder only      |
| user       | an unprivileged uid of its own per process| (needs root)                            |
| signals    | its own uid, and Landlock's signal scope  | Landlock's signal scope                 |
| processes  | RLIMIT_NPROC for that uid, a pids cgroup  | (counts all the user's processes)       |
| memory     | a memory cgroup per submission (2 GiB)    | (an address-space limit per process)    |
| limits     | CPU time, address space, open files, file size, no core files (always); as root the |
|            | scratch folders share a 512 MiB tmpfs                                                |

Whatever is active, every learner process also runs under wall-clock deadlines and is killed with
its process group, and the server adopts and kills whatever it leaves behind (``zygote``).
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader import landlock

LOCKS = ("network", "files", "user", "signals", "processes", "memory", "limits")
LEARNER_MEMORY = 2 * 1024**3  # bytes of address space a learner process may add to what it shares
CGROUP_MEMORY = 2 * 1024**3  # bytes all of one submission's processes may hold together
CGROUP_PIDS = 64  # processes and threads of one submission
OPEN_FILES = 256
FILE_SIZE = 64 * 1024**2
SCRATCH = 512 * 1024**2  # bytes of the tmpfs that holds every learner's scratch folder (as root)
PROCESSES = 32  # processes and threads of one learner uid
CPU_SECONDS = 60  # far past the wall-clock limits; only a process that escaped them meets it
_UID_BASE, _UID_SPAN = 200_000, 100_000

_SYSTEM_READ = ("/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/etc", "/proc",
                "/sys", "/dev")
_CLONE_NEWNS, _CLONE_NEWNET = 0x00020000, 0x40000000
_MS_BIND, _MS_REC, _MS_PRIVATE = 4096, 16384, 1 << 18
_PR_SET_DUMPABLE = 4
_libc = ctypes.CDLL(None, use_errno=True)


@dataclass
class Plan:
    """What the server set up and what each learner process will apply."""

    landlock_abi: int = 0
    network_namespace: bool = False
    learner_uids: bool = False
    read_paths: list[str] = field(default_factory=list)
    scratch_root: str = ""
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


def readable_paths() -> list[str]:
    """System folders, Python's own library and installed packages; never a folder holding the
    grader's package (a source checkout has the solutions beside it, an installed package carries
    the hidden suites), so from a site-packages folder every entry but the grader's."""
    paths = [p for p in _SYSTEM_READ if os.path.isdir(p)]
    paths.append(sysconfig.get_paths()["stdlib"])
    grader_home = Path(__file__).resolve().parent
    for entry in sys.path:
        folder = Path(entry).resolve() if entry else None
        if folder is None or not folder.exists():
            continue
        if folder.is_dir() and (folder / "grader").resolve() == grader_home:
            if folder.name in ("site-packages", "dist-packages"):
                paths += [str(child) for child in folder.iterdir()
                          if not child.name.startswith(("grader", "gradient_katas"))]
        elif not grader_home.is_relative_to(folder):
            paths.append(str(folder))
    return sorted(set(paths))


def _traversable_by_others(path: str) -> bool:
    parts = Path(path).parts
    return all(os.stat(os.path.join(*parts[: n + 1])).st_mode & 0o001 for n in range(len(parts)))


def _own_mounts(scratch_root: str) -> None:
    """Give this process a mount namespace of its own, with the scratch folders on a tmpfs of
    fixed size, so learner code cannot fill the disk."""
    if _libc.unshare(_CLONE_NEWNS) != 0:
        raise _fail("unshare(mount namespace)")
    if _libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        raise _fail("mount --make-rprivate /")
    if _libc.mount(b"tmpfs", scratch_root.encode(), b"tmpfs", 0, f"mode=0711,size={SCRATCH}".encode()) != 0:
        raise _fail(f"mount tmpfs on {scratch_root}")


def _expose(paths: list[str]) -> None:
    """In this process's own mount namespace, lay world-readable tmpfs over folders other users
    cannot enter (a Python under /root, say) and bind the needed paths back in place."""
    for path in paths:
        if _traversable_by_others(path):
            continue
        parts = Path(path).parts
        blocked = next(os.path.join(*parts[: n + 1]) for n in range(len(parts))
                       if not os.stat(os.path.join(*parts[: n + 1])).st_mode & 0o001)
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


def prepare(scratch_root: str, privileged: bool | None = None) -> Plan:
    """In the learner-process server, once: probe and set up what can be, say what cannot.
    ``privileged=False`` plans as a normal user would, even as root."""
    plan = Plan(landlock_abi=landlock.abi_version(), read_paths=readable_paths(),
                scratch_root=scratch_root)
    root = os.geteuid() == 0 if privileged is None else privileged
    if root:
        plan.network_namespace = _libc.unshare(_CLONE_NEWNET) == 0
        os.chmod(scratch_root, 0o711)
        needed = [*plan.read_paths, scratch_root]
        try:
            _own_mounts(scratch_root)
            _expose(needed)
            plan.learner_uids = all(_traversable_by_others(p) for p in needed)
        except OSError as error:
            plan.inactive["user"] = f"Python's files could not be shown to another user ({error})"
        try:
            plan.cgroups, plan.cgroup_v2 = _make_cgroups()
        except OSError as error:
            plan.inactive["memory"] = f"no cgroup could be made ({error.strerror}): " + _AS_ONLY
    else:
        plan.inactive["memory"] = "needs root for a memory cgroup: " + _AS_ONLY
        plan.inactive["user"] = "needs root: learner code runs as your own user"
        plan.inactive["processes"] = "needs root: a process limit would count all your processes"
    features = landlock.features(plan.landlock_abi)
    if "files" not in features:
        plan.inactive["files"] = "Landlock is missing from this kernel: learner code can read files"
    if not plan.network_namespace:
        plan.inactive["network"] = ("needs root for a network namespace; "
                                    + ("Landlock refuses TCP, other protocols stay open"
                                       if "tcp" in features else "learner code can reach the network"))
    if "signals" not in features and not plan.learner_uids:
        plan.inactive["signals"] = "learner code could signal the grader's processes"
    if root and not plan.learner_uids and "user" not in plan.inactive:
        plan.inactive["user"] = "Python's files are not readable by another user"
    if "user" in plan.inactive and "processes" not in plan.inactive:
        plan.inactive["processes"] = "needs a learner uid of its own"
    return plan


_AS_ONLY = "each learner process has a 2 GiB address-space limit, and so does each process it starts"


def _make_cgroups() -> tuple[dict[str, str], bool]:
    """The server's own cgroup folders, one per controller (cgroup v1) or one for both (v2)."""
    name = f"grader-{os.getpid()}"
    _sweep_stale_cgroups(["/sys/fs/cgroup", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids"])
    if os.path.exists("/sys/fs/cgroup/cgroup.controllers"):
        folder = f"/sys/fs/cgroup/{name}"
        with open("/sys/fs/cgroup/cgroup.subtree_control", "w") as control:
            control.write("+memory +pids")
        os.mkdir(folder)
        with open(f"{folder}/cgroup.subtree_control", "w") as control:
            control.write("+memory +pids")
        return {"memory": folder, "pids": folder}, True
    groups = {}
    for controller in ("memory", "pids"):
        folder = f"/sys/fs/cgroup/{controller}/{name}"
        os.mkdir(folder)
        groups[controller] = folder
    return groups, False


def _write(path: str, value: str) -> None:
    with open(path, "w") as file:
        file.write(value)


def join_cgroups(plan: Plan) -> None:
    """Put this process (a submission's server), and so every process it will start, in cgroups
    of its own with the submission's limits. Joining costs milliseconds (the kernel waits for
    other CPUs), so it is paid once per submission; learner processes are born inside."""
    pid = os.getpid()
    limits = ({"memory.max": CGROUP_MEMORY, "memory.swap.max": 0, "pids.max": CGROUP_PIDS}
              if plan.cgroup_v2 else
              {"memory.limit_in_bytes": CGROUP_MEMORY, "pids.max": CGROUP_PIDS})
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


def learner_uid(plan: Plan) -> int | None:
    """A uid of its own for a learner process: it cannot signal or read any other."""
    return _UID_BASE + os.getpid() % _UID_SPAN if plan.learner_uids else None


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
    tempfile.tempdir = scratch
    os.chdir(scratch)
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    if plan.landlock_abi:
        landlock.restrict([*plan.read_paths, kata_folder_fd], [scratch, "/dev/null"],
                          plan.landlock_abi)
