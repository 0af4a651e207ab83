"""Subgroups through the services: the proposal rules, the workflow with its guards, audit, members and mail."""
import json
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.history import lines
from app.models import AuditEvent, OutboxMessage
from app.services import ServiceError, subgroups, workflow
from tests import factories
from tests.factories import ASSESSMENT


@pytest.fixture
def people(orgs):
    """Two project-group members, the adviser, a plain municipality contact and a future member."""
    made = {
        "kari": factories.user("project_member", organisation=orgs["Lindås"], name="Kari Nordtveit"),
        "siri": factories.user("project_member", organisation=orgs["Voss"], name="Siri Lie"),
        "adviser": factories.user("adviser", organisation=orgs["Bergen"], name="Marianne N. Solbakk"),
        "contact": factories.user("municipality_contact", organisation=orgs["Askøy"], name="Tone Myklebust"),
        "erik": factories.user(organisation=orgs["Høgskulen på Vestlandet"], name="Erik Aase"),
    }
    db.session.commit()
    return made


def events(subgroup):
    return [e.action for e in subgroups.history(subgroup)]


def establish(subgroup, people):
    """Walk a draft through seconding and the decision to an established subgroup."""
    workflow.perform(subgroup, "submit", people["kari"])
    workflow.perform(subgroup, "second", people["siri"])
    workflow.perform(subgroup, "approve", people["adviser"], comment="Vedtatt i prosjektgruppemøtet, sak 12/26.",
                     data={"decided_on": "2026-11-20"})
    workflow.perform(subgroup, "establish", people["adviser"])
    db.session.commit()


def test_a_proposal_goes_from_draft_to_closed_with_one_audit_event_per_step(people):
    subgroup = factories.subgroup(people["kari"], member_ids=[people["siri"].id, people["erik"].id])
    establish(subgroup, people)
    workflow.perform(subgroup, "close", people["kari"], comment="Gruppen leverte en felles opplæringsplan.")
    db.session.commit()

    assert subgroup.state == "closed"
    assert events(subgroup) == ["subgroup.create", "subgroup.submit", "subgroup.second", "subgroup.approve",
                                "subgroup.establish", "subgroup.close"]
    assert [e.actor.name for e in subgroups.history(subgroup)] == [
        "Kari Nordtveit", "Kari Nordtveit", "Siri Lie", "Marianne N. Solbakk", "Marianne N. Solbakk", "Kari Nordtveit"]
    assert subgroup.decided_on == date(2026, 11, 20)
    assert subgroup.established_on == subgroup.closed_on == date(2026, 11, 23)
    assert {m.left_on for m in subgroup.members} == {date(2026, 11, 23)}
    assert subgroups.last_comment(subgroup, "close") == "Gruppen leverte en felles opplæringsplan."


def test_establishing_lets_members_join_and_mails_each_of_them(people):
    subgroup = factories.subgroup(people["kari"], member_ids=[people["siri"].id, people["erik"].id])
    establish(subgroup, people)

    assert {m.user.name: m.joined_on for m in subgroup.members} == {
        "Kari Nordtveit": date(2026, 11, 23), "Siri Lie": date(2026, 11, 23), "Erik Aase": date(2026, 11, 23)}
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert sorted(m.recipient for m in mails) == sorted(
        [people["kari"].email, people["siri"].email, people["erik"].email])
    assert mails[0].subject == "Undergruppen «Velferdsteknologi i hjemmetjenesten» er etablert"
    assert f"http://kk.test/undergrupper/{subgroup.id}" in mails[0].body_text


@pytest.mark.parametrize("trigger, state", [
    ("approve", "submitted"), ("establish", "draft"), ("second", "draft"), ("close", "seconded"),
    ("submit", "seconded"),
])
def test_illegal_transitions_are_refused_and_change_nothing(people, trigger, state):
    subgroup = factories.subgroup(people["kari"])
    if state != "draft":
        workflow.perform(subgroup, "submit", people["kari"])
    if state == "seconded":
        workflow.perform(subgroup, "second", people["siri"])
    db.session.commit()
    before = events(subgroup)
    actor = people["adviser"] if trigger in ("approve", "establish", "close") else people["siri"]
    with pytest.raises(ServiceError, match="er ikke mulig når status er"):
        workflow.perform(subgroup, trigger, actor, comment="En kommentar.")
    db.session.rollback()
    assert subgroup.state == state and events(subgroup) == before


def test_only_project_group_members_may_propose(people):
    for who in ("adviser", "contact"):
        with pytest.raises(ServiceError, match="Bare medlemmer av prosjektgruppen"):
            subgroups.propose(factories.proposal(people[who]), people[who])


def test_only_project_group_members_may_second(people):
    subgroup = factories.subgroup(people["kari"])
    workflow.perform(subgroup, "submit", people["kari"])
    for who in ("contact", "adviser"):
        with pytest.raises(ServiceError, match="Krever rollen Medlem av prosjektgruppen"):
            workflow.perform(subgroup, "second", people[who])
    assert subgroup.state == "submitted"


def test_the_proposer_cannot_second_and_the_actions_say_why(people):
    subgroup = factories.subgroup(people["kari"])
    workflow.perform(subgroup, "submit", people["kari"])
    own = "Du kan ikke støtte, godkjenne, avslå eller sende tilbake ditt eget forslag."
    with pytest.raises(ServiceError, match=own):
        workflow.perform(subgroup, "second", people["kari"])
    second = next(a for a in workflow.actions(subgroup, people["kari"]) if a.spec.trigger == "second")
    assert not second.allowed and second.reason == own
    assert next(a for a in workflow.actions(subgroup, people["siri"]) if a.spec.trigger == "second").allowed


def test_an_adviser_who_proposed_cannot_approve_their_own_proposal(orgs, people):
    both = factories.user("adviser", "project_member", organisation=orgs["Bergen"])
    subgroup = factories.subgroup(both)
    workflow.perform(subgroup, "submit", both)
    workflow.perform(subgroup, "second", people["siri"])
    with pytest.raises(ServiceError, match="ditt eget forslag"):
        workflow.perform(subgroup, "approve", both)
    workflow.perform(subgroup, "approve", people["adviser"])
    assert subgroup.state == "approved"


def test_only_the_proposer_submits(people):
    subgroup = factories.subgroup(people["kari"])
    with pytest.raises(ServiceError, match="Bare den som foreslo undergruppen, kan sende inn forslaget."):
        workflow.perform(subgroup, "submit", people["siri"])


@pytest.mark.parametrize("trigger", ["reject", "return_for_changes"])
def test_reject_and_return_need_a_comment(people, trigger):
    subgroup = factories.subgroup(people["kari"])
    workflow.perform(subgroup, "submit", people["kari"])
    with pytest.raises(ServiceError) as info:
        workflow.perform(subgroup, trigger, people["adviser"], comment="  ")
    assert info.value.field == "comment"


def test_return_edit_and_resubmit_keeps_the_whole_history(people):
    subgroup = factories.subgroup(people["kari"])
    workflow.perform(subgroup, "submit", people["kari"])
    workflow.perform(subgroup, "return_for_changes", people["adviser"], comment="Avgrens mandatet.")
    db.session.commit()
    subgroups.revise(subgroup, factories.proposal(people["kari"], mandate="Et smalere mandat."), people["kari"])
    workflow.perform(subgroup, "submit", people["kari"])
    workflow.perform(subgroup, "second", people["siri"])
    db.session.commit()

    history = subgroups.history(subgroup)
    assert [e.action for e in history] == ["subgroup.create", "subgroup.submit", "subgroup.return_for_changes",
                                           "subgroup.update", "subgroup.submit", "subgroup.second"]
    assert history[2].comment == "Avgrens mandatet." and history[2].to_state == "returned"
    assert [line.text for line in lines(history[2:4])] == [
        "Marianne N. Solbakk sendte forslaget om undergruppen «Velferdsteknologi i hjemmetjenesten» tilbake for "
        "endringer.", "Kari Nordtveit endret forslaget om undergruppen «Velferdsteknologi i hjemmetjenesten»."]
    assert subgroup.mandate == "Et smalere mandat." and subgroup.state == "seconded"


@pytest.mark.parametrize("state", ["submitted", "seconded", "established"])
def test_the_proposal_cannot_be_changed_once_it_is_with_the_project_group(people, state):
    subgroup = factories.subgroup(people["kari"])
    if state == "established":
        establish(subgroup, people)
    else:
        workflow.perform(subgroup, "submit", people["kari"])
        if state == "seconded":
            workflow.perform(subgroup, "second", people["siri"])
    with pytest.raises(ServiceError, match="bare endres mens det er et utkast"):
        subgroups.revise(subgroup, factories.proposal(people["kari"], name="Nytt navn"), people["kari"])


def test_only_the_proposer_may_edit(people):
    subgroup = factories.subgroup(people["kari"])
    with pytest.raises(ServiceError, match="Bare den som foreslo"):
        subgroups.revise(subgroup, factories.proposal(people["kari"], name="Nytt navn"), people["siri"])


@pytest.mark.parametrize("overrides, field, message", [
    ({"representatives": [], "assessment": None}, "assessment", str(subgroups.NO_REPRESENTATION)),
    ({"representatives": [], "assessment": "For kort. Men to setninger."}, "assessment",
     str(subgroups.SHORT_ASSESSMENT)),
    ({"representatives": [], "assessment": "x" * 150}, "assessment", str(subgroups.SHORT_ASSESSMENT)),
    ({"member_ids": [99999]}, "member_ids", "finnes ikke"),
    ({"chair_id": 99999}, "chair_id", "Velg en leder"),
    ({"themes": ["cooking"]}, "themes", "Velg minst ett tema"),
    ({"themes": []}, "themes", "Velg minst ett tema"),
    ({"duration": "", "end_date": None}, "duration", "varighet eller en sluttdato"),
    ({"end_date": date(2026, 11, 23)}, "end_date", "etter i dag"),
])
def test_the_service_refuses_an_incomplete_proposal(people, overrides, field, message):
    with pytest.raises(ServiceError) as info:
        factories.subgroup(people["kari"], **overrides)
    assert info.value.field == field and message in info.value.message


def test_a_written_assessment_can_replace_named_representatives(people):
    subgroup = factories.subgroup(people["kari"], representatives=[], assessment=ASSESSMENT)
    assert subgroup.representatives == [] and subgroup.representation_assessment == ASSESSMENT


def test_inactive_people_and_people_without_an_organisation_cannot_be_members(people):
    loner = factories.user("project_member")
    gone = factories.user(organisation=people["kari"].organisation)
    gone.active = False
    for someone in (loner, gone):
        with pytest.raises(ServiceError) as info:
            factories.subgroup(people["kari"], member_ids=[someone.id])
        assert info.value.field == "member_ids"


@pytest.mark.parametrize("text, count", [
    ("Én setning.", 1),
    ("Første setning. Andre setning!", 2),
    ("Første setning. Andre uten punktum", 2),
    ("Hva nå? Dette. Og dette...", 3),
    ("Versjon 1.2 er bra", 1),
    ("", 0),
])
def test_sentence_count(text, count):
    assert subgroups.sentence_count(text) == count


def test_the_chair_and_the_adviser_keep_the_member_list_after_establishment(people):
    subgroup = factories.subgroup(people["kari"], member_ids=[people["siri"].id])
    with pytest.raises(ServiceError, match="bare legges til eller fjernes mens undergruppen er etablert"):
        subgroups.add_member(subgroup, people["erik"].id, date(2026, 11, 23), people["kari"])
    establish(subgroup, people)

    added = subgroups.add_member(subgroup, people["erik"].id, date(2026, 11, 23), people["kari"])
    siri = next(m for m in subgroup.members if m.user_id == people["siri"].id)
    subgroups.remove_member(subgroup, siri.id, date(2026, 11, 30), people["adviser"])
    db.session.commit()

    assert added.joined_on == date(2026, 11, 23) and siri.left_on == date(2026, 11, 30)
    assert {m.user.name for m in subgroup.current_members} == {"Kari Nordtveit", "Erik Aase"}
    changes = [e for e in subgroups.history(subgroup) if e.action.startswith("subgroup.member")]
    assert [line.text for line in lines(changes)] == [
        "Kari Nordtveit la til Erik Aase i undergruppen «Velferdsteknologi i hjemmetjenesten» fra 23.11.2026.",
        "Marianne N. Solbakk tok Siri Lie ut av undergruppen «Velferdsteknologi i hjemmetjenesten» med 30.11.2026 "
        "som siste dag."]


def test_others_cannot_change_members_and_the_rules_hold(people):
    subgroup = factories.subgroup(people["kari"], member_ids=[people["siri"].id])
    establish(subgroup, people)
    chair = next(m for m in subgroup.members if m.user_id == people["kari"].id)
    siri = next(m for m in subgroup.members if m.user_id == people["siri"].id)
    with pytest.raises(ServiceError, match="Bare FoU-rådgiveren eller lederen"):
        subgroups.add_member(subgroup, people["erik"].id, date(2026, 11, 23), people["siri"])
    with pytest.raises(ServiceError, match="allerede medlem"):
        subgroups.add_member(subgroup, people["siri"].id, date(2026, 11, 23), people["adviser"])
    with pytest.raises(ServiceError, match="før undergruppen ble etablert"):
        subgroups.add_member(subgroup, people["erik"].id, date(2026, 11, 1), people["adviser"])
    with pytest.raises(ServiceError, match="Lederen kan ikke fjernes"):
        subgroups.remove_member(subgroup, chair.id, date(2026, 11, 23), people["adviser"])
    with pytest.raises(ServiceError, match="før personen ble med"):
        subgroups.remove_member(subgroup, siri.id, date(2026, 11, 22), people["adviser"])


def test_a_draft_is_visible_only_to_its_proposer_and_the_adviser(people):
    draft = factories.subgroup(people["kari"])
    submitted = factories.subgroup(people["kari"], name="Demografi og rekruttering")
    workflow.perform(submitted, "submit", people["kari"])
    db.session.commit()
    assert [draft.can_view(people[p]) for p in ("kari", "adviser", "siri", "contact")] == [True, True, False, False]

    def listed(who):
        return [s.name for s in db.session.scalars(subgroups.listing(people[who]))]

    assert sorted(listed("kari")) == sorted(listed("adviser")) == sorted([draft.name, submitted.name])
    assert listed("siri") == listed("contact") == ["Demografi og rekruttering"]


def test_the_decision_date_and_proposal_content_are_recorded(people):
    subgroup = factories.subgroup(people["kari"], member_ids=[people["siri"].id])
    establish(subgroup, people)
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "subgroup.create"))
    assert json.loads(created.data) == {  # people by id only: anonymising them cannot rewrite the audit log
        "name": "Velferdsteknologi i hjemmetjenesten", "themes": ["welfare_technology", "user_participation"],
        "chair": people["kari"].id, "members": [people["kari"].id, people["siri"].id],
        "representatives": [subgroup.representatives[0].id], "assessment": False}
    approved = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "subgroup.approve"))
    assert json.loads(approved.data) == {"decided_on": "2026-11-20"}
    assert approved.comment == "Vedtatt i prosjektgruppemøtet, sak 12/26."
