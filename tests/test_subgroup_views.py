"""The subgroup pages: who may do what, what the forms show, the approval inbox and the member list."""
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Subgroup
from app.services import audit, subgroups, workflow
from tests import factories
from tests.conftest import post, unmarked

FORM = {
    "name": "Velferdsteknologi i hjemmetjenesten",
    "themes": ["welfare_technology"],
    "mandate": "Kartlegge erfaringer og foreslå felles opplæring.",
    "duration": "12 måneder",
    "representatives-0-name": "Randi Helland",
    "representatives-0-represents": "Eldrerådet i Bergen",
    "representatives-0-contact": "eldreradet@bergen.kommune.no",
}


def _established(proposer, seconder, adviser, **overrides):
    subgroup = factories.subgroup(proposer, **overrides)
    for trigger, actor in (("submit", proposer), ("second", seconder), ("approve", adviser),
                           ("establish", adviser)):
        workflow.perform(subgroup, trigger, actor)
    db.session.commit()
    return subgroup


@pytest.fixture
def siri(orgs):
    person = factories.user("project_member", organisation=orgs["Voss"], name="Siri Lie")
    db.session.commit()
    return person


@pytest.fixture
def adviser(orgs):
    person = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne N. Solbakk")
    db.session.commit()
    return person


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Subgroup))


@pytest.mark.parametrize("role, status", [
    ("project_member", 200), ("municipality_contact", 403), ("adviser", 403), ("steering_member", 403),
])
def test_only_project_group_members_open_the_proposal_form(client, login, role, status):
    login(role)
    assert client.get("/undergrupper/ny").status_code == status
    listing = client.get("/undergrupper/").get_data(as_text=True)
    assert ("Foreslå undergruppe" in listing) == (status == 200)


def test_a_project_member_saves_a_draft_then_submits_it(client, login, siri):
    kari = login("project_member", name="Kari Nordtveit")
    response = post(client, "/undergrupper/ny", {**FORM, "chair_id": kari.id, "member_ids": [siri.id],
                                                  "save": "Lagre utkast"}, token_from="/undergrupper/ny")
    assert response.status_code == 302
    subgroup = db.session.scalar(select(Subgroup))
    assert subgroup.state == "draft" and subgroup.proposer_id == kari.id
    assert [m.user.name for m in subgroup.members] == ["Kari Nordtveit", "Siri Lie"]
    assert [r.represents for r in subgroup.representatives] == ["Eldrerådet i Bergen"]

    edit = f"/undergrupper/{subgroup.id}/endre"
    page = client.get(edit).get_data(as_text=True)
    assert 'value="Randi Helland"' in page and "checked" in page
    response = post(client, edit, {**FORM, "name": "Velferdsteknologi i heimetenesta", "chair_id": kari.id,
                                   "member_ids": [siri.id], "submit": "Lagre og send inn"}, token_from=edit)
    assert response.status_code == 302
    db.session.refresh(subgroup)
    assert subgroup.state == "submitted" and subgroup.name == "Velferdsteknologi i heimetenesta"
    page = client.get(f"/undergrupper/{subgroup.id}").get_data(as_text=True)
    assert "Du kan ikke støtte, godkjenne, avslå eller sende tilbake ditt eget forslag." in page
    assert "Mine forslag" in client.get("/undergrupper/").get_data(as_text=True)


def test_the_form_refuses_a_proposal_without_user_representation_with_a_message_on_the_field(client, login):
    kari = login("project_member")
    data = {**FORM, "chair_id": kari.id, "representatives-0-name": "", "representatives-0-represents": "",
            "representatives-0-contact": "", "submit": "Lagre og send inn"}
    response = post(client, "/undergrupper/ny", data, token_from="/undergrupper/ny")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and count() == 0
    assert 'id="assessment-error"' in page and "Legg til minst én brukerrepresentant" in page
    assert 'aria-invalid="true"' in page and 'href="#assessment"' in page


def test_searching_for_members_saves_nothing_and_keeps_what_was_written(client, login, siri):
    kari = login("project_member")
    response = post(client, "/undergrupper/ny", {**FORM, "chair_id": kari.id, "member_query": "siri",
                                                  "search": "Søk"}, token_from="/undergrupper/ny")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and count() == 0
    assert "Siri Lie (Voss)" in page and 'value="Velferdsteknologi i hjemmetjenesten"' in page
    assert "Skjemaet har feil" not in page


def test_the_chair_is_chosen_among_the_people_searched_for_and_stays_chosen(client, login, siri, orgs):
    login("project_member")
    erik = factories.user(organisation=orgs["Høgskulen på Vestlandet"], name="Erik Aase")
    db.session.commit()

    def chairs(page: str) -> list[str]:
        chair_select = re.search(r'<select[^>]*name="chair_id".*?</select>', page, re.S).group(0)
        return re.findall(r'value="(\d+)"', chair_select)

    assert chairs(client.get("/undergrupper/ny").get_data(as_text=True)) == ["0"]
    found = post(client, "/undergrupper/ny", {**FORM, "member_query": "aase", "search": "Søk"},
                 token_from="/undergrupper/ny").get_data(as_text=True)
    assert chairs(found) == ["0", str(erik.id)]
    again = post(client, "/undergrupper/ny", {**FORM, "chair_id": erik.id, "member_ids": [siri.id],
                                               "add_representative": "1"},
                 token_from="/undergrupper/ny").get_data(as_text=True)
    assert chairs(again) == ["0", str(erik.id), str(siri.id)]
    assert f'<option selected translate="no" value="{erik.id}">' in again


def test_a_member_id_no_person_can_have_is_refused_on_the_form(client, login, siri):
    kari = login("project_member")
    response = post(client, "/undergrupper/ny", {**FORM, "chair_id": kari.id,
                                                  "member_ids": [siri.id, "99999999999999999999"],
                                                  "save": "Lagre utkast"}, token_from="/undergrupper/ny")
    assert response.status_code == 200 and count() == 0
    assert "Skjemaet har feil" in response.get_data(as_text=True)


def test_adding_a_representative_row_redraws_the_form(client, login):
    kari = login("project_member")
    response = post(client, "/undergrupper/ny", {**FORM, "chair_id": kari.id, "add_representative": "1"},
                    token_from="/undergrupper/ny")
    page = response.get_data(as_text=True)
    assert count() == 0 and 'id="representatives-1-name"' in page and "Brukerrepresentant 2" in page


def test_someone_elses_draft_does_not_exist_for_other_members(client, auth, orgs, siri):
    kari = factories.user("project_member", organisation=orgs["Lindås"])
    subgroup = factories.subgroup(kari)
    db.session.commit()
    auth.login(siri)
    assert client.get(f"/undergrupper/{subgroup.id}").status_code == 404
    assert client.get(f"/undergrupper/{subgroup.id}/endre").status_code == 404


def test_the_proposer_cannot_second_by_posting(client, auth, orgs):
    kari = factories.user("project_member", organisation=orgs["Lindås"])
    subgroup = factories.subgroup(kari)
    workflow.perform(subgroup, "submit", kari)
    db.session.commit()
    auth.login(kari)
    path = f"/undergrupper/{subgroup.id}/handling/second"
    response = post(client, path, {}, token_from=f"/undergrupper/{subgroup.id}")
    assert response.status_code == 409
    assert "ditt eget forslag." in response.get_data(as_text=True)
    db.session.refresh(subgroup)
    assert subgroup.state == "submitted"


def test_the_adviser_sees_waiting_proposals_in_the_inbox_and_records_the_decision(client, auth, orgs, siri,
                                                                                   adviser):
    kari = factories.user("project_member", organisation=orgs["Lindås"])
    subgroup = factories.subgroup(kari)
    workflow.perform(subgroup, "submit", kari)
    workflow.perform(subgroup, "second", siri)
    db.session.commit()
    auth.login(adviser)
    inbox = unmarked(client.get("/godkjenninger/").get_data(as_text=True))
    assert "Undergrupper som venter på vedtak" in inbox
    assert f'href="/undergrupper/{subgroup.id}">Velferdsteknologi i hjemmetjenesten</a>' in inbox
    assert '<span class="badge" aria-label="1 ventende">1</span>' in inbox

    path = f"/undergrupper/{subgroup.id}/handling/approve"
    missing = post(client, path, {"decided_on": "", "comment": ""}, token_from=path).get_data(as_text=True)
    assert "Skriv datoen for vedtaket." in missing and 'id="comment-error"' in missing
    future = post(client, path, {"decided_on": "2026-12-01", "comment": "Vedtatt."}, token_from=path)
    assert "Datoen for vedtaket kan ikke være etter i dag." in future.get_data(as_text=True)
    done = post(client, path, {"decided_on": "2026-11-19", "comment": "Vedtatt, sak 12/26."}, token_from=path)
    assert done.status_code == 302
    db.session.refresh(subgroup)
    assert subgroup.state == "approved" and str(subgroup.decided_on) == "2026-11-19"
    assert "Ingen forslag venter." in unmarked(client.get("/godkjenninger/").get_data(as_text=True))


def test_the_list_filters_by_theme_status_and_search(client, auth, orgs, siri):
    kari = factories.user("project_member", organisation=orgs["Lindås"])
    welfare = factories.subgroup(kari)
    workflow.perform(welfare, "submit", kari)
    dementia = factories.subgroup(kari, name="Demensomsorg på tvers", themes=["clinical_practice"],
                                  mandate="Felles fagutvikling i demensomsorgen.")
    workflow.perform(dementia, "submit", kari)
    workflow.perform(dementia, "second", siri)
    db.session.commit()
    auth.login(siri)

    def names(query):
        page = client.get(f"/undergrupper/?{query}").get_data(as_text=True)
        return [name for name in ("Velferdsteknologi i hjemmetjenesten", "Demensomsorg på tvers") if name in page]

    assert names("") == ["Velferdsteknologi i hjemmetjenesten", "Demensomsorg på tvers"]
    assert names("tema=clinical_practice") == ["Demensomsorg på tvers"]
    assert names("status=submitted") == ["Velferdsteknologi i hjemmetjenesten"]
    assert names("q=fagutvikling") == ["Demensomsorg på tvers"]
    assert names("tema=welfare_technology&status=seconded") == []


def test_the_list_is_paginated(client, auth, orgs):
    kari = factories.user("project_member", organisation=orgs["Lindås"])
    for n in range(27):
        factories.subgroup(kari, name=f"Gruppe {n:02}")
    db.session.commit()
    auth.login(kari)
    first = client.get("/undergrupper/").get_data(as_text=True)
    assert "Side 1 av 2 (27 treff)" in first
    assert "Gruppe 01" in client.get("/undergrupper/?page=2").get_data(as_text=True)


def test_the_chair_adds_and_removes_members_after_establishment(client, auth, orgs, siri, adviser):
    kari = factories.user("project_member", organisation=orgs["Lindås"], name="Kari Nordtveit")
    erik = factories.user(organisation=orgs["Høgskulen på Vestlandet"], name="Erik Aase")
    subgroup = _established(kari, siri, adviser, member_ids=[siri.id])

    auth.login(siri)
    assert client.get(f"/undergrupper/{subgroup.id}/medlemmer").status_code == 403
    auth.logout()
    auth.login(kari)
    members = f"/undergrupper/{subgroup.id}/medlemmer"
    found = unmarked(client.get(f"{members}?q=aase").get_data(as_text=True))
    assert "Erik Aase (Høgskulen på Vestlandet)" in found and "Siri Lie (Voss)" not in found
    response = post(client, members, {"user_id": erik.id, "joined_on": "2026-11-23"}, token_from=members)
    assert response.status_code == 302
    siri_row = next(m for m in subgroup.members if m.user_id == siri.id)
    remove = f"{members}/{siri_row.id}/fjern"
    assert "Fjerne Siri Lie fra undergruppen?" in unmarked(client.get(remove).get_data(as_text=True))
    assert post(client, remove, {"left_on": "2026-11-23"}, token_from=remove).status_code == 302

    page = unmarked(client.get(f"/undergrupper/{subgroup.id}").get_data(as_text=True))
    assert ("Kari Nordtveit la til Erik Aase i undergruppen «Velferdsteknologi i hjemmetjenesten» fra 23.11.2026."
            in page)
    assert ("Kari Nordtveit tok Siri Lie ut av undergruppen «Velferdsteknologi i hjemmetjenesten» med 23.11.2026 "
            "som siste dag.") in page
    db.session.expire_all()
    assert {m.user.name for m in db.session.get(Subgroup, subgroup.id).current_members} == {
        "Kari Nordtveit", "Erik Aase"}


def test_the_member_list_pages_through_the_members_and_finds_only_the_others(client, auth, orgs, adviser, siri):
    kari = factories.user("project_member", organisation=orgs["Lindås"], name="Kari Nordtveit")
    people = [factories.user(organisation=orgs["Voss"], name=f"Medlem {n:02d}") for n in range(52)]
    outsider = factories.user(organisation=orgs["Voss"], name="Utenfor Gruppen")
    subgroup = _established(kari, siri, adviser, member_ids=[siri.id] + [p.id for p in people])
    auth.login(adviser)
    members = f"/undergrupper/{subgroup.id}/medlemmer"
    pages = [unmarked(client.get(f"{members}?page={n}").get_data(as_text=True)) for n in (1, 2, 3)]
    listed = [[n.strip() for n in re.findall(r"<tr>\s*<td>([^<]+)<", html)] for html in pages]
    first = pages[0]
    assert len(listed[0]) == 25 and "Side 1 av 3 (54 treff)" in first and f'href="{members}?page=2"' in first
    assert sorted(sum(listed, [])) == sorted(["Kari Nordtveit", "Siri Lie"] + [p.name for p in people])
    assert 'Kari Nordtveit <span class="tag tag-blue">leder</span>' in first and first.count(">Fjern<") == 24
    assert "Søk fram personen du vil legge til." in first and "<option" not in first
    # More members match than a search shows (30): the others are found all the same.
    found = unmarked(client.get(f"{members}?q=voss").get_data(as_text=True))
    assert re.findall(r'<option translate="no" value="(\d+)">', found) == [str(outsider.id)]


def test_members_cannot_be_changed_before_establishment(client, auth, orgs, adviser):
    kari = factories.user("project_member", organisation=orgs["Lindås"])
    subgroup = factories.subgroup(kari)
    workflow.perform(subgroup, "submit", kari)
    db.session.commit()
    auth.login(adviser)
    assert client.get(f"/undergrupper/{subgroup.id}/medlemmer").status_code == 403


def test_the_subgroup_page_shows_mandate_representatives_and_diagram(client, auth, orgs, siri):
    kari = factories.user("project_member", organisation=orgs["Lindås"])
    subgroup = factories.subgroup(kari, member_ids=[siri.id])
    workflow.perform(subgroup, "submit", kari)
    db.session.commit()
    auth.login(siri)
    page = unmarked(client.get(f"/undergrupper/{subgroup.id}").get_data(as_text=True))
    for text in ("Kartlegge erfaringer med velferdsteknologi", "Randi Helland", "Eldrerådet i Bergen",
                 "Digitale verktøy og velferdsteknologi i helse og omsorg", "Sendt inn", "foreslått",
                 "foreslo undergruppen «Velferdsteknologi i hjemmetjenesten».",
                 "sendte inn forslaget om undergruppen"):
        assert text in page
    diagram = client.get(f"/undergrupper/{subgroup.id}/diagram.svg")
    assert diagram.mimetype == "image/svg+xml"
    assert re.search(rb"<title>submitted</title>\s*<path fill=\"darksalmon\"", diagram.data)


def test_a_returned_proposal_shows_the_proposer_what_to_change(client, auth, orgs, adviser):
    kari = factories.user("project_member", organisation=orgs["Lindås"])
    subgroup = factories.subgroup(kari)
    workflow.perform(subgroup, "submit", kari)
    workflow.perform(subgroup, "return_for_changes", adviser, comment="Avgrens mandatet.")
    db.session.commit()
    auth.login(kari)
    page = client.get(f"/undergrupper/{subgroup.id}").get_data(as_text=True)
    assert "Forslaget er sendt tilbake for endringer: «Avgrens mandatet.»" in page
    assert f'href="/undergrupper/{subgroup.id}/endre"' in page
    assert "«Avgrens mandatet.»" in client.get(f"/undergrupper/{subgroup.id}/endre").get_data(as_text=True)


def test_closing_needs_a_final_report_which_the_page_then_shows(client, auth, orgs, siri, adviser):
    kari = factories.user("project_member", organisation=orgs["Lindås"])
    subgroup = _established(kari, siri, adviser)
    auth.login(kari)
    path = f"/undergrupper/{subgroup.id}/handling/close"
    assert "Sluttrapport: hva gruppen har levert" in client.get(path).get_data(as_text=True)
    empty = post(client, path, {"comment": ""}, token_from=path)
    assert empty.status_code == 200 and 'id="comment-error"' in empty.get_data(as_text=True)
    assert post(client, path, {"comment": "Veilederen er levert."}, token_from=path).status_code == 302
    page = client.get(f"/undergrupper/{subgroup.id}").get_data(as_text=True)
    assert "Sluttrapport" in page and "Veilederen er levert." in page and "Avsluttet" in page


def test_the_demo_story_has_subgroups_in_different_states(runner):
    result = runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    assert result.exit_code == 0, result.output
    states = {s.name: s for s in db.session.scalars(select(Subgroup))}
    assert {name: s.state for name, s in states.items()} == {
        "Velferdsteknologi i hjemmetjenesten": "established", "Kunnskapsbasert praksis i sykehjem": "returned",
        "Rekruttering og demografi i distriktskommunene": "submitted",
        "Tverrfaglig oppfølging av personer med demens": "draft"}
    welfare = states["Velferdsteknologi i hjemmetjenesten"]
    assert [r.represents for r in welfare.representatives] == ["Eldrerådet i Bergen"]
    assert welfare.proposer.email == "kari.nordtveit@alver.kommune.no"
    assert [e.action for e in subgroups.history(welfare)][:5] == [
        "subgroup.create", "subgroup.submit", "subgroup.second", "subgroup.approve", "subgroup.establish"]


def test_only_the_chair_or_the_adviser_closes_a_subgroup(client, auth, orgs, siri, adviser):
    """Closing is for good: a project-group member who neither chairs the group nor is the adviser gets no button
    and a 403, and nothing changes; the chair (here not in the project group) and the adviser may close."""
    kari = factories.user("project_member", organisation=orgs["Lindås"])
    chair = factories.user("steering_member", organisation=orgs["Helse Bergen"])
    subgroup = _established(kari, siri, adviser, chair_id=chair.id, member_ids=[siri.id])
    page, path = f"/undergrupper/{subgroup.id}", f"/undergrupper/{subgroup.id}/handling/close"
    for outsider in (kari, siri):  # the proposer and a member, neither the chair
        auth.login(outsider)
        html = client.get(page).get_data(as_text=True)
        assert f'href="{path}"' not in html and "Krever rollen FoU-rådgiver eller leder av undergruppen." in html
        refused = post(client, path, {"comment": "Ferdig."}, token_from=page)
        assert refused.status_code == 403
        db.session.refresh(subgroup)
        assert subgroup.state == "established" and all(m.left_on is None for m in subgroup.members)
        auth.logout()
    auth.login(chair)
    assert f'href="{path}"' in client.get(page).get_data(as_text=True)
    assert post(client, path, {"comment": "Veilederen er levert."}, token_from=path).status_code == 302
    db.session.refresh(subgroup)
    assert subgroup.state == "closed" and all(m.left_on is not None for m in subgroup.members)

    by_adviser = _established(kari, siri, adviser, name="Demensomsorg på tvers")
    auth.logout()
    auth.login(adviser)
    path = f"/undergrupper/{by_adviser.id}/handling/close"
    assert post(client, path, {"comment": "Gruppen er lagt ned."}, token_from=path).status_code == 302
    db.session.refresh(by_adviser)
    assert by_adviser.state == "closed"


@pytest.mark.parametrize("trigger", ["reject", "return_for_changes"])
def test_the_adviser_cannot_reject_or_return_her_own_proposal(client, auth, orgs, siri, adviser, trigger):
    both = factories.user("adviser", "project_member", organisation=orgs["Bergen"])
    subgroup = factories.subgroup(both)
    workflow.perform(subgroup, "submit", both)
    db.session.commit()
    auth.login(both)
    page, path = f"/undergrupper/{subgroup.id}", f"/undergrupper/{subgroup.id}/handling/{trigger}"
    html = client.get(page).get_data(as_text=True)
    assert f'href="{path}"' not in html
    assert "Du kan ikke støtte, godkjenne, avslå eller sende tilbake ditt eget forslag." in html
    refused = post(client, path, {"decided_on": "2026-11-20", "comment": "Nei."}, token_from=page)
    assert refused.status_code == 409 and "ditt eget forslag" in refused.get_data(as_text=True)
    db.session.refresh(subgroup)
    assert subgroup.state == "submitted"
    auth.logout()
    auth.login(adviser)  # another adviser decides
    assert post(client, path, {"decided_on": "2026-11-20", "comment": "Nei."}, token_from=path).status_code == 302
    db.session.refresh(subgroup)
    assert subgroup.state in ("rejected", "returned")


def test_the_page_lists_the_members_a_page_at_a_time_and_the_latest_history_with_a_link_to_all(
        client, auth, orgs, siri, adviser, monkeypatch):
    from app.subgroups import routes
    monkeypatch.setattr(routes, "MEMBERS_PER_PAGE", 2)
    monkeypatch.setattr(routes, "HISTORY_SHOWN", 3)
    kari = factories.user("project_member", organisation=orgs["Lindås"], name="Kari Nordtveit")
    erik = factories.user(organisation=orgs["Høgskulen på Vestlandet"], name="Erik Aase")
    subgroup = _established(kari, siri, adviser, member_ids=[siri.id])
    subgroups.add_member(subgroup, erik.id, subgroup.established_on, adviser)
    db.session.commit()
    auth.login(siri)
    path = f"/undergrupper/{subgroup.id}"
    first, second = (unmarked(client.get(f"{path}?page={n}").get_data(as_text=True)) for n in (1, 2))
    names = lambda html: re.findall(r"<tr>\s*<td>([^<]+)<", html)  # noqa: E731
    assert names(first) == ["Kari Nordtveit ", "Siri Lie"] and names(second) == ["Erik Aase"]
    history = lambda html: re.findall(r'class="timeline-sentence">([^<]+)<', html.split('id="history"')[1])  # noqa: E731
    events = audit.events_for(subgroup.audit_type, subgroup.id)
    assert len(history(first)) == 3 and len(events) == 6
    assert "Vis hele historikken (6 hendelser)" in first
    whole = unmarked(client.get(f"{path}?historikk=alle").get_data(as_text=True))
    assert len(history(whole)) == 6 and history(whole)[-3:] == history(first)
    assert "Vis hele historikken" not in whole


def test_the_subgroup_page_s_shared_parts_are_read_once_per_content_version(client, auth, orgs, siri, adviser,
                                                                           monkeypatch):
    kari = factories.user("project_member", organisation=orgs["Lindås"], name="Kari Nordtveit")
    subgroup = _established(kari, siri, adviser, member_ids=[siri.id])
    calls, real = [], subgroups.members_query
    monkeypatch.setattr(subgroups, "members_query", lambda found: calls.append(found.id) or real(found))
    path = f"/undergrupper/{subgroup.id}"
    auth.login(siri)
    first = client.get(path).get_data(as_text=True)
    assert "Kari Nordtveit" in client.get(path).get_data(as_text=True) and len(calls) == 1
    assert "Endre medlemmer" not in first
    auth.logout()
    auth.login(adviser)  # the same stored parts, the adviser's own buttons
    assert "Endre medlemmer" in client.get(path).get_data(as_text=True) and len(calls) == 1
    erik = factories.user(organisation=orgs["Voss"], name="Erik Aase")
    subgroups.add_member(subgroup, erik.id, subgroup.established_on, adviser)
    db.session.commit()
    assert "Erik Aase" in client.get(path).get_data(as_text=True) and len(calls) == 2
    client.get(f"{path}?sok=x")  # an argument the paging links would keep: read each time
    client.get(f"{path}?sok=x")
    assert len(calls) == 4


def test_the_list_is_stored_for_bergens_side_and_for_those_without_drafts_and_read_for_a_proposer_of_one(
        client, auth, orgs, siri, adviser, monkeypatch):
    kari = factories.user("project_member", organisation=orgs["Lindås"], name="Kari Nordtveit")
    submitted = factories.subgroup(kari, name="Innsendt gruppe")
    workflow.perform(submitted, "submit", kari)
    factories.subgroup(kari, name="Karis utkast")
    db.session.commit()
    calls, real = [], subgroups.listing
    monkeypatch.setattr(subgroups, "listing", lambda viewer, **filters: calls.append(viewer.id) or real(
        viewer, **filters))
    signed_in = []

    def names(person) -> list[str]:
        if signed_in:
            auth.logout()
        auth.login(person)
        signed_in.append(person)
        html = client.get("/undergrupper/").get_data(as_text=True)
        return [name for name in ("Innsendt gruppe", "Karis utkast", "Sius gruppe") if name in html]

    assert names(adviser) == names(adviser) == ["Innsendt gruppe", "Karis utkast"] and len(calls) == 1
    assert names(siri) == ["Innsendt gruppe"] and len(calls) == 2
    lena = factories.user("project_member", organisation=orgs["Askøy"], name="Lena Berg")
    db.session.commit()
    assert names(lena) == ["Innsendt gruppe"] and len(calls) == 3  # a user added is a change: read anew
    assert names(siri) == ["Innsendt gruppe"] and len(calls) == 3  # the same copy as Lena's
    assert names(kari) == names(kari) == ["Innsendt gruppe", "Karis utkast"] and len(calls) == 5  # her own draft
    workflow.perform(factories.subgroup(siri, name="Sius gruppe"), "submit", siri)
    db.session.commit()
    assert names(lena) == ["Innsendt gruppe", "Sius gruppe"]


def test_the_member_list_is_read_once_per_content_version_and_with_a_search_each_time(client, auth, orgs, siri,
                                                                                     adviser, monkeypatch):
    kari = factories.user("project_member", organisation=orgs["Lindås"], name="Kari Nordtveit")
    subgroup = _established(kari, siri, adviser, member_ids=[siri.id])
    calls, real = [], subgroups.current_members
    monkeypatch.setattr(subgroups, "current_members", lambda found: calls.append(found.id) or real(found))
    path = f"/undergrupper/{subgroup.id}/medlemmer"
    auth.login(kari)  # the chair
    assert "Siri Lie" in client.get(path).get_data(as_text=True)
    client.get(path)
    assert len(calls) == 1
    auth.logout()
    auth.login(adviser)
    client.get(path)
    assert len(calls) == 1  # the chair's copy
    erik = factories.user(organisation=orgs["Voss"], name="Erik Aase")
    subgroups.add_member(subgroup, erik.id, subgroup.established_on, adviser)
    db.session.commit()
    assert "Erik Aase" in client.get(path).get_data(as_text=True) and len(calls) == 2
    client.get(f"{path}?q=Aase")
    client.get(f"{path}?q=Aase")
    assert len(calls) == 4


def test_the_proposed_people_read_at_once_are_those_people_by_id_finds(orgs, siri):
    kari = factories.user("project_member", organisation=orgs["Lindås"], name="Kari Nordtveit")
    gone = factories.user(organisation=orgs["Voss"], name="Sluttet Person")
    erik = factories.user(organisation=orgs["Askøy"], name="Erik Aase")
    subgroup = factories.subgroup(kari, chair_id=erik.id, member_ids=[siri.id, gone.id])
    gone.active = False
    db.session.commit()
    members = [m.user_id for m in subgroup.members]
    found, member_ids = subgroups.proposed_people(subgroup)
    assert found == subgroups.people_by_id([*members, subgroup.chair_id])
    assert set(found) == {siri.id, erik.id} and sorted(member_ids) == sorted(set(members) & set(found))
    subgroup.members = [m for m in subgroup.members if m.user_id != erik.id]  # a chair who is no member
    db.session.commit()
    found, member_ids = subgroups.proposed_people(subgroup)
    assert set(found) == {siri.id, erik.id} and member_ids == [siri.id]


def test_the_edit_form_reads_its_people_once_per_content_version(client, auth, orgs, siri, monkeypatch):
    kari = factories.user("project_member", organisation=orgs["Lindås"], name="Kari Nordtveit")
    subgroup = factories.subgroup(kari, member_ids=[kari.id, siri.id])
    db.session.commit()
    reads = []
    monkeypatch.setattr(subgroups, "proposed_people", lambda found, read=subgroups.proposed_people:
                        reads.append(1) or read(found))
    auth.login(kari)
    edit = f"/undergrupper/{subgroup.id}/endre"
    client.get(edit)
    page = client.get(edit).get_data(as_text=True)
    assert len(reads) == 1 and "Siri Lie (Voss)" in page and page.count("checked") >= 2
    db.session.get(type(siri), siri.id).name = "Siri Lie Berg"
    db.session.commit()
    assert "Siri Lie Berg (Voss)" in client.get(edit).get_data(as_text=True) and len(reads) == 2
