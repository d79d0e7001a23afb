"""The spend map's chart: the area's mix of spend by type of support beside the study's mix.

Built as an Altair spec and drawn by the shared chart process (the ``spend_mix``
job of :mod:`toolkit.charts.jobs`), or in the kernel when there is none. Each
segment carries a text label as well as a colour (Okabe-Ito, colour-blind
safe), and the chart comes with a text summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit.charts.data import RenderedChart
from toolkit.present.formatting import percent
from toolkit.worksheets.spend_map import national
from toolkit.worksheets.spend_map.vocab import SupportType

JOB = "spend_mix"
TITLE = "Mix of spend by type of support, against the study"
NOT_BROKEN_DOWN = "other types (not broken down in the report text)"
#: A learning network's pooled mix folds parts too few areas spend on into this one.
NOT_SHOWN = "not shown separately"
SHORT = {
    SupportType.paid_work.value: "Paid work",
    SupportType.self_employment.value: "Self-employment",
    SupportType.college.value: "College",
    SupportType.day_services.value: "Day services",
    SupportType.volunteering.value: "Volunteering",
    SupportType.unpaid_work.value: "Unpaid work",
    SupportType.other.value: "Other",
    NOT_BROKEN_DOWN: "Not broken down",
    NOT_SHOWN: "Not shown separately",
}
COLOURS = ["#56B4E9", "#E69F00", "#F0E442", "#CC79A7", "#009E73", "#D55E00", "#999999", "#E0E0E0",
           "#BDBDBD"]
STUDY_ROW = "The study, national (2011-12)"


def job_request(
    shares: Mapping[str, float], who: str, fmt: str = "svg", prices: str = ""
) -> dict[str, Any]:
    """The JSON request for the mix chart of one area's shares (type value -> share);
    ``prices`` is the price base's label, said in the chart's subtitle and summary."""
    return {"job": JOB, "format": fmt, "shares": dict(shares), "who": who, "prices": prices}


def mix_rows(shares: Mapping[str, float], who: str) -> list[dict[str, Any]]:
    """One row per segment: who, type, share, order."""
    order = list(SHORT)
    rows = [{"who": who, "row": 0, "type": SHORT[key], "share": float(value),
             "order": order.index(key)} for key, value in shares.items() if value > 0]
    rows += [{"who": STUDY_ROW, "row": 1, "type": SHORT[label], "share": share,
              "order": order.index(label)} for label, share, _ in national.study_mix()]
    return rows


def mix_summary(shares: Mapping[str, float], who: str, prices: str = "") -> str:
    """The chart in words: every share of the area and the study's known shares."""
    parts = [f"{SHORT[key].lower()} {percent(value, 0)}" for key, value in shares.items()
             if value > 0]
    study = national.study_mix()
    known = ", ".join(f"{SHORT[label].lower()} {percent(share, 0)}" for label, share, _ in study[:2])
    return (
        f"{who}: {', '.join(parts) or 'no spend entered'}. The study's national mix: {known}; "
        f"the other {percent(study[2][1], 0)} is spread over types its text does not break down "
        f"({national.paid_work_share().source})."
        + (f" Shares are worked out from {prices}." if prices else "")
    )


def mix_chart(shares: Mapping[str, float], who: str, prices: str = ""):
    """A stacked bar for the area and one for the study (Altair)."""
    import altair as alt  # heavy: only in the chart process or when it is not there

    from toolkit.charts.style import WIDTH
    from toolkit.charts.style import style as _style

    domain = list(SHORT.values())
    base = alt.Chart(alt.Data(values=mix_rows(shares, who))).encode(
        y=alt.Y("who:N", title=None, sort=[who, STUDY_ROW], axis=alt.Axis(labelLimit=260)),
    )
    bars = base.mark_bar(height=26, stroke="#ffffff", strokeWidth=1).encode(
        x=alt.X("share:Q", stack="zero", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%", title="Share of spend (%)")),
        color=alt.Color("type:N", scale=alt.Scale(domain=domain, range=COLOURS), sort=domain,
                        title="Type of support"),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("who:N", title="Who"), alt.Tooltip("type:N", title="Type"),
                 alt.Tooltip("share:Q", format=".0%")],
    )
    labels = (
        base.mark_text(color="#000000", fontSize=11, align="center")
        .encode(x=alt.X("mid:Q", scale=alt.Scale(domain=[0, 1])), text=alt.Text("label:N"))
        .transform_window(cumulative="sum(share)", groupby=["who"],
                          sort=[alt.SortField("order")])
        .transform_calculate(
            mid="datum.cumulative - datum.share / 2",
            label="datum.share >= 0.2 ? datum.type + ' ' + format(datum.share, '.0%') : "
            "datum.share >= 0.06 ? format(datum.share, '.0%') : ''",
        )
    )
    chart = alt.layer(bars, labels).properties(width=WIDTH, height=alt.Step(40))
    subtitle = f"{who}'s spend as shares of the total, above the study's national shares" + (
        f" (totals: {prices})" if prices else "")
    return _style(chart, TITLE, subtitle, mix_summary(shares, who, prices))


def run_spend_job(request: Mapping[str, Any]) -> list[dict[str, str]]:
    """Build and draw the mix chart (in the chart process, or in the kernel)."""
    import base64

    from toolkit.charts.draw import chart_png, chart_svg

    shares = {key if key == NOT_SHOWN else str(SupportType(key).value): float(value)
              for key, value in dict(request.get("shares") or {}).items()}
    who = str(request.get("who") or "Your area")
    prices = str(request.get("prices") or "")
    chart = mix_chart(shares, who, prices)
    if request.get("format") == "png":
        return [{"key": "mix", "png": base64.b64encode(chart_png(chart)).decode("ascii")}]
    return [{"key": "mix", "title": TITLE, "svg": chart_svg(chart),
             "summary": mix_summary(shares, who, prices)}]


def mix_charts(shares: Mapping[str, float], who: str, prices: str = "") -> list[RenderedChart]:
    """The mix chart as SVG with its title and summary, drawn by the shared chart process."""
    from toolkit.charts.jobs import _answer  # the jobs module's shared send-or-draw-here

    answer = _answer(job_request(shares, who, prices=prices))
    return [RenderedChart(a["key"], a["title"], a["svg"], a["summary"]) for a in answer]
