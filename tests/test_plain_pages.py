"""The case, subgroup and agreement pages in plain words: the steps of the process behind "Slik går saken" (the
current one marked), fingerprints and codes behind "Tekniske detaljer", and a history that says who asked for a
step and who approved it."""
import html
import re
from datetime import date

import pytest

from app import clock
from app.extensions import db
from app.services import agreements, workflow
from tests import factories
from workflows import MEMBERSHIP, SUBGROUP
from tests.conftest import unmarked

TECHNICAL = re.compile(r'<details class="technical[^"]*">\s*<summary>Tekniske detaljer</summary>(.*?)</details>', re.S)
PROCESS = re.compile(r'<details class="card process">\s*<summary>Slik går saken</summary>(.*?)</details>', re.S)


def _outside_details(page: str) -> str:
    return TECHNICAL.sub("", page)


def _steps(process: str) -> list[tuple[str, bool]]:
    """Each step's state label, and whether it is marked as the current one."""
    return [(html.unescape(label), 'aria-current="step"' in attrs) for attrs, label in re.findall(
        r'<li class="process-step[^"]*"([^>]*)>\s*<p class="process-state"><strong>([^<]+)</strong>', process)]


@pytest.fixture
def member(orgs, adviser):
    case = factories.member_case(orgs["Lindås"], adviser)
    db.session.commit()
    return case


def test_the_case_page_explains_the_steps_behind_slik_gar_saken(client, login, member):
    login("adviser", organisation="Bergen")
    page = client.get(f"/saker/{member.id}").get_data(as_text=True)
    [process] = PROCESS.findall(page)
    assert _steps(process) == [(label, code == "active") for code, label in MEMBERSHIP.states.items()]
    assert "<ol class=\"process-steps\">" in process and "Saken er her nå" in process
    # From "Aktiv": what can happen next, in words, and where it leads.
    active = process[process.index("<strong>Aktiv</strong>"):process.index("<strong>I oppsigelsestid</strong>")]
    assert MEMBERSHIP.spec("give_notice").description in html.unescape(active)
    assert "FoU-rådgiveren må godkjenne dette." in active and "Status etterpå: I oppsigelsestid." in active
    drawing = f"/saker/{member.id}/diagram.svg"
    assert f'<img src="{drawing}"' in process and f'<a href="{drawing}">' in process
    assert "Tilstandsdiagram" not in page and 'width="900"' not in page
    assert client.get(drawing).mimetype == "image/svg+xml"


def test_the_subgroup_page_marks_its_step_too(client, login, orgs):
    kari = login("project_member")
    subgroup = factories.subgroup(kari)
    workflow.perform(subgroup, "submit", kari)
    db.session.commit()
    [process] = PROCESS.findall(client.get(f"/undergrupper/{subgroup.id}").get_data(as_text=True))
    assert _steps(process) == [(label, code == "submitted") for code, label in SUBGROUP.states.items()]


def test_the_history_says_who_gave_notice_and_who_confirmed_it(client, login, member, adviser, orgs):
    olav = factories.user("signatory", organisation=orgs["Lindås"], name="Olav Hauge")
    with clock.pinned(date(2026, 3, 2)):
        request = agreements.give_notice(member, olav, notice_date=date(2026, 3, 1), reason="Vedtak.")
    with clock.pinned(date(2026, 3, 4)):
        workflow.approve(request, adviser, "Mottatt.")
    db.session.commit()
    login("adviser", organisation="Bergen")
    page = html.unescape(unmarked(client.get(f"/saker/{member.id}").get_data(as_text=True)))
    history = page[page.index('<ol class="timeline">'):]
    asked = history.index("Olav Hauge sa opp samarbeidsavtalen for Lindås kommune.")
    confirmed = history.index("Marianne N. Solbakk bekreftet oppsigelsen fra Lindås kommune.")
    assert asked < history.index("Godkjent av Marianne N. Solbakk 04.03.2026.") < confirmed
    assert confirmed < history.index("Olav Hauge ba om dette 02.03.2026.") < history.index("«Mottatt.»")
    assert "Status: I oppsigelsestid" in history
    assert "Ba om godkjenning" not in page and "Gi skriftlig oppsigelse" not in history


def test_fingerprints_are_technical_details_on_the_agreement_pages(client, login, orgs, adviser):
    case = factories.issued_case(orgs["Lindås"], by=adviser)
    accepted = factories.accepted_case(orgs["Voss"], by=adviser)
    db.session.commit()
    login("adviser", organisation="Bergen")
    fingerprint = case.agreement.template_hash
    for path in (f"/avtaler/{case.agreement.id}", f"/avtaler/sak/{accepted.id}/send-til-signering"):
        page = client.get(path).get_data(as_text=True)
        assert fingerprint in "".join(TECHNICAL.findall(page)), path
        assert fingerprint not in _outside_details(page), path
    case.agreement.template.text += " Endret."  # both texts: Lindås is issued the nynorsk one
    case.agreement.template.text_nn += " Endret."
    db.session.commit()
    page = client.get(f"/avtaler/{case.agreement.id}").get_data(as_text=True)
    assert "Advarsel: teksten samsvarer ikke med avtalemalen." in _outside_details(page)
    assert fingerprint in "".join(TECHNICAL.findall(page)) and fingerprint not in _outside_details(page)


def test_an_error_page_keeps_the_reference_in_view_and_the_code_folded(client, login):
    login("adviser", organisation="Bergen")
    page = client.get("/saker/999999").get_data(as_text=True)
    assert "Feilkode 404" in "".join(TECHNICAL.findall(page)) and "Feilkode" not in _outside_details(page)
