"""The log page: each event as a sentence, newest first by date, the technical details folded away, and a filter by
organisation, person and kind whose parts combine."""
import html
import re
from datetime import date

import pytest

from app import clock
from app.admin import routes as admin_routes
from app.extensions import db
from app.services import agreements, workflow
from tests import factories
from tests.conftest import unmarked

LOG = "/admin/logg"


def _shown(page: str) -> str:
    """What a reader sees without opening "Tekniske detaljer": the page's text, the folded details left out."""
    main = re.search(r"<main.*?</main>", page, re.S).group(0)
    main = re.sub(r'<details class="technical.*?</details>', "", main, flags=re.S)
    main = re.sub(r"<select.*?</select>", "", main, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def _sentences(page: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
            for text in re.findall(r'<p class="log-text"><time[^>]*>[^<]*</time>(.*?)(?:<span class="tag|</p>)',
                                   page, re.S)]


@pytest.fixture
def world(orgs, adviser):
    """Lindås and Voss as members since 2024 (on 01.03.2024); on 02.03.2026 Olav Hauge of Lindås gave notice, which
    the adviser confirmed on 04.03.2026; a Voss contact answered an invitation to Voss on 23.11.2026. Written out of
    date order: the notice last."""
    voss = factories.member_case(orgs["Voss"], adviser)
    lindas = factories.member_case(orgs["Lindås"], adviser)
    olav = factories.user("signatory", organisation=orgs["Lindås"], name="Olav Hauge")
    with clock.pinned(date(2026, 3, 2)):
        request = agreements.give_notice(lindas, olav, notice_date=date(2026, 3, 1), reason="Vedtak i kommunestyret.")
    with clock.pinned(date(2026, 3, 4)):
        workflow.approve(request, adviser)
    db.session.commit()
    return {"voss": voss, "lindas": lindas, "olav": olav}


def _by_day(page: str) -> dict[str, list[str]]:
    """The sentences under each day's heading, in the page's order."""
    sections = re.findall(r'<h2 id="day-\d+">([^<]+)</h2>(.*?)</section>', page, re.S)
    return {html.unescape(day): _sentences(section) for day, section in sections}


def test_the_log_tells_what_happened_in_sentences_newest_first(client, login, world):
    login("adviser", organisation="Bergen")
    page = unmarked(client.get(LOG, query_string={"organisation": "Lindås"}).get_data(as_text=True))
    days = _by_day(page)
    assert list(days) == ["23. november 2026", "4. mars 2026", "2. mars 2026", "1. mars 2024"]
    assert days["4. mars 2026"] == ["Marianne N. Solbakk bekreftet oppsigelsen fra Lindås kommune."]
    assert days["2. mars 2026"] == ["Olav Hauge sa opp samarbeidsavtalen for Lindås kommune."]
    assert "Olav Hauge ba om dette 02.03.2026." in page and "«Vedtak i kommunestyret.»" in page
    shown = _shown(page)
    for code in ("membership.", "membership_case", "notice_given", "request.create", "→"):
        assert code not in shown, code
    details = re.findall(r'<details class="technical.*?</details>', page, re.S)
    assert len(details) == len(_sentences(page)) and all("Tekniske detaljer" in d for d in details)
    notice = next(d for d in details if "membership.give_notice" in d)
    assert "active → notice_given" in html.unescape(notice)


def test_the_filter_narrows_by_organisation_person_and_kind_together(client, login, world, orgs):
    login("adviser", organisation="Bergen")

    def sentences(**query) -> list[str]:
        response = client.get(LOG, query_string=query)
        assert response.status_code == 200
        return _sentences(response.get_data(as_text=True))

    everything = sentences()
    voss = sentences(organisation="VOSS")
    assert "Marianne N. Solbakk aktiverte medlemskapet til Voss kommune." in voss and len(voss) < len(everything)
    assert not any("Lindås" in text for text in voss)
    # What Olav Hauge did, and what was done about him.
    assert sentences(person="olav hauge") == ["Systemet opprettet brukeren Olav Hauge.",
                                              "Olav Hauge sa opp samarbeidsavtalen for Lindås kommune."]
    # The adviser's deeds about Lindås, then only the notices among them.
    lindas_by_adviser = sentences(organisation="Lindås", person="Solbakk")
    assert lindas_by_adviser and all("Lindås" in t and t.startswith("Marianne") for t in lindas_by_adviser)
    assert sentences(organisation="Lindås", person="Solbakk", kind="membership") == [
        "Marianne N. Solbakk bekreftet oppsigelsen fra Lindås kommune.",
        "Marianne N. Solbakk aktiverte medlemskapet til Lindås kommune."]
    assert sentences(kind="request.create:membership.give_notice") == [
        "Olav Hauge sa opp samarbeidsavtalen for Lindås kommune."]
    assert sentences(kind="membership.give_notice") == ["Marianne N. Solbakk bekreftet oppsigelsen fra Lindås "
                                                        "kommune."]
    assert sentences(organisation="Voss", kind="membership.give_notice") == []
    assert "Ingen hendelser passer med det du har valgt." in client.get(
        LOG, query_string={"organisation": "Voss", "kind": "membership.give_notice"}).get_data(as_text=True)


def test_the_whole_log_is_read_once_per_content_version(client, login, world, orgs, monkeypatch):
    """A page of the unfiltered log is stored as read: the next visit reads no event, an event after a reading is
    shown at once; a filtered log is read each time."""
    adviser = login("adviser", organisation="Bergen")
    client.get(LOG)
    reads = []
    monkeypatch.setattr(admin_routes, "_log_page", lambda *args, read=admin_routes._log_page: reads.append(1)
                        or read(*args))
    client.get(f"{LOG}?page=1")
    assert reads == []
    workflow.perform(factories.case(orgs["Fedje"]), "withdraw", adviser, comment="Fedje trekkes.")
    db.session.commit()
    assert "Fedje trekkes." in client.get(LOG).get_data(as_text=True)
    assert reads == [1]
    client.get(LOG, query_string={"organisation": "Fedje"})
    client.get(LOG, query_string={"organisation": "Fedje"})
    assert reads == [1, 1, 1]


def test_the_filter_is_a_labelled_get_form_that_keeps_its_values_over_the_pages(client, login, world, orgs,
                                                                                  adviser):
    for n in range(30):
        factories.user(organisation=orgs["Voss"], name=f"Vossing {n:02}")
    db.session.commit()
    login("adviser", organisation="Bergen")
    page = client.get(LOG, query_string={"organisation": "voss", "kind": "account"}).get_data(as_text=True)
    form = re.search(r'<form method="get".*?</form>', page, re.S).group(0)
    for name in ("organisation", "person", "kind"):
        assert re.search(rf'<label for="{name}">', form) and f'name="{name}"' in form
    assert 'value="voss"' in form and '<option selected value="account">' in form
    assert "Side 1 av 2" in page
    next_page = re.search(r'<a href="([^"]+)" rel="next">', page).group(1)
    assert "organisation=voss" in next_page and "kind=account" in next_page
    second = _sentences(client.get(html.unescape(next_page)).get_data(as_text=True))
    assert "Systemet opprettet brukeren Vossing 00." in second
    assert all(text.startswith("Systemet opprettet brukeren ") for text in second)


def test_a_kind_not_in_the_list_is_a_form_error_not_a_failure(client, login, world):
    login("adviser", organisation="Bergen")
    response = client.get(LOG, query_string={"kind": "membership.nonsense", "organisation": "x" * 500})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Velg noe fra listen." in page
    assert _sentences(page)  # the filters with errors narrow nothing
