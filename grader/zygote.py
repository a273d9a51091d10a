"""The preloaded server that forks one learner process per kata.

It imports torch, numpy and the learner-side runtime once, then forks a child for every kata it
is asked to load: a fork costs milliseconds where a fresh interpreter costs seconds. It never
imports a hidden suite or computes a reference, so a child has nothing secret in its memory.
Each child locks itself down (``lockdown``) before it reads a line of learner code; the server
adopts whatever the children leave behind and kills it. Only judges (its siblings, forked by the
same grader) may ask it for processes.
Run as ``python -m grader.zygote SOCKET_PATH [--no-locks]``; it prints ``ready`` and the locks in
force as JSON once it listens.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import selectors
import shutil
import signal
import socket
import struct
import sys
import tempfile

import msgpack

from grader import learner_process, lockdown, warmup

MAX_REQUEST = 64 * 1024
_PR_SET_DUMPABLE, _PR_SET_CHILD_SUBREAPER = 4, 36
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
    _close_inherited_fds({channel.fileno(), folder_fd})
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


class Zygote:
    def __init__(self, path: str, locked: bool = True) -> None:
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.listener.bind(path)
        self.listener.listen(64)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ)
        self.children: dict[socket.socket, set[int]] = {}
        self.exits: dict[int, str] = {}
        self.parent = os.getppid()
        self.scratch_root = tempfile.mkdtemp(prefix="grader-scratch-")
        if locked:
            self.plan = lockdown.prepare(self.scratch_root)
        else:
            self.plan = lockdown.Plan(scratch_root=self.scratch_root,
                                      inactive=dict.fromkeys(lockdown.LOCKS, "turned off"))
        _libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)  # no learner may read this server's memory
        _libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # escaped grandchildren come back here

    def scratch(self, pid: int) -> str:
        return os.path.join(self.scratch_root, str(pid))

    def spawn(self, conn: socket.socket, kata_file: str, fds: list[int]) -> None:
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
        self.children[conn].add(pid)
        socket.send_fds(conn, [msgpack.packb({"pid": pid})], [ours.fileno()])
        ours.close()

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

    def kill_strays(self) -> None:
        """Kill adopted processes: what learners left running after they ended."""
        live = set().union(*self.children.values()) if self.children else set()
        for task in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{task}/children") as listing:
                    pids = [int(pid) for pid in listing.read().split()]
            except OSError:
                continue
            for pid in pids:
                if pid not in live:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass

    def reap(self) -> None:
        reaped = False
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            reaped = True
            self.ended(pid, status)
        if reaped:  # a learner that ended may have left processes behind: they are ours now
            self.kill_strays()

    def ended(self, pid: int, status: int) -> None:
        """Record how a process ended and clear up after it: scratch folder, cgroups."""
        if len(self.exits) > 10_000:
            self.exits.clear()
        self.exits[pid] = _describe_status(status)
        if lockdown.ran_out_of_memory(self.plan, pid):
            self.exits[pid] += f" after using up its {lockdown.CGROUP_MEMORY // 1024**3} GiB of memory"
        for pids in self.children.values():
            pids.discard(pid)
        shutil.rmtree(self.scratch(pid), ignore_errors=True)
        lockdown.release(self.plan, pid)

    def exit_status(self, pid: int) -> str:
        for _ in range(50):
            self.reap()
            if pid in self.exits:
                return self.exits[pid]
            try:
                finished, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return "gone"
            if finished:
                self.ended(pid, status)
                return self.exits[pid]
            self.selector.select(timeout=0.01)
        return "still running"

    def drop(self, conn: socket.socket) -> None:
        """A judge went away: nothing it started may keep running."""
        for pid in self.children.pop(conn, set()):
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.selector.unregister(conn)
        conn.close()
        self.kill_strays()

    def handle(self, conn: socket.socket) -> None:
        try:
            data, fds, _, _ = socket.recv_fds(conn, MAX_REQUEST, 2)
        except OSError:
            data, fds = b"", []
        if not data:
            self.drop(conn)
            return
        request = msgpack.unpackb(data, raw=False)
        if request.get("op") == "spawn" and len(fds) == 2:
            self.spawn(conn, request["file"], fds)
            return
        for fd in fds:
            os.close(fd)
        if request.get("op") == "spawn":
            self.drop(conn)
        elif request.get("op") == "status":
            conn.send(msgpack.packb({"status": self.exit_status(int(request["pid"]))}))
        else:
            self.drop(conn)

    def run(self) -> None:
        warmup.warm_torch()
        gc.collect()
        gc.freeze()  # children share the preloaded heap instead of copying it
        try:
            while os.getppid() == self.parent:
                for key, _ in self.selector.select(timeout=0.5):
                    if key.fileobj is self.listener:
                        conn, _ = self.listener.accept()
                        if not self.is_judge(conn):
                            conn.close()
                            continue
                        self.children[conn] = set()
                        self.selector.register(conn, selectors.EVENT_READ)
                    else:
                        self.handle(key.fileobj)
                self.reap()
        finally:
            for conn in list(self.children):
                self.drop(conn)
            self.kill_strays()
            self.reap()
            lockdown.remove_cgroups(self.plan)
            shutil.rmtree(self.scratch_root, ignore_errors=True)


def main() -> None:
    # `python -m` put the caller's folder first on sys.path; learner code has no business there
    sys.path[:] = [entry for entry in sys.path if entry not in ("", os.getcwd())]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    zygote = Zygote(sys.argv[1], locked="--no-locks" not in sys.argv[2:])
    print("ready", json.dumps(zygote.plan.report()), flush=True)
    try:
        zygote.run()
    except (KeyboardInterrupt, SystemExit):
        pass
    if os.getppid() != zygote.parent:  # the grader was killed: its working folder is left to us
        shutil.rmtree(os.path.dirname(os.path.abspath(sys.argv[1])), ignore_errors=True)


if __name__ == "__main__":
    main()
