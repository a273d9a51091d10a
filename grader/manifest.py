"""The katas and where they live: the ordered list with points, hints and sources (katas.toml),
and the one place that maps a kata id to its files (exercise, solution, public test, hidden suite)
and names the grader's own folders."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent  # the grader package
MANIFEST_PATH = PACKAGE_DIR / "katas.toml"
SUITES_DIR = PACKAGE_DIR / "suites"  # the hidden suites: only where they are installed
REPO_DIR = PACKAGE_DIR.parent  # a source checkout: exercises/, solutions/, constraints.txt beside it
EXERCISES_DIR = REPO_DIR / "exercises"
SOLUTIONS_DIR = REPO_DIR / "solutions"


@dataclass(frozen=True)
class Kata:
    id: str  # "<topic>/<file stem>", also the file's path below exercises/ without ".py"
    title: str
    points: int
    tutorial: str
    hints: tuple[str, ...]

    @property
    def topic(self) -> str:
        return self.id.split("/")[0]

    @property
    def stem(self) -> str:
        return self.id.split("/")[1]

    @property
    def relative_file(self) -> Path:
        """The kata's file below exercises/ (and solutions/)."""
        return Path(self.topic) / f"{self.stem}.py"

    @property
    def public_test(self) -> Path:
        """Its public tests below exercises/; its hidden suite has the same path below suites/."""
        return Path(self.topic) / f"test_{self.stem}.py"

    def suite(self, suites: Path = SUITES_DIR) -> Path:
        """Its hidden suite's file."""
        return suites / self.public_test


@cache  # asked for every test a judge records, of a few dozen files
def kata_id_of_test(path: Path | str) -> str:
    """The kata a test file (public or hidden: <topic>/test_<stem>.py) belongs to."""
    path = Path(path)
    return f"{path.parent.name}/{path.stem.removeprefix('test_')}"


class UnknownKata(KeyError):
    """A kata pattern that matches no kata; its one argument is the message to show."""


@dataclass(frozen=True)
class Topic:
    id: str
    title: str


@dataclass(frozen=True)
class Manifest:
    topics: tuple[Topic, ...]
    katas: tuple[Kata, ...]

    def kata(self, kata_id: str) -> Kata:
        for kata in self.katas:
            if kata.id == kata_id:
                return kata
        raise KeyError(f"no kata {kata_id!r} in the manifest")

    def select(self, patterns: list[str] | None) -> list[Kata]:
        """Katas matching any pattern: an id, a topic, or a file stem."""
        if not patterns:
            return list(self.katas)
        chosen = [k for k in self.katas
                  if any(p in (k.id, k.topic, k.stem) for p in patterns)]
        unknown = [p for p in patterns if not any(p in (k.id, k.topic, k.stem) for k in self.katas)]
        if unknown:
            # repr: quoted, and shown safely whatever was typed
            raise UnknownKata(f"no kata matches {' or '.join(map(repr, unknown))}; `grader list` shows them")
        return chosen


def parse(text: str) -> Manifest:
    data = tomllib.loads(text)
    topics = tuple(Topic(id=t["id"], title=t["title"]) for t in data.get("topic", []))
    katas = tuple(
        Kata(id=k["id"], title=k["title"], points=int(k["points"]), tutorial=k["tutorial"],
             hints=tuple(k.get("hints", ())))
        for k in data.get("kata", [])
    )
    ids = [k.id for k in katas]
    if len(set(ids)) != len(ids):
        raise ValueError("the manifest lists a kata twice")
    return Manifest(topics=topics, katas=katas)


@cache
def load(path: Path = MANIFEST_PATH) -> Manifest:
    return parse(path.read_text(encoding="utf-8"))
