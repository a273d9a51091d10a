"""A program on a pseudo-terminal, for tests and benchmarks of `grader watch`."""

from __future__ import annotations

import os
import re
import select
import subprocess
import time
from pathlib import Path


def verdict_pattern(kata_id: str) -> re.Pattern:
    """The header's run number, followed by that kata's verdict before the next header."""
    return re.compile(r"run (\d+)\)(?:(?!run \d+\)).)*?[✓✗] " + re.escape(kata_id), re.S)


class Terminal:
    """A program on a pseudo-terminal, and everything it has printed."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.master, slave = os.openpty()
        env = {**os.environ, "TERM": "xterm", "COLUMNS": "120", "LINES": "40"}
        self.process = subprocess.Popen(command, cwd=cwd, stdin=slave, stdout=slave, stderr=slave,
                                        env=env, start_new_session=True)
        os.close(slave)
        self.seen = ""

    def read_for(self, seconds: float) -> str:
        """Everything printed within ``seconds`` from now."""
        deadline = time.perf_counter() + seconds
        start = len(self.seen)
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.005)
            if ready:
                self.seen += os.read(self.master, 65536).decode(errors="ignore")
        return self.seen[start:]

    def wait_for(self, pattern: re.Pattern, number: int, timeout: float, at_least: bool = False) -> float:
        """Read until ``pattern`` matches with group 1 equal to ``number`` (or, ``at_least``, no
        smaller); the moment it did."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.005)
            if ready:
                self.seen += os.read(self.master, 65536).decode(errors="ignore")
                runs = [int(found.group(1)) for found in pattern.finditer(self.seen)]
                if any(run == number or (at_least and run > number) for run in runs):
                    moment = time.perf_counter()
                    self.seen = self.seen[-4000:]
                    return moment
        raise TimeoutError(f"not seen in {timeout} s: {pattern.pattern} {number}; "
                           f"screen: {self.seen[-500:]!r}")

    def press(self, key: str) -> None:
        os.write(self.master, key.encode())

    def close(self) -> int:
        """Press q; the program's exit code (killed if it does not quit)."""
        self.press("q")
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        os.close(self.master)
        return code


