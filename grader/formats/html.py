"""A class as one self-contained HTML page, for the teacher: who needs help first, what each kata's
real mistakes are, whose work is near-identical, what was late. It opens offline, anywhere, needs
no JavaScript (rows open with <details>), and the same class gives the same bytes.

Learner text (ids, messages, code) is data: every piece of it goes through html.escape, in text
and in attributes alike, and nothing a learner wrote is ever placed as markup.
"""

from __future__ import annotations

import html
from collections import defaultdict
from urllib.parse import quote

from grader.class_model import (
    COMMON_PASSAGE,
    LATE,
    SIMILAR_SHARE,
    UNKNOWN,
    ClassRecord,
    SimilarPair,
    Spans,
    duration,
)
from grader.formats import class_summary as summary
from grader.formats.class_summary import ClassFigures, KataFigures, LearnerFigures, top_mistakes
from grader.model import Grade, KataResult

MAX_PAIRS_SHOWN = 40  # learner pairs with their evidence on the page; similar.csv has them all
MAX_MISTAKES_SHOWN = 2  # per kata in a learner's row

# outcome -> (mark in the cell, css class, words for the legend, words in a learner's details)
MARKS = {
    summary.PASSED: ("✓", "ok", "passed", "passed"),
    summary.PARTIAL: ("", "part", "some points (the number shown)", "some points"),
    summary.FAILED: ("✗", "bad", "no points: a mistake", "no points"),
    summary.BROKEN: ("!", "broken", "does not run (does not import, or crashed)", "does not run"),
    summary.TIMEOUT: ("∞", "slow", "timed out", "timed out"),
    summary.NOT_WRITTEN: ("·", "todo", "not written yet (the stub)", "not written yet"),
    summary.MISSING: ("–", "gone", "no file", "no file"),
    summary.UNREADABLE: ("?", "unread", "submission could not be read", "could not be read"),
}

STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,"DejaVu Sans",sans-serif;margin:1.5rem auto;max-width:80rem;padding:0 1.5rem;
color:#222;line-height:1.35}
h1{font-size:1.5rem;margin:.2rem 0} h2{font-size:1.2rem;margin:2rem 0 .4rem}
.summary{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem} nav a{margin-right:1rem}
.note{color:#555;font-size:.85rem;margin:.3rem 0 .6rem;max-width:62rem}
.warning{background:#fff4d6;border-left:4px solid #e0a800;padding:.5rem .75rem}
.scroll{overflow-x:auto;max-width:100%;border:1px solid #ddd}
table{border-collapse:collapse;font-size:.85rem;width:100%}
td,th{border-bottom:1px solid #e4e4e4;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f6f6} .num{text-align:right;white-space:nowrap;width:1%} .id{white-space:nowrap}
.track{display:inline-block;position:relative;width:4rem;height:.6rem;background:#e8e8e8;
vertical-align:middle;margin-right:.4rem}.bar{position:absolute;left:0;top:0;bottom:0;background:#4a9c5d}
.mistake{margin:.1rem 0}.count{color:#555;font-variant-numeric:tabular-nums}
.hist{display:flex;align-items:flex-end;gap:.3rem;height:9rem;max-width:40rem;border-bottom:1px solid #999}
.hist div{flex:1;background:#3b6ea5;position:relative;min-height:1px}
.hist span{position:absolute;top:-1.1rem;width:100%;text-align:center;font-size:.75rem}
.axis{display:flex;gap:.3rem;max-width:40rem;font-size:.7rem;color:#555}.axis span{flex:1;text-align:center}
.board{width:max-content;min-width:100%;font-size:.8rem}
.line{display:grid;grid-template-columns:var(--first) repeat(var(--katas),var(--cell));
border-bottom:1px solid #e4e4e4}
.who{position:sticky;left:0;z-index:1;background:#fff;border-right:1px solid #bbb;padding:.25rem .5rem;
overflow-wrap:anywhere}
.head{background:#f6f6f6;position:relative}.head .who{background:#f6f6f6;grid-row:1 / span 2;
display:flex;align-items:flex-end;font-weight:600}
.topic{grid-row:1;font-size:.7rem;padding:.15rem .25rem;border-left:1px solid #bbb;white-space:nowrap;
overflow:hidden;text-overflow:ellipsis;color:#444}
.kh{grid-row:2;writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-size:.72rem;
height:10rem;padding:.25rem 0;text-align:left;line-height:var(--cell);overflow:hidden;
text-overflow:ellipsis}
.c{display:flex;align-items:center;justify-content:center;margin:2px 1px;border-radius:3px;font-size:.75rem;
font-variant-numeric:tabular-nums;min-height:1.4rem}
.t0{border-left:1px solid #bbb}.c.t0{margin-left:2px}
.ok{background:#d9efdc;color:#17692b}.part{background:#fbe6b8;color:#6a4a00}.bad{background:#f6d0d0;color:#a11}
.broken{background:#ead7f0;color:#808}.slow{background:#fbd9b8;color:#a04a00}.todo{background:#f1f1f1;color:#999}
.gone{color:#bbb}.unread{background:#ddd;color:#555}
details.row>summary{list-style:none;cursor:pointer}details.row>summary::-webkit-details-marker{display:none}
details.row>summary:hover .who,details.row>summary:hover{background:#f3f7fc}
details.row>summary:focus-visible{outline:2px solid #3b6ea5}
details.row>summary .who::before{content:"▸ ";color:#777}details.row[open]>summary .who::before{content:"▾ "}
.score{color:#444;white-space:nowrap;font-variant-numeric:tabular-nums}
.flag{display:inline-block;font-size:.7rem;background:#fde2e2;color:#8a1111;border-radius:3px;padding:0 .3rem;
margin:.1rem .2rem 0 0}.flag.soft{background:#eee;color:#555}.flag.copy{background:#e6e0f6;color:#4b2a8c}
.more{position:sticky;left:0;width:min(76rem,calc(100vw - 4rem));padding:.4rem .8rem .8rem 1.6rem;
background:#fafafa;border-top:1px dashed #ccc;font-size:.82rem}
.more table{width:auto;max-width:100%}.more td{padding:.15rem .5rem}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.78rem;margin:.4rem 0}
.legend .c{display:inline-flex;width:1.6rem;margin:0 .3rem 0 0}
.pairs>details{border-bottom:1px solid #e4e4e4;padding:.3rem 0}.pairs summary{cursor:pointer}
.sbs{display:grid;grid-template-columns:1fr 1fr;gap:.6rem;margin:.4rem 0 .8rem}
.sbs figure{margin:0;min-width:0}.sbs figcaption{font-size:.78rem;color:#444;margin-bottom:.2rem}
pre{margin:0;background:#f7f7f7;border:1px solid #e2e2e2;padding:.4rem;font-size:.72rem;max-height:26rem;
overflow:auto;line-height:1.3}
mark{background:#ffe58a}
"""


def esc(text: object) -> str:
    """Any text as HTML text or attribute value: never markup."""
    return html.escape(str(text), quote=True)


_points = summary.points  # the one rule for points shown (the feedback files and terminal use it too)


def _cell_points(value: float) -> str:
    """Points that fit a cell of three characters (the exact score is in its tooltip)."""
    if value == int(value) or value >= 10:
        return f"{value:.0f}"
    return f"{value:.1f}"


def _percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def render(record: ClassRecord, figures: ClassFigures | None = None) -> str:
    """The whole page."""
    figures = figures or summary.summarize_class(record.grades, record.kata_ids)
    grades = {grade.submission: grade for grade in record.grades}
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
             f"<title>{esc(record.assignment)}: class report</title><style>{STYLE}</style></head><body>",
             f"<h1>{esc(record.assignment)}</h1>", _headline(record, figures), _nav(record, figures)]
    parts.append(_locks(record.grades))
    parts.append(_histogram(figures))
    parts.append(_learners(record, figures, grades))
    parts.append(_katas(figures))
    parts.append(_similar(record))
    parts.append(_late(record))
    parts.append(_not_graded(record.grades))
    parts.append("</body></html>\n")
    return "".join(parts)


def _headline(record: ClassRecord, figures: ClassFigures) -> str:
    share = _percent(figures.mean, figures.max_score)
    spans = [f"{figures.count} submission{'' if figures.count == 1 else 's'}",
             f"mean {_points(figures.mean)} / {_points(figures.max_score)} ({share})",
             f"median {_points(figures.median)}"]
    not_graded = sum(bool(grade.problem) for grade in record.grades)
    if not_graded:
        spans.append(f"{not_graded} not graded")
    if record.deadline is not None:
        late = sum(record.lateness(grade.submission) == LATE for grade in record.grades)
        unknown = sum(record.lateness(grade.submission) == UNKNOWN for grade in record.grades)
        spans.append(f"deadline {record.deadline.isoformat()}: {late} late, {unknown} with no commit time")
    learner_pairs = len({(pair.first, pair.second) for pair in record.similar})
    spans.append(f"{learner_pairs} pair{'s' if learner_pairs != 1 else ''} of learners with similar work")
    return "<p class='summary'>" + "".join(f"<span>{esc(text)}</span>" for text in spans) + "</p>"


def _nav(record: ClassRecord, figures: ClassFigures) -> str:
    links = [("learners", "Learners"), ("katas", "Katas"), ("similar", "Similar work")]
    if record.deadline is not None:
        links.append(("late", "Late work"))
    if any(grade.problem for grade in record.grades):
        links.append(("not-graded", "Not graded"))
    return "<nav>" + "".join(f"<a href='#{anchor}'>{text}</a>" for anchor, text in links) + "</nav>"


def _locks(grades: list[Grade]) -> str:
    missing = sorted({f"{name}: {why}" for grade in grades
                      for name, why in (grade.locks.get("inactive") or {}).items()})
    if not missing:
        return ""
    return ("<p class='warning'>Learner code ran without some of the grader's locks:<br>"
            + "<br>".join(esc(line) for line in missing) + "</p>")


def _histogram(figures: ClassFigures) -> str:
    """Scores in ten bins of a tenth of the points each (the last one holds full marks)."""
    if not figures.scores:
        return ""
    bins = [0] * 10
    for score in figures.scores:
        share = score / figures.max_score if figures.max_score else 0
        bins[min(9, int(share * 10))] += 1
    tallest = max(bins)
    bars = "".join(f"<div style='height:{100 * count / tallest:.1f}%' "
                   f"title='{count} submission{'' if count == 1 else 's'}'>"
                   f"<span>{count or ''}</span></div>" for count in bins)
    axis = "".join(f"<span>{10 * n}–{10 * n + 10}%</span>" for n in range(10))
    return (f"<h2>Score distribution</h2><div class='hist' role='img' aria-label='submissions per tenth "
            f"of the points'>{bars}</div><div class='axis'>{axis}</div>")


def _legend() -> str:
    items = "".join(f"<span><span class='c {css}'>{mark or '6'}</span>{esc(words)}</span>"
                    for mark, css, words, _ in MARKS.values())
    return f"<div class='legend'>{items}</div>"


def _learners(record: ClassRecord, figures: ClassFigures, grades: dict[str, Grade]) -> str:
    kata_ids = [kata.id for kata in figures.katas]
    topics: list[tuple[str, int]] = []
    for kata_id in kata_ids:
        topic = summary.topic_of(kata_id)
        if topics and topics[-1][0] == topic:
            topics[-1] = (topic, topics[-1][1] + 1)
        else:
            topics.append((topic, 1))
    starts = {kata_ids[sum(n for _, n in topics[:i])] for i in range(len(topics))}
    head = ["<div class='line head'><span class='who'>learner · score · flags</span>"]
    column = 2
    for topic, width in topics:
        label = topic if width > 1 else topic.split("_")[0]  # one column holds a topic's number
        head.append(f"<span class='topic' style='grid-column:{column} / span {width}' "
                    f"title='{esc(topic)}'>{esc(label)}</span>")
        column += width
    for number, kata_id in enumerate(kata_ids):
        first = " t0" if kata_id in starts else ""
        head.append(f"<span class='kh{first}' style='grid-column:{number + 2}' title='{esc(kata_id)}'>"
                    f"{esc(kata_id.split('/', 1)[-1])}</span>")
    head.append("</div>")
    rows = [_learner_row(record, learner, grades[learner.submission], kata_ids, starts)
            for learner in figures.learners if learner.submission in grades]
    note = ("Lowest share of the points first; among equals, the most topics stuck in (work written, "
            "none of it passing). Open a row for that learner's diagnoses; each learner's feedback "
            "file is in feedback/.")
    return (f"<h2 id='learners'>Learners, most in need first</h2><p class='note'>{esc(note)}</p>{_legend()}"
            f"<div class='scroll'><div class='board' style='--first:17rem;--cell:1.9rem;"
            f"--katas:{len(kata_ids)}'>{''.join(head)}{''.join(rows)}</div></div>")


def _cell(kata: KataResult | None, outcome: str, first: bool) -> str:
    start = " t0" if first else ""
    if kata is None:
        return f"<span class='c gone{start}'></span>"
    mark, css, words, _ = MARKS[outcome]
    shown = mark or _cell_points(kata.score)
    tip = f"{kata.id}: {_points(kata.score)} / {_points(kata.max_score)}, {words}"
    found = summary.mistakes(kata)
    if found:
        tip += f"\n{found[0]}"
    return f"<span class='c {css}{start}' title='{esc(tip)}'>{esc(shown)}</span>"


def _flags(record: ClassRecord, learner: LearnerFigures) -> list[tuple[str, str]]:
    flags = [("flag", text) for text in learner.flags]
    lateness = record.lateness(learner.submission)
    if lateness == LATE:
        flags.append(("flag", f"late by {duration(record.late_by(learner.submission))}"))  # type: ignore[arg-type]
    similar = record.similar_to(learner.submission)
    if similar:
        katas = len({pair.kata for pair in similar})
        flags.append(("flag copy", f"similar work in {katas} kata{'s' if katas > 1 else ''}"))
    return flags


def _learner_row(record: ClassRecord, learner: LearnerFigures, grade: Grade, kata_ids: list[str],
                 starts: set[str]) -> str:
    by_id = {kata.id: kata for kata in grade.katas}
    flags = "".join(f"<span class='{css}'>{esc(text)}</span>" for css, text in _flags(record, learner))
    who = (f"<span class='who'><b>{esc(learner.submission)}</b> <span class='score'>"
           f"{_points(learner.score)} / {_points(learner.max_score)} · "
           f"{_percent(learner.score, learner.max_score)}</span><br>{flags}</span>")
    cells = "".join(_cell(by_id.get(kata_id), learner.outcomes.get(kata_id, summary.MISSING),
                          kata_id in starts) for kata_id in kata_ids)
    return (f"<details class='row'><summary class='line'>{who}{cells}</summary>"
            f"<div class='more'>{_learner_details(record, learner, grade)}</div></details>")


def _learner_details(record: ClassRecord, learner: LearnerFigures, grade: Grade) -> str:
    parts = []
    if grade.problem:
        parts.append(f"<p><b>Not graded:</b> {esc(grade.problem)}</p>")
    if grade.submission in record.committed or record.deadline is not None:
        moment = record.committed.get(grade.submission)
        when = moment.isoformat() if moment else "unknown (not a git repository, or no commit)"
        lateness = record.lateness(grade.submission)
        if lateness == LATE:
            when += f": late by {duration(record.late_by(grade.submission))}"  # type: ignore[arg-type]
        elif lateness:
            when += f" ({lateness})" if moment else ""
        parts.append(f"<p>Graded commit: {esc(when)}</p>")
    rows, absent = [], defaultdict(list)
    for kata in grade.katas:
        outcome = learner.outcomes.get(kata.id)
        if outcome is None or outcome == summary.PASSED:
            continue
        if outcome in summary.ABSENT:
            absent[outcome].append(kata.id)
            continue
        found = summary.mistakes(kata)
        said = "".join(f"<div class='mistake'>{esc(text)}</div>" for text in found[:MAX_MISTAKES_SHOWN])
        if len(found) > MAX_MISTAKES_SHOWN:
            said += f"<div class='count'>and {len(found) - MAX_MISTAKES_SHOWN} more</div>"
        rows.append(f"<tr><td class='id'>{esc(kata.id)}</td><td class='num'>{_points(kata.score)} / "
                    f"{_points(kata.max_score)}</td><td>{esc(MARKS[outcome][3])}</td><td>{said}</td></tr>")
    if rows:
        parts.append("<table><tr><th>kata</th><th>points</th><th>outcome</th><th>what the grader said"
                     "</th></tr>" + "".join(rows) + "</table>")
    elif not grade.problem:
        parts.append("<p>No mistakes in the work written.</p>")
    tail = _absent_tail(learner, record.kata_ids)
    if tail:
        parts.append(f"<p><b>Nothing written from {esc(tail[0])} on</b> ({len(tail)} katas).</p>")
    for outcome, katas in absent.items():
        katas = [kata_id for kata_id in katas if kata_id not in tail]
        if outcome != summary.UNREADABLE and katas:
            parts.append(f"<p><b>{esc(MARKS[outcome][3].capitalize())}:</b> {esc(', '.join(katas))}</p>")
    for pair in record.similar_to(grade.submission):
        other = pair.second if pair.first == grade.submission else pair.first
        parts.append(f"<p>Similar work: {esc(pair.kata)} near-identical to <b>{esc(other)}</b> "
                     f"({pair.similarity:.0%}); see <a href='#similar'>Similar work</a></p>")
    href = quote(f"feedback/{grade.submission}.md")
    parts.append(f"<p><a href='{esc(href)}'>feedback/{esc(grade.submission)}.md</a></p>")
    return "".join(parts)


def _absent_tail(learner: LearnerFigures, order: list[str]) -> list[str]:
    """The katas at the end of the list with nothing of the learner's (stubs, no file), if 3 or more."""
    tail: list[str] = []
    for kata_id in reversed(order):
        if learner.outcomes.get(kata_id) not in (summary.NOT_WRITTEN, summary.MISSING):
            break
        tail.insert(0, kata_id)
    return tail if len(tail) >= 3 else []


def _katas(figures: ClassFigures) -> str:
    rows = "".join(_kata_row(kata) for kata in figures.katas)
    note = ("Mistakes are what failing tests said to learners who wrote the kata, grouped by their "
            "first line with the numbers masked, counted once per learner. Stubs, missing files and "
            "unreadable submissions are counted apart.")
    return (f"<h2 id='katas'>Katas</h2><p class='note'>{esc(note)}</p><div class='scroll'><table>"
            "<tr><th>kata</th><th>passed</th><th class='num'>mean</th><th class='num'>written</th>"
            "<th class='num'>not written</th><th class='num'>missing</th><th class='num'>unreadable</th>"
            f"<th>most common mistakes (learners)</th></tr>{rows}</table></div>")


def _kata_row(kata: KataFigures) -> str:
    rate = kata.pass_rate
    common = "".join(f"<div class='mistake'><span class='count'>{count} ×</span> {esc(text)}</div>"
                     for text, count in top_mistakes(kata))
    return (f"<tr><td class='id'>{esc(kata.id)}</td><td class='num'><span class='track'><span class='bar' "
            f"style='width:{100 * rate:.0f}%'></span></span>{kata.passed} / {kata.graded} · {rate:.0%}</td>"
            f"<td class='num'>{_points(kata.mean_score)} / {_points(kata.max_score)}</td>"
            f"<td class='num'>{kata.written}</td><td class='num'>{kata.outcomes[summary.NOT_WRITTEN]}</td>"
            f"<td class='num'>{kata.outcomes[summary.MISSING]}</td>"
            f"<td class='num'>{kata.outcomes[summary.UNREADABLE]}</td><td>{common}</td></tr>")


def _marked(code: str, spans: Spans) -> str:
    """The code as text, the shared parts in <mark>."""
    out, at = [], 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(code))
        if start >= end:
            continue
        out.append(esc(code[at:start]))
        out.append(f"<mark>{esc(code[start:end])}</mark>")
        at = end
    out.append(esc(code[at:]))
    return "".join(out)


def _evidence(pair: SimilarPair) -> str:
    sides = [(pair.first, pair.share_first, pair.code_first, pair.spans_first),
             (pair.second, pair.share_second, pair.code_second, pair.spans_second)]
    figures = "".join(f"<figure><figcaption><b>{esc(who)}</b> · {esc(pair.kata)} · {share:.0%} of its own "
                      f"code found in the other</figcaption><pre><code>{_marked(code, spans)}</code></pre>"
                      f"</figure>" for who, share, code, spans in sides)
    return f"<div class='sbs'>{figures}</div>"


def _similar(record: ClassRecord) -> str:
    note = (f"Pairs of learners whose code for a kata is near-identical once names, layout, comments "
            f"and strings are set aside: each file's own code at least {SIMILAR_SHARE:.0%} found in the "
            f"other. The stub's text, and passages found in more than {COMMON_PASSAGE} submissions of a "
            "kata, are nobody's own code. Highlighted: the shared code. Worth a look, not proof: a "
            "short kata leaves few ways to write it. Every pair is in similar.csv.")
    by_learners: dict[tuple[str, str], list[SimilarPair]] = defaultdict(list)
    for pair in record.similar:
        by_learners[pair.first, pair.second].append(pair)
    order = sorted(by_learners.items(), key=lambda item: (-len(item[1]), -max(p.similarity for p in item[1]),
                                                           item[0]))
    if not order:
        return f"<h2 id='similar'>Similar work</h2><p class='note'>{esc(note)}</p><p>None found.</p>"
    blocks = []
    for (first, second), pairs in order[:MAX_PAIRS_SHOWN]:
        katas = ", ".join(f"{pair.kata} {pair.similarity:.0%}" for pair in pairs)
        blocks.append(f"<details><summary><b>{esc(first)}</b> and <b>{esc(second)}</b>: "
                      f"{len(pairs)} kata{'s' if len(pairs) > 1 else ''} ({esc(katas)})</summary>"
                      + "".join(_evidence(pair) for pair in pairs) + "</details>")
    more = ""
    if len(order) > MAX_PAIRS_SHOWN:
        more = f"<p>{len(order) - MAX_PAIRS_SHOWN} more pairs of learners are in similar.csv.</p>"
    return (f"<h2 id='similar'>Similar work</h2><p class='note'>{esc(note)}</p>"
            f"<div class='pairs'>{''.join(blocks)}</div>{more}")


def _late(record: ClassRecord) -> str:
    if record.deadline is None:
        return ""
    late = sorted((record.late_by(grade.submission), grade.submission) for grade in record.grades
                  if record.lateness(grade.submission) == LATE)
    unknown = sorted(grade.submission for grade in record.grades
                     if record.lateness(grade.submission) == UNKNOWN)
    note = ("By the time of the commit graded (git's committer time): set by the learner's clock, so "
            "a marker in good faith, not proof. A submission that is not a git repository has no "
            "commit time: unknown, never late.")
    rows = "".join(f"<tr><td class='id'>{esc(who)}</td><td>{esc(record.committed[who].isoformat())}</td>"  # type: ignore[union-attr]
                   f"<td>{esc(duration(delta))}</td></tr>" for delta, who in reversed(late))
    table = ("<table><tr><th>learner</th><th>graded commit</th><th>late by</th></tr>" + rows + "</table>"
             if late else "<p>No late work.</p>")
    unknown_text = (f"<p>No commit time ({len(unknown)}): {esc(', '.join(unknown))}</p>" if unknown else "")
    return (f"<h2 id='late'>Late work ({len(late)})</h2><p class='note'>Deadline "
            f"{esc(record.deadline.isoformat())}. {esc(note)}</p>{table}{unknown_text}")


def _not_graded(grades: list[Grade]) -> str:
    rows = sorted((grade.submission, grade.problem) for grade in grades if grade.problem)
    if not rows:
        return ""
    return (f"<h2 id='not-graded'>Not graded ({len(rows)})</h2><div class='scroll'><table><tr><th>id</th>"
            "<th>why</th></tr>" + "".join(f"<tr><td class='id'>{esc(name)}</td><td>{esc(why)}</td></tr>"
                                          for name, why in rows) + "</table></div>")
