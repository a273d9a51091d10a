"""The preloaded server that forks one learner process per kata.

It imports torch, numpy and the learner-side runtime once, then forks a child for every kata it
is asked to load: a fork costs milliseconds where a fresh interpreter costs seconds. It never
imports a hidden suite or computes a reference, so a child has nothing secret in its memory.
Only judges (its siblings, forked by the same grader) may connect; each gets a submission server
of its own, forked into the submission's cgroups, which forks the learner processes. Each
learner process locks itself down (``lockdown``) before it reads a line of learner code; the
servers adopt whatever learners leave behind and kill it.
Run as ``python -m grader.sandbox.server SOCKET_PATH [--no-locks] [--huge-pages] [--secret PATH]...``
(each secret a folder learner code must not read, besides the grader's own); it prints ``ready``
and the locks in force as JSON once it listens.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from grader.sandbox import codec, environment, learner_process, lockdown, warmup
from grader.sandbox.codec import Key, Op

MAX_REQUEST = 64 * 1024
_PR_SET_PDEATHSIG, _PR_SET_CHILD_SUBREAPER = 1, 36
_libc = ctypes.CDLL(None, use_errno=True)


def _close_inherited_fds(keep: set[int]) -> None:
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _become_learner(channel: socket.socket, kata_file: str, fds: list[int], plan: lockdown.Plan,
                    scratch: str) -> None:
    """In the forked child: shed the server's state, lock down, then serve the judge."""
    os.setsid()  # its own process group, so the judge can kill all it starts
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    source_fd, folder_fd = fds
    with os.fdopen(source_fd, "rb") as source_file:  # read before the locks: any folder will do
        source = source_file.read(learner_process.MAX_SOURCE + 1)
    uid = lockdown.learner_uid(plan)
    os.mkdir(scratch, 0o700)
    if uid is not None:
        os.chown(scratch, uid, uid)
    _close_inherited_fds({channel.fileno(), folder_fd, *plan.read_fds})  # apply closes the rules' fds
    learner_process.silence_output()
    try:
        lockdown.apply(plan, scratch, folder_fd, uid)
    except Exception as error:  # noqa: BLE001 - never run learner code with fewer locks than promised
        learner_process.refuse(channel, f"the grader could not lock this process down: {error}")
        return
    learner_process.serve(channel, kata_file, source, folder_fd)


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"killed by {signal.Signals(number).name}"
        except ValueError:
            return f"killed by signal {number}"
    return f"exited with code {os.WEXITSTATUS(status)}"


class SubmissionServer:
    """Forked from the server for one judge (one submission): it joins the submission's cgroups
    once, so every learner process it forks is inside them from birth, and serves that judge."""

    def __init__(self, conn: socket.socket, plan: lockdown.Plan) -> None:
        self.conn = conn
        self.plan = plan
        self.learners: set[int] = set()
        self.exits: dict[int, str] = {}
        self.parent = os.getppid()

    def scratch(self, pid: int) -> str:
        return os.path.join(self.plan.scratch_root, str(pid))

    def run(self) -> None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        _libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # escaped grandchildren come back here
        lockdown.join_cgroups(self.plan)
        try:
            while os.getppid() == self.parent and self.handle():
                pass
        finally:
            for pid in self.learners:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            self.kill_strays()
            self.reap()

    def handle(self) -> bool:
        """Answer one request; False once the judge has gone."""
        try:
            data, fds, _, _ = socket.recv_fds(self.conn, MAX_REQUEST, 2)
            request = codec.unpack(data) if data else None
        except (OSError, codec.ProtocolError):
            return False
        if type(request) is dict and request.get(Key.OP) == Op.SPAWN and len(fds) == 2:
            self.spawn(str(request.get(Key.FILE)), fds)
            return True
        for fd in fds:
            os.close(fd)
        if type(request) is dict and request.get(Key.OP) == Op.STATUS and type(request.get(Key.PID)) is int:
            self.conn.send(codec.pack_datagram({Key.EXIT: self.exit_status(request[Key.PID])}))
            return True
        return False

    def spawn(self, kata_file: str, fds: list[int]) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            try:
                ours.close()
                _become_learner(theirs, kata_file, fds, self.plan, self.scratch(os.getpid()))
            finally:
                os._exit(0)
        theirs.close()
        for fd in fds:
            os.close(fd)
        self.learners.add(pid)
        self.reap()  # the learner before this one has been killed by now: clear up after it
        socket.send_fds(self.conn, [codec.pack_datagram({Key.PID: pid})], [ours.fileno()])
        ours.close()

    def reap(self) -> None:
        for pid, status in _ended_children():
            self.ended(pid, status)
        self.kill_strays()  # a learner that ended may have left processes behind: they are ours now

    def ended(self, pid: int, status: int) -> None:
        """Record how a process ended and remove its scratch folder."""
        self.exits[pid] = _describe_status(status)
        if status and lockdown.ran_out_of_memory(self.plan, os.getpid()):
            self.exits[pid] += (f" (this submission's processes ran out of their "
                                f"{lockdown.CGROUP_MEMORY // 1024**3} GiB of memory)")
        self.learners.discard(pid)
        shutil.rmtree(self.scratch(pid), ignore_errors=True)

    def exit_status(self, pid: int) -> str:
        for _ in range(50):
            if pid in self.exits:
                return self.exits[pid]
            try:
                finished, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return "gone"
            if finished:
                self.ended(pid, status)
                return self.exits[pid]
            time.sleep(0.01)
        return "still running"

    def kill_strays(self) -> None:
        """Kill adopted processes: what learners left running after they ended."""
        lockdown.kill_all([pid for pid in _children() if pid not in self.learners])


def _ended_children() -> Iterator[tuple[int, int]]:
    """(pid, wait status) of each child that has ended, collected without waiting."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        yield pid, status


def _children() -> list[int]:
    pids = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as listing:
                pids += [int(pid) for pid in listing.read().split()]
        except OSError:
            continue
    return pids


class Zygote:
    """Accepts judges; forks a ``SubmissionServer`` for each and clears up after it."""

    def __init__(self, path: str, locked: bool = True, secrets: list[str] = ()) -> None:
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.listener.bind(path)
        self.listener.listen(64)
        self.parent = os.getppid()
        self.servers: set[int] = set()
        scratch_root = tempfile.mkdtemp(prefix="grader-scratch-")
        if locked:
            self.plan = lockdown.prepare(scratch_root, secrets=[*lockdown.secret_paths(), *secrets])
            lockdown.filter_server(self.plan)
        else:
            self.plan = lockdown.Plan(scratch_root=scratch_root,
                                      inactive=dict.fromkeys(lockdown.LOCKS, "turned off"))
        lockdown.not_dumpable()
        _libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

    def is_judge(self, conn: socket.socket) -> bool:
        """Judges are forked by the grader that started this server; learner code never is."""
        pid, uid, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                          struct.calcsize("3i")))
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
        return uid == os.getuid() and parent == self.parent

    def serve(self, conn: socket.socket) -> None:
        pid = os.fork()
        if pid == 0:
            try:
                self.listener.close()
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                SubmissionServer(conn, self.plan).run()
            finally:
                os._exit(0)
        conn.close()
        self.servers.add(pid)

    def reap(self) -> None:
        for pid, _ in _ended_children():
            self.servers.discard(pid)
            lockdown.release(self.plan, pid)  # whatever is left in that submission's cgroups dies
            shutil.rmtree(os.path.join(self.plan.scratch_root, str(pid)), ignore_errors=True)

    def warm(self, huge_pages: bool = False) -> None:
        warmup.warm_torch()
        gc.collect()
        gc.freeze()  # children share the preloaded heap instead of copying it
        if huge_pages:
            warmup.use_huge_pages()

    def run(self) -> None:
        self.listener.settimeout(0.5)
        try:
            while os.getppid() == self.parent:
                try:
                    conn, _ = self.listener.accept()
                except TimeoutError:
                    conn = None
                if conn is not None:
                    conn.settimeout(None)
                    if self.is_judge(conn):
                        self.serve(conn)
                    else:
                        conn.close()
                self.reap()
        finally:
            for _ in range(20):  # servers first; the learners they leave come back to us, then go
                left = _children()
                if not left:
                    break
                lockdown.kill_all(left)
                time.sleep(0.05)
                self.reap()
            lockdown.remove_cgroups(self.plan)
            lockdown.remove_scratch(self.plan)


def serve(socket_path: str, *, locked: bool, huge_pages: bool, secrets: list[str],
          announce: Callable[[str], None]) -> None:
    """Be the server: lock down what can be, warm up, ``announce`` "ready" and the locks in force,
    then serve judges until the grader goes."""
    # the caller's folder has no business on a learner's import path, nor its variables in memory
    sys.path[:] = [entry for entry in sys.path if entry not in ("", os.getcwd())]
    allowed = environment.kept(os.environ)
    os.environ.clear()
    os.environ.update(allowed)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle: it stops us
    zygote = Zygote(socket_path, locked=locked, secrets=secrets)
    zygote.warm(huge_pages=huge_pages)  # before "ready": a judge's first request must not wait on it
    announce("ready " + json.dumps(zygote.plan.report()))
    try:
        zygote.run()
    except (KeyboardInterrupt, SystemExit):
        pass
    if os.getppid() != zygote.parent:  # the grader was killed: its working folder is left to us
        shutil.rmtree(os.path.dirname(os.path.abspath(socket_path)), ignore_errors=True)


class Handle:
    """The grader's hold on its server, however it was started."""

    def __init__(self, pid: int, ready: IO[bytes]) -> None:
        self.pid = pid
        self._ready = ready

    def wait_ready(self) -> dict:
        """The locks in force, once the server says it is ready; RuntimeError if it never does."""
        word, _, locks = self._ready.readline().decode().partition(" ")
        self._ready.close()
        if word != "ready":
            raise RuntimeError("the learner-process server did not start")
        return json.loads(locks)

    def stop(self) -> None:
        """SIGTERM, up to 10 s to clear up after itself, then SIGKILL."""
        for sig, patience in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + patience
            while time.monotonic() < deadline:
                try:
                    done, _ = os.waitpid(self.pid, os.WNOHANG)
                except ChildProcessError:
                    return
                if done:
                    return
                time.sleep(0.01)


def start(socket_path: str, *, locked: bool = True, huge_pages: bool = False, secrets: Iterable[str] = (),
          fork: bool = False, quiet: bool = True) -> Handle:
    """Start the server. ``fork``: from this very process, which has warmed torch already (and
    must hold no hidden suite yet, and hash strings with PYTHONHASHSEED=0); otherwise a fresh
    interpreter, which pays torch's import and warm-up again."""
    secrets = [str(Path(secret).resolve()) for secret in secrets]
    if not fork:
        # run from the folder that holds this grader: `-m` puts the working folder first on the
        # path, and the caller's (a learner's, say) must never lend the server a module
        process = subprocess.Popen(
            [sys.executable, "-m", "grader.sandbox.server", str(Path(socket_path).resolve()),
             *([] if locked else ["--no-locks"]), *(["--huge-pages"] if huge_pages else []),
             *(arg for secret in secrets for arg in ("--secret", secret))],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, cwd=Path(__file__).resolve().parents[2],
            stderr=subprocess.DEVNULL if quiet else None,
            env={**environment.kept(os.environ), "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"})
        return Handle(process.pid, process.stdout)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            _close_inherited_fds({write_end})
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2) if quiet else (0,):
                os.dup2(devnull, fd)
            serve(socket_path, locked=locked, huge_pages=huge_pages, secrets=secrets,
                  announce=lambda line: os.write(write_end, line.encode() + b"\n"))
        finally:
            os._exit(0)
    os.close(write_end)
    return Handle(pid, os.fdopen(read_end, "rb"))


def main() -> None:
    options = sys.argv[2:]
    serve(sys.argv[1], locked="--no-locks" not in options, huge_pages="--huge-pages" in options,
          secrets=[options[i + 1] for i, option in enumerate(options[:-1]) if option == "--secret"],
          announce=lambda line: print(line, flush=True))


if __name__ == "__main__":
    main()
