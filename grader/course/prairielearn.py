"""`grader release OUT --for prairielearn`: PrairieLearn questions for the katas, externally graded.

One question per topic. A topic is one idea taught in a few katas (its README introduces them
all), the size of one sitting, and the katas of a topic build on each other (the mse of 02 is the
loss the loops of 05 minimise), so a question shows the topic's introduction and a file editor per
kata, and one submission grades them together: the learner sees every kata's tests, and the
course gets one score per idea. A question per kata would cost a grading container (and torch's
start-up) per kata and scatter a topic over many pages; one question for all would be a page of
forty editors.

``OUT/questions/gradient_katas/<topic>/``: ``info.json`` (type v3, External grading, the image, the
entrypoint, serverFilesCourse), ``question.html`` (the introduction, a ``pl-file-editor`` per kata,
the results panel) and ``stubs/`` (each editor's starting code). ``OUT/serverFilesCourse/
gradient_katas/``: the grader with the hidden suites of the released katas and the entrypoint
script, copied into each grading job at ``/grade/serverFilesCourse``. ``OUT/image/``: the
Dockerfile of the grading image (the pinned CPU stack and the grader without its suites).
"""

from __future__ import annotations

import html
import json
import shutil
import stat
import uuid
from pathlib import Path

from grader.course import package, release, stubs
from grader.manifest import EXERCISES_DIR, REPO_DIR, SOLUTIONS_DIR, Kata, Manifest, Topic

COURSE_FOLDER = "gradient_katas"  # under questions/ and serverFilesCourse/
ENTRYPOINT = f"/grade/serverFilesCourse/{COURSE_FOLDER}/grade_prairielearn"
TIMEOUT = 180  # seconds a grading job may take: the grader's 120 s learner budget and start-up
UUIDS = uuid.UUID("5f0e9c3a-6d1b-4c55-9a53-2b8f0c1d7e42")  # namespace: a topic keeps its question's uuid


def question_uuid(topic: Topic) -> str:
    """The same uuid for a topic's question in every release, so re-releasing updates it."""
    return str(uuid.uuid5(UUIDS, f"gradient-katas/{topic.id}"))


def info(topic: Topic, katas: list[Kata], image: str) -> dict:
    points = sum(kata.points for kata in katas)
    return {
        "uuid": question_uuid(topic),
        "title": f"{topic.id}: {topic.title} ({points} points)",
        "topic": "Gradient descent",
        "tags": ["gradient-katas", topic.id],
        "type": "v3",
        "singleVariant": True,
        "partialCredit": True,
        "gradingMethod": "External",
        "externalGradingOptions": {
            "comment": "Made by `grader release --for prairielearn`.",
            "image": image,
            "entrypoint": f"{ENTRYPOINT} {topic.id}",
            "serverFilesCourse": [f"{COURSE_FOLDER}/"],
            "timeout": TIMEOUT,
            "enableNetworking": False,
        },
    }


def introduction(topic: Topic, exercises: Path = EXERCISES_DIR) -> str:
    """The topic README's opening, before its first section (the rest is about running tests in a
    repository): Markdown for PrairieLearn's ``<markdown>`` tag, as the course wrote it."""
    readme = exercises / topic.id / "README.md"
    text = readme.read_text() if readme.is_file() else f"# {topic.id}: {topic.title}\n"
    opening = text.split("\n## ", 1)[0].strip()
    # the page has its own title: the README's headings go three levels down
    opening = "\n".join(f"###{line}" if line.startswith("#") else line for line in opening.splitlines())
    if "{{" in opening or "</markdown>" in opening:  # question.html is a mustache template
        raise release.ReleaseError(f"{readme} holds '{{{{' or '</markdown>', which PrairieLearn's "
                                   "templates would read: reword it")
    return opening


def question_html(topic: Topic, katas: list[Kata], exercises: Path = EXERCISES_DIR) -> str:
    parts = ["<pl-question-panel>", "<markdown>", introduction(topic, exercises), "</markdown>",
             "<p>Each file's docstring is its task: replace its <code>raise NotImplementedError(...)"
             "</code> line with your code. Submitting grades every kata below with the course's "
             "hidden checks (values, gradients, edge cases and the rules in the docstring), and "
             "shows what each check tried, expected and got.</p>"]
    for number, kata in enumerate(katas, start=1):
        name = html.escape(f"{kata.stem}.py")
        parts += [f"<h4>{number}. {html.escape(kata.title)} (<code>{name}</code>, "
                  f"{kata.points} points)</h4>",
                  f'<pl-file-editor file-name="{name}" ace-mode="ace/mode/python" '
                  f'source-file-name="{name}" directory="stubs"></pl-file-editor>']
    parts += ["</pl-question-panel>", "", "<pl-submission-panel>",
              "  <pl-external-grader-results></pl-external-grader-results>",
              "  <pl-file-preview></pl-file-preview>", "</pl-submission-panel>"]
    return "\n".join(parts) + "\n"


def _executable(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def build(out: Path, manifest: Manifest, katas: list[Kata], image: str,
          exercises: Path = EXERCISES_DIR, solutions: Path = SOLUTIONS_DIR,
          constraints: Path = REPO_DIR / "constraints.txt") -> list[Path]:
    """The questions, serverFilesCourse and the image's folder in ``out`` (new or empty)."""
    if out.exists() and any(out.iterdir()):
        raise release.ReleaseError(f"{out} is not empty: release into a new folder")
    chosen = release.selection(manifest, katas)
    try:
        package.check_suites(list(chosen.katas))  # before anything is written
    except FileNotFoundError as error:
        raise release.ReleaseError(str(error)) from error
    drifted = stubs.drift(list(chosen.katas), solutions, exercises)
    if drifted:
        raise release.ReleaseError(f"{len(drifted)} stubs are out of date with the solutions "
                                   f"({drifted[0]}, …): run `grader stubs` first")
    pins = constraints.read_text()
    for topic in chosen.topics:
        ours = [kata for kata in chosen.katas if kata.topic == topic.id]
        folder = out / "questions" / COURSE_FOLDER / topic.id
        (folder / "stubs").mkdir(parents=True)
        (folder / "info.json").write_text(json.dumps(info(topic, ours, image), indent=2) + "\n")
        (folder / "question.html").write_text(question_html(topic, ours, exercises))
        for kata in ours:
            shutil.copyfile(exercises / kata.relative_file, folder / "stubs" / f"{kata.stem}.py")
    shared = out / "serverFilesCourse" / COURSE_FOLDER
    package.copy(shared / "grader", list(chosen.katas), hidden=True)
    _executable(shared / "grade_prairielearn", release.template("prairielearn_grade.sh"))
    built = out / "image"
    package.copy(built / "grader", list(chosen.katas), hidden=False)
    readme = (release.template("prairielearn_readme.md")
              .replace("__QUESTIONS__", str(len(chosen.topics)))
              .replace("__POINTS__", str(sum(kata.points for kata in chosen.katas)))
              .replace("__TORCH__", release.torch_pin(pins)).replace("__IMAGE__", image)
              .replace("__TIMEOUT__", str(TIMEOUT)))
    for folder in (shared, built):
        (folder / "constraints.txt").write_text(pins)
        (folder / "pyproject.toml").write_text(release.template("pyproject.toml"))
        (folder / "README.md").write_text(readme)
    (built / "Dockerfile").write_text(release.template("prairielearn.Dockerfile")
                                      .replace("__TORCH__", release.torch_pin(pins)))
    (out / "README.md").write_text(readme)
    return sorted(path for path in out.rglob("*") if path.is_file())
