"""The adviser's invitation rounds: creating and sending, the overview, reminders, deadlines and withdrawal."""
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.invitations import picker, routes as invitation_routes
from app.models import AuditEvent, InvitationRound, MembershipCase, Organisation, OutboxMessage, User
from app.services import ServiceError, cases, reminders, replies, rounds, tick, workflow
from tests import factories
from tests.conftest import csrf_token, post, unmarked
from workflows import MEMBERSHIP

NEW = "/invitasjoner/ny"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _mail_to(email: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                   .order_by(OutboxMessage.id)))


def _round_form(orgs, *names, **overrides) -> dict:
    data = {"title": "Invitasjon 2026", "reply_deadline": "2026-12-15", "contribution": "40000",
            "contribution_from": "2027", "contribution_to": "2029", "agreement_end": "2029-12-31",
            "meeting": "Felles samarbeidsmøte i januar 2027", "region": "",
            "letter_text": "Vi inviterer kommunen. Årlig bidrag kr 40 000. Svar innen 15.12.2026.",
            "organisations": [orgs[name].id for name in names]}
    data.update(overrides)
    return data


@pytest.fixture
def adviser(login):
    return login("adviser", organisation="Bergen")


def test_new_round_form_is_prefilled_from_the_2016_letter(client, adviser):
    html = client.get(NEW).get_data(as_text=True)
    assert "Det overordnede målet med samarbeidet" in html
    assert "kr 40\xa0000 i perioden 2027–2029" in html
    assert "innen 04.01.2027" in html  # six weeks after the test day
    assert 'value="Invitasjon 2026"' in html


@pytest.mark.parametrize("action", ["preview", "send"])
@pytest.mark.parametrize("names,overrides,field,message", [
    (("Lindås",), {"reply_deadline": "2026-11-22"}, "reply_deadline", "Svarfristen kan ikke være tilbake i tid."),
    ((), {}, "organisations", "Velg minst én kommune."),
    (("Lindås", "Lindås", "Voss"), {}, "organisations", "Valgt mer enn én gang: Lindås."),
    (("Lindås",), {"contribution_to": "2026"}, "contribution_to", "Siste år kan ikke være før første år."),
])
def test_round_validation_shows_errors_on_the_fields_and_sends_nothing(client, adviser, orgs, action, names,
                                                                       overrides, field, message):
    response = post(client, NEW, {**_round_form(orgs, *names, **overrides), "action": action}, token_from=NEW)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(rf'id="{field}-error"[^>]*>[^<]*{re.escape(message)}', html), html
    assert 'class="error-summary ' in html
    assert _count(InvitationRound) == _count(MembershipCase) == _count(OutboxMessage) == 0


def test_preview_shows_recipients_and_writes_nothing(client, adviser, orgs):
    factories.user("municipality_contact", organisation=orgs["Lindås"], name="Kari Nordtveit")
    db.session.commit()
    response = post(client, NEW, {**_round_form(orgs, "Lindås", "Voss"), "action": "preview"}, token_from=NEW)
    html = response.get_data(as_text=True)
    assert "Se over før sending" in html and "Send invitasjoner" in html
    assert "Kari Nordtveit" in html and "Ingen kontaktperson" in html
    assert _count(InvitationRound) == _count(OutboxMessage) == 0


def test_preview_warns_when_the_letter_does_not_mention_amount_or_deadline(client, adviser, orgs):
    form = _round_form(orgs, "Lindås", letter_text="Et brev uten tall.", action="preview")
    html = post(client, NEW, form, token_from=NEW).get_data(as_text=True)
    assert "Brevteksten nevner ikke beløpet kr 40\xa0000." in html
    assert "Brevteksten nevner ikke svarfristen 15.12.2026." in html


def test_sending_creates_one_invited_case_per_municipality_and_mail_per_contact(client, adviser, orgs):
    kari = factories.user("municipality_contact", organisation=orgs["Lindås"])
    olav = factories.user("municipality_contact", organisation=orgs["Lindås"])
    signer = factories.user("signatory", organisation=orgs["Lindås"])
    db.session.commit()
    response = post(client, NEW, {**_round_form(orgs, "Lindås", "Voss"), "action": "send"}, token_from=NEW)
    assert response.status_code == 302
    round_ = db.session.scalar(select(InvitationRound))
    assert {c.organisation.name: c.state for c in round_.cases} == {"Lindås": "invited", "Voss": "invited"}
    lindas = next(c for c in round_.cases if c.organisation.name == "Lindås")
    for person in (kari, olav):
        [message] = _mail_to(person.email)
        assert message.subject == "Invitasjon til Kunnskapskommunen – svarfrist 15.12.2026"
        assert f"http://kk.test/min-kommune/invitasjon/{lindas.id}" in message.body_text
        assert f'href="http://kk.test/min-kommune/invitasjon/{lindas.id}"' in message.body_html
        assert "15. desember 2026" in message.body_text and "Vi inviterer kommunen." in message.body_text
    assert _mail_to(signer.email) == [] and _count(OutboxMessage) == 2
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.create"))
    assert created.actor_id == adviser.id


def test_a_letter_typed_in_the_browser_keeps_its_paragraphs(client, adviser, orgs):
    typed = "Vi inviterer kommunen.\r\n\r\nÅrlig bidrag kr 40 000.\r\nSvar innen 15.12.2026.\r\rMed hilsen"
    post(client, NEW, {**_round_form(orgs, "Lindås", letter_text=typed), "action": "send"}, token_from=NEW)
    round_ = db.session.scalar(select(InvitationRound))
    assert round_.letter_text == \
        "Vi inviterer kommunen.\n\nÅrlig bidrag kr 40 000.\nSvar innen 15.12.2026.\n\nMed hilsen"
    case = round_.cases[0]
    page = client.get(f"/saker/{case.id}/dokumenter/invitasjon").get_data(as_text=True)
    assert re.findall(r"<p>([^<]*)</p>", page)[:3] == [
        "Vi inviterer kommunen.", "Årlig bidrag kr 40 000.\nSvar innen 15.12.2026.", "Med hilsen"]
    overview = client.get(f"/invitasjoner/{round_.id}").get_data(as_text=True)
    assert "<p>Vi inviterer kommunen.</p><p>Årlig bidrag kr 40 000.<br>Svar innen 15.12.2026.</p>" in overview


def test_overview_lists_municipalities_without_contact(client, adviser, orgs):
    factories.user("municipality_contact", organisation=orgs["Lindås"], name="Kari Nordtveit")
    round_ = factories.sent_round(adviser, [orgs["Lindås"], orgs["Voss"]])
    db.session.commit()
    html = client.get(f"/invitasjoner/{round_.id}").get_data(as_text=True)
    section = html.split('id="no-contact-heading"')[1].split("</section>")[0]
    assert "Voss" in section and "Lindås" not in section
    assert "0 kommuner har svart." in html and "2 kommuner har ikke svart ennå." in html and "22 dager igjen" in html


def test_the_round_page_rows_are_read_once_per_content_version(client, adviser, orgs, monkeypatch):
    """A page of the round's municipalities is stored as read: the next visit reads none of its rows, a contact
    person added after a reading is in the row at once."""
    round_ = factories.sent_round(adviser, [orgs["Lindås"], orgs["Voss"]])
    db.session.commit()
    assert "Kari Nordtveit" not in client.get(f"/invitasjoner/{round_.id}").get_data(as_text=True)
    reads = []
    monkeypatch.setattr(rounds, "rows", lambda *args, read=rounds.rows: reads.append(1) or read(*args))
    client.get(f"/invitasjoner/{round_.id}")
    assert reads == []
    factories.user("municipality_contact", organisation=orgs["Voss"], name="Kari Nordtveit")
    db.session.commit()
    assert '<span translate="no">Kari Nordtveit</span>' in client.get(f"/invitasjoner/{round_.id}").get_data(
        as_text=True)
    assert reads == [1]


def test_contact_added_later_by_admin_gets_the_invitation_at_once(app, client, login, orgs):
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    round_ = factories.sent_round(adviser, [orgs["Voss"]])
    db.session.commit()
    login("admin", organisation="Bergen")
    response = post(client, "/admin/brukere/ny", {
        "email": "siri.lie@voss.kommune.no", "name": "Siri Lie", "organisation_id": orgs["Voss"].id,
        "roles": ["municipality_contact"], "active": "y"}, token_from="/admin/brukere/ny")
    assert response.status_code == 302
    subjects = sorted(m.subject for m in _mail_to("siri.lie@voss.kommune.no"))
    assert subjects == ["Invitasjon til Kunnskapskommunen – svarfrist 15.12.2026",
                        "Invitasjon til intranettet for Kunnskapskommunen"]
    [row] = rounds.rows(rounds.overview(round_, date(2026, 11, 23)), date(2026, 11, 23))
    assert row.contacts[0].name == "Siri Lie"


def test_giving_the_contact_role_later_sends_the_invitation_once(client, login, orgs):
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    person = factories.user("project_member", organisation=orgs["Voss"])
    factories.sent_round(adviser, [orgs["Voss"]])
    db.session.commit()
    login("admin", organisation="Bergen")
    page = f"/admin/brukere/{person.id}"
    form = {"name": person.name, "organisation_id": orgs["Voss"].id, "active": "y",
            "roles": ["project_member", "municipality_contact"]}
    assert post(client, page, form, token_from=page).status_code == 302
    assert post(client, page, {**form, "roles": ["project_member"]}, token_from=page).status_code == 302
    assert post(client, page, form, token_from=page).status_code == 302
    assert [m.subject for m in _mail_to(person.email)] == ["Invitasjon til Kunnskapskommunen – svarfrist 15.12.2026"]


def test_invite_more_refuses_a_municipality_already_in_the_round(client, adviser, orgs):
    round_ = factories.sent_round(adviser, [orgs["Lindås"]])
    db.session.commit()
    page = f"/invitasjoner/{round_.id}/inviter"
    response = post(client, page, {"organisations": [orgs["Lindås"].id, orgs["Voss"].id], "action": "send"},
                    token_from=page)
    assert "Allerede invitert i denne runden: Lindås." in response.get_data(as_text=True)
    assert len(db.session.get(InvitationRound, round_.id).cases) == 1
    response = post(client, page, {"organisations": [orgs["Voss"].id], "action": "send"}, token_from=page)
    assert response.status_code == 302
    assert sorted(c.organisation.name for c in db.session.get(InvitationRound, round_.id).cases) == ["Lindås", "Voss"]


MEMBER_REFUSAL = "Kan ikke inviteres: Lindås (er medlem). En medlemskommunes avtale fornyes fra saken."


def _case_in(state: str, orgs, adviser) -> MembershipCase:
    """Lindås with a case holding an agreement in `state`, made through the services."""
    if state == "agreement_pending":
        return factories.issued_case(orgs["Lindås"], by=adviser)
    if state == "signed":
        return factories.signed_case(orgs["Lindås"], adviser, factories.user("signatory", organisation=orgs["Bergen"]),
                                     factories.user("signatory", organisation=orgs["Lindås"]))
    case = factories.active_case(orgs["Lindås"], by=adviser)
    if state == "notice_given":
        signer = factories.user("signatory", organisation=orgs["Lindås"])
        workflow.approve(workflow.perform(case, "give_notice", signer, data={"notice_date": "2026-11-23"}), adviser)
    return case


@pytest.mark.parametrize("state, reason", [("agreement_pending", "har en avtale til signering"),
                                           ("signed", "er medlem"), ("active", "er medlem"),
                                           ("notice_given", "er medlem")])
def test_a_member_or_one_with_an_agreement_is_not_invited_again(app, orgs, state, reason):
    adviser = factories.adviser(orgs["Bergen"])
    held = _case_in(state, orgs, adviser)
    db.session.commit()
    assert held.state == state
    refusal = re.escape(f"Kan ikke inviteres: Lindås ({reason}).")
    with pytest.raises(ServiceError, match=refusal):
        cases.invite(factories.invitation_round(title="Invitasjon 2027"), orgs["Lindås"], adviser)
    with pytest.raises(ServiceError, match=refusal):
        factories.sent_round(adviser, [orgs["Voss"], orgs["Lindås"]])
    db.session.rollback()
    assert db.session.scalars(select(MembershipCase.id).where(
        MembershipCase.organisation_id == orgs["Lindås"].id)).all() == [held.id]


def test_a_municipality_that_said_no_may_be_invited_again(app, orgs):
    adviser = factories.adviser(orgs["Bergen"])
    workflow.perform(cases.invite(factories.invitation_round(title="Invitasjon 2025"), orgs["Lindås"], adviser),
                     "decline", adviser)
    assert factories.sent_round(adviser, [orgs["Lindås"]]).cases[0].state == "invited"


def test_round_form_refuses_a_member_and_points_to_its_case(client, adviser, orgs):
    member = factories.active_case(orgs["Lindås"], by=adviser)
    db.session.commit()
    form = client.get(NEW).get_data(as_text=True)
    assert f'name="organisations" value="{orgs["Lindås"].id}"' not in form
    assert f'er medlem (<a href="/saker/{member.id}">saken' in form
    chosen = post(client, NEW, {**_round_form(orgs), "region": "Nordhordland", "action": "select_all"},
                  token_from=NEW).get_data(as_text=True)
    assert "Lindås" not in chosen.split("Valgt nå")[1].split("</p>")[0]
    for action in ("preview", "send"):
        response = post(client, NEW, {**_round_form(orgs, "Lindås", "Voss"), "action": action}, token_from=NEW)
        assert re.search(rf'id="organisations-error"[^>]*>[^<]*{re.escape(MEMBER_REFUSAL)}',
                         response.get_data(as_text=True))
    assert _count(InvitationRound) == 1 and _count(MembershipCase) == 1  # the member's own


def test_round_refuses_dissolved_organisations_members_successors_of_members_and_open_cases(client, adviser, orgs):
    made = factories.reform_2020(orgs)
    factories.active_case(made["Alver kommune"], by=adviser)
    member_to_be = factories.municipality("Nye Samnanger kommune", region="Bergensregionen")
    factories.succession([orgs["Samnanger"]], member_to_be, date(2027, 1, 1))  # recorded ahead of the merger
    factories.active_case(member_to_be, by=adviser)
    open_case = factories.sent_round(adviser, [orgs["Askøy"]], deadline=date(2026, 12, 20)).cases[0]
    db.session.commit()
    reasons = {"Lindås": "oppløst 31.12.2019, nå del av Alver kommune",
               "Fjell": "oppløst 31.12.2019, nå del av Øygarden kommune",
               "Samnanger": "oppløses 31.12.2026, blir del av Nye Samnanger kommune",  # before the form's deadline
               "Askøy": "har en åpen sak", "Alver": "er medlem"}
    form = client.get(NEW).get_data(as_text=True)
    for name, reason in reasons.items():
        organisation = orgs.get(name) or made["Alver kommune"]
        assert f'name="organisations" value="{organisation.id}"' not in form
        assert f"<span>{organisation.name}</span> <span class=\"muted\">– {reason}" in form
    assert f'har en åpen sak (<a href="/saker/{open_case.id}">' in form
    assert f'name="organisations" value="{orgs["Vaksdal"].id}"' in form
    response = post(client, NEW, {**_round_form(orgs, "Lindås", "Samnanger", "Askøy", "Vaksdal"), "action": "send"},
                    token_from=NEW)
    assert ("Kan ikke inviteres: Askøy (har en åpen sak), Lindås (oppløst 31.12.2019, nå del av Alver kommune), "
            "Samnanger (går inn i Nye Samnanger kommune, som er medlem).") in response.get_data(as_text=True)
    assert _count(InvitationRound) == 3
    # On its last day a predecessor still exists; its successor's membership is then the reason.
    assert cases.refusals([orgs["Lindås"]], date(2019, 12, 31))[orgs["Lindås"].id].reason == \
        "går inn i Alver kommune, som er medlem"
    assert cases.refusals([orgs["Vaksdal"]], date(2026, 12, 15)) == {}


def test_an_invitation_blocks_another_from_when_it_is_sent_to_its_deadline_or_until_the_agreement(app, orgs):
    adviser = factories.adviser(orgs["Bergen"])
    factories.sent_round(adviser, [orgs["Askøy"]], deadline=date(2026, 12, 15))
    accepted = factories.sent_round(adviser, [orgs["Voss"]], deadline=date(2026, 12, 15), title="Runde 2").cases[0]
    workflow.perform(accepted, "accept", adviser)
    db.session.commit()
    asked = [orgs["Askøy"], orgs["Voss"]]

    def refused(day: date) -> dict[str, str]:
        with clock.pinned(day):
            found = [{o.name: f.reason for o in asked if (f := refusals.get(o.id))}
                     for refusals in (cases.refusals(asked, day), cases.refusals(asked, day, every=True))]
        assert found[0] == found[1]
        return found[0]

    assert refused(date(2026, 11, 1)) == {}  # a day before the invitations were sent
    assert refused(date(2026, 12, 15)) == {"Askøy": "har en åpen sak", "Voss": "har en åpen sak"}  # the deadline
    assert refused(date(2026, 12, 16)) == {"Voss": "har en åpen sak"}  # accepted: open until the agreement


def test_invite_more_refuses_a_member(client, adviser, orgs):
    round_ = factories.sent_round(adviser, [orgs["Voss"]])
    factories.active_case(orgs["Lindås"], by=adviser)
    db.session.commit()
    page = f"/invitasjoner/{round_.id}/inviter"
    for action in ("preview", "send"):
        response = post(client, page, {"organisations": [orgs["Lindås"].id], "action": action}, token_from=page)
        assert MEMBER_REFUSAL in response.get_data(as_text=True)
    assert [c.organisation.name for c in db.session.get(InvitationRound, round_.id).cases] == ["Voss"]


def test_the_pickers_list_is_read_once_per_content_version(client, adviser, orgs, monkeypatch):
    """With nothing chosen and no search, the list is stored as read: the next visit reads no municipality, one
    invited after a reading is shown so at once; a search is read each time."""
    round_ = factories.sent_round(adviser, [orgs["Voss"]])
    db.session.commit()
    page = f"/invitasjoner/{round_.id}/inviter"
    assert "Lindås</span> <span class=\"muted\">– allerede invitert" not in client.get(page).get_data(as_text=True)
    reads = []
    monkeypatch.setattr(picker, "_listing", lambda *args, read=picker._listing: reads.append(1) or read(*args))
    client.get(page)
    assert reads == []
    cases.invite(round_, orgs["Lindås"], adviser)
    db.session.commit()
    assert "Lindås</span> <span class=\"muted\">– allerede invitert" in client.get(page).get_data(as_text=True)
    assert reads == [1]
    post(client, page, {"q": "Lind", "action": "search"}, token_from=page)
    post(client, page, {"q": "Lind", "action": "search"}, token_from=page)
    assert reads == [1, 1, 1]


def test_the_picker_shows_each_municipality_as_it_stands_and_keeps_the_choice_after_an_error(client, adviser, orgs):
    for title in ("Invitasjon 2024", "Invitasjon 2025"):  # the latest case is the one shown
        workflow.perform(cases.invite(factories.invitation_round(title=title), orgs["Askøy"], adviser), "decline",
                         adviser)
    factories.user("municipality_contact", organisation=orgs["Askøy"])
    member = factories.active_case(orgs["Lindås"], by=adviser)
    round_ = factories.sent_round(adviser, [orgs["Voss"]])
    db.session.commit()
    page = f"/invitasjoner/{round_.id}/inviter"

    def row(html: str, name: str) -> str:
        return next(item for item in html.split("<li>") if f">{name}</" in item).split("</li>")[0]

    failed = post(client, page, {"organisations": [orgs["Vaksdal"].id, orgs["Askøy"].id, orgs["Lindås"].id],
                                 "action": "preview"}, token_from=page).get_data(as_text=True)
    assert MEMBER_REFUSAL in failed
    assert row(failed, "Voss") == '<span>Voss</span> <span class="muted">– allerede invitert i denne runden</span>'
    assert row(failed, "Lindås") == (f'<span>Lindås</span> <span class="muted">– er medlem (<a href="/saker/'
                                     f'{member.id}">saken<span class="visually-hidden"> for Lindås</span></a>)</span>')
    vaksdal, askoy = orgs["Vaksdal"].id, orgs["Askøy"].id
    assert row(failed, "Vaksdal") == (
        f'<input type="checkbox" name="organisations" value="{vaksdal}" id="org-{vaksdal}" checked '
        f'aria-describedby="org-{vaksdal}-about"> <label for="org-{vaksdal}">Vaksdal</label> '
        f'<span class="muted" id="org-{vaksdal}-about">ikke invitert før · ingen kontaktperson</span>')
    assert f'id="org-{askoy}" checked' in row(failed, "Askøy")
    assert f'<span class="muted" id="org-{askoy}-about">Takket nei (Invitasjon 2025)</span>' in row(failed, "Askøy")
    assert "checked" not in row(failed, "Samnanger")
    assert "Valgt nå (3): Vaksdal, Askøy, Lindås" in failed
    client.post("/sprak", data={"lang": "en", "csrf_token": csrf_token(client, page)})
    english = client.get(page).get_data(as_text=True)
    assert "already invited in this round" in row(english, "Voss") and ">the case<" in row(english, "Lindås")
    assert "not invited before · no contact person" in row(english, "Vaksdal")


def test_select_all_and_region_filter_work_without_javascript(client, adviser, orgs):
    response = post(client, NEW, {**_round_form(orgs), "region": "Voss og omland", "action": "select_all"},
                    token_from=NEW)
    html = response.get_data(as_text=True)
    checked = set(re.findall(r'name="organisations" value="(\d+)" id="org-\d+" checked', html))
    voss_region = {str(o.id) for o in orgs.values() if o.region == "Voss og omland"}
    assert checked == voss_region and len(voss_region) == 6
    assert re.findall(r"<legend[^>]*>([^<]*)</legend>", html.split('id="organisations"')[1]) == ["Valgt"]
    assert "Velg minst én kommune." not in html
    shown = post(client, NEW, {**_round_form(orgs), "region": "Nordhordland", "action": "filter"},
                 token_from=NEW).get_data(as_text=True)
    assert re.findall(r"<legend[^>]*>([^<]*)</legend>", shown.split('id="organisations"')[1]) == ["Nordhordland"]


def _offered(html: str) -> list[str]:
    return re.findall(r'name="organisations" value="\d+" id="org-\d+"(?: checked)? aria-describedby="[^"]+"> '
                      r'<label for="[^"]+">([^<]+)</label>', html)


def test_the_picker_lists_the_first_municipalities_finds_the_others_and_keeps_those_chosen(
        client, adviser, orgs, monkeypatch):
    monkeypatch.setattr(picker, "SHOWN", 3)
    municipalities = db.session.scalar(select(func.count()).select_from(Organisation).where(
        Organisation.kind == "municipality", Organisation.is_host.is_(False)))
    html = client.get(NEW).get_data(as_text=True)
    assert len(_offered(html)) == 3
    assert f"Viser de første 3 av {municipalities} kommuner." in html
    found = post(client, NEW, {**_round_form(orgs), "q": "vaksdal", "action": "filter"},
                 token_from=NEW).get_data(as_text=True)
    assert _offered(found) == ["Vaksdal"] and "Viser de første" not in found
    kept = post(client, NEW, {**_round_form(orgs, "Vaksdal"), "q": "voss", "action": "filter"},
                token_from=NEW).get_data(as_text=True)
    assert _offered(kept) == ["Vaksdal", "Voss"]
    assert f'value="{orgs["Vaksdal"].id}" id="org-{orgs["Vaksdal"].id}" checked' in kept
    assert "Valgt nå (1): Vaksdal" in kept
    everything = post(client, NEW, {**_round_form(orgs), "action": "select_all"}, token_from=NEW)
    assert f"Valgt nå ({municipalities}):" in everything.get_data(as_text=True)


def test_refill_writes_the_letter_with_the_new_terms(client, adviser, orgs):
    form = _round_form(orgs, contribution="50000", contribution_from="2028", contribution_to="2031",
                       reply_deadline="2027-01-20", letter_text="gammel tekst", action="refill")
    html = post(client, NEW, form, token_from=NEW).get_data(as_text=True)
    assert "kr 50\xa0000 i perioden 2028–2031" in html and "innen 20.01.2027" in html
    assert "gammel tekst" not in html


def _reminders() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.like("Påminn%"))))


def test_reminder_goes_only_to_the_unanswered_and_never_twice_a_day(app, client, auth, adviser, orgs):
    lindas = factories.user("municipality_contact", organisation=orgs["Lindås"])
    voss = factories.user("municipality_contact", organisation=orgs["Voss"])
    round_ = factories.sent_round(adviser, [orgs["Lindås"], orgs["Voss"]])
    voss_case = next(c for c in round_.cases if c.organisation.name == "Voss")
    replies.reply(voss_case, voss, answer="no", details=factories.reply_details(voss))
    db.session.commit()
    page = f"/invitasjoner/{round_.id}/paminnelse"
    confirm = client.get(page).get_data(as_text=True)
    assert lindas.email in confirm and voss.email not in confirm
    assert "Send påminnelse til 1 mottakere" in confirm
    first = post(client, page, token_from=page, follow_redirects=True)
    assert "Påminnelsen går ut i løpet av et minutt (1 e-post)." in first.get_data(as_text=True)
    second = post(client, page, {}, token_from=f"/invitasjoner/{round_.id}", follow_redirects=True)
    assert "allerede fått påminnelse i dag" in second.get_data(as_text=True)
    assert [m.recipient for m in _reminders()] == [lindas.email]
    assert "22 dagar att" in _reminders()[0].body_text  # Lindås writes nynorsk
    app.config["TODAY"] = "2026-11-24"
    auth.login(adviser)  # a day later the old session has timed out
    post(client, page, token_from=page)
    assert [m.recipient for m in _reminders()] == [lindas.email, lindas.email]
    assert [e.data for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "round.remind"))] == \
        ['{"messages": 1}', '{"messages": 1}']


def test_the_reminder_page_lists_the_recipients_a_page_at_a_time_and_counts_them_all(client, auth, adviser, orgs,
                                                                                     monkeypatch):
    monkeypatch.setattr(invitation_routes, "RECIPIENTS_PER_PAGE", 1)
    lindas = factories.user("municipality_contact", organisation=orgs["Lindås"])
    voss = factories.user("municipality_contact", organisation=orgs["Voss"])
    round_ = factories.sent_round(adviser, [orgs["Lindås"], orgs["Voss"]])
    db.session.commit()
    page = f"/invitasjoner/{round_.id}/paminnelse"
    first, second = (client.get(f"{page}?page={n}").get_data(as_text=True) for n in (1, 2))
    assert lindas.email in first and voss.email not in first and "Side 1 av 2" in first
    assert voss.email in second and lindas.email not in second
    assert "Send påminnelse til 2 mottakere" in first and "Send påminnelse til 2 mottakere" in second
    post(client, page, token_from=f"{page}?page=2")
    assert sorted(m.recipient for m in _reminders()) == sorted([lindas.email, voss.email])


def test_the_reminder_page_is_read_once_per_content_version(client, adviser, orgs, monkeypatch):
    """Who is reminded is stored as read: the next visit reads nobody, a reminder sent after a reading is shown at
    once."""
    lindas = factories.user("municipality_contact", organisation=orgs["Lindås"])
    round_ = factories.sent_round(adviser, [orgs["Lindås"], orgs["Voss"]])
    db.session.commit()
    page = f"/invitasjoner/{round_.id}/paminnelse"
    assert "Send påminnelse til 1 mottakere" in client.get(page).get_data(as_text=True)
    reads = []
    monkeypatch.setattr(invitation_routes.reminders, "recipients", lambda *args, read=reminders.recipients:
                        reads.append(1) or read(*args))
    client.get(page)
    assert reads == []
    reminders.remind(round_, adviser, clock.today())
    db.session.commit()
    reads.clear()
    html = client.get(page).get_data(as_text=True)
    assert "har fått påminnelse i dag" in html and "Ingen kontaktperson" in html and lindas.email not in html
    assert reads == [1, 1]  # the count and the page


def test_tick_reminds_14_and_3_days_before_the_deadline(app, runner, orgs):
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    contact = factories.user("municipality_contact", organisation=orgs["Lindås"])
    factories.sent_round(adviser, [orgs["Lindås"]], deadline=date(2026, 12, 7))
    db.session.commit()
    sent_on = []
    for day in ("2026-11-23", "2026-11-23", "2026-11-24", "2026-12-03", "2026-12-04", "2026-12-07"):
        result = runner.invoke(args=["workflows", "tick", "--today", day])
        assert result.exit_code == 0, result.output
        sent_on += [day] * ("påminnelse sendt" in result.output)
    assert sent_on == ["2026-11-23", "2026-12-04"]
    assert [m.recipient for m in _reminders()] == [contact.email, contact.email]
    assert "3 dagar att" in _reminders()[1].body_text  # Lindås writes nynorsk


def test_reminder_days_are_configurable(app, orgs):
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    factories.user("municipality_contact", organisation=orgs["Lindås"])
    factories.sent_round(adviser, [orgs["Lindås"]], deadline=date(2026, 11, 30))
    db.session.commit()
    assert tick.run(date(2026, 11, 23)) == []
    app.config["REMINDER_DAYS"] = (7,)
    assert tick.run(date(2026, 11, 23)) == [
        "Lindås – Invitasjon 2026: påminnelse sendt (7 dager før svarfristen)."]


def test_extend_round_deadline_needs_a_reason_and_tells_the_unanswered(client, adviser, orgs):
    contact = factories.user("municipality_contact", organisation=orgs["Lindås"])
    round_ = factories.sent_round(adviser, [orgs["Lindås"]])
    db.session.commit()
    page = f"/invitasjoner/{round_.id}/frist"
    missing = post(client, page, {"deadline": "2027-01-10", "reason": ""}, token_from=page)
    assert "Skriv hvorfor fristen forlenges." in missing.get_data(as_text=True)
    earlier = post(client, page, {"deadline": "2026-12-01", "reason": "Jul"}, token_from=page)
    assert "Den nye fristen må være senere enn dagens frist (15.12.2026)." in earlier.get_data(as_text=True)
    assert db.session.get(InvitationRound, round_.id).reply_deadline == date(2026, 12, 15)
    done = post(client, page, {"deadline": "2027-01-10", "reason": "Mange kommunestyrer møtes i januar."},
                token_from=page)
    assert done.status_code == 302
    assert db.session.get(InvitationRound, round_.id).reply_deadline == date(2027, 1, 10)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.extend_deadline"))
    assert event.comment == "Mange kommunestyrer møtes i januar." and event.actor_id == adviser.id
    assert _mail_to(contact.email)[-1].subject == "Ny svarfrist 10.01.2027 for invitasjonen frå Kunnskapskommunen"


def test_extend_deadline_for_one_municipality_shows_in_its_history(client, adviser, orgs):
    round_ = factories.sent_round(adviser, [orgs["Lindås"], orgs["Voss"]])
    db.session.commit()
    voss = next(c for c in round_.cases if c.organisation.name == "Voss")
    page = f"/invitasjoner/sak/{voss.id}/frist"
    response = post(client, page, {"deadline": "2027-01-15", "reason": "Kommunestyret møtes 12. januar."},
                    token_from=page)
    assert response.status_code == 302
    assert db.session.get(MembershipCase, voss.id).reply_deadline == date(2027, 1, 15)
    assert db.session.get(InvitationRound, round_.id).reply_deadline == date(2026, 12, 15)
    history = unmarked(client.get(f"/saker/{voss.id}").get_data(as_text=True))
    assert "forlenget svarfristen for Voss kommune til 15.01.2027." in history
    assert "Kommunestyret møtes 12. januar." in history


@pytest.fixture
def past_deadline(app, auth, adviser, orgs):
    """A round of three past its deadline (15.12.2026): Lindås said yes, Voss and Kvam never answered."""
    contacts = {name: factories.user("municipality_contact", organisation=orgs[name]) for name in ("Voss", "Kvam")}
    round_ = factories.sent_round(adviser, [orgs["Lindås"], orgs["Voss"], orgs["Kvam"]])
    by_name = {case.organisation.name: case for case in round_.cases}
    workflow.perform(by_name["Lindås"], "accept", adviser)
    db.session.commit()
    app.config["TODAY"] = "2026-12-16"
    auth.login(adviser)  # a later day: the old session has timed out
    return round_, by_name, contacts


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def test_after_the_deadline_the_round_page_counts_those_who_never_answered(client, past_deadline):
    round_, by_name, _ = past_deadline
    page = f"/invitasjoner/{round_.id}"
    for ticked in (False, True):  # before the tick (still "Invitert") and after it ("Ikke svart")
        if ticked:
            tick.run(date(2026, 12, 16))
            db.session.commit()
            assert by_name["Voss"].state == by_name["Kvam"].state == "no_reply"
        html = client.get(page).get_data(as_text=True)
        assert "1 kommune har svart. 2 kommuner svarte ikke innen fristen." in " ".join(html.split())
        assert "ikke svart ennå" not in html
        links = _links(html)
        assert f"{page}/paminnelse" not in links and f"{page}/inviter" not in links and f"{page}/frist" in links
        assert {link for link in links if link.startswith("/invitasjoner/sak/")} == {
            f"/invitasjoner/sak/{by_name[name].id}/frist" for name in ("Voss", "Kvam")}


def test_no_reminders_after_the_deadline(client, past_deadline):
    round_, _, _ = past_deadline
    page = f"/invitasjoner/{round_.id}/paminnelse"
    assert "Alle har svart, eller svarfristen har gått ut." in client.get(page).get_data(as_text=True)
    response = post(client, page, token_from=f"/invitasjoner/{round_.id}", follow_redirects=True)
    assert "Ingen påminnelser: alle har svart, eller svarfristen har gått ut." in response.get_data(as_text=True)
    assert _reminders() == []


def test_extending_a_passed_round_reopens_only_those_who_did_not_answer(client, adviser, past_deadline):
    round_, by_name, contacts = past_deadline
    tick.run(date(2026, 12, 16))
    workflow.perform(by_name["Voss"], "decline_late", adviser, comment="Nei-svar kom per brev.")
    db.session.commit()
    page = f"/invitasjoner/{round_.id}/frist"
    assert "Den nye fristen gjelder bare kommunene som ikke har svart: Kvam." in client.get(page).get_data(
        as_text=True)
    done = post(client, page, {"deadline": "2027-01-10", "reason": "Kommunestyret i Kvam møtes i januar."},
                token_from=page, follow_redirects=True)
    assert "Svarfristen er forlenget til 10.01.2027 for kommunene som ikke har svart." in done.get_data(as_text=True)
    found = {c.organisation.name: (c.state, c.reply_deadline) for c in db.session.get(InvitationRound, round_.id).cases}
    assert found == {"Lindås": ("accepted", date(2026, 12, 15)), "Voss": ("declined", date(2026, 12, 15)),
                     "Kvam": ("invited", date(2027, 1, 10))}
    assert [replies.reply_mode(by_name[name]).kind for name in ("Lindås", "Voss", "Kvam")] == \
        ["closed", "closed", "open"]
    assert _mail_to(contacts["Kvam"].email)[-1].subject == \
        "Ny svarfrist 10.01.2027 for invitasjonen frå Kunnskapskommunen"
    assert "Ny svarfrist" not in _mail_to(contacts["Voss"].email)[-1].subject
    reopened = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "membership.reopen"))
    assert (reopened.object_id, reopened.from_state, reopened.to_state, reopened.comment) == \
        (by_name["Kvam"].id, "no_reply", "invited", "Kommunestyret i Kvam møtes i januar.")
    html = client.get(f"/invitasjoner/{round_.id}").get_data(as_text=True)
    status = " ".join(html.split())
    assert "2 kommuner har svart. 0 kommuner svarte ikke innen fristen." in status
    assert "1 kommune har fått ny frist og har ikke svart ennå." in status
    assert f'href="/invitasjoner/{round_.id}/paminnelse"' in html
    again = post(client, page, {"deadline": "2027-01-05", "reason": "Igjen."}, token_from=page)
    assert "Ingen kommuner i runden venter på en ny svarfrist" in again.get_data(as_text=True)


def test_one_municipality_that_never_answered_gets_a_new_deadline_from_its_case(app, client, adviser,
                                                                                 past_deadline):
    _, by_name, _ = past_deadline
    kvam = by_name["Kvam"]
    tick.run(date(2026, 12, 16))
    db.session.commit()
    assert f'href="/saker/{kvam.id}/handling/reopen"' in client.get(f"/saker/{kvam.id}").get_data(as_text=True)
    page = client.get(f"/saker/{kvam.id}/handling/reopen").headers["Location"]
    assert page == f"/invitasjoner/sak/{kvam.id}/frist"
    response = post(client, page, {"deadline": "2027-01-15", "reason": "Kommunestyret møtes 12. januar."},
                    token_from=page)
    assert response.status_code == 302
    assert (kvam.state, kvam.reply_deadline) == ("invited", date(2027, 1, 15))
    history = client.get(f"/saker/{kvam.id}").get_data(as_text=True)
    assert "ny svarfrist til 15.01.2027." in history and "Kommunestyret møtes 12. januar." in history


def test_a_new_deadline_is_for_the_unanswered_and_not_in_the_past(app, adviser, past_deadline):
    _, by_name, _ = past_deadline
    tick.run(date(2026, 12, 16))
    with pytest.raises(ServiceError, match="Fristen kan bare forlenges mens kommunen ikke har svart"):
        rounds.extend_case_deadline(by_name["Lindås"], date(2027, 1, 15), "Grunn.", adviser)
    app.config["TODAY"] = "2026-12-30"
    with pytest.raises(ServiceError, match="Den nye fristen kan ikke være tilbake i tid."):
        rounds.extend_case_deadline(by_name["Kvam"], date(2026, 12, 20), "Grunn.", adviser)
    with pytest.raises(ServiceError, match="Oppgi en ny svarfrist"):
        workflow.perform(by_name["Kvam"], "reopen", adviser, comment="Uten ny frist.")


def test_withdrawing_an_invitation_needs_a_comment(client, adviser, orgs):
    round_ = factories.sent_round(adviser, [orgs["Voss"]])
    db.session.commit()
    case = round_.cases[0]
    overview = client.get(f"/invitasjoner/{round_.id}").get_data(as_text=True)
    action = f"/saker/{case.id}/handling/withdraw"
    assert f'href="{action}"' in overview
    refused = post(client, action, {"comment": ""}, token_from=action)
    assert "Skriv en kommentar" in refused.get_data(as_text=True)
    assert post(client, action, {"comment": "Feil kommune."}, token_from=action).status_code == 302
    assert db.session.get(MembershipCase, case.id).state == "withdrawn"


@pytest.mark.parametrize("role", ["municipality_contact", "project_member", "admin"])
@pytest.mark.parametrize("path", ["/invitasjoner/", NEW])
def test_only_the_adviser_runs_invitation_rounds(client, login, role, path):
    login(role)
    assert client.get(path).status_code == 403


def test_seeded_2026_round_has_mail_and_a_reply_with_details(runner):
    assert runner.invoke(args=["seed-demo", "--password", "demo-passord"]).exit_code == 0
    round_ = db.session.scalar(select(InvitationRound).where(InvitationRound.title == "Invitasjon 2026"))
    latest = replies.latest_replies([c.id for c in round_.cases])
    oygarden = next(r for r in latest.values() if r.case.organisation.name == "Øygarden")
    assert oygarden.answer == "yes" and oygarden.steering_rep
    assert oygarden.answered_by.email == "marit.fjeld@oygarden.kommune.no"
    subjects = {m.subject.split(":")[0] for m in db.session.scalars(select(OutboxMessage))}
    assert {"Invitasjon til Kunnskapskommunen – svarfrist 15.12.2026", "Påminnelse", "Kvittering"} <= subjects
    austevoll = db.session.scalar(select(User).where(User.email == "trude.bjelland@austevoll.kommune.no"))
    assert [m.subject for m in _mail_to(austevoll.email)][0].startswith("Invitasjon til Kunnskapskommunen")


def test_round_page_lists_the_municipalities_a_page_at_a_time(client, login, orgs, monkeypatch):
    monkeypatch.setattr(invitation_routes, "PER_PAGE", 1)
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    round_ = factories.historic_round(created=date(2026, 10, 1), deadline=date(2026, 11, 1))
    for name in ("Fedje", "Osterøy"):
        factories.invited(round_, orgs[name], adviser)
    db.session.commit()
    login("adviser", organisation="Bergen")
    first = unmarked(client.get(f"/invitasjoner/{round_.id}").get_data(as_text=True))
    assert ">Fedje</a></th>" in first and ">Osterøy</a></th>" not in first and "Side 1 av 2" in first
    second = unmarked(client.get(f"/invitasjoner/{round_.id}?page=2").get_data(as_text=True))
    assert ">Osterøy</a></th>" in second and ">Fedje</a></th>" not in second


def test_the_round_page_s_paging_links_keep_the_query_string_it_was_read_with(client, login, orgs, monkeypatch):
    monkeypatch.setattr(invitation_routes, "PER_PAGE", 1)
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    round_ = factories.sent_round(adviser, [orgs["Fedje"], orgs["Osterøy"]])
    db.session.commit()
    login("adviser", organisation="Bergen")
    for query, following in (("", "?page=2"), ("?status=invited", "?status=invited&amp;page=2"),
                             ("?sort=x", "?sort=x&amp;page=2"), ("", "?page=2")):
        html = client.get(f"/invitasjoner/{round_.id}{query}").get_data(as_text=True)
        assert f'href="/invitasjoner/{round_.id}{following}" rel="next"' in html


def test_the_round_page_counts_and_lists_without_contact_from_the_database(app, client, auth, adviser, orgs):
    """Past the deadline: Lindås said yes, Voss and Os never answered (Os after the tick), Kvam has a deadline of its
    own still open, and Fedje's invitation went to its official mailbox."""
    orgs["Fedje"].mailbox = "postmottak@fedje.kommune.no"
    factories.user("municipality_contact", organisation=orgs["Kvam"])
    round_ = factories.sent_round(adviser, [orgs[name] for name in ("Lindås", "Voss", "Os", "Kvam", "Fedje")])
    by_name = {case.organisation.name: case for case in round_.cases}
    workflow.perform(by_name["Lindås"], "accept", adviser)
    by_name["Kvam"].deadline_override = date(2026, 12, 20)
    db.session.commit()
    app.config["TODAY"] = "2026-12-16"
    with clock.pinned(date(2026, 12, 16)):
        workflow.apply(by_name["Os"], MEMBERSHIP.spec("expire_reply"), None)  # as the tick does
    db.session.commit()
    auth.login(adviser)
    html = unmarked(client.get(f"/invitasjoner/{round_.id}").get_data(as_text=True))
    status = " ".join(html.split('id="counts-heading"')[1].split("</p>")[0].split())
    assert "1 kommune har svart. 3 kommuner svarte ikke innen fristen." in status
    assert "1 kommune har fått ny frist og har ikke svart ennå." in status
    counts = re.findall(r'status=(\w+)"[^>]*>([^<]*)</a>', html)
    assert counts == [("invited", "Invitert: 3"), ("accepted", "Takket ja: 1"), ("no_reply", "Ikke svart: 1")]
    section = html.split('id="no-contact-heading"')[1].split("</section>")[0]
    assert re.findall(r">([^<]+)</a>", section) == ["Voss"]
    plan = reminders.reminder_plan(reminders.recipients(round_, date(2026, 12, 16)))
    assert [case.organisation.name for case, _, _ in plan] == ["Kvam"], "only a deadline not passed is reminded of"
