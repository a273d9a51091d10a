"""The judge's memory stays bounded whatever a learner process sends: the worst frames that fit
under the message cap cost tens of MiB to refuse, not GiB (as when msgpack built them first)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from . import forged_frames

FORGED_BOUND = 128 * 2**20  # peak growth while refusing a forged frame: less than the largest real answer
REAL = "a float64 tensor of MAX_ELEMENTS (a real answer's largest)"

# Runs in a fresh interpreter: the peak (VmHWM) is reset before each frame, and the address space
# is capped at 1 GiB over what is mapped already, so a decoder that runs away fails fast.
PROBE = """
import json, resource, sys
sys.path.insert(0, sys.argv[1])
from grader.sandbox import codec
from tests import forged_frames

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024

cap = status("VmSize") + 2**30
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
out = {}
for name in sys.argv[2:]:
    payload = forged_frames.BULKY[name]()
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # resets VmHWM to the current RSS
    base = status("VmRSS")
    try:
        codec.decode(codec.unpack(payload))
        outcome = "decoded"
    except codec.ProtocolError:
        outcome = "ProtocolError"
    except BaseException as error:
        outcome = type(error).__name__
    out[name] = [status("VmHWM") - base, outcome]
    del payload
print(json.dumps(out))
"""


def peaks(names: list[str]) -> dict[str, list]:
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", PROBE, str(root), *names], capture_output=True, text=True,
                          timeout=300, cwd=root)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_forged_frames_cost_the_judge_little_memory():
    forged = [name for name in forged_frames.BULKY if name != REAL]
    for name, (peak, outcome) in peaks(forged).items():
        assert outcome in ("ProtocolError", "decoded"), (name, outcome)
        assert peak < FORGED_BOUND, f"{name}: {peak / 2**20:.0f} MiB"


def test_the_largest_real_answer_still_decodes():
    (peak, outcome), = peaks([REAL]).values()
    assert outcome == "decoded"
    assert peak < 3 * 2**20 * 64, f"{peak / 2**20:.0f} MiB"  # its bytes, and the judge's copy of them
