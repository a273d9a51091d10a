"""The instructor's views of a class (report.html, the CSVs, the feedback files, the terminal): who
needs help first, each learner's diagnoses a click away, real mistakes counted apart from work not
there, and learner text shown as data in every one of them."""

from __future__ import annotations

import csv
import io
import random
import re
from datetime import datetime
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from rich.console import Console

from grader.class_model import ClassRecord
from grader.course.similarity import Kept, find_similar
from grader.formats import class_summary, feedback_md, html, table
from grader.formats import csv as csv_format
from grader.model import Grade, summarize, summarize_kata
from grader.model import TestResult as Result  # not "Test…": pytest would try to collect it

from .conftest import EXERCISES

KATAS = ["01_autograd/derivative", "01_autograd/vjp", "02_losses/mse", "02_losses/sqrt_loss",
         "03_gradients/linear_grad", "03_gradients/finite_diff"]
STUB = "{name} is not written yet: it still raises NotImplementedError"
HOSTILE = ["<script>alert(1)</script>", "</code></pre><img src=x onerror=alert(1)>", "**bold** [link](http://x)",
           "=HYPERLINK(\"http://x\")", "```\n# heading\n```", "a | b", "\x1b]52;c;eA==\x07 clipboard",
           "::error::forged", "&amp; <!-- comment -->"]


def _kata(kata_id: str, kind: str, message: str = "off by a factor of N = 4: did you take the mean?"):
    name = kata_id.split("/")[1]
    if kind == "passed":
        tests = [Result("a", "passed", 2, 2), Result("b", "passed", 2, 2)]
    elif kind == "partial":
        tests = [Result("a", "passed", 2, 2), Result("b", "failed", 0, 2, f"{name}: {message}")]
    elif kind == "failed":
        tests = [Result("a", "failed", 0, 2, f"{name}: {message}"), Result("b", "failed", 0, 2,
                                                                                    f"{name}: {message}")]
    elif kind == "stub":
        tests = [Result(t, "failed", 0, 2, STUB.format(name=name)) for t in "ab"]
    else:  # missing
        tests = [Result("file", "error", 0, 4, f"exercises/{kata_id}.py is missing")]
    return summarize_kata(kata_id, 4, tests, missing=kind == "missing")


def learner(name: str, kinds: list[str], message: str | None = None) -> Grade:
    katas = [_kata(kata_id, kind, *([message] if message else [])) for kata_id, kind in zip(KATAS, kinds,
                                                                                            strict=True)]
    return summarize(name, katas)


def _class() -> list[Grade]:
    unread = Grade("zip", score=0, max_score=24, problem="zip.zip is not a readable zip file", katas=[
        summarize_kata(kata_id, 4, [Result("submission", "error", 0, 4, "could not read the submission: "
                                               "zip.zip is not a readable zip file")], False)
        for kata_id in KATAS])
    return [
        learner("full", ["passed"] * 6),
        learner("stuck", ["passed", "passed", "failed", "partial", "stub", "stub"]),  # 12/24, stuck in 02
        learner("half", ["passed", "passed", "passed", "stub", "stub", "missing"]),   # 12/24
        learner("nothing", ["stub"] * 6),
        learner("most", ["passed"] * 5 + ["partial"]),
        unread,
    ]


def test_learners_are_sorted_by_need_and_flagged():
    figures = class_summary.summarize_class(_class(), KATAS)
    assert [one.submission for one in figures.learners] == ["zip", "nothing", "stuck", "half", "most", "full"]
    flags = {one.submission: one.flags for one in figures.learners}
    assert flags["zip"] == ["not graded"] and flags["nothing"] == ["nothing written"]
    # 03_gradients: two of six got there, too few to call stopping before it a need
    assert flags["stuck"] == ["stuck in 02_losses"] and flags["half"] == []
    assert flags["full"] == [] and flags["most"] == []
    page = html.render(ClassRecord(_class(), KATAS))
    shown = re.findall(r"<details class='row'><summary class='line'><span class='who'><b>([^<]*)</b>", page)
    assert shown == ["zip", "nothing", "stuck", "half", "most", "full"]


def test_stopping_counts_only_where_most_of_the_class_got():
    early = [learner(f"l{n}", ["passed", "passed", "passed", "passed", "stub", "stub"]) for n in range(3)]
    figures = class_summary.summarize_class(early, KATAS)
    assert all(not one.stopped_at for one in figures.learners)  # nobody has reached 03_gradients yet
    ahead = [learner(f"m{n}", ["passed"] * 6) for n in range(3)]
    figures = class_summary.summarize_class(early + ahead, KATAS)
    assert {one.submission: one.stopped_at for one in figures.learners if one.stopped_at} == {
        "l0": "03_gradients", "l1": "03_gradients", "l2": "03_gradients"}


def test_mistakes_are_counted_apart_from_work_not_there():
    (derivative, vjp, mse, sqrt_loss, linear, finite) = class_summary.summarize_class(_class(), KATAS).katas
    assert dict(mse.mistakes) == {"mse: off by a factor of N = 4: did you take the mean?": 1}
    assert not linear.mistakes  # stubs and an unreadable zip: no mistakes
    assert list(finite.mistakes) == ["finite_diff: off by a factor of N = 4: did you take the mean?"]
    assert linear.outcomes[class_summary.NOT_WRITTEN] == 3 and finite.outcomes[class_summary.MISSING] == 1
    assert finite.outcomes[class_summary.UNREADABLE] == 1 and finite.written == 2
    assert derivative.pass_rate == 4 / 6


def _parse(page: str) -> tuple[list[tuple[str, dict]], str]:
    tags: list[tuple[str, dict]] = []
    texts: list[str] = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, dict(attrs)))

        def handle_data(self, data):
            texts.append(data)

    Reader(convert_charrefs=True).feed(page)
    return tags, "".join(texts)


def test_each_row_opens_to_that_learners_diagnoses_without_javascript():
    page = html.render(ClassRecord(_class(), KATAS))
    tags, _ = _parse(page)
    assert "script" not in {tag for tag, _ in tags}
    rows = re.findall(r"<details class='row'>(.*?)</details>", page, re.S)
    assert len(rows) == 6
    by_name = {re.search(r"<b>([^<]*)</b>", row).group(1): row for row in rows}
    assert "off by a factor of N = 4" in by_name["stuck"].split("<div class='more'>")[1]
    assert "Nothing written from" not in by_name["stuck"]
    assert "Nothing written from 01_autograd/derivative on</b> (6 katas)" in by_name["nothing"]
    assert "zip.zip is not a readable zip file" in by_name["zip"]
    # the table scrolls in its own box, its first column stays: the board is as wide as its katas
    assert "class='scroll'" in page and "position:sticky;left:0" in page and "--katas:6" in page


def test_the_report_is_the_same_bytes_for_the_same_class():
    grades = _class()
    shuffled = grades[:]
    random.Random(4).shuffle(shuffled)
    moment = datetime.fromisoformat("2025-03-01T10:00:00+00:00")
    pages = {html.render(ClassRecord(sorted(order, key=lambda g: g.submission), KATAS,
                                     committed={"full": moment})) for order in (grades, shuffled)}
    assert len(pages) == 1


def _hostile_record() -> ClassRecord:
    grades = [learner(f"{prefix}{n}", ["failed", "partial", "passed", "stub", "passed", "missing"], message)
              for n, (prefix, message) in enumerate(zip(["+", "-", "@", "x"] * 3, HOSTILE, strict=False))]
    stub = (EXERCISES / "05_loops/fit_numpy.py").read_text()
    body = ("w = 0.0\n    losses = []\n    for _ in range(epochs):\n"
            "        grad = 2 * ((w * X - y) * X).mean()\n        w -= lr * grad\n"
            "        losses.append(float(((w * X - y) ** 2).mean()))\n"
            "    return w, losses  # </code></pre><script>alert(1)</script> **x**\n")
    code = stub.replace('raise NotImplementedError("05_loops/fit_numpy: your code goes here (see the '
                        'docstring)")', body)
    work = {grades[0].submission: {"05_loops/fit_numpy": Kept.of(code)},
            grades[1].submission: {"05_loops/fit_numpy": Kept.of(code.replace("losses", "hist"))}}
    similar = find_similar(work, {"05_loops/fit_numpy": stub}, ["05_loops/fit_numpy"])
    assert similar
    return ClassRecord(grades, KATAS, assignment="Week <1> & **all**", similar=similar)


def test_learner_text_is_text_in_the_report():
    record = _hostile_record()
    page = html.render(record)
    tags, text = _parse(page)
    ours = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "span", "nav", "a", "div", "b",
            "br", "details", "summary", "table", "tr", "th", "td", "figure", "figcaption", "pre", "code",
            "mark"}
    assert {tag for tag, _ in tags} <= ours
    assert not any(name.startswith("on") for _, attrs in tags for name in attrs)
    for message in HOSTILE[:4]:
        assert message in text, message
    assert "alert(1)</script> **x**" in text  # the evidence's code, shown as it is


def test_learner_text_is_text_in_the_csv_files():
    record = _hostile_record()
    for rendered in (csv_format.render(record), csv_format.render_similar(record),
                     csv_format.render_gradebook(record.grades, "=SUM(A1)")):
        for row in csv.reader(io.StringIO(rendered)):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@")), cell
    gradebook = list(csv.reader(io.StringIO(csv_format.render_gradebook(record.grades, "Week 3: losses"))))
    assert gradebook[0][-1] == "Week 3: losses"


def test_learner_text_is_text_in_the_feedback_files():
    record = _hostile_record()
    markdown = MarkdownIt("commonmark").enable("table")
    for grade in record.grades:
        text = feedback_md.render(record, grade)
        rendered = markdown.render(text)
        # the only markup is ours: headings, paragraphs, emphasis, code, a table
        ours = {"h1", "h2", "h3", "p", "strong", "code", "pre", "table", "thead", "tbody", "tr", "th", "td"}
        assert set(re.findall(r"</?([a-z0-9]+)", rendered)) <= ours
        assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
        assert rendered.count("<tr>") == len(KATAS) + 1
        assert "\x1b" not in text


def test_a_feedback_file_has_the_score_the_katas_the_diagnoses_and_the_next_step():
    record = ClassRecord(_class(), KATAS, assignment="Week 2")
    text = feedback_md.render(record, record.grades[1])  # "stuck"
    assert text.startswith("# Week 2: feedback for `stuck`\n")
    assert "**Score: 10 / 24** (42%)" in text
    assert "| `02_losses/mse` | 0 / 4 | tests fail |" in text
    assert "| `03_gradients/linear_grad` | 0 / 4 | not written yet |" in text
    assert "Fix `02_losses/mse` next" in text and "grader watch 02_losses/mse" in text
    assert "### `02_losses/sqrt_loss`: 2 / 4" in text and "off by a factor of N = 4" in text
    assert "Every kata passes" in feedback_md.render(record, record.grades[0])
    assert "could not be graded" in feedback_md.render(record, record.grades[5])
    assert "Write `01_autograd/derivative` next" in feedback_md.render(record, record.grades[3])


def test_learner_text_is_text_on_the_terminal():
    for message in HOSTILE:
        record = ClassRecord([learner("+1", ["failed"] * 6, message)], KATAS)
        figures = class_summary.summarize_class(record.grades, KATAS)
        console = Console(width=300, record=True, file=io.StringIO())
        console.print(table.class_table(figures, "class"))
        console.print(table.need_table(record, figures))
        shown = console.export_text()
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown) and "::" not in shown
        assert message.splitlines()[0].replace("\x1b]52;c;eA==\x07", "").replace("::", ": :") in shown


def _long_class(kata_ids: list[str], size: int) -> list[Grade]:
    """A class in which every kata has a long mistake, the wording of a real diagnosis."""
    grades = []
    for number in range(size):
        katas = []
        for kata_id in kata_ids:
            message = (f"{kata_id.split('/')[1]}(X, y, lr, epochs) returned a tensor that still carries an "
                       "autograd graph: return .detach() of it, or compute under torch.no_grad() so that "
                       "nothing downstream backpropagates into the learner's parameters by accident")
            solved = number % 4 == 0
            tests = [Result("a", "passed" if solved else "failed", 2 if solved else 0, 2, message),
                     Result("b", "passed", 2, 2)]
            katas.append(summarize_kata(kata_id, 4, tests, missing=False))
        grades.append(summarize(f"learner{number:03d}", katas))
    return grades


def test_the_terminal_summary_reads_at_80_columns(manifest):
    """As `grader batch` prints it to a log (80 columns): every kata named whole (its name where
    no other kata shown has it), each kata's most common mistake in a few lines, and what the
    learners most in need are counted among."""
    kata_ids = [kata.id for kata in manifest.katas]
    grades = _long_class(kata_ids, 12)
    record = ClassRecord(grades, kata_ids)
    figures = class_summary.summarize_class(grades, kata_ids)
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(table.class_table(figures, "class"))
    console.print(table.need_table(record, figures))
    lines = console.export_text().splitlines()
    assert all(len(line) <= 80 for line in lines)
    starts = [line.split()[0] for line in lines if line[:2] == "  " and line[2:3].strip()]
    assert not any("…" in start for start in starts)
    for kata_id in kata_ids:
        assert kata_id.split("/")[1] in starts, kata_id
    assert len(lines) <= 3 * len(kata_ids) + 25, len(lines)
    text = "\n".join(lines)
    assert "most in need (9 of 9 learners; all in report.html)" in text
    assert "9 learners of 12 short of full marks or flagged" in " ".join(text.split())
    # two katas of one name in different topics: each by its full id
    same = ["10_classification/loss", "14_generalization/loss"]
    assert table.kata_labels([*same, "02_losses/mse"]) == {**{kata_id: kata_id for kata_id in same},
                                                           "02_losses/mse": "mse"}


def test_a_hang_is_one_mistake_and_long_mistakes_are_cut_at_a_word():
    late = "exercises/02_losses/mse.py did not finish running mse in time"
    hung = [Result("first", "timeout", 0, 1, late),
            *(Result(f"again {n}", "timeout", 0, 1, late + " (1 s, as an earlier call already hung)"
                     + (" (gave up restarting it)" if n else "")) for n in range(2))]
    long = "mse: " + " ".join(["the values are off by a wide margin"] * 8)
    grades = [summarize("hangs", [summarize_kata("02_losses/mse", 3, hung, missing=False)]),
              summarize("long", [summarize_kata("02_losses/mse", 3, [Result("t", "failed", 0, 3, long)],
                                                missing=False)])]
    (kata,) = class_summary.summarize_class(grades, ["02_losses/mse"]).katas
    shown = dict(kata.mistakes)
    assert shown["exercises/02_losses/mse.py did not finish running mse in time"] == 1 and len(shown) == 2
    (cut,) = [text for text in shown if text.startswith("mse: ")]
    assert len(cut) <= class_summary.MAX_MISTAKE and cut.endswith("…")
    assert long.startswith(cut[:-1]) and long[len(cut) - 1] == " "  # whole words, then the ellipsis
    page = html.render(ClassRecord(grades, ["02_losses/mse"]))
    row = re.search(r"<tr><td class='id'>02_losses/mse</td>.*?</tr>", page.split("id='katas'")[1]).group()
    assert row.count(" ×</span>") == 2 and "as an earlier call already hung" not in row
    assert "as an earlier call already hung" not in feedback_md.render(ClassRecord(grades, []), grades[0])


def test_shown_points_and_words_are_plain():
    """One rounding rule for points in every view; a title that reads as plain text; no "1 submissions"."""
    tests = [Result("a", "passed", 836.25, 836.25), Result("b", "failed", 0, 73.75, "mse: off")]
    grade = summarize("ada", [summarize_kata("02_losses/mse", 910, tests, missing=False)])
    record = ClassRecord([grade], ["02_losses/mse"], assignment="Week 3: katas (1234)")
    text = feedback_md.render(record, grade)
    assert text.startswith("# Week 3: katas (1234): feedback for `ada`\n")
    assert "**Score: 836.25 / 910**" in text
    page = html.render(record)
    assert "836.25 / 910" in page and "836.2 " not in page
    assert "title='1 submission'" in page and "1 submissions" not in page
    assert class_summary.points(887.8543) == "887.85" and class_summary.points(10.0) == "10"
    # what Markdown would read as markup still cannot be: the name stays text
    record.assignment = "Week_3 *all* <b>x</b> [a](b) `c` &amp; $x$ a_b"
    heading = MarkdownIt("commonmark").render(feedback_md.render(record, grade).splitlines()[0])
    assert heading.startswith("<h1>Week_3 *all* &lt;b&gt;x&lt;/b&gt; [a](b) `c` &amp;amp; $x$ a_b: ")


def test_the_terminal_titles_points_as_the_report_shows_them(manifest):
    from grader.cli.instructor import _class_summary
    from grader.course.batch import BatchResult

    kata_ids = [kata.id for kata in manifest.katas]
    grades = _long_class(kata_ids, 3)
    record = ClassRecord(grades, kata_ids)
    figures = class_summary.summarize_class(grades, kata_ids)
    console = Console(width=80, record=True, file=io.StringIO())
    _class_summary(console, BatchResult(grades=grades, figures=figures, record=record), "class")
    text = " ".join(console.export_text().split())
    shown = f"class, mean {class_summary.points(figures.mean)} / {class_summary.points(figures.max_score)}"
    assert shown in text, text[:300]
