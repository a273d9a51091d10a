"""The judge's one way into learner code: calls that cross to a learner process and back as data.

Hidden suites get a ``Learner`` for their kata and call ``learner.call("mse", y_pred, y)``. The
call is encoded, run in that kata's learner process, and answered with plain data decoded
strictly (``codec``): the return value, the arguments as the call left them, or what it raised.
A hang, a crash or a broken file becomes an exception here with a status and a message for the
learner; it never reaches another kata.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from grader.sandbox import codec
from grader.sandbox.codec import Key, Op
from grader.sandbox.limits import Limits
from grader.submission import MAX_FILE_BYTES, Located, NotARegularFile, SubmissionError

MAX_RESTARTS = 6


class Budget:
    """One submission's learner time, shared by its katas' seams in one judge."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.used = 0.0

    @property
    def left(self) -> float:
        return self.seconds - self.used


# ---------------------------------------------------------------- what can go wrong


class SeamError(Exception):
    """Learner code could not be reached or did not answer; ``status`` goes into the grade."""

    status = "error"


class KataMissing(SeamError):
    pass


class KataBroken(SeamError):
    """The kata file does not import."""


class LearnerCrashed(SeamError):
    pass


class LearnerTimeout(SeamError):
    status = "timeout"


class LearnerProtocolError(SeamError):
    pass


@dataclass(frozen=True)
class Raised:
    """An exception raised by learner code, as data."""

    type: str
    lineage: tuple[str, ...]  # class names of the exception and its bases
    message: str
    line: int | None

    def is_a(self, name: str) -> bool:
        return name in self.lineage

    def describe(self) -> str:
        text = f"{self.type}: {self.message}" if self.message else self.type
        return f"{text} (line {self.line})" if self.line else text


class LearnerRaised(Exception):
    """Learner code raised where the suite expected an answer."""

    def __init__(self, function: str, raised: Raised) -> None:
        self.function = function
        self.raised = raised
        if raised.is_a("NotImplementedError"):
            text = f"{function} is not written yet: it still raises NotImplementedError"
        else:
            text = f"{function} raised {raised.describe()}"
        super().__init__(text)


@dataclass
class Outcome:
    """One call's result: the value or the exception, and the arguments as the call left them."""

    function: str
    returned: Any = None
    raised: Raised | None = None
    args: list = field(default_factory=list)
    generators: list = field(default_factory=list)
    backward: str | None = None
    watched: list[str] = field(default_factory=list)  # watched library functions it called

    @property
    def value(self) -> Any:
        if self.raised is not None:
            raise LearnerRaised(self.function, self.raised)
        return self.returned


# ---------------------------------------------------------------- processes


class ZygoteClient:
    """A judge's connection to the learner-process server; one per judge process."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._sock: socket.socket | None = None
        self._pid = -1

    def _conn(self) -> socket.socket:
        if self._sock is None or self._pid != os.getpid():  # a forked judge needs its own
            self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            self._sock.connect(self.path)
            self._pid = os.getpid()
        return self._sock

    def spawn(self, source: int, folder: int, kata_file: str) -> tuple[int, socket.socket]:
        """A learner process for the kata file open at ``source`` (its folder open at ``folder``):
        it gets the descriptors, as the locks keep it from reaching them by name, and the judge
        opened them without following links. ``kata_file`` is the name the module is given."""
        conn = self._conn()
        try:
            socket.send_fds(conn, [codec.pack_datagram({Key.OP: Op.SPAWN, Key.FILE: kata_file})],
                            [source, folder])
            data, fds, _, _ = socket.recv_fds(conn, 1024, 1)
        except BaseException:
            # interrupted between request and answer (a test's time limit, say): a late answer
            # must never be taken for the next request's, so this connection is done with
            self.disconnect()
            raise
        if not fds:
            self.disconnect()
            raise LearnerCrashed("the learner-process server did not start a process")
        return codec.unpack(data)[Key.PID], socket.socket(fileno=fds[0])

    def disconnect(self) -> None:
        """Hang up: the server then ends every process this connection started."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def exit_status(self, pid: int) -> str:
        conn = self._conn()
        try:
            conn.send(codec.pack_datagram({Key.OP: Op.STATUS, Key.PID: pid}))
            return str(codec.unpack(conn.recv(1024))[Key.EXIT])
        except BaseException:
            self.disconnect()
            raise


class LearnerProcess:
    """One live learner process holding one imported kata file."""

    def __init__(self, zygote: ZygoteClient, source: int, folder: int, kata_file: str) -> None:
        self.zygote = zygote
        self.pid, self.sock = zygote.spawn(source, folder, kata_file)

    @staticmethod
    def unreadable(problem: object) -> LearnerProtocolError:
        """The error for an answer that breaks the wire format (``codec.ProtocolError``)."""
        return LearnerProtocolError(f"the learner process sent an answer the grader cannot read: {problem}")

    def request(self, message: dict, timeout: float) -> dict:
        """Send one request and read its answer, a map of ``codec.Key`` fields (values not yet decoded)."""
        deadline = time.monotonic() + max(timeout, 0.001)
        self.sock.settimeout(max(timeout, 0.001))
        codec.send(self.sock, message)
        try:  # one deadline for the whole answer: bytes that trickle in never reset it
            answer = codec.receive(self.sock, deadline)
        except codec.ProtocolError as error:
            raise self.unreadable(error) from None
        if type(answer) is not dict:
            raise self.unreadable("not a map")
        return answer

    def kill(self) -> None:
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.sock.close()

    def how_it_ended(self) -> str:
        try:
            return self.zygote.exit_status(self.pid)
        except OSError:
            return "ended"


def is_pytest_timeout(error: BaseException) -> bool:
    """pytest-timeout's signal method fails the test with this exception, wherever it was."""
    return type(error).__name__ == "Failed" and "Timeout" in str(error)


class Learner:
    """The seam for one kata: what hidden tests use to reach the learner's code."""

    def __init__(self, kata_id: str, submission: Located, zygote: ZygoteClient,
                 limits: Limits | None = None, budget: Budget | None = None) -> None:
        self.kata_id = kata_id
        self.submission = submission
        self.zygote = zygote
        self.limits = limits or Limits()
        self.budget = budget or Budget(self.limits.per_submission)
        self.time_left = self.limits.per_kata
        self.hung = False  # once a call has hung, later calls get only limits.after_hang
        self.last_failure: SeamError | None = None
        self.process: LearnerProcess | None = None
        self.load_failure: SeamError | None = None
        self.starts = 0
        self._shared: dict[Any, tuple[LearnerProcess | None, Any]] = {}

    @property
    def shown_path(self) -> str:
        return f"exercises/{self.kata_id}.py"

    def shared(self, key: Any, make: Callable[[], Any]) -> Any:
        """make()'s value for every test that examines the same learner call: made once for this
        kata of this submission, and again if its learner process was replaced meanwhile (a Ref
        into the old one would point nowhere). A call that raises is not kept: the next test makes
        it again, as its own call would. Each test still judges the value itself."""
        if key in self._shared and self._shared[key][0] is self.process:
            return self._shared[key][1]
        value = make()
        self._shared[key] = (self.process, value)
        return value

    # ------------------------------------------------------------ life cycle

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process = None

    def _ensure_process(self) -> LearnerProcess:
        if self.load_failure is not None:
            raise self.load_failure
        if self.process is not None:
            return self.process
        if self.starts >= MAX_RESTARTS:
            last = self.last_failure or LearnerCrashed("it kept failing")
            raise type(last)(f"{last} (gave up restarting it after {MAX_RESTARTS} tries)")
        source, folder = self._open_kata()
        self.starts += 1
        try:
            self.process = LearnerProcess(self.zygote, source, folder,
                                          str(self.submission.folder / f"{self.kata_id}.py"))
        finally:
            os.close(source)
            os.close(folder)
        try:
            answer = self._exchange({Key.OP: Op.LOAD}, "importing it", self.limits.per_import)
        except LearnerTimeout:
            if self.budget.left <= 0:  # for good: the budget never grows back
                self.load_failure = self._over_budget()
                raise self.load_failure from None
            if self.time_left <= 0:  # the kata's own time ran out on the way, not the import's
                self.load_failure = LearnerTimeout(
                    f"{self.shown_path} used up its {self.limits.per_kata:g} s time limit")
                raise self.load_failure from None
            self.load_failure = LearnerTimeout(
                f"importing {self.shown_path} did not finish in {self.limits.per_import:g} s: "
                "is there a loop or a long computation at the top level of the file?")
            raise self.load_failure from None
        except SeamError as error:
            self.load_failure = type(error)(f"{self.shown_path} could not be imported: {error}")
            raise self.load_failure from None
        if Key.LOAD_ERROR in answer:
            raised = _raised(answer[Key.LOAD_ERROR])
            self.close()
            self.load_failure = KataBroken(
                f"{self.shown_path} does not import: {raised.describe()}")
            raise self.load_failure
        return self.process

    def _over_budget(self) -> LearnerTimeout:
        return LearnerTimeout(
            f"this submission used up its {self.budget.seconds:g} s of learner time (all katas "
            f"together), so {self.shown_path} was not run further: is some code far slower "
            "than it needs to be?")

    def _open_kata(self) -> tuple[int, int]:
        """The kata's file and folder, opened beneath the submission without following links."""
        try:
            source = self.submission.open_kata(self.kata_id)
        except NotARegularFile as error:
            self.load_failure = KataMissing(str(error))
            raise self.load_failure from None
        except SubmissionError as error:  # over the size limit
            self.load_failure = KataBroken(str(error))
            raise self.load_failure from None
        try:
            return source, self.submission.open_kata_folder(self.kata_id)
        except BaseException:
            os.close(source)
            raise

    def _exchange(self, message: dict, doing: str, limit: float | None = None) -> dict:
        """Send one request; turn every way it can fail into a SeamError."""
        process = self.process
        if self.budget.left <= 0:
            self.close()
            raise self._over_budget()
        if self.time_left <= 0:
            self.close()
            raise LearnerTimeout(f"{self.shown_path} used up its {self.limits.per_kata:g} s time limit")
        started = time.monotonic()
        try:
            return self._send(process, message, doing, limit)
        except SeamError as error:
            self.last_failure = error
            raise
        finally:
            spent = time.monotonic() - started
            self.time_left -= spent
            self.budget.used += spent

    def _send(self, process: LearnerProcess, message: dict, doing: str, limit: float | None) -> dict:
        try:
            if self.hung:
                limit = self.limits.after_hang
            left = min(self.time_left, self.budget.left)
            answer = process.request(message, min(left, limit or left))
        except TimeoutError:
            self.close()
            note = (f" ({self.limits.after_hang:g} s, as an earlier call already hung)"
                    if self.hung else "")
            self.hung = True
            raise LearnerTimeout(f"{self.shown_path} did not finish {doing} in time{note}") from None
        except (EOFError, ConnectionError):
            ended = process.how_it_ended()
            self.close()
            raise LearnerCrashed(f"the process running {self.shown_path} {ended} while "
                                 f"{doing}") from None
        except codec.ProtocolError as error:
            self.close()
            raise LearnerProcess.unreadable(error) from None
        except BaseException as error:
            self.close()  # interrupted mid-call: its state is unknown
            if is_pytest_timeout(error):
                self.hung = True
                raise LearnerTimeout(f"{self.shown_path} did not finish {doing} in time") from None
            raise
        if Key.BROKEN in answer:
            self.close()
            why = answer[Key.BROKEN]
            raise LearnerProtocolError(f"{doing} failed in the learner process: "
                                       f"{why[:codec.MAX_TEXT] if type(why) is str else 'no reason given'}")
        return answer

    # ------------------------------------------------------------ calls

    def load(self) -> None:
        """Import the kata now (tests that only check it imports)."""
        self._ensure_process()

    def call(self, function: str, *args: Any, backward: bool = False, watch: tuple[str, ...] = (),
             **kwargs: Any) -> Outcome:
        """Call ``function`` from the kata file with these arguments; ``watch`` names library
        functions whose calls during it are noted in ``Outcome.watched`` (see names_used)."""
        return self._call({Key.FN: function}, function, args, kwargs, backward, watch)

    def call_ref(self, ref: codec.Ref, *args: Any, attr: str | None = None,
                 backward: bool = False, watch: tuple[str, ...] = (), **kwargs: Any) -> Outcome:
        """Call an object the learner's code returned (a predictor, a model, a method of it)."""
        label = f"{ref.type_name.rsplit('.', 1)[-1]}.{attr}" if attr else ref.type_name
        return self._call({Key.REF: ref.id, Key.ATTR: attr}, label, args, kwargs, backward, watch)

    def source(self) -> bytes:
        """The kata file's text, read as the learner process reads it (for checks that look at
        what the file imports or uses, never running it); b"" when it cannot be read."""
        try:
            fd = self.submission.open_kata(self.kata_id)
        except (SubmissionError, OSError):
            return b""
        with os.fdopen(fd, "rb") as handle:
            return handle.read(MAX_FILE_BYTES)

    def inspect(self, ref: codec.Ref) -> dict:
        """Describe a learner-side object: for a module, its submodules and parameters."""
        self._ensure_process()
        answer = self._exchange({Key.OP: Op.INSPECT, Key.REF: ref.id}, "being inspected")
        return self._decode(answer.get(Key.VALUE))

    def make(self, scenario: codec.Scenario) -> Any:
        """Build a trusted scenario object learner-side and keep it there (a module, a generator)."""
        self._ensure_process()
        answer = self._exchange({Key.OP: Op.MAKE, Key.WHAT: codec.encode(scenario)}, "building a scenario")
        return self._decode(answer.get(Key.VALUE))

    def _call(self, target: dict, label: str, args: tuple, kwargs: dict, backward: bool,
              watch: tuple[str, ...] = ()) -> Outcome:
        self._ensure_process()
        message = {
            Key.OP: Op.CALL,
            Key.TARGET: target,
            Key.ARGS: [codec.encode(arg) for arg in args],
            Key.KWARGS: codec.encode(dict(kwargs)),
            Key.BACKWARD: backward,
            Key.WATCH: list(watch),
        }
        answer = self._exchange(message, f"running {label}")
        if Key.MISSING in answer:
            raise LearnerRaised(label, Raised("AttributeError", ("AttributeError",),
                                              f"{self.shown_path} has no {label}", None))
        observed = self._decode(answer.get(Key.ARGS))
        positional = observed.get(Key.POSITIONAL) if isinstance(observed, dict) else None
        generators = observed.get(Key.GENERATORS, []) if isinstance(observed, dict) else None
        if not (isinstance(positional, list) and isinstance(generators, list)):
            self.close()
            raise LearnerProcess.unreadable("the arguments as the call left them are missing")
        watched = answer.get(Key.WATCHED)
        outcome = Outcome(function=label, args=positional, generators=generators,
                          watched=[name for name in watch if isinstance(watched, list) and name in watched])
        if Key.RAISED in answer:
            outcome.raised = _raised(answer[Key.RAISED])
        else:
            outcome.returned = self._decode(answer.get(Key.VALUE))
            backward_note = answer.get(Key.BACKWARD)
            outcome.backward = backward_note[:codec.MAX_TEXT] if type(backward_note) is str else None
        return outcome

    def _decode(self, node: Any) -> Any:
        try:
            return codec.decode(node)
        except codec.ProtocolError as error:
            self.close()
            raise LearnerProcess.unreadable(error) from None


def _raised(node: Any) -> Raised:
    """An exception report from the learner process (``codec.Report``), every field checked."""
    report = node if type(node) is dict else {}
    fields = codec.Report
    kind, mro, message, line = (report.get(name) for name in (fields.TYPE, fields.MRO, fields.MESSAGE,
                                                             fields.LINE))
    if (type(kind) is not str or type(mro) is not list or not all(type(name) is str for name in mro)
            or type(message) is not str or not (line is None or type(line) is int)):
        raise LearnerProcess.unreadable("a malformed exception report")
    return Raised(
        type=kind[:200],
        lineage=tuple(name[:200] for name in mro),
        message=message[: codec.MAX_TEXT],
        line=line,
    )
