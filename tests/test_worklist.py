"""The home page lists what waits for the signed-in person, per role: each kind appears when it is due and goes when
it is done; each item links to a page its role opens; when nothing waits the page says so."""
import json
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from flask import g, url_for
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.main import routes as home_routes
from app.models import Contribution, MailboxLink, StoredDocument
from app.models.mailbox_link import REPLY
from app.models.meeting import STEERING_MEETING
from app.models.representative import PROJECT_GROUP, STEERING_GROUP
from app.services import (agreements, contributions, cost_keys, evaluations, joins, mailbox_links, mailbox_tokens,
                          meetings, replies, representatives, rounds, tick, workflow, worklist)
from tests import factories
from workflows.key_shares import PERCENT

TODAY = date(2026, 11, 23)  # tests/conftest.py's TEST_DAY


def waiting(user, kind: str) -> list[tuple[str, str]]:
    """(title, organisation) of the items of `kind` waiting for `user` now; [] when the kind is not listed."""
    g.pop("waiting", None)  # the adviser's inbox is counted once per request
    section = next((s for s in worklist.for_user(user) if s.kind == kind), None)
    if section is None:
        return []
    assert section.count >= len(section.items) > 0
    return [(item.title, item.organisation) for item in section.items]


def due_for(organisation, kind: str) -> list[tuple[str, str]]:
    section = next((s for s in worklist.for_organisation(organisation) if s.kind == kind), None)
    return [] if section is None else [(item.title, item.organisation) for item in section.items]


@pytest.fixture
def lindas(orgs, adviser):
    """Lindås, a member from 1 March 2024 (agreement to 31.12.2027), with its contact person and signatory."""
    case = factories.member_case(orgs["Lindås"], adviser, activated_on=date(2024, 3, 1))
    contact = factories.user("municipality_contact", organisation=orgs["Lindås"], name="Kari Nordtveit")
    signatory = factories.user("signatory", organisation=orgs["Lindås"], name="Olav Hauge")
    db.session.commit()
    return case, contact, signatory


def test_a_notice_to_confirm_waits_for_the_adviser_until_it_is_confirmed(orgs, adviser, lindas):
    case, _, signatory = lindas
    request = agreements.give_notice(case, signatory, notice_date=TODAY, reason="Vedtak i kommunestyret.")
    db.session.commit()
    assert waiting(adviser, "approvals") == [("Oppsigelse", "Lindås kommune")]
    assert waiting(signatory, "approvals") == []
    workflow.approve(request, adviser)
    db.session.commit()
    assert waiting(adviser, "approvals") == []


def test_a_proposed_representative_waits_for_the_adviser_until_decided(orgs, adviser, lindas):
    _, contact, _ = lindas
    term = representatives.propose(orgs["Lindås"], contact, group=STEERING_GROUP, name="Per Hope",
                                   email="per.hope@alver.kommune.no", starts_on=TODAY)
    db.session.commit()
    assert waiting(adviser, "approvals") == [("Representant: Styringsgruppen", "Lindås kommune")]
    workflow.perform(term, "approve", adviser)
    db.session.commit()
    assert waiting(adviser, "approvals") == []


def test_an_agreement_waits_for_each_partys_signatory_until_they_sign(app, client, auth, orgs, adviser):
    case = factories.issued_case(orgs["Lindås"], by=adviser)
    own = factories.user("signatory", organisation=orgs["Lindås"])
    host = factories.user("signatory", organisation=orgs["Bergen"])
    other = factories.user("signatory", organisation=orgs["Voss"])
    db.session.commit()
    expected = [("Samarbeidsavtale 2027–2030", "Lindås kommune")]
    assert waiting(own, "to_sign") == waiting(host, "to_sign") == expected
    assert waiting(other, "to_sign") == []
    assert due_for(orgs["Lindås"], "to_sign_for") == expected
    auth.login(own)
    assert "1 avtale venter på din signatur" in client.get("/").get_data(as_text=True)
    with client.session_transaction() as session:
        session["lang"] = "en"
    assert "1 agreement awaits your signature" in client.get("/").get_data(as_text=True)
    agreements.sign(case.agreement, own, title="Kommunedirektør", confirmed=True)
    db.session.commit()
    assert waiting(own, "to_sign") == [] and due_for(orgs["Lindås"], "to_sign_for") == []
    assert waiting(host, "to_sign") == expected
    agreements.sign(case.agreement, host, title="Kommunaldirektør", confirmed=True)
    db.session.commit()
    assert waiting(host, "to_sign") == []


def test_a_signed_agreement_waits_for_the_adviser_to_activate_it(orgs, adviser):
    case = factories.signed_case(orgs["Lindås"], adviser, factories.user("signatory", organisation=orgs["Bergen"]),
                                 factories.user("signatory", organisation=orgs["Lindås"]))
    db.session.commit()
    assert waiting(adviser, "to_activate") == [("", "Lindås kommune")]
    workflow.perform(case, "activate", adviser)
    db.session.commit()
    assert waiting(adviser, "to_activate") == []


def test_an_invitation_waits_for_the_contacts_answer_until_answered(orgs, adviser):
    case = factories.case(orgs["Voss"], factories.invitation_round(deadline=date(2027, 2, 1)), adviser)
    contact = factories.user("municipality_contact", organisation=orgs["Voss"])
    db.session.commit()
    assert waiting(contact, "invitations_to_answer") == [("Invitasjon 2026", "Voss kommune")]
    replies.reply(case, contact, answer="yes", details=factories.reply_details(contact))
    db.session.commit()
    assert waiting(contact, "invitations_to_answer") == []


def test_an_unanswered_invitation_is_not_waiting_after_its_deadline(orgs, adviser):
    factories.case(orgs["Voss"], factories.invitation_round(deadline=TODAY), adviser)
    contact = factories.user("municipality_contact", organisation=orgs["Voss"])
    db.session.commit()
    assert waiting(contact, "invitations_to_answer") == [("Invitasjon 2026", "Voss kommune")]
    with clock.pinned(TODAY + timedelta(days=1)):
        assert waiting(contact, "invitations_to_answer") == []


def test_the_adviser_sees_who_has_not_answered_when_the_deadline_is_near(orgs, adviser):
    near = factories.case(orgs["Voss"], factories.invitation_round(deadline=TODAY + timedelta(days=30)), adviser)
    factories.case(orgs["Fedje"], factories.invitation_round(deadline=TODAY + timedelta(days=31)), adviser)
    contact = factories.user("municipality_contact", organisation=orgs["Voss"])
    db.session.commit()
    assert waiting(adviser, "invitations_near_deadline") == [("", "Voss kommune")]
    replies.reply(near, contact, answer="no", details=factories.reply_details(contact))
    db.session.commit()
    assert waiting(adviser, "invitations_near_deadline") == []


def test_an_evaluation_waits_for_the_municipality_until_it_answers(orgs, adviser, lindas):
    _, contact, _ = lindas
    evaluation = evaluations.create(2026, ["Hva har samarbeidet gitt kommunen?"], adviser)
    db.session.commit()
    assert waiting(contact, "evaluations_to_answer") == [("Årlig vurdering 2026", "Lindås kommune")]
    assert waiting(adviser, "evaluations_unanswered") == [("Årlig vurdering 2026", "Lindås kommune")]
    evaluations.answer(evaluation, orgs["Lindås"], contact, {q.id: "Mye." for q in evaluation.questions})
    db.session.commit()
    assert waiting(contact, "evaluations_to_answer") == [] and waiting(adviser, "evaluations_unanswered") == []


def test_unanswered_evaluations_count_every_municipality_and_list_the_newest_year_first_by_name(orgs, adviser):
    """Six members asked in 2025 and 2026: twelve missing answers counted, the first five of 2026 listed by name."""
    names = ["Voss", "Askøy", "Fedje", "Lindås", "Modalen", "Osterøy"]
    for name in names:
        factories.member_case(orgs[name], adviser, activated_on=date(2024, 3, 1))
    evaluations.create(2025, ["Hva har samarbeidet gitt kommunen?"], adviser)
    evaluations.create(2026, ["Hva har samarbeidet gitt kommunen?"], adviser)
    db.session.commit()
    section = next(s for s in worklist.for_user(adviser) if s.kind == "evaluations_unanswered")
    assert section.count == 12
    first = sorted((orgs[name] for name in names), key=lambda org: (org.name, org.id))[:worklist.LIMIT]
    assert [(item.title, item.organisation) for item in section.items] == [
        ("Årlig vurdering 2026", org.display_name) for org in first]


def test_a_closed_evaluation_waits_for_nobody(orgs, adviser, lindas):
    _, contact, _ = lindas
    evaluations.close(evaluations.create(2026, ["Hva har samarbeidet gitt kommunen?"], adviser), adviser)
    db.session.commit()
    assert waiting(contact, "evaluations_to_answer") == [] and waiting(adviser, "evaluations_unanswered") == []


def _register(organisation, adviser, group, seat, **kwargs):
    return representatives.propose(organisation, adviser, group=group, seat=seat, name=f"Representant {group} {seat}",
                                   email=f"rep-{group}-{seat}@alver.kommune.no", **kwargs)


def test_empty_seats_wait_for_the_municipality_until_someone_is_proposed(orgs, adviser, lindas):
    _, contact, _ = lindas
    empty = [("Styringsgruppen", "Lindås kommune"), ("Prosjektgruppen, plass 1", "Lindås kommune"),
             ("Prosjektgruppen, plass 2", "Lindås kommune")]
    assert waiting(contact, "seats") == waiting(adviser, "seats") == empty
    representatives.propose(orgs["Lindås"], contact, group=STEERING_GROUP, name="Per Hope", email="per@alver.no",
                            starts_on=TODAY + timedelta(days=7))
    db.session.commit()
    assert waiting(contact, "seats") == waiting(adviser, "seats") == empty[1:], "the adviser decides it now"
    for seat in (1, 2):
        _register(orgs["Lindås"], adviser, PROJECT_GROUP, seat, starts_on=date(2026, 1, 1))
    db.session.commit()
    assert waiting(contact, "seats") == waiting(adviser, "seats") == []


def test_a_term_ending_within_60_days_waits_until_a_successor_is_proposed(orgs, adviser, lindas):
    _, contact, _ = lindas
    _register(orgs["Lindås"], adviser, STEERING_GROUP, 1, starts_on=date(2026, 1, 1))
    _register(orgs["Lindås"], adviser, PROJECT_GROUP, 1, starts_on=date(2026, 1, 1))
    ending = _register(orgs["Lindås"], adviser, PROJECT_GROUP, 2, starts_on=date(2025, 1, 1),
                       ends_on=TODAY + timedelta(days=60))
    db.session.commit()
    assert waiting(contact, "seats") == waiting(adviser, "seats") == [("Prosjektgruppen, plass 2", "Lindås kommune")]
    with clock.pinned(TODAY - timedelta(days=1)):
        assert waiting(contact, "seats") == [], "61 days before the end"
    representatives.propose(orgs["Lindås"], contact, group=PROJECT_GROUP, name="Etterfølger", email="e@alver.no",
                            starts_on=ending.ends_on + timedelta(days=1), replaces=ending)
    db.session.commit()
    assert waiting(contact, "seats") == waiting(adviser, "seats") == []


def test_the_advisers_stored_kinds_change_with_the_data_and_the_day(app, client, auth, orgs, adviser, lindas):
    """The kinds every adviser sees alike are stored per content version and day: a change shows on the next load."""
    auth.login(adviser)

    def seats_heading() -> str:
        html = client.get("/").get_data(as_text=True)
        return re.search(r'id="waiting-seats">([^<]*)<', html).group(1) if 'id="waiting-seats"' in html else ""

    assert seats_heading() == "3 plasser i styringsgruppen eller prosjektgruppen trenger en representant"
    assert db.session.scalars(select(StoredDocument.key).where(StoredDocument.kind == "worklist")).all() == [
        "approvals,to_activate,invitations_near_deadline,evaluations_unanswered,seats,unpaid,notices@nb"]
    assert seats_heading().startswith("3 plasser"), "read again from the stored copy"
    factories.member_case(orgs["Voss"], adviser, activated_on=date(2024, 3, 1))
    db.session.commit()
    assert seats_heading().startswith("6 plasser"), "a new member's empty seats show on the next load"
    _register(orgs["Lindås"], adviser, STEERING_GROUP, 1, starts_on=TODAY + timedelta(days=1),
              ends_on=TODAY + timedelta(days=400))
    db.session.commit()
    assert seats_heading().startswith("5 plasser")

    def stored_seats(day: date) -> int:
        with app.test_request_context(), clock.pinned(day):
            return next(s.count for s in worklist.for_user(adviser, home_routes._shared) if s.kind == "seats")

    assert stored_seats(TODAY) == stored_seats(TODAY + timedelta(days=300)) == 5
    assert stored_seats(TODAY + timedelta(days=401)) == 6, "the day after the term ended, its seat is empty again"


def test_a_seat_emptied_by_an_ended_term_says_since_when(orgs, adviser, lindas):
    _, contact, _ = lindas
    _register(orgs["Lindås"], adviser, STEERING_GROUP, 1, starts_on=date(2024, 3, 1), ends_on=date(2026, 2, 28))
    db.session.commit()
    section = next(s for s in worklist.for_user(contact) if s.kind == "seats")
    assert [(item.title, item.since) for item in section.items][0] == ("Styringsgruppen", date(2026, 3, 1))


def test_a_contribution_unpaid_after_its_due_date_waits_until_paid(orgs, adviser, lindas):
    case, contact, _ = lindas
    line = next(entry for entry in contributions.ensure_lines(case) if entry.year == 2026)
    contributions.mark_invoiced(line, adviser, invoiced_on=TODAY - timedelta(days=30), reference="F-1")
    db.session.commit()
    assert line.due_on == TODAY and waiting(adviser, "unpaid") == [], "the due date itself is on time"
    with clock.pinned(TODAY + timedelta(days=1)):
        assert waiting(adviser, "unpaid") == waiting(contact, "unpaid") == [("Bidrag 2026", "Lindås kommune")]
        contributions.mark_paid(line, adviser, paid_on=TODAY + timedelta(days=1), reference="KID 1")
        db.session.commit()
        assert waiting(adviser, "unpaid") == waiting(contact, "unpaid") == []


def _notice(case, signatory, adviser, given: date):
    with clock.pinned(given):
        request = agreements.give_notice(case, signatory, notice_date=given, reason="Vedtak i kommunestyret.")
        workflow.approve(request, adviser)
    db.session.commit()


def test_a_notice_shows_when_membership_ends_within_60_days_and_goes_when_it_has_ended(orgs, adviser, lindas):
    case, contact, signatory = lindas
    _notice(case, signatory, adviser, date(2026, 1, 22))  # member to 22.01.2027, 60 days from the test day
    for user, kind in ((adviser, "notices"), (contact, "membership_ending"), (signatory, "membership_ending")):
        assert waiting(user, kind) == [("", "Lindås kommune")]
    with clock.pinned(TODAY - timedelta(days=1)):
        assert waiting(adviser, "notices") == [], "61 days before the last day"
    with clock.pinned(date(2027, 1, 23)):
        assert waiting(adviser, "notices") == [], "it took effect, though the tick has not run yet"
        tick.run(clock.today())
        db.session.commit()
        assert waiting(adviser, "notices") == waiting(contact, "membership_ending") == []


def test_a_notice_shows_when_the_agreement_ends_within_60_days_before_its_year_runs_out(orgs, adviser, lindas):
    case, contact, signatory = lindas
    case.agreement_end = date(2026, 12, 31)
    _notice(case, signatory, adviser, date(2026, 6, 1))  # its year runs to 01.06.2027, the agreement's ends first
    assert waiting(adviser, "notices") == waiting(contact, "membership_ending") == [("", "Lindås kommune")]
    assert case.notice_last_day == date(2026, 12, 31)


def test_a_subgroup_waits_for_another_project_members_support_until_seconded(orgs, adviser):
    proposer = factories.user("project_member", organisation=orgs["Universitetet i Bergen"])
    other = factories.user("project_member", organisation=orgs["Høgskulen på Vestlandet"])
    subgroup = factories.subgroup(proposer, name="Demensomsorg")
    db.session.commit()
    assert waiting(other, "subgroups_to_second") == [], "a draft is the proposer's own"
    workflow.perform(subgroup, "submit", proposer)
    db.session.commit()
    assert waiting(other, "subgroups_to_second") == [("Demensomsorg", "")]
    assert waiting(proposer, "subgroups_to_second") == [], "nobody seconds their own proposal"
    assert waiting(adviser, "approvals") == [], "the adviser records a decision on a seconded proposal only"
    workflow.perform(subgroup, "second", other)
    db.session.commit()
    assert waiting(other, "subgroups_to_second") == []
    assert waiting(adviser, "approvals") == [("Demensomsorg", "")]
    workflow.perform(subgroup, "approve", adviser, data={"decided_on": TODAY.isoformat()})
    db.session.commit()
    assert waiting(adviser, "approvals") == []


def test_a_submitted_cost_key_waits_for_the_steering_group_until_decided(orgs, adviser):
    steering = factories.user("steering_member", organisation=orgs["Helse Bergen"])
    key = cost_keys.create(cost_keys.KeyDraft(2027, 2028, 1_000_000, PERCENT, orgs["Bergen"].id, {
        orgs["Bergen"].id: 5000, orgs["Helse Bergen"].id: 5000}), adviser)
    db.session.commit()
    assert waiting(steering, "cost_keys_to_decide") == []
    workflow.perform(key, "submit", adviser)
    db.session.commit()
    assert waiting(steering, "cost_keys_to_decide") == [("Fordelingsnøkkel 2027–2028", "")]
    workflow.perform(key, "decide", steering, comment="Vedtatt.",
                     data={"decided_on": TODAY.isoformat(), "agenda_item": "Sak 4/2026"})
    db.session.commit()
    assert waiting(steering, "cost_keys_to_decide") == []


def _meeting(adviser, day: date):
    starts = datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)
    return meetings.create(STEERING_MEETING, starts_at=starts, ends_at=starts + timedelta(hours=2), place="Rådhuset",
                           invitees=[adviser], actor=adviser, notify=False)


def test_a_meeting_without_minutes_waits_for_the_adviser_until_they_are_written(orgs, adviser):
    past, _ = _meeting(adviser, TODAY - timedelta(days=2)), _meeting(adviser, TODAY + timedelta(days=7))
    db.session.commit()
    assert waiting(adviser, "minutes_missing") == [("Styringsgruppemøte 2026", "")]
    meetings.record_minutes(past, text="Referat.", pdf=None, actor=adviser)
    db.session.commit()
    assert waiting(adviser, "minutes_missing") == []


def test_when_nothing_waits_the_home_page_says_so_and_repeats_no_menu(client, login):
    login("admin")
    html = client.get("/").get_data(as_text=True)
    assert "Ingenting venter på deg nå." in html
    assert 'class="cards"' not in html


def test_a_kind_lists_five_and_links_to_all(client, auth, orgs, adviser):
    round_ = factories.invitation_round(deadline=TODAY + timedelta(days=10))
    for name in ("Voss", "Fedje", "Modalen", "Gulen", "Eidfjord", "Ulvik"):
        factories.case(orgs[name], round_, adviser)
    db.session.commit()
    auth.login(adviser)
    html = client.get("/").get_data(as_text=True)
    section = html.split('id="waiting-invitations_near_deadline"')[1].split("</section>")[0]
    assert "6 kommuner har ikke svart på invitasjonen, og fristen nærmer seg" in section
    assert len(re.findall(r"<li>", section)) == worklist.LIMIT == 5
    assert 'href="/invitasjoner/">Se alle 6' in section
    assert "svarfrist 03.12.2026 (10 dager igjen)" in section


def test_every_item_and_every_list_opens_for_the_role_it_waits_for(app, client, auth, orgs, adviser, lindas):
    """A world where each kind has something, read by each role: every link on the home page answers 200."""
    case, contact, signatory = lindas
    evaluations.create(2026, ["Hva har samarbeidet gitt kommunen?"], adviser)
    factories.issued_case(orgs["Voss"], by=adviser)
    factories.signed_case(orgs["Fedje"], adviser, factories.user("signatory", organisation=orgs["Bergen"]),
                          factories.user("signatory", organisation=orgs["Fedje"]))
    factories.case(orgs["Modalen"], factories.invitation_round(deadline=TODAY + timedelta(days=5)), adviser)
    line = next(entry for entry in contributions.ensure_lines(case) if entry.year == 2025)
    contributions.mark_invoiced(line, adviser, invoiced_on=date(2025, 3, 16), reference="F-1")
    _meeting(adviser, TODAY - timedelta(days=1))
    proposer = factories.user("project_member", organisation=orgs["Universitetet i Bergen"])
    workflow.perform(factories.subgroup(proposer), "submit", proposer)
    key = cost_keys.create(cost_keys.KeyDraft(2027, 2028, 1_000_000, PERCENT, orgs["Bergen"].id, {
        orgs["Bergen"].id: 5000, orgs["Helse Bergen"].id: 5000}), adviser)
    workflow.perform(key, "submit", adviser)
    db.session.commit()
    _notice(case, signatory, adviser, date(2026, 1, 22))
    agreements.give_notice(factories.member_case(orgs["Askøy"], adviser), factories.user(
        "signatory", organisation=orgs["Askøy"]), notice_date=TODAY, reason="Budsjett.")
    people = {"adviser": adviser, "contact": contact, "signatory": signatory,
              "host_signatory": factories.user("signatory", organisation=orgs["Bergen"]),
              "project_member": factories.user("project_member", organisation=orgs["Høgskulen på Vestlandet"]),
              "steering_member": factories.user("steering_member", organisation=orgs["Helse Bergen"])}
    db.session.commit()
    kinds = {"adviser": {"approvals", "to_activate", "invitations_near_deadline", "evaluations_unanswered", "seats",
                         "unpaid", "notices", "minutes_missing"},
             "contact": {"evaluations_to_answer", "seats", "unpaid", "membership_ending"},
             "signatory": {"membership_ending"}, "host_signatory": {"to_sign"},
             "project_member": {"subgroups_to_second"}, "steering_member": {"cost_keys_to_decide"}}
    for role, user in people.items():
        g.pop("waiting", None)
        found = worklist.for_user(user)
        assert {section.kind for section in found} == kinds[role], role
        assert [worklist.Section.from_json(json.loads(json.dumps(s.to_json()))) for s in found] == found, \
            "a stored copy reads back as it was read"
        with app.test_request_context():
            items = [url_for(item.endpoint, **item.values) for s in found for item in s.items]
            lists = [url_for(s.more[0], **s.more[1]) for s in found if s.more]
        auth.login(user)
        home = client.get("/").get_data(as_text=True)
        assert all(f'href="{link}"' in home for link in items), role
        for link in items + lists:
            assert client.get(link).status_code == 200, (role, link)
        auth.logout()


def test_min_kommune_starts_with_the_membership_and_what_is_due(client, auth, orgs, adviser, lindas):
    _, contact, _ = lindas
    evaluations.create(2026, ["Hva har samarbeidet gitt kommunen?"], adviser)
    db.session.commit()
    auth.login(contact)
    html = client.get("/min-kommune/").get_data(as_text=True)
    main = html.split("<main")[1]
    membership, due, earlier = (main.index(text) for text in ("Medlemskapet", "Dette venter på kommunen",
                                                               "Tidligere invitasjoner"))
    assert membership < due < earlier
    facts = main[membership:due]
    assert "Kommunen er medlem av Kunnskapskommunen." in facts and "Aktiv" in facts
    assert "Årlig bidrag" in facts and "kr 40\u00a0000 per år" in facts
    assert "Avtalen gjelder til og med" in facts and "31. desember 2027" in facts
    assert "Les invitasjonen og svar" not in main, "the invitation that made it a member is history"
    assert "Årlig vurdering 2026" in main[due:earlier] and "1 årlig vurdering venter på svar fra kommunen" in main
    assert "Prosjektgruppen, plass 1" in main[due:earlier], "no representatives yet"


def test_min_kommune_is_read_once_per_content_version_for_all_the_municipality_s_contacts(
        client, auth, orgs, adviser, lindas, monkeypatch):
    """The page's content is stored per municipality as read: the next visit, by the same or another contact person,
    reads none of it, an answer (a change to the data) reads it again; another municipality has its own."""
    _, contact, _ = lindas
    evaluations.create(2026, ["Hva har samarbeidet gitt kommunen?"], adviser)
    voss = factories.user("municipality_contact", organisation=orgs["Voss"])
    colleague = factories.user("municipality_contact", organisation=orgs["Lindås"])
    db.session.commit()
    auth.login(contact)
    assert "Årlig vurdering 2026" in client.get("/min-kommune/").get_data(as_text=True)
    reads, cases = [], []
    monkeypatch.setattr(worklist, "for_organisation", lambda org, read=worklist.for_organisation: reads.append(org.id)
                        or read(org))
    monkeypatch.setattr(rounds, "cases_of", lambda org_id, read=rounds.cases_of: cases.append(org_id) or read(org_id))
    assert "Årlig vurdering 2026" in client.get("/min-kommune/").get_data(as_text=True) and reads == cases == []
    auth.logout()
    auth.login(colleague)
    assert "Årlig vurdering 2026" in client.get("/min-kommune/").get_data(as_text=True) and reads == cases == []
    evaluation = evaluations.for_year(2026)
    evaluations.answer(evaluation, orgs["Lindås"], contact, {q.id: "Mye." for q in evaluation.questions})
    db.session.commit()
    assert "Årlig vurdering 2026" not in client.get("/min-kommune/").get_data(as_text=True)
    assert reads == cases == [orgs["Lindås"].id]
    assert "Prosjektgruppen, plass 1" in client.get("/min-kommune/").get_data(as_text=True)
    auth.logout()
    auth.login(voss)
    assert "Prosjektgruppen, plass 1" not in client.get("/min-kommune/").get_data(as_text=True), "Voss is no member"
    assert reads == cases == [orgs["Lindås"].id, orgs["Voss"].id]


@pytest.mark.parametrize("deadline", [date(2026, 12, 15), date(2026, 11, 22)], ids=["open", "passed"])
def test_min_kommune_keeps_the_invitation_of_a_municipality_still_invited(client, auth, orgs, adviser, deadline):
    """After the deadline the contact person may still ask to answer yes: the letter stays where it was."""
    case = factories.case(orgs["Voss"], factories.invitation_round(deadline=deadline), adviser)
    contact = factories.user("municipality_contact", organisation=orgs["Voss"])
    db.session.commit()
    auth.login(contact)
    html = client.get("/min-kommune/").get_data(as_text=True)
    assert "Kommunen er ikke medlem nå." in html and "Invitert" in html
    assert f'href="/min-kommune/invitasjon/{case.id}">Les invitasjonen og svar' in html
    assert html.index("Medlemskapet") < html.index("Les invitasjonen og svar")
    assert "Ingenting annet enn svaret på invitasjonen." in html and "Tidligere invitasjoner" not in html


def test_min_kommune_lists_an_answered_invitation_past_its_deadline_as_history(client, auth, orgs, adviser):
    case = factories.case(orgs["Voss"], factories.invitation_round(deadline=date(2026, 11, 1)), adviser)
    contact = factories.user("municipality_contact", organisation=orgs["Voss"])
    with clock.pinned(date(2026, 10, 20)):
        workflow.perform(case, "decline", adviser, comment="Svar i brev.")
    db.session.commit()
    auth.login(contact)
    html = client.get("/min-kommune/").get_data(as_text=True)
    assert "Kommunen er ikke medlem nå." in html and "Takket nei" in html
    assert "Les invitasjonen og svar" not in html and "Se invitasjonen og svaret" not in html
    assert html.index("Tidligere invitasjoner") < html.index(f'href="/min-kommune/invitasjon/{case.id}"')
    assert "Ingenting venter på kommunen nå." in html


def test_past_due_reads_the_same_in_python_and_in_sql(orgs, adviser, lindas):
    case, _, _ = lindas
    contributions.ensure_lines(case)
    paid, unpaid, expected = contributions.lines_for(case.organisation)  # 2024, 2025, 2026
    for line in (paid, unpaid):
        contributions.mark_invoiced(line, adviser, invoiced_on=date(line.year, 3, 16), reference=f"F-{line.year}")
    contributions.mark_paid(paid, adviser, paid_on=date(paid.year, 4, 20), reference="KID 1")
    db.session.commit()
    for day in (date(2025, 4, 15), date(2025, 4, 16), TODAY):
        in_sql = set(db.session.scalars(select(Contribution.id).where(Contribution.past_due(day))))
        assert in_sql == {line.id for line in (paid, unpaid, expected) if line.past_due(day)}, day
    assert unpaid.past_due(TODAY) and not paid.past_due(TODAY) and not expected.past_due(TODAY)


def test_answers_from_official_mailboxes_wait_for_the_adviser_until_decided(orgs, adviser):
    """A request to join confirmed from Vaksdal's mailbox, and Voss's answer from its mailbox (no contact person)."""
    orgs["Vaksdal"].mailbox = "postmottak@vaksdal.kommune.no"
    asking = joins.request_to_join(orgs["Vaksdal"].id, name="Kari Nordmann", title="Kommunedirektør",
                                   email="kari@vaksdal.kommune.no", remote_addr=None)
    joins.confirm(mailbox_tokens.mint(asking.link))
    case = factories.case(orgs["Voss"], factories.invitation_round(deadline=date(2026, 12, 15)), adviser)
    link = MailboxLink(purpose=REPLY, case_id=case.id, created_at=clock.now())
    db.session.add(link)
    db.session.flush()
    mailbox_links.answer(mailbox_tokens.mint(link), answer="yes", details=replies.ReplyDetails(
        contact_name="Siri Lie", contact_email="siri.lie@voss.kommune.no", contact_title="Fagleiar"))
    db.session.commit()
    assert sorted(waiting(adviser, "approvals")) == [("Ny kontaktperson fra postmottaket", "Voss kommune"),
                                                     ("Ønsker å bli med", "Vaksdal kommune")]
    joins.decide(asking, adviser, accept=False, decided_by="adviser", decided_on=TODAY, comment="Ikke nå.")
    mailbox_links.confirm_contact(link, adviser)
    db.session.commit()
    assert waiting(adviser, "approvals") == []
