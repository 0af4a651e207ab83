"""Current facts first: a case shows the agreement in force and what waits, a past round is closed (and the server
refuses what a closed round no longer offers), round sentences count right, and requests are named by what they are."""
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.models import AuditEvent, InvitationRound, MembershipCase, OutboxMessage, TransitionRequest, User
from app.services import ServiceError, agreements, in_force, members, reminders, rounds, tick, workflow
from tests import factories
from tests.conftest import post

NBSP = "\u00a0"


@pytest.fixture
def voss(orgs, adviser):
    """Voss: invited in 2016 (kr 40 000, 2017–2019), a member from 2018, renewed in 2022 at kr 45 000 for 2023–2027."""
    case = factories.member(factories.historic_round(agreement_end=date(2022, 12, 31)), orgs["Voss"], adviser)
    factories.renewed(case, adviser, date(2022, 11, 15), {"contribution": 45_000, "contribution_from": 2023,
                                                          "contribution_to": 2027, "agreement_end": "2027-12-31"})
    db.session.commit()
    return case


def _notice(case: MembershipCase) -> TransitionRequest:
    signer = factories.user("signatory", organisation=case.organisation, name="Anders Bakke")
    request = agreements.give_notice(case, signer, notice_date=date(2026, 11, 10), reason="Vedtak i heradsstyret.")
    db.session.commit()
    return request


def _facts(html: str) -> str:
    return html[html.index('<dl class="facts">'):html.index("</dl>")]


def _link(html: str, text: str) -> str:
    """The opening tag of the link whose text is `text`."""
    return re.search(rf'<a [^>]*>\s*{re.escape(text)}\s*</a>', html).group(0)


def test_the_case_page_shows_the_agreement_in_force_before_the_invitation(client, auth, adviser, voss):
    auth.login(adviser)
    facts = _facts(client.get(f"/saker/{voss.id}").get_data(as_text=True))
    assert re.findall(r"<dt>([^<]+)</dt>", facts)[:2] == ["Avtale som gjelder", "Årlig bidrag"]
    assert ">Samarbeidsavtale 2023–2027</a>, 01.01.2023–31.12.2027" in facts
    assert f"kr 45{NBSP}000 per år, 2023–2027" in facts
    assert f"kr 40{NBSP}000" not in facts and "november 2016" not in facts, "not the round's amount or deadline"
    assert facts.index("Invitasjon 2016, svarfrist 01.11.2016") > facts.index("Signaturer")


def test_the_agreement_in_force_ends_with_the_membership(orgs, adviser, voss):
    periods = members.member_periods(voss)
    first, renewal = sorted(voss.agreements, key=lambda a: a.id)
    assert in_force.on(voss, date(2022, 12, 31), periods).current.agreement is first, "the old one runs out first"
    assert in_force.on(voss, date(2017, 12, 31), periods) == in_force.Standing(None, None)
    with clock.pinned(date(2025, 3, 1)):
        workflow.perform(voss, "end_by_merger", adviser, comment="Voss herad fra 01.01.2020.")
    periods = members.member_periods(voss)
    ended = in_force.on(voss, date(2026, 11, 23), periods)
    assert ended.current is None
    assert (ended.ended.agreement, ended.ended.first_day, ended.ended.last_day) == (renewal, date(2023, 1, 1),
                                                                                   date(2025, 2, 28))


def test_a_notice_waiting_for_approval_comes_first_and_renewal_is_not_the_primary_button(client, auth, adviser,
                                                                                          voss):
    auth.login(adviser)
    before = client.get(f"/saker/{voss.id}").get_data(as_text=True)
    assert 'class="button"' in _link(before, "Forny avtalen for en ny periode")
    request = _notice(voss)
    html = client.get(f"/saker/{voss.id}").get_data(as_text=True)
    name = voss.organisation.display_name
    assert f"<strong>Oppsigelse – {name}</strong> venter på godkjenning fra FoU-rådgiveren." in html
    assert f'href="/godkjenninger/{request.id}"' in _link(html, "Behandle forespørselen")
    assert 'class="button"' in _link(html, "Behandle forespørselen")
    assert 'class="button secondary"' in _link(html, "Forny avtalen for en ny periode")
    assert "blir den bekreftet, er kommunen medlem til og med <strong>10.11.2027</strong>" in _facts(html)


def test_the_approval_inbox_names_a_request_by_what_it_is(client, auth, adviser, voss):
    request = _notice(voss)
    auth.login(adviser)
    inbox = client.get("/godkjenninger/").get_data(as_text=True)
    name = voss.organisation.display_name
    assert f">Oppsigelse – {name}</td>" in inbox and "Invitasjon 2016" not in inbox
    detail = client.get(f"/godkjenninger/{request.id}").get_data(as_text=True)
    assert f'<p class="lead">Oppsigelse – {name}</p>' in detail


@pytest.fixture
def closed_round(orgs, adviser):
    """The 2016 round ten years on: Lindås a member, Fedje never answered, Kvam said yes but got no agreement."""
    round_ = factories.historic_round(agreement_end=date(2022, 12, 31))
    factories.member(round_, orgs["Lindås"], adviser)
    fedje, kvam = factories.invited(round_, orgs["Fedje"], adviser), factories.invited(round_, orgs["Kvam"], adviser)
    with clock.pinned(date(2016, 10, 20)):
        workflow.perform(kvam, "accept", adviser)
    tick.run(date(2016, 11, 2))
    factories.user("municipality_contact", organisation=orgs["Fedje"])
    db.session.commit()
    assert fedje.state == "no_reply"
    return round_, fedje, kvam


def _counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(OutboxMessage)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)))


def test_a_past_round_is_closed_and_offers_nothing_about_answering(client, auth, adviser, closed_round):
    round_, fedje, kvam = closed_round
    auth.login(adviser)
    listing = client.get("/invitasjoner/").get_data(as_text=True)
    assert re.search(r'Invitasjon 2016</a> <span class="tag state-closed">Lukket</span>', listing)
    page = client.get(f"/invitasjoner/{round_.id}").get_data(as_text=True)
    assert '<span class="tag state-closed">Lukket</span>' in page
    links = set(re.findall(r'href="([^"]+)"', page))
    assert not {f"/invitasjoner/{round_.id}/paminnelse", f"/invitasjoner/{round_.id}/frist",
                f"/invitasjoner/sak/{fedje.id}/frist", f"/saker/{fedje.id}/handling/withdraw"} & links
    assert f"/saker/{kvam.id}/handling/withdraw" in links, "an accepted invitation may still be withdrawn"
    case_page = client.get(f"/saker/{fedje.id}").get_data(as_text=True)
    assert "/handling/" not in case_page and "Invitasjonsrunden er lukket" in case_page


def test_the_server_refuses_reminders_new_deadlines_and_withdrawal_on_a_closed_round(client, auth, adviser,
                                                                                    closed_round):
    round_, fedje, _ = closed_round
    auth.login(adviser)
    before = _counts()
    for path, data in ((f"/invitasjoner/{round_.id}/paminnelse", {}),
                       (f"/invitasjoner/{round_.id}/frist", {"deadline": "2026-12-15", "reason": "Ny sjanse."}),
                       (f"/invitasjoner/sak/{fedje.id}/frist", {"deadline": "2026-12-15", "reason": "Ny sjanse."}),
                       (f"/saker/{fedje.id}/handling/withdraw", {"comment": "Rydder."})):
        response = post(client, path, data, token_from=f"/invitasjoner/{round_.id}")
        assert response.status_code == 409, path
        assert "lukket" in response.get_data(as_text=True), path
    assert _counts() == before
    assert (db.session.get(InvitationRound, round_.id).reply_deadline, fedje.state) == (date(2016, 11, 1),
                                                                                       "no_reply")
    with pytest.raises(ServiceError, match="«Invitasjon 2016» er lukket"):
        reminders.remind(round_, adviser, clock.today())
    with pytest.raises(ServiceError, match="«Invitasjon 2016» er lukket"):
        rounds.extend_round_deadline(round_, date(2026, 12, 15), "Ny sjanse.", adviser)
    with pytest.raises(ServiceError, match="Invitasjonsrunden er lukket"):
        rounds.extend_case_deadline(fedje, date(2026, 12, 15), "Ny sjanse.", adviser)


def test_a_round_closes_when_the_period_it_invited_to_begins(app, adviser, orgs):
    round_ = factories.sent_round(adviser, [orgs["Voss"]])  # deadline 15.12.2026, agreements from 2027
    db.session.commit()
    for today, closed in (("2026-12-16", False), ("2026-12-31", False), ("2027-01-01", True)):
        app.config["TODAY"] = today
        assert rounds.closed(round_, clock.today()) is closed, today
    app.config["TODAY"] = "2026-12-20"
    rounds.extend_case_deadline(round_.cases[0], date(2027, 1, 10), "Heradsstyret møtes i januar.", adviser)
    app.config["TODAY"] = "2027-01-05"
    assert not rounds.closed(round_, clock.today()), "a later deadline keeps it open"


def test_round_sentences_count_municipalities_in_the_singular_and_plural(client, auth, adviser, orgs):
    round_ = factories.sent_round(adviser, [orgs["Voss"], orgs["Kvam"], orgs["Fedje"]])
    cases = {case.organisation.name: case for case in round_.cases}
    workflow.perform(cases["Voss"], "accept", adviser)
    db.session.commit()
    auth.login(adviser)
    page = f"/invitasjoner/{round_.id}"
    status = " ".join(client.get(page).get_data(as_text=True).split())
    assert "1 kommune har svart. 2 kommuner har ikke svart ennå." in status
    assert "Svarfrist 15.12.2026" in status and "15. desember" not in status
    for name, expected in (("Kvam", "2 kommuner har svart. 1 kommune har ikke svart ennå."),
                           ("Fedje", "3 kommuner har svart. 0 kommuner har ikke svart ennå.")):
        workflow.perform(cases[name], "decline", adviser)
        db.session.commit()
        assert expected in " ".join(client.get(page).get_data(as_text=True).split())


def test_a_municipality_is_not_offered_a_late_answer_to_a_closed_round(client, auth, orgs, closed_round):
    _, fedje, _ = closed_round
    contact = db.session.scalar(select(User).where(User.organisation_id == orgs["Fedje"].id))
    auth.login(contact)
    page = client.get(f"/min-kommune/invitasjon/{fedje.id}").get_data(as_text=True)
    assert "invitasjonsrunden er lukket" in page and "/sent-svar" not in page
    response = post(client, f"/min-kommune/invitasjon/{fedje.id}/sent-svar", {"contact_name": "Kari"},
                    token_from=f"/min-kommune/invitasjon/{fedje.id}")
    assert response.status_code == 302 and fedje.state == "no_reply"
    assert db.session.scalar(select(func.count()).select_from(TransitionRequest)) == 0
    with pytest.raises(ServiceError, match="Invitasjonsrunden er lukket"):
        workflow.perform(fedje, "accept_late", contact)
