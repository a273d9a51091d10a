"""Synthetic classes of submissions for batch tests and benchmarks: correct, buggy, stubs,
one that hangs and one that crashes, some as zip files, all from a seed."""

from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

from .conftest import EXERCISES, MUTANTS, build_submission

HANG = "import time\n\n\ndef mse(y_pred, y):\n    while True:\n        time.sleep(0.1)\n"
CRASH = "import os\nos._exit(3)\n"


def make_class(root: Path, size: int, seed: int = 0, zips: int = 2) -> dict[str, str]:
    """Write ``size`` submissions under root; returns each one's kind by id."""
    rng = random.Random(seed)
    mutants = sorted(MUTANTS.glob("*/*/*.py"))
    kinds: dict[str, str] = {}
    root.mkdir(parents=True, exist_ok=True)
    for number in range(size):
        learner = f"learner{number:03d}"
        if number == 0:
            build_submission(root / learner, {"02_losses/mse": HANG})
            kinds[learner] = "hangs"
        elif number == 1:
            build_submission(root / learner, {"01_autograd/derivative": CRASH})
            kinds[learner] = "crashes"
        elif number % 5 == 2:
            build_submission(root / learner, base=EXERCISES)
            kinds[learner] = "stubs"
        elif number % 5 == 3:
            build_submission(root / learner)
            kinds[learner] = "correct"
        else:
            chosen = rng.sample(mutants, rng.randint(1, 3))
            replacements = {f"{m.parent.parent.name}/{m.parent.name}": m.read_text() for m in chosen}
            build_submission(root / learner, replacements)
            kinds[learner] = "buggy"
    for number in range(2, 2 + zips):  # a few arrive as zip files of the repo folder
        learner = f"learner{number:03d}"
        with zipfile.ZipFile(root / f"{learner}.zip", "w") as archive:
            for path in sorted((root / learner).rglob("*")):
                archive.write(path, Path(learner) / path.relative_to(root / learner))
        shutil.rmtree(root / learner)
    return kinds


if __name__ == "__main__":
    import sys

    print(make_class(Path(sys.argv[1]), int(sys.argv[2])))
