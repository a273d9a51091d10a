"""Stubs come from solutions: generated, never edited, and always in step."""

from __future__ import annotations

import pytest

from grader.course import stubs
from grader.manifest import Kata

from .conftest import EXERCISES, SOLUTIONS

KATA = Kata(id="02_losses/demo", title="demo", points=1, tutorial="t", hints=())


def test_exercise_stubs_match_their_solutions(manifest):
    assert stubs.drift(list(manifest.katas), SOLUTIONS, EXERCISES) == []


def test_regions_become_one_raise_at_their_indentation():
    source = "def f(x):\n    '''Doc.'''\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n"
    stub = stubs.make_stub(source, KATA)
    assert stub.splitlines()[:2] == ["def f(x):", "    '''Doc.'''"]
    assert stub.splitlines()[2].startswith('    raise NotImplementedError("02_losses/demo: ')
    assert "return x" not in stub
    assert stubs.strip_markers(source) == "def f(x):\n    '''Doc.'''\n    return x\n"


@pytest.mark.parametrize("source", [
    "def f():\n    return 1\n",
    "def f():\n    ### BEGIN SOLUTION\n    return 1\n",
    "def f():\n    ### END SOLUTION\n",
    "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n",
])
def test_malformed_markers_are_refused(source):
    with pytest.raises(stubs.StubError):
        stubs.make_stub(source, KATA)


def test_every_topic_has_a_readme(manifest):
    missing = [t.id for t in manifest.topics if not (EXERCISES / t.id / "README.md").is_file()]
    assert missing == []
