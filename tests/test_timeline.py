"""The collaboration timeline: one bar per municipality from the audit events, with a text alternative."""
import re
from datetime import date

from sqlalchemy import event

from app import clock
from app.extensions import db
from app.cockpit import routes as cockpit_routes
from app.services import members, timeline, workflow
from tests import factories


def _story(orgs, names=("Lindås", "Meland", "Fedje")):
    """Lindås a member since 2018; Meland ended by the 2020 merger; Fedje said no; the rest of `names` invited."""
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    round_ = factories.historic_round()
    for name in names:
        if name in ("Lindås", "Meland"):
            case = factories.member(round_, orgs[name], adviser)
            if name == "Meland":
                with clock.pinned(date(2020, 1, 6)):
                    workflow.perform(case, "end_by_merger", adviser, comment="Alver fra 01.01.2020.")
        else:
            case = factories.invited(round_, orgs[name], adviser)
            if name == "Fedje":
                with clock.pinned(date(2016, 10, 28)):
                    workflow.perform(case, "decline", adviser)
    db.session.commit()


def _plot(html: str) -> str:
    """The picture of the years (the names are a picture of their own)."""
    start = html.index('<svg class="tl-plot"')
    return html[start:html.index("</svg>", start)]


def test_periods_follow_the_transitions(orgs):
    _story(orgs)
    bars = {bar.organisation.name: bar for bar in timeline.bars(clock.today())}
    assert [(p.category, p.start, p.end) for p in bars["Meland"].periods] == [
        ("invited", date(2016, 10, 3), date(2018, 2, 28)),
        ("member", date(2018, 3, 1), date(2020, 1, 5)),
        ("ended", date(2020, 1, 6), None)]
    assert [p.category for p in bars["Fedje"].periods] == ["invited", "outside"]
    assert list(bars) == ["Fedje", "Lindås", "Meland"]


def test_renewal_keeps_a_member_a_member(orgs):
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    case = factories.member(factories.historic_round(agreement_end=date(2022, 12, 31)), orgs["Voss"], adviser)
    with clock.pinned(date(2022, 11, 15)):
        workflow.perform(case, "renew", adviser, data={"agreement_end": "2027-12-31"})
    db.session.commit()
    (bar,) = timeline.bars(clock.today())
    assert [p.category for p in bar.periods] == ["invited", "member"]


def test_member_days_are_those_of_the_membership_rule(orgs):
    """Voss's agreement ran to 31.12.2022 and the tick never expired it; Osterøy is still a member."""
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    factories.member(factories.historic_round(agreement_end=date(2022, 12, 31)), orgs["Voss"], adviser)
    factories.member(factories.historic_round(), orgs["Osterøy"], adviser)
    db.session.commit()
    bars = {bar.organisation.name: bar for bar in timeline.bars(clock.today())}
    assert [(p.category, p.start, p.end) for p in bars["Voss"].periods] == [
        ("invited", date(2016, 10, 3), date(2018, 2, 28)),
        ("member", date(2018, 3, 1), date(2022, 12, 31)),
        ("ended", date(2023, 1, 1), None)]
    assert [(p.category, p.start, p.end) for p in bars["Osterøy"].periods] == [
        ("invited", date(2016, 10, 3), date(2018, 2, 28)), ("member", date(2018, 3, 1), None)]
    for name, bar in bars.items():
        for period in bar.periods:
            for day in (period.start, period.end or clock.today()):
                assert (period.category == "member") is members.member_on(orgs[name], day), (name, day)


def test_bars_take_the_same_queries_however_many_municipalities(orgs):
    def queries() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            timeline.bars(clock.today())
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    _story(orgs, names=("Lindås",))
    few = queries()
    _story(orgs, names=("Meland", "Fedje", "Osterøy", "Gulen", "Voss", "Askøy"))
    assert queries() == few <= 4  # events, cases, mergers, successions


def test_timeline_page_has_one_row_per_municipality_and_the_years(client, login, orgs):
    _story(orgs)
    login("adviser", organisation="Bergen")
    html = client.get("/tidslinje").get_data(as_text=True)
    svg = _plot(html)
    assert re.findall(r'<g class="tl-row" data-municipality="([^"]+)"', svg) == ["Fedje", "Lindås", "Meland"]
    years = re.findall(r'class="tl-year[^"]*">(\d{4})<', svg)
    assert years == [str(y) for y in range(2016, 2027)]
    assert 'class="tl-member"><title>Lindås: Medlem fra 01.03.2018</title>' in svg
    assert "<title>Meland: Avsluttet eller utløpt" in svg
    text = html[html.index("Tidslinjen som tekst"):]
    assert "Medlem: 01.03.2018–05.01.2020" in text and "Avsluttet eller utløpt: fra 06.01.2020" in text
    assert "Takket nei, ikke svart eller trukket: fra 28.10.2016" in text


def test_a_municipality_invited_after_the_timeline_was_read_has_its_row_at_once(client, login, orgs):
    """The order of the rows is stored per content version: a new case changes it."""
    _story(orgs, names=("Lindås", "Meland"))
    login("adviser", organisation="Bergen")
    assert "Fedje" not in _plot(client.get("/tidslinje").get_data(as_text=True))
    _story(orgs, names=("Fedje",))
    svg = _plot(client.get("/tidslinje").get_data(as_text=True))
    assert re.findall(r'<g class="tl-row" data-municipality="([^"]+)"', svg) == ["Fedje", "Lindås", "Meland"]


def test_a_timeline_page_is_drawn_once_per_content_version(client, login, orgs, monkeypatch):
    """A page is stored as drawn: the next visit draws nothing, a case opened after a drawing is shown at once;
    with other query arguments, which the paging links keep, the page is drawn each time."""
    monkeypatch.setattr(cockpit_routes, "TIMELINE_PER_PAGE", 2)
    _story(orgs, names=("Lindås", "Meland", "Voss"))
    login("adviser", organisation="Bergen")
    client.get("/tidslinje")
    drawn = []
    monkeypatch.setattr(cockpit_routes.timeline_service, "chart", lambda *args, draw=timeline.chart, **kwargs:
                        drawn.append(1) or draw(*args, **kwargs))
    client.get("/tidslinje?page=1")
    assert drawn == []
    _story(orgs, names=("Fedje",))
    svg = _plot(client.get("/tidslinje").get_data(as_text=True))
    assert re.findall(r'<g class="tl-row" data-municipality="([^"]+)"', svg) == ["Fedje", "Lindås"]
    assert drawn == [1]
    assert 'href="/tidslinje?kilde=meny&amp;page=2"' in client.get("/tidslinje?kilde=meny").get_data(as_text=True)
    assert 'href="/tidslinje?page=2"' in client.get("/tidslinje").get_data(as_text=True)
    assert drawn == [1, 1]


def test_timeline_is_empty_before_anyone_is_invited(client, login):
    login("adviser", organisation="Bergen")
    html = client.get("/tidslinje").get_data(as_text=True)
    assert "Ingen kommuner er invitert ennå." in html
    assert 'class="tl-year tl-this-year">2026<' in html


def test_timeline_page_draws_a_page_of_municipalities_at_a_time(client, login, orgs, monkeypatch):
    monkeypatch.setattr(cockpit_routes, "TIMELINE_PER_PAGE", 2)
    _story(orgs)
    login("adviser", organisation="Bergen")
    pages = [client.get(f"/tidslinje?page={n}").get_data(as_text=True) for n in (1, 2)]
    rows = [re.findall(r'<g class="tl-row" data-municipality="([^"]+)"', html) for html in pages]
    assert rows == [["Fedje", "Lindås"], ["Meland"]]
    assert "Viser 2 kommuner per side" in pages[0] and "Side 2 av 2" in pages[1]
    assert "Medlem: 01.03.2018–05.01.2020" in pages[1]


RECT = re.compile(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="(\d+)" class="tl-(\w+)"><title>([^<]+)</title>')


def test_membership_is_a_coloured_bar_and_the_days_outside_it_a_quiet_line(client, login, orgs):
    _story(orgs)
    login("adviser", organisation="Bergen")
    html = client.get("/tidslinje").get_data(as_text=True)
    heights = {category: int(height) for height, category, _ in RECT.findall(_plot(html))}
    assert heights == {"invited": 10, "member": 18, "ended": 4, "outside": 2}
    legend = html[html.index('<ul class="legend tl-legend"'):html.index("</ul>", html.index("tl-legend"))]
    keys = dict((category, int(height)) for height, category in re.findall(
        r'<rect x="0" y="\d+" width="28" height="(\d+)" class="tl-(\w+)">', legend))
    assert keys == {**heights, "notice": 18}, "each mark in the legend as it is drawn"
    assert 'class="tl-merger"></circle></svg>Kommunesammenslåing' in legend
    assert 'class="tl-today"></line></svg>I dag' in legend


def test_every_mark_of_the_picture_is_in_the_table(client, login, orgs):
    _story(orgs)
    login("adviser", organisation="Bergen")
    html = client.get("/tidslinje").get_data(as_text=True)
    assert 'aria-details="tl-table"' in html and '<table class="table" id="tl-table">' in html
    table = html[html.index('id="tl-table"'):html.index("</table>", html.index('id="tl-table"'))]
    rows = dict(re.findall(r'<th scope="row"><a [^>]+>([^<]+)</a></th>\s*<td>(.*?)</td>', table, re.S))
    marks = RECT.findall(_plot(html))
    assert len(marks) == sum(len(bar.periods) for bar in timeline.bars(clock.today())) == 7
    for _, _, title in marks:  # "Lindås: Medlem fra 01.03.2018" is "Medlem: fra 01.03.2018" in Lindås's row
        name, said = title.split(": ", 1)
        label, days = re.fullmatch(r"(.+?) ((?:fra )?[\d.]{10}(?:–[\d.]{10})?)", said).groups()
        assert f"<li>{label}: {days}</li>" in rows[name] or f'<li class="muted">{label}: {days}</li>' in rows[name]
