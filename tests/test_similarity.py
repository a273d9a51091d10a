"""Similar work: copies that differ only in names and layout are flagged, with the shared code as
evidence; stubs, independent correct solutions and a class's common way of writing a kata are not;
the same class gives the same pairs in any process."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from grader.class_model import COMMON_PASSAGE
from grader.course.similarity import Kept, find_similar

from .conftest import EXERCISES, REPO, SOLUTIONS

CORRECT = REPO / "tests" / "correct"
KATA = "05_loops/fit_numpy"


def _stub(kata_id: str) -> str:
    return (EXERCISES / f"{kata_id}.py").read_text()


def _solution(kata_id: str) -> str:
    return (SOLUTIONS / f"{kata_id}.py").read_text()


def renamed_and_relaid(code: str) -> str:
    """The same code with other names, other indentation and spacing, and other comments."""
    names = {"w": "weight", "losses": "history", "loss": "cost", "grad": "slope", "X": "inputs",
             "y": "targets", "lr": "step_size", "y_pred": "guess", "epochs": "rounds"}
    code = re.sub(r"\b(" + "|".join(names) + r")\b", lambda m: names[m.group(1)], code)
    code = code.replace("    ", "  ").replace(" = ", "=").replace(", ", " , ")
    code = re.sub(r"#.*", "# my own work, honest", code)
    return code.replace("\n\n", "\n\n\n")


def _work(files: dict[str, str], kata_id: str = KATA) -> dict[str, dict[str, Kept]]:
    return {who: {kata_id: Kept.of(code)} for who, code in files.items()}


def test_copies_that_differ_only_in_names_and_layout_are_flagged():
    solution = _solution(KATA)
    copy = renamed_and_relaid(solution)
    assert copy != solution and "weight" in copy
    variants = sorted((CORRECT / KATA).glob("*.py"))
    assert len(variants) >= 2
    work = _work({"ada": solution, "bob": copy, "cy": variants[0].read_text(), "dan": variants[1].read_text(),
                  "eve": _stub(KATA), "fay": _stub(KATA)})
    (pair,) = find_similar(work, {KATA: _stub(KATA)}, [KATA])
    assert (pair.kata, pair.first, pair.second) == (KATA, "ada", "bob")
    assert pair.similarity >= 0.9
    # the evidence: the shared code marked in each file, the learner's own lines and not the stub's
    for code, spans in ((pair.code_first, pair.spans_first), (pair.code_second, pair.spans_second)):
        shared = "".join(code[start:end] for start, end in spans)
        assert "return" in shared and "for" in shared
        stub_lines = {line.strip() for line in _stub(KATA).splitlines() if line.strip()}
        assert not any(line.strip() in stub_lines for line in shared.splitlines() if line.strip())


def test_stubs_and_independent_correct_solutions_are_not_flagged():
    for kata_id in ("02_losses/mse", KATA, "06_sqrt/sqrt_guess"):
        variants = [path.read_text() for path in sorted((CORRECT / kata_id).glob("*.py"))]
        work = _work({f"learner{n}": code for n, code in enumerate([_solution(kata_id), *variants])}, kata_id)
        work.update(_work({"stub1": _stub(kata_id), "stub2": _stub(kata_id)}, kata_id))
        assert find_similar(work, {kata_id: _stub(kata_id)}, [kata_id]) == [], kata_id


def test_code_most_of_a_class_writes_alike_is_nobodys_own():
    """As MOSS's -m: past COMMON_PASSAGE submissions, a passage is a common way to write it."""
    solution = _solution(KATA)
    few = find_similar(_work({f"l{n}": solution for n in range(3)}), {KATA: _stub(KATA)}, [KATA])
    assert [(pair.first, pair.second) for pair in few] == [("l0", "l1"), ("l0", "l2"), ("l1", "l2")]
    many = _work({f"l{n:02d}": solution for n in range(COMMON_PASSAGE + 1)})
    assert find_similar(many, {KATA: _stub(KATA)}, [KATA]) == []


def test_without_the_stub_its_text_would_count():
    """The stub's own text is left out (copydetect's boilerplate): two files that share only it,
    with short bodies of their own, are not alike; without the stub they would be."""
    stub = _stub("03_gradients/finite_diff")
    body = stub.replace('raise NotImplementedError("03_gradients/finite_diff: your code goes here '
                        '(see the docstring)")', "return None")
    other = stub.replace('raise NotImplementedError("03_gradients/finite_diff: your code goes here '
                         '(see the docstring)")', "pass")
    assert body != stub and other != stub
    work = _work({"ada": body, "bob": other}, "03_gradients/finite_diff")
    assert find_similar(work, {"03_gradients/finite_diff": stub}, ["03_gradients/finite_diff"]) == []
    assert find_similar(work, {}, ["03_gradients/finite_diff"])  # no stub given: its text is shared


def test_the_same_class_gives_the_same_pairs_in_any_process():
    """copydetect hashes with hash(), which changes with PYTHONHASHSEED; ours does not."""
    script = (
        "import json, sys\n"
        "from tests.test_similarity import _solution, _stub, _work, renamed_and_relaid, KATA\n"
        "from grader.course.similarity import find_similar\n"
        "work = _work({'a': _solution(KATA), 'b': renamed_and_relaid(_solution(KATA))})\n"
        "pairs = find_similar(work, {KATA: _stub(KATA)}, [KATA])\n"
        "print(json.dumps([[p.share_first, p.share_second, p.spans_first, p.spans_second]\n"
        "                  for p in pairs]))\n")
    runs = [subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")]
    assert runs[0] == runs[1] and json.loads(runs[0])


def test_kept_files_are_read_strictly():
    kept = Kept.of("x = 1\x1b]0;title\x07\nprint(x)\n").tokenized()
    assert "\x1b" not in kept.code and kept.filtered
    assert Kept.from_dict(json.loads(json.dumps(kept.to_dict()))) == kept
    forged = kept.to_dict() | {"code": "other = 2\n"}  # tokens that are not this code's: dropped
    assert Kept.from_dict(forged) == Kept("other = 2\n")
    bad_offsets = kept.to_dict() | {"offsets": [[1, -2]]}
    too_far = kept.to_dict() | {"offsets": [[0, len(kept.code) + 1]]}
    not_a_list = kept.to_dict() | {"offsets": "no"}
    for junk in ([], {"code": 3}, {"filtered": "V"}, bad_offsets, too_far, not_a_list):
        with pytest.raises(ValueError):
            Kept.from_dict(junk)


def test_the_tokens_of_a_file_that_opens_with_a_comment_read_back():
    """copydetect writes -1 as the filtered index of what precedes a file's first token (a comment,
    say): its offsets are read back as it wrote them, so a shard's kept tokens are the tokens a
    merge compares."""
    for code in ("# my own work\n" + _solution(KATA), "# a\n# b\n\n" + _solution(KATA)):
        kept = Kept.of(code).tokenized()
        assert min(min(pair) for pair in kept.offsets) == -1
        assert Kept.from_dict(json.loads(json.dumps(kept.to_dict()))) == kept
