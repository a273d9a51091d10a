"""A class's grades as one self-contained HTML page with charts; it opens offline, anywhere."""

from __future__ import annotations

import html
import io
import warnings

from grader.formats.class_summary import ClassFigures
from grader.model import Grade

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#222}
h1{font-size:1.5rem} h2{font-size:1.2rem;margin-top:2rem}
.warning{background:#fff4d6;border-left:4px solid #e0a800;padding:.5rem .75rem}
table{border-collapse:collapse;font-size:.85rem} td,th{border-bottom:1px solid #ddd;padding:.25rem .5rem;
text-align:left;vertical-align:top} .num{text-align:right} .figure{margin:1rem 0}
.passed{color:#17692b} .failed{color:#a11} .error{color:#808} .missing,.timeout{color:#a60}
.summary span{margin-right:1.5rem} svg{max-width:100%;height:auto}
"""


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg"):]


# Learner text is data: mathtext would read `$a^b^c$` in a diagnosis as markup (and fail on it), so
# no text is mathtext, ticks included (their numbers never need it).
# The fixed salt makes the same grades give the same page.
CHART_SETTINGS = {"text.parse_math": False, "axes.formatter.use_mathtext": False, "svg.hashsalt": "grades"}


def _charts(figures: ClassFigures) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    # a glyph no font has is drawn as a box; a warning per glyph would only flood the log
    with matplotlib.rc_context(CHART_SETTINGS), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        return _draw_charts(figures, plt)


def _draw_charts(figures: ClassFigures, plt) -> list[tuple[str, str]]:
    charts = []
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.hist(figures.scores, bins=min(20, max(5, figures.count)), range=(0, figures.max_score or 1),
            color="#3b6ea5")
    ax.set_xlabel("score")
    ax.set_ylabel("submissions")
    charts.append(("Score distribution", _svg(fig)))
    plt.close(fig)

    katas = figures.katas
    fig, ax = plt.subplots(figsize=(7, 0.28 * len(katas) + 0.8))
    ax.barh([k.id for k in katas][::-1], [100 * k.pass_rate for k in katas][::-1], color="#4a9c5d")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of submissions that pass the kata")
    charts.append(("Pass rate per kata", _svg(fig)))
    plt.close(fig)

    top = sorted(((count, f"{k.id}: {text}") for k in katas for text, count in k.diagnoses.items()),
                 key=lambda item: (-item[0], item[1]))[:15]
    if top:
        fig, ax = plt.subplots(figsize=(5, 0.3 * len(top) + 0.8))
        labels = [label if len(label) <= 70 else label[:69] + "…" for _, label in top]
        ax.barh(labels[::-1], [count for count, _ in top][::-1],
                color="#b5573b")
        ax.set_xlabel("submissions")
        charts.append(("Most common diagnoses", _svg(fig)))
        plt.close(fig)
    return charts


def render(grades: list[Grade], figures: ClassFigures, title: str = "Grades") -> str:
    esc = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{esc(title)}</h1>",
             f"<p class='summary'><span>{figures.count} submissions</span>"
             f"<span>mean {figures.mean:.1f} / {figures.max_score:g}</span>"
             f"<span>median {figures.median:g}</span></p>"]
    missing = sorted({f"{name}: {why}" for grade in grades
                      for name, why in (grade.locks.get("inactive") or {}).items()})
    if missing:
        parts.append("<p class='warning'>Learner code ran without some of the grader's locks:<br>"
                     + "<br>".join(esc(line) for line in missing) + "</p>")
    not_graded = sorted((grade.submission, grade.problem) for grade in grades if grade.problem)
    if not_graded:
        parts.append(f"<h2>Not graded ({len(not_graded)})</h2><table><tr><th>id</th><th>why</th></tr>"
                     + "".join(f"<tr><td>{esc(name)}</td><td>{esc(why)}</td></tr>"
                               for name, why in not_graded) + "</table>")
    for heading, svg in _charts(figures):
        parts.append(f"<h2>{esc(heading)}</h2><div class='figure'>{svg}</div>")
    parts.append("<h2>Most common diagnoses per kata</h2><table><tr><th>kata</th><th>pass rate</th>"
                 "<th>mean</th><th>diagnoses (submissions)</th></tr>")
    for kata in figures.katas:
        common = "<br>".join(f"{count} × {esc(text)}" for text, count in
                             sorted(kata.diagnoses.items(), key=lambda i: (-i[1], i[0]))[:3])
        parts.append(f"<tr><td>{esc(kata.id)}</td><td class='num'>{100 * kata.pass_rate:.0f}%</td>"
                     f"<td class='num'>{kata.mean_score:.1f} / {kata.max_score:g}</td><td>{common}</td></tr>")
    parts.append("</table><h2>Submissions</h2><table><tr><th>id</th><th>score</th>"
                 + "".join(f"<th>{esc(k.id.split('/')[1])}</th>" for k in figures.katas) + "</tr>")
    for grade in sorted(grades, key=lambda g: g.submission):
        by_id = {kata.id: kata for kata in grade.katas}
        cells = "".join(
            f"<td class='{esc(by_id[k.id].status)}' title='{esc(by_id[k.id].status)}'>"
            f"{by_id[k.id].score:g}</td>"
            if k.id in by_id else "<td></td>" for k in figures.katas)
        parts.append(f"<tr><td>{esc(grade.submission)}</td><td class='num'>{grade.score:g} / "
                     f"{grade.max_score:g}</td>{cells}</tr>")
    parts.append("</table></body></html>\n")
    return "".join(parts)
