"""The grader package as a release ships it: for a selection of katas, with or without the hidden
suites, and with a manifest that lists exactly the katas shipped.

A learner's repository gets the package without its suites; a platform's autograder bundle
(Classroom 50, PrairieLearn) gets it with the suites of the katas it grades and nothing else. A
selection of katas rewrites katas.toml to list only those (and their topics), so every command
(`grader list`, `check`, `grade`) sees the assignment and nothing beyond it.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

from grader.manifest import MANIFEST_PATH, PACKAGE_DIR, SUITES_DIR, Kata

# never shipped as they are: caches, and what a release writes afresh (the stubs kept for
# `grader reset`, the reference curves)
LEFT_OUT = ("__pycache__", "*.pyc", "pristine", "reference_curves.json")


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[\n" + "".join(f"    {_toml_value(item)},\n" for item in value) + "]"
    raise ValueError(f"the manifest holds a value this release cannot write: {value!r}")


def manifest_text(katas: list[Kata], source: Path = MANIFEST_PATH) -> str:
    """katas.toml listing only ``katas`` and their topics, every field as the source has it (the
    source itself, byte for byte, when the selection is every kata)."""
    text = source.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    wanted = {kata.id for kata in katas}
    if wanted == {kata["id"] for kata in data.get("kata", [])}:
        return text
    topics = {kata.topic for kata in katas}
    lines = [line for line in text.splitlines() if line.startswith("#")][:1] or ["# The kata manifest."]
    lines.append("# A selection made by `grader release --kata`: only the katas of this assignment.")
    for table, keep in (("topic", topics), ("kata", wanted)):
        for entry in data.get(table, []):
            if entry["id"] in keep:
                lines += ["", f"[[{table}]]", *(f"{key} = {_toml_value(value)}"
                                                  for key, value in entry.items())]
    written = "\n".join(lines) + "\n"
    if tomllib.loads(written) != {key: [entry for entry in data.get(key, []) if entry["id"] in keep]
                                   for key, keep in (("topic", topics), ("kata", wanted))}:
        raise ValueError("the selected manifest does not read back as written")
    return written


def _copy_suites(target: Path, katas: list[Kata]) -> None:
    """The hidden suites of ``katas``, with what they share (suites/shared, each topic's helpers)."""
    chosen = {kata.suite(SUITES_DIR) for kata in katas}
    topics = {kata.topic for kata in katas}
    left_out = shutil.ignore_patterns(*LEFT_OUT)

    def ignore(folder: str, names: list[str]) -> set[str]:
        return set(left_out(folder, names)) | {
            name for name in names if name.startswith("test_") and Path(folder, name) not in chosen}

    target.mkdir(parents=True)
    for entry in sorted(SUITES_DIR.iterdir()):
        if entry.is_file() and entry.suffix == ".py":
            shutil.copyfile(entry, target / entry.name)
        elif entry.is_dir() and entry.name != "__pycache__" and (
                entry.name in topics or not entry.name[:2].isdigit()):  # a chosen topic, or shared
            shutil.copytree(entry, target / entry.name, ignore=ignore)


def check_suites(katas: list[Kata]) -> None:
    """FileNotFoundError, naming them, unless every kata of ``katas`` has its hidden suite here."""
    missing = [kata.id for kata in katas if not kata.suite(SUITES_DIR).is_file()]
    if missing:
        named = ", ".join(missing[:3]) + (", …" if len(missing) > 3 else "")
        raise FileNotFoundError(f"the hidden suites of {named} are not in {SUITES_DIR}: release from "
                                "the instructor's checkout")


def copy(target: Path, katas: list[Kata], *, hidden: bool) -> None:
    """The grader package into ``target``: with the hidden suites of ``katas`` if ``hidden``,
    without any suite otherwise; its katas.toml lists ``katas``."""
    if hidden:
        check_suites(katas)
    shutil.copytree(PACKAGE_DIR, target, ignore=shutil.ignore_patterns(*LEFT_OUT, "suites"))
    (target / MANIFEST_PATH.name).write_text(manifest_text(katas), encoding="utf-8")
    if hidden:
        _copy_suites(target / "suites", katas)
