"""The manifest is the one list of katas: every file it implies exists, and nothing else does."""

from __future__ import annotations

from grader.manifest import SUITES_DIR

from .conftest import EXERCISES, SOLUTIONS


def test_every_kata_has_all_its_files(manifest):
    missing = []
    for kata in manifest.katas:
        for path in (SOLUTIONS / kata.relative_file, EXERCISES / kata.relative_file,
                     EXERCISES / kata.public_test, kata.suite()):
            if not path.is_file():
                missing.append(str(path))
    assert missing == []


def test_no_kata_file_is_left_out_of_the_manifest(manifest):
    listed = {kata.relative_file for kata in manifest.katas}
    on_disk = {path.relative_to(SOLUTIONS) for path in SOLUTIONS.glob("*/*.py")}
    suites = {path.relative_to(SUITES_DIR).with_name(path.name.removeprefix("test_"))
              for path in SUITES_DIR.glob("*/test_*.py")}
    assert on_disk - listed == set()
    assert suites - listed == set()


def test_katas_are_complete_and_in_topic_order(manifest):
    topic_order = [topic.id for topic in manifest.topics]
    positions = [topic_order.index(kata.topic) for kata in manifest.katas]
    assert positions == sorted(positions)
    for kata in manifest.katas:
        assert kata.title and kata.tutorial and kata.points > 0, kata.id
        assert len(kata.hints) >= 2, f"{kata.id} needs progressive hints"
