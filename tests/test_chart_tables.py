"""Every chart has its table: a picture in a template is hidden from assistive technology or points with
aria-details to the table that holds the same figures, and on each page with a chart that table is there."""
import pathlib
import re
from datetime import date

import pytest

from app.extensions import db
from tests import factories

TEMPLATES = pathlib.Path(__file__).resolve().parent.parent / "templates"
SVG_TAG = re.compile(r"<svg\b[^>]*>", re.S)


def test_every_picture_in_a_template_is_hidden_or_has_its_table():
    exposed = [f"{path.relative_to(TEMPLATES)}: {tag[:80]}"
               for path in sorted(TEMPLATES.rglob("*.html"))
               for tag in SVG_TAG.findall(path.read_text(encoding="utf-8"))
               if 'aria-hidden="true"' not in tag and "aria-details=" not in tag]
    assert exposed == []


@pytest.fixture
def chart_pages(orgs, adviser):
    """A member with contributions, another invited: the pages that draw charts have something to draw."""
    factories.member_case(orgs["Voss"], adviser, activated_on=date(2024, 3, 1))
    factories.case(orgs["Kvam"])
    db.session.commit()
    return ["/medlemskap/bidrag", f"/medlemskap/bidrag/part/{orgs['Voss'].id}", "/oversikt", "/tidslinje"]


def test_each_chart_on_a_page_points_to_a_table_on_the_page(client, auth, adviser, chart_pages):
    auth.login(adviser)
    for path in chart_pages:
        html = client.get(path).get_data(as_text=True)
        targets = re.findall(r'aria-details="([^"]+)"', html)
        assert targets, path
        for target in targets:
            assert re.search(rf'<table class="table" id="{target}">', html), (path, target)


def test_the_state_counts_are_in_their_table(client, auth, adviser, chart_pages):
    auth.login(adviser)
    html = client.get("/oversikt").get_data(as_text=True)
    drawn = re.findall(r'aria-label="([^"]+): (\d+) kommuner?"', html)
    table = html[html.index('id="counts-table"'):html.index("</table>", html.index('id="counts-table"'))]
    listed = re.findall(r'<th scope="row"><a [^>]+>([^<]+)</a></th><td class="num">(\d+)</td>', table)
    assert drawn == listed == [("Invitert", "1"), ("Aktiv", "1")]
