"""The money charts people can read: year labels apart, amounts inside the picture in both languages, a chart per
party of invoiced and paid, and the same figures in the chart, in the table beside it and in the ledger."""
import math
import re
from datetime import date
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from app import clock
from app.contributions.chart import grouped_bars
from app.extensions import db
from app.models import Contribution
from app.services import contributions
from tests import factories

SVG = "{http://www.w3.org/2000/svg}"
EM = 0.6  # a character of the chart's sans-serif, in em (digits are about 0.55)


def _width(text: str, size: float) -> float:
    return len(text) * size * EM


@pytest.mark.parametrize("years", [10, 12, 20, 40])
def test_year_labels_do_not_run_together(years):
    chart = grouped_bars([(str(2000 + n), {"expected": 40_000, "paid": 20_000}) for n in range(years)],
                         ("expected", "paid"))
    labels = chart.labels
    assert labels[-1].text == str(2000 + years - 1), "the latest year is always labelled"
    for before, after in zip(labels, labels[1:]):
        gap = after.x - before.x
        if before.turned:  # parallel lines at 45°: their distance across the lines
            assert gap * math.sin(math.radians(45)) >= chart.font_size
        else:
            assert gap >= _width(before.text, chart.font_size) + 2
    for label in labels:
        reach = _width(label.text, chart.font_size) * (math.sin(math.radians(45)) if label.turned else 0.5)
        assert label.x - reach >= 0 and label.y + (reach if label.turned else 0) <= chart.height


def _svg(html: str, chart_id: str) -> ElementTree.Element:
    found = re.search(rf'<svg class="chart" id="{chart_id}".*?</svg>', html, re.S).group(0)
    return ElementTree.fromstring(found.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


@pytest.fixture
def ledger(orgs, adviser):
    """Voss owes 2023–2026 at kr 12 345 678 a year; 2023 and 2024 invoiced, 2023 paid."""
    case = factories.member_case(orgs["Voss"], adviser, activated_on=date(2023, 3, 1),
                                 terms={"contribution": 12_345_678})
    with clock.pinned(date(2026, 6, 1)):
        contributions.ensure_lines(case)
        lines = contributions.lines_for(orgs["Voss"])
        for line in lines[:2]:
            contributions.mark_invoiced(line, adviser, invoiced_on=date(line.year, 4, 1), reference=None)
        contributions.mark_paid(lines[0], adviser, paid_on=date(2023, 5, 1), reference=None)
    db.session.commit()
    return orgs["Voss"]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_amounts_fit_inside_the_picture_in_both_languages(client, auth, adviser, ledger, lang):
    auth.login(adviser)
    with client.session_transaction() as session:
        session["lang"] = lang
    for path, chart_id in (("/medlemskap/bidrag", "money-chart"), (f"/medlemskap/bidrag/part/{ledger.id}",
                                                                    "party-chart")):
        svg = _svg(client.get(path).get_data(as_text=True), chart_id)
        ticks = svg.findall(f"{SVG}text[@class='tick']")
        assert ("NOK" if lang == "en" else "kr") in ticks[-1].text and len(ticks[-1].text) >= 12
        for text in ticks:
            assert text.get("text-anchor") == "end"
            assert float(text.get("x")) - _width(text.text, float(text.get("font-size"))) >= 0, text.text


def _table(html: str, table_id: str) -> dict[str, list[int]]:
    table = re.search(rf'<table class="table" id="{table_id}">.*?</table>', html, re.S).group(0)
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table.replace("\n", "").replace("  ", ""), re.S):
        year = re.sub(r"<[^>]+>", "", row.split("</th>")[0]).strip()
        rows[year] = [int(re.sub(r"\D", "", cell) or 0) for cell in re.findall(r'<td class="num">(.*?)</td>', row)]
    return rows


def _bars(svg) -> dict[tuple[str, str], int]:
    return {(rect.get("data-group"), rect.get("data-series")): int(rect.get("data-value"))
            for rect in svg.findall(f"{SVG}rect")}


def test_the_chart_the_table_and_the_ledger_say_the_same(client, auth, adviser, ledger):
    auth.login(adviser)
    lines = db.session.scalars(select(Contribution).where(Contribution.organisation_id == ledger.id)).all()
    invoiced = {str(line.year): line.amount if line.invoiced_on else 0 for line in lines}
    paid = {str(line.year): line.amount if line.paid_on else 0 for line in lines}
    assert sorted(invoiced) == ["2023", "2024", "2025", "2026"] and sum(1 for v in paid.values() if v) == 1

    html = client.get(f"/medlemskap/bidrag/part/{ledger.id}").get_data(as_text=True)
    bars, table = _bars(_svg(html, "party-chart")), _table(html, "party-table")
    for year in invoiced:
        assert bars[(year, "invoiced")] == table[year][1] == invoiced[year]
        assert bars[(year, "paid")] == table[year][2] == paid[year]

    html = client.get("/medlemskap/bidrag").get_data(as_text=True)
    bars, table = _bars(_svg(html, "money-chart")), _table(html, "money-table")
    for year in invoiced:
        assert bars[(year, "expected")] == table[year][0] == sum(l.amount for l in lines if str(l.year) == year)
        assert bars[(year, "paid")] == table[year][2] == paid[year]
    assert "<desc" in html and "Tallene står også i tabellen." in html
