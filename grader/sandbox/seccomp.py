"""A seccomp filter that refuses the system calls through which learner processes could share state
outside their own lifetime: SysV IPC, POSIX message queues and the kernel keyrings.

Python has no seccomp binding in its standard library and the PyPI ones are not kept up, so a
small classic-BPF program is installed with ``prctl(PR_SET_SECCOMP)`` directly. It checks the
architecture first: a system call of any other ABI (x86_64's 32-bit ``int 0x80`` door, with its
``ipc`` multiplexer) kills the process, and x32 calls are refused like the listed ones.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct

_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_RET_KILL_PROCESS, _RET_ERRNO, _RET_ALLOW = 0x80000000, 0x00050000, 0x7FFF0000
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, ...
_X32_BIT = 0x40000000

# seccomp_data: int nr, __u32 arch, ...
_NR, _ARCH = 0, 4

# name -> (x86_64, the generic table aarch64 uses); from asm/unistd_64.h and asm-generic/unistd.h
_DENIED = {
    "shmget": (29, 194), "shmat": (30, 196), "shmctl": (31, 195), "shmdt": (67, 197),
    "semget": (64, 190), "semop": (65, 193), "semctl": (66, 191), "semtimedop": (220, 192),
    "msgget": (68, 186), "msgsnd": (69, 189), "msgrcv": (70, 188), "msgctl": (71, 187),
    "mq_open": (240, 180), "mq_unlink": (241, 181), "mq_timedsend": (242, 182),
    "mq_timedreceive": (243, 183), "mq_notify": (244, 184), "mq_getsetattr": (245, 185),
    "add_key": (248, 217), "request_key": (249, 218), "keyctl": (250, 219),
}
_ARCHES = {"x86_64": (0xC000003E, 0), "aarch64": (0xC00000B7, 1)}  # AUDIT_ARCH_*, column above

_libc = ctypes.CDLL(None, use_errno=True)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def program() -> bytes | None:
    """The filter for this machine's architecture, or None where it has no table here."""
    machine = platform.machine()
    if machine not in _ARCHES:
        return None
    audit_arch, column = _ARCHES[machine]
    numbers = sorted({pair[column] for pair in _DENIED.values()})
    deny = _RET_ERRNO | errno.EPERM
    body = [_insn(_LD_W_ABS, 0, 0, _ARCH), _insn(_JEQ_K, 1, 0, audit_arch),
            _insn(_RET_K, 0, 0, _RET_KILL_PROCESS), _insn(_LD_W_ABS, 0, 0, _NR)]
    if machine == "x86_64":
        body.append(_insn(_JGE_K, len(numbers) + 1, 0, _X32_BIT))  # to the final "deny"
    for index, number in enumerate(numbers):
        body.append(_insn(_JEQ_K, len(numbers) - index, 0, number))  # to "deny", past the rest
    body += [_insn(_RET_K, 0, 0, _RET_ALLOW), _insn(_RET_K, 0, 0, deny)]
    return b"".join(body)


def number(name: str) -> int:
    """A refused call's number on this machine, for code that tries it; -1 where it has no table."""
    arch = _ARCHES.get(platform.machine())
    return _DENIED[name][arch[1]] if arch else -1


def install(filter_program: bytes) -> None:
    """Install ``filter_program`` on this thread for good; whatever it starts inherits it."""
    buffer = ctypes.create_string_buffer(filter_program, len(filter_program))
    fprog = _SockFprog(len(filter_program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise _fail("no_new_privs")
    if _libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise _fail("seccomp")


def _fail(what: str) -> OSError:
    number = ctypes.get_errno()
    return OSError(number, f"{what}: {os.strerror(number)}")
