"""Learner text is data in every view: no control characters reach a terminal, XML or a CI log, no
workflow command can start a line, and nothing in a message is read as markup (mathtext, HTML,
Markdown) or can break the class report."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from markdown_it import MarkdownIt
from rich.console import Console

from grader.course import batch
from grader.formats import classroom, gradescope, html, junit, table
from grader.formats import json as json_format
from grader.formats.class_summary import summarize_class
from grader.learner import curves, verdict
from grader.model import Grade, KataResult, clean_text
from grader.model import TestResult as Result  # not "Test…": pytest would try to collect it

# one of each character class that must not survive, by name
HOSTILE_CHARACTERS = {
    **{f"C0 {code:#04x}": chr(code) for code in range(0x20) if chr(code) not in "\n\t"},
    "DEL": "\x7f",
    **{f"C1 {code:#04x}": chr(code) for code in range(0x80, 0xA0)},
    **{f"bidi U+{code:04X}": chr(code) for code in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
                                                  *range(0x2066, 0x206A))},
    "lone high surrogate": "\ud800",
    "lone low surrogate": "\udfff",
    "U+FFFE": "\ufffe",
    "U+FFFF": "\uffff",
}
ATTACKS = [
    "\x1b[2J\x1b[H screen cleared",                       # CSI: clear the screen
    "\x1b]0;pwned\x07 title set",                         # OSC 0: the window title
    "\x1b]52;c;ZWNobyBwd25lZA==\x07 clipboard written",   # OSC 52: the clipboard
    "\x9b2J C1 CSI",
    "NUL \x00 and form feed \x0c and bell \x07",
    "right-to-left \u202eevil\u202c",
    "lone \ud83d surrogate and \ufffe",
]
# workflow commands placed so that a table's word wrap would start a line with them
COMMANDS = ("::warning file=x.py::hello", "::add-mask::secret", "::stop-commands::abc",
            "##vso[task.setvariable variable=x]1", "##[error]old style")
LONG = " ".join(f"{'word ' * n}{command}" for n, command in enumerate(COMMANDS, start=3))
MATHTEXT = ["$a^b^c$", r"$\frac{$", "$$", r"\$x_1$ and $x_2"]
MARKUP = ["--><script>alert(1)</script><!--", "<img src=x onerror=alert(1)>", "]]> & &amp; <![CDATA[",
          "**bold** [a link](https://example.com) <b>bold</b> https://example.com @someone",
          "a | b \\| c ``` fenced ` tick", "`leading and trailing`"]


def _grade(messages: list[str], submission: str = "alice") -> Grade:
    katas = [KataResult(id=f"02_losses/kata{n}", score=0, max_score=1, status="failed",
                        tests=[Result(name=f"case {message}", status="failed", score=0, max_score=1,
                                          message=message)])
             for n, message in enumerate(messages)]
    return Grade(submission=submission, score=0, max_score=len(katas), katas=katas,
                 locks={"active": [], "inactive": {"network": "refused \x1b]0;x\x07::add-mask::y"}})


def _strings(grade: Grade) -> list[str]:
    return ([grade.submission, json.dumps(grade.locks, ensure_ascii=False)]
            + [text for kata in grade.katas for text in (kata.id, kata.status)]
            + [text for kata in grade.katas for test in kata.tests for text in (test.name, test.message)])


def test_clean_text_removes_every_control_class_and_spaces_out_command_marks():
    text = "start\t" + "".join(f"{name}[{char}]" for name, char in HOSTILE_CHARACTERS.items()) + "\nend"
    cleaned = clean_text(text)
    assert not set(HOSTILE_CHARACTERS.values()) & set(cleaned)
    assert cleaned.startswith("start ") and cleaned.endswith("\nend")  # a tab is a space; lines stay
    assert "DEL[]" in cleaned and "U+FFFE[]" in cleaned
    assert clean_text("a::b :::c ##vso[ ###") == "a: :b : : :c # #vso[ # # #"
    assert clean_text(clean_text(LONG)) == clean_text(LONG)


def test_the_grade_cleans_learner_text_however_it_gets_in():
    dirty = "\x1b]52;c;eA==\x07x\u202e::warning::y\ud800"
    built = _grade([dirty], submission=dirty)
    built.katas[0].tests[0].message += dirty  # edited after it was built
    built.katas.append(KataResult(id=dirty, status="failed", tests=[Result(dirty, "failed", 0, 1, dirty)]))
    loaded = Grade.from_dict(json.loads(json.dumps(_grade([dirty], submission=dirty).to_dict()
                                                   | {"submission": dirty})))
    raw = json.loads(json.dumps(built.to_dict()))
    raw["katas"][0]["tests"][0]["message"] = dirty  # a grade file written by anything else
    for grade in (built, loaded, Grade.from_dict(raw)):
        for text in _strings(grade):
            assert clean_text(text) == text, repr(text)
            assert "::" not in text and "\x1b" not in text
    raw["katas"][0]["status"] = dirty  # not a status at all: refused, not cleaned
    with pytest.raises(ValueError, match="no known status"):
        Grade.from_dict(raw)


def test_junit_xml_is_well_formed_whatever_the_messages_hold():
    messages = [*HOSTILE_CHARACTERS.values(), "".join(HOSTILE_CHARACTERS.values()), *ATTACKS, *MARKUP,
                LONG]
    rendered = junit.render(_grade(messages, submission="".join(HOSTILE_CHARACTERS.values())))
    root = ET.fromstring(rendered.encode("utf-8"))  # a lone surrogate would not even encode
    assert len(root.findall("testsuite/testcase/failure")) == len(messages)
    for line in rendered.splitlines():
        assert not line.lstrip().startswith(("::", "##")), line


@pytest.mark.parametrize("width", [40, 57, 80, 120])
def test_the_table_shows_learner_text_and_obeys_none_of_it(width):
    grade = _grade([*ATTACKS, LONG, *(f"{'x ' * n}{LONG}" for n in range(1, 12))])
    outputs = [table.render(grade, width=width),
               table.render(Grade.from_dict(json.loads(json_format.render(grade))), width=width)]
    figures = summarize_class([grade], [kata.id for kata in grade.katas])
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(table.class_table(figures, "class"))  # as `grader batch` prints it
    outputs.append(console.export_text())
    for text in outputs:
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)
        for line in text.splitlines():
            assert not line.lstrip().startswith(("::", "##")), line
        assert "::" not in text and "##" not in text
    if width >= 80:
        assert "screen cleared" in outputs[0] and "clipboard written" in outputs[0]


def test_annotations_carry_learner_text_escaped_only():
    message = "100% wrong\n::error::forged\nline three, with: colons"
    grade = Grade("alice", 0, 1, [KataResult("02_losses/a,b:c", 0, 1, "failed",
                                             [Result("t", "failed", 0, 1, message)])])
    (line,) = classroom.annotations(grade)
    found = re.fullmatch(r"::error file=([^:,]*),line=(\d+),title=([^:,]*)::([^\r\n]*)", line)
    assert found, line
    data, title = found.group(4), found.group(3)
    assert not re.search(r"%(?!25|0A|0D)", data) and not re.search(r"%(?!25|0A|0D|3A|2C)", title)

    def unescape(text: str) -> str:
        for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
            text = text.replace(escaped, plain)
        return text

    assert unescape(data) == clean_text(message)
    assert unescape(title).startswith("02_losses/a,b:c: 0/1")


def test_the_job_summary_shows_learner_text_as_code():
    messages = [*MARKUP, *ATTACKS]
    grade = _grade(messages)
    rendered = MarkdownIt("commonmark").enable("table").render(classroom.summary(grade))
    rows = re.findall(r"<tr>(.*?)</tr>", rendered, re.S)[1:]
    assert len(rows) == len(messages)
    for row, message in zip(rows, messages, strict=True):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert len(cells) == 4, row
        problem = cells[3]
        assert re.fullmatch(r"<code>[^<]*</code>", problem), problem  # one code span, no other markup
        shown = problem.removeprefix("<code>").removesuffix("</code>")
        shown = shown.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
        assert shown == clean_text(message).strip().splitlines()[0]


def test_gradescope_and_json_views_hold_only_clean_text():
    grade = _grade([*ATTACKS, LONG])
    for text in (gradescope.render(grade), json_format.render(grade)):
        for value in _json_strings(json.loads(text)):
            assert value == clean_text(value)


def _json_strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for key, value in data.items() for s in (key, *_json_strings(value))]
    if isinstance(data, list):
        return [s for value in data for s in _json_strings(value)]
    return []


def test_the_report_shows_any_diagnosis_as_plain_text():
    from html.parser import HTMLParser

    from grader.class_model import ClassRecord

    grade = _grade([*MATHTEXT, *MARKUP, *ATTACKS])
    page = html.render(ClassRecord([grade], [kata.id for kata in grade.katas]))
    tags: set[str] = set()
    texts: list[str] = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.add(tag)
            assert not any(name.startswith("on") for name, _ in attrs), attrs

        def handle_data(self, data):
            texts.append(data)

    Reader(convert_charrefs=True).feed(page)
    assert not tags & {"script", "img", "iframe", "object", "svg"}, tags
    shown = "".join(texts)
    for message in (*MATHTEXT, *MARKUP):
        assert clean_text(message) in shown, message


def test_a_diagnosis_in_mathtext_cannot_stop_a_class_report(tmp_path):
    """One learner's `$a^b^c$` used to stop report.html, and with it batch, resume and merge."""
    shard = tmp_path / "shard"
    shard.mkdir()
    for number, message in enumerate(MATHTEXT):
        grade = _grade([message], submission=f"learner{number}")
        (shard / f"learner{number}.json").write_text(grade.to_json())
    result = batch.merge([shard], tmp_path / "out", [kata.id for kata in _grade(["x"]).katas])
    assert len(result.grades) == len(MATHTEXT)
    assert "$a^b^c$" in (tmp_path / "out" / "report.html").read_text()


def test_a_loss_plot_draws_dollar_signs_as_text(tmp_path):
    curve = curves.Curve("05_loops/fit_numpy", "costs $a^b^c$", [1.0, 0.5, 0.25], [1.0, 0.4, 0.1])
    picture = curves.plot(curve, tmp_path / "losses.png")
    assert picture.read_bytes().startswith(b"\x89PNG")


def test_a_verdict_for_the_learner_is_clean_too(manifest, tmp_path):
    kata = manifest.katas[0]
    result = KataResult(kata.id, 0, 1, "failed", [Result("\x1b[31mred", "failed", 0, 1, ATTACKS[2])])
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(verdict.render(result, kata, None))
    failed_run = curves.Curve(kata.id, "seed data", None, None, problem=f"ValueError: {ATTACKS[1]}")
    console.print(verdict.render_curve(failed_run, tmp_path / "kata.py"))
    shown = console.export_text()
    assert "clipboard written" in shown and "title set" in shown and "\x1b" not in shown
