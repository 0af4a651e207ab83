"""The overview of all municipalities: search (nynorsk too), filters, sorting, pages, CSV and state counts."""
import csv
import io
import re
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, select

from app import clock, search
from app.extensions import db
from app.models import Organisation
from app.models.organisation import MUNICIPALITY
from app.services import contributions, organisations, overview, workflow
from tests import factories


@pytest.mark.parametrize("text,folded", [
    ("Voss herad", "voss"),
    ("Lindås kommune", "lindas"),
    ("LINDAAS", "lindas"),
    ("Osterøy", "osteroy"),
    ("  Øygarden  kommune ", "oygarden"),
    ("Kommunane i Nordhordland", "nordhordland"),
])
def test_fold(text, folded):
    assert search.fold(text) == folded


@pytest.mark.parametrize("query,found", [
    ("Voss herad", {"Voss kommune", "Granvin herad", "Voss herad"}),
    ("voss kommune", {"Voss kommune", "Granvin herad", "Voss herad"}),
    ("Alver", {"Lindås kommune", "Meland kommune", "Radøy kommune", "Alver kommune"}),
    ("lindas", {"Lindås kommune", "Alver kommune"}),
    ("Bjørnafjorden kommune", {"Os kommune", "Fusa kommune", "Bjørnafjorden kommune"}),
    ("1263", {"Lindås kommune"}),
    ("4631", {"Alver kommune"}),
    ("1201", {"Bergen kommune"}),
    ("4601", {"Bergen kommune"}),
    ("126", set()),
])
def test_search_finds_municipalities_by_old_and_new_names(orgs, query, found):
    factories.reform_2020(orgs)
    searched = search.where(select(Organisation.official_name).where(Organisation.kind == MUNICIPALITY), query,
                            Organisation)
    assert set(db.session.scalars(searched)) == found


def test_search_keys_follow_a_renamed_municipality(orgs):
    organisations.record_change(orgs["Fedje"], None, date(2027, 1, 1), official_name="Nye Fedje kommune")
    db.session.commit()
    assert db.session.scalar(search.where(select(Organisation.name), "Nye Fedje kommune", Organisation)) == "Fedje"


@pytest.fixture
def cases(orgs):
    """Everyone invited in 2016; Lindås and Osterøy members, Askøy in notice, Fedje said no; the mergers of 2020 in
    the register."""
    factories.reform_2020(orgs)
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    round_ = factories.historic_round()
    made = {}
    for org in orgs.values():
        if org.is_municipality and not org.is_host:
            if org.name in ("Lindås", "Osterøy", "Askøy"):
                made[org.name] = factories.member(round_, org, adviser)
            else:
                made[org.name] = factories.invited(round_, org, adviser)
    with clock.pinned(date(2016, 10, 20)):
        workflow.perform(made["Fedje"], "decline", adviser)
    signatory = factories.user("signatory", organisation=orgs["Askøy"])
    with clock.pinned(date(2026, 3, 2)):
        request = workflow.perform(made["Askøy"], "give_notice", signatory,
                                   data={"notice_date": "2026-03-01", "notice_by": "municipality"})
        workflow.approve(request, adviser)
    db.session.commit()
    return made


def _names(html: str) -> list[str]:
    """The municipality names in the table, in order."""
    return re.findall(r'<td><a href="/saker/\d+"><span translate="no">([^<]+)</span></a>', html)


def test_overview_lists_state_since_and_next_date(client, login, cases):
    login("adviser", organisation="Bergen")
    html = client.get("/oversikt?q=Askøy").get_data(as_text=True)
    assert _names(html) == ["Askøy"]
    assert "I oppsigelsestid" in html and "02.03.2026" in html
    assert "01.03.2027" in html and "Medlem til og med" in html
    html = client.get("/oversikt?q=Lindås").get_data(as_text=True)
    assert "31.12.2027" in html and "Avtalen gjelder til og med" in html and "Invitasjon 2016" in html


def test_the_overview_is_read_once_per_content_version_and_a_search_each_time(client, login, cases, monkeypatch):
    """A page of the overview is stored as read: the next visit reads none of its rows, a change after a reading is
    shown at once; a search is read each time (no copy per text)."""
    login("adviser", organisation="Bergen")
    assert _names(client.get("/oversikt?status=declined").get_data(as_text=True)) == ["Fedje"]
    reads = []
    monkeypatch.setattr(overview, "page_of_rows", lambda *args, read=overview.page_of_rows, **filters: reads.append(1)
                        or read(*args, **filters))
    client.get("/oversikt?status=declined")
    assert reads == []
    client.get("/oversikt?q=Fedje")
    assert reads == [1]
    cases["Fedje"].organisation.name = "Fedje kommune"
    db.session.commit()
    assert _names(client.get("/oversikt?status=declined").get_data(as_text=True)) == ["Fedje kommune"]
    assert reads == [1, 1]


def test_the_overview_s_links_keep_the_query_string_it_was_read_with(client, login, cases):
    login("adviser", organisation="Bergen")
    for query in ("status=active", "sort=name&status=active", "status=active&x=1", "status=active"):
        html = client.get(f"/oversikt?{query}").get_data(as_text=True)
        assert f'href="/oversikt.csv?{query.replace("&", "&amp;")}"' in html


def test_overview_search_accepts_nynorsk_and_successor_names(client, login, cases):
    login("adviser", organisation="Bergen")
    assert _names(client.get("/oversikt?q=Voss+herad").get_data(as_text=True)) == ["Granvin", "Voss"]
    assert _names(client.get("/oversikt?q=alver+kommune").get_data(as_text=True)) == ["Lindås", "Meland", "Radøy"]
    assert "Ingen kommuner passer med søket." in client.get("/oversikt?q=Stavanger").get_data(as_text=True)


def test_overview_filters_by_state_and_region(client, login, cases):
    login("adviser", organisation="Bergen")
    assert _names(client.get("/oversikt?status=active").get_data(as_text=True)) == ["Lindås", "Osterøy"]
    assert _names(client.get("/oversikt?status=declined").get_data(as_text=True)) == ["Fedje"]
    nordhordland = _names(client.get("/oversikt?region=Nordhordland&status=invited").get_data(as_text=True))
    assert nordhordland == ["Austrheim", "Gulen", "Masfjorden", "Meland", "Modalen", "Radøy"]


def test_overview_sorts_and_pages(client, login, cases):
    login("adviser", organisation="Bergen")
    first = client.get("/oversikt").get_data(as_text=True)
    assert len(_names(first)) == overview.PER_PAGE and _names(first)[0] == "Askøy"
    assert "Side 1 av 2 (23 treff)" in first
    second = _names(client.get("/oversikt?page=2").get_data(as_text=True))
    assert second == ["Vaksdal", "Voss", "Øygarden"]
    assert _names(client.get("/oversikt?sort=-name").get_data(as_text=True))[0] == "Øygarden"
    latest_first = _names(client.get("/oversikt?sort=-next").get_data(as_text=True))
    assert latest_first[:4] == ["Lindås", "Osterøy", "Askøy", "Austevoll"]  # 31.12.2027, 01.03.2027, 01.11.2016
    assert _names(client.get("/oversikt?sort=next&page=2").get_data(as_text=True))[-1] == "Fedje"  # no date: last
    by_state = _names(client.get("/oversikt?sort=-state").get_data(as_text=True))
    assert by_state[:4] == ["Askøy", "Lindås", "Osterøy", "Fedje"]


def test_unknown_filters_fall_back_to_everything(client, login, cases):
    login("adviser", organisation="Bergen")
    html = client.get("/oversikt?status=hacked&region=Mars&sort=drop&page=99").get_data(as_text=True)
    assert "Side 2 av 2" in html


def test_csv_has_the_filtered_view_with_norwegian_letters_intact(client, login, cases):
    login("adviser", organisation="Bergen")
    response = client.get("/oversikt.csv?region=Nordhordland")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["Kommune", "Kommunenummer", "Tidligere", "Etterfølger", "Region", "Status"]
    by_name = {row[0]: row for row in rows[1:]}
    assert len(rows) == 1 + 9 and "Askøy" not in by_name
    assert by_name["Lindås"][1:7] == ["1263", "", "Alver kommune fra 01.01.2020", "Nordhordland", "Aktiv",
                                      "01.03.2018"]
    assert by_name["Osterøy"][1:4] == ["4630", "", ""]
    assert by_name["Lindås"][7:9] == ["31.12.2027", "Avtalen gjelder til og med"]
    assert by_name["Osterøy"][5] == "Aktiv" and by_name["Fedje"][5] == "Takket nei"


def test_csv_follows_search(client, login, cases):
    login("adviser", organisation="Bergen")
    rows = list(csv.reader(io.StringIO(client.get("/oversikt.csv?q=Voss+herad").data.decode("utf-8-sig")),
                           delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["Granvin", "Voss"]


def test_state_counts_link_to_the_filtered_overview(client, login, cases):
    assert overview.state_counts() == [("invited", "Invitert", 19), ("declined", "Takket nei", 1),
                                       ("active", "Aktiv", 2), ("notice_given", "I oppsigelsestid", 1)]
    login("adviser", organisation="Bergen")
    html = client.get("/oversikt").get_data(as_text=True)
    assert 'href="/oversikt?status=notice_given" aria-label="I oppsigelsestid: 1 kommune"' in html
    assert 'aria-label="Invitert: 19 kommuner"' in html


def test_latest_round_counts_for_a_municipality_invited_twice(client, login, cases, orgs):
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    later = factories.historic_round("Invitasjon 2026", created=date(2026, 10, 26), deadline=date(2026, 12, 15))
    factories.invited(later, orgs["Fedje"], adviser)
    db.session.commit()
    login("adviser", organisation="Bergen")
    html = client.get("/oversikt?q=Fedje").get_data(as_text=True)
    assert "Invitasjon 2026" in html and "15.12.2026" in html
    assert '<span class="tag tag-invited">Invitert</span>' in html and "Takket nei</span>" not in html


@pytest.mark.parametrize("path", ["/oversikt", "/oversikt.csv", "/tidslinje"])
@pytest.mark.parametrize("role", ["municipality_contact", "signatory", "project_member"])
def test_overview_and_timeline_are_for_adviser_and_admin(client, login, path, role):
    login(role)
    assert client.get(path).status_code == 403


def test_admin_sees_the_overview(client, login, cases):
    login("admin", organisation="Bergen")
    assert client.get("/oversikt").status_code == 200


@pytest.fixture
def membership_facts(orgs, cases):
    """Lindås has one representative and has paid; Osterøy is renewing its agreement and owes 2018."""
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    factories.representative(orgs["Lindås"], adviser, starts_on=date(2026, 1, 1))
    lindas_2018 = contributions.line(orgs["Lindås"], 2018)
    contributions.mark_invoiced(lindas_2018, adviser, invoiced_on=date(2018, 3, 16), reference="F-1")
    contributions.mark_paid(lindas_2018, adviser, paid_on=date(2018, 4, 20), reference="KID 1")
    workflow.perform(cases["Osterøy"], "renew", adviser)
    db.session.commit()


def _cells(html: str, name: str) -> list[str]:
    """The text of the cells in the municipality's row."""
    row = re.search(rf'<tr>\s*<td><a href="/saker/\d+"><span translate="no">{name}</span></a>.*?</tr>', html,
                    re.S).group(0)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_overview_shows_seats_for_members_and_what_is_owed(client, login, membership_facts):
    login("adviser", organisation="Bergen")
    html = client.get("/oversikt").get_data(as_text=True)
    assert "<th scope=\"col\">Representanter</th>" in html and "Utestående bidrag" in html
    assert _cells(html, "Lindås")[-2:] == ["1 av 3", "kr 0"]
    assert _cells(html, "Osterøy")[-2:] == ["0 av 3", "kr 40\u00a0000"]  # still a member while renewing
    assert _cells(html, "Askøy")[-2:] == ["0 av 3", "kr 40\u00a0000"]  # in its notice period
    assert _cells(html, "Fedje")[-2:] == ["", ""]  # never a member: no seats, no ledger


def test_csv_has_the_seats_and_the_outstanding_amount(client, login, membership_facts):
    login("adviser", organisation="Bergen")
    rows = list(csv.reader(io.StringIO(client.get("/oversikt.csv").data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-2:] == ["Representanter", "Utestående bidrag (kr)"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Lindås"][-2:] == ["1 av 3", "0"]
    assert by_name["Osterøy"][-2:] == ["0 av 3", "40000"]
    assert by_name["Fedje"][-2:] == ["", ""]


@contextmanager
def _statements():
    """The SQL statements sent to the database inside the block."""
    sent = []

    def count(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _queries(client, path: str) -> int:
    client.get(path)  # warm up: the sign-in session may be touched on the first request
    with _statements() as sent:
        assert client.get(path).status_code == 200
    return len(sent)


def _members(round_, organisations, adviser) -> None:
    """Each municipality a member with one representative and a contribution line, as in real life."""
    for org in organisations:
        factories.member(round_, org, adviser)
        factories.representative(org, adviser, starts_on=date(2026, 1, 1))
    db.session.commit()


def test_overview_and_csv_take_the_same_number_of_queries_for_10_and_60_municipalities(client, login, orgs):
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    round_ = factories.historic_round()
    _members(round_, [o for o in orgs.values() if o.is_municipality and not o.is_host][:10], adviser)
    login("adviser", organisation="Bergen")
    few = {path: _queries(client, path) for path in ("/oversikt", "/oversikt.csv")}

    extra = [factories.municipality(f"Prøvekommune {n}", f"9{n:03d}") for n in range(50)]
    _members(round_, extra, adviser)
    many = {path: _queries(client, path) for path in ("/oversikt", "/oversikt.csv")}
    assert many == few
    html = client.get("/oversikt").get_data(as_text=True)
    assert len(_names(html)) == overview.PER_PAGE and html.count("<td>1 av 3</td>") == overview.PER_PAGE
    assert client.get("/oversikt.csv").data.decode("utf-8-sig").count("1 av 3") == 60


def test_a_municipality_signing_its_first_agreement_has_no_seats_yet(client, login, membership_facts, orgs):
    factories.issued_case(orgs["Fedje"])  # invited again in 2026, said yes, agreement sent for signing
    db.session.commit()
    login("adviser", organisation="Bergen")
    html = client.get("/oversikt?q=Fedje").get_data(as_text=True)
    assert "Invitasjon 2026" in _cells(html, "Fedje")[5] and _cells(html, "Fedje")[-2] == ""
    assert _cells(client.get("/oversikt?q=Osterøy").get_data(as_text=True), "Osterøy")[-2] == "0 av 3"
