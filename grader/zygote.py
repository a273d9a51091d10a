"""The preloaded server that forks one learner process per kata.

It imports torch, numpy and the learner-side runtime once, then forks a child for every kata it
is asked to load: a fork costs milliseconds where a fresh interpreter costs seconds. It never
imports a hidden suite or computes a reference, so a child has nothing secret in its memory.
Run as ``python -m grader.zygote SOCKET_PATH``; it prints ``ready`` once it listens.
"""

from __future__ import annotations

import gc
import os
import resource
import selectors
import signal
import socket
import sys
from pathlib import Path

import msgpack

from grader import learner_process, warmup

MAX_REQUEST = 64 * 1024
LEARNER_MEMORY = 2 * 1024**3  # bytes of address space a learner process may add


def _close_inherited_fds(keep: set[int]) -> None:
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _cap_memory(extra: int = LEARNER_MEMORY) -> None:
    """Address space for what is already mapped plus ``extra``: a memory bomb fails in its own
    process (torch raises a catchable error) instead of starving the machine."""
    mapped = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (mapped + extra, mapped + extra))


def _become_learner(channel: socket.socket, kata_file: str) -> None:
    """In the forked child: shed the server's state, then serve the judge."""
    os.setsid()  # its own process group, so the judge can kill all it starts
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _cap_memory()
    _close_inherited_fds({channel.fileno()})
    learner_process.silence_output()
    learner_process.serve(channel, kata_file)


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"killed by {signal.Signals(number).name}"
        except ValueError:
            return f"killed by signal {number}"
    return f"exited with code {os.WEXITSTATUS(status)}"


class Zygote:
    def __init__(self, path: str) -> None:
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.listener.bind(path)
        self.listener.listen(64)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ)
        self.children: dict[socket.socket, set[int]] = {}
        self.exits: dict[int, str] = {}
        self.parent = os.getppid()

    def spawn(self, conn: socket.socket, kata_file: str) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            try:
                ours.close()
                _become_learner(theirs, kata_file)
            finally:
                os._exit(0)
        theirs.close()
        self.children[conn].add(pid)
        socket.send_fds(conn, [msgpack.packb({"pid": pid})], [ours.fileno()])
        ours.close()

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if len(self.exits) > 10_000:
                self.exits.clear()
            self.exits[pid] = _describe_status(status)
            for pids in self.children.values():
                pids.discard(pid)

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
                self.exits[pid] = _describe_status(status)
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

    def handle(self, conn: socket.socket) -> None:
        try:
            data = conn.recv(MAX_REQUEST)
        except OSError:
            data = b""
        if not data:
            self.drop(conn)
            return
        request = msgpack.unpackb(data, raw=False)
        if request.get("op") == "spawn":
            self.spawn(conn, request["file"])
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
                        self.children[conn] = set()
                        self.selector.register(conn, selectors.EVENT_READ)
                    else:
                        self.handle(key.fileobj)
                self.reap()
        finally:
            for conn in list(self.children):
                self.drop(conn)


def main() -> None:
    # `python -m` put the caller's folder first on sys.path; learner code has no business there
    sys.path[:] = [entry for entry in sys.path if entry not in ("", os.getcwd())]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    zygote = Zygote(sys.argv[1])
    print("ready", flush=True)
    try:
        zygote.run()
    except (KeyboardInterrupt, SystemExit):
        pass


if __name__ == "__main__":
    main()
