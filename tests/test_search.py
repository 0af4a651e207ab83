"""Every list with a search box finds alike: Norwegian letters, upper case, nynorsk and the names since 2020."""
import html
import re
from dataclasses import dataclass
from datetime import date
from typing import Callable

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text

from app import create_app, search
from app.extensions import db
from app.models import Organisation, Subgroup, User
from app.services import organisations, privacy, workflow
from tests import factories, security_world
from tests.conftest import Auth, app_config, csrf_token

# The organisation each query must find, and only that one.
QUERIES = {"øygarden": "Øygarden", "ØYGARDEN": "Øygarden", "Alver kommune": "Lindås", "Voss herad": "Voss",
           "Årdal": "Årdal", "ÅRDAL": "Årdal", "austevoll": "Austevoll"}
# Each place with data in every list: a subgroup named after it and a person working there. Askøy is found by none.
PLACES = {
    "Øygarden": ("Demensomsorg i Øygarden", "Øystein Ænes"),
    "Lindås": ("Legevakt i Alver", "Åse Lid"),
    "Voss": ("Frisklivssentral på Voss", "Vetle Kvåle"),
    "Årdal": ("Rehabilitering i Årdal", "Ørjan Haugen"),
    "Austevoll": ("Kystmedisin Austevoll", "Aase Økland"),
    "Askøy": ("Hverdagsrehabilitering", "Kari Nordtveit"),
}
SUBGROUP_PLACES = {subgroup: place for place, (subgroup, _) in PLACES.items()}


@dataclass
class World:
    ids: dict
    users: dict


@pytest.fixture
def world(app, orgs) -> World:
    """Årdal added to the collaboration, and Alver as Lindås's successor; every place a member with an agreement and
    contributions, a subgroup named after it and a person; an established subgroup for the member search and a draft
    for the proposal form."""
    ardal = factories.municipality("Årdal kommune", "1424", region=None)
    organisations.record_change(ardal, None, date(2020, 1, 1), number="4643")
    factories.succession([orgs["Lindås"]], factories.municipality(
        "Alver kommune", "4631", active_from=date(2020, 1, 1)), date(2020, 1, 1))
    orgs = {o.name: o for o in db.session.scalars(select(Organisation))}
    adviser = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne N. Solbakk")
    admin = factories.user("admin", organisation=orgs["Bergen"], name="Sindre Admin")
    proposer = factories.user("project_member", organisation=orgs["Universitetet i Bergen"], name="Prosjekt Leder")
    seconder = factories.user("project_member", organisation=orgs["NORCE"], name="Prosjekt Støtte")
    drafts = {}
    for place, (subgroup, person) in PLACES.items():
        # A municipality dissolved in the 2020 reform was a member before it.
        factories.member_case(orgs[place], adviser,
                              activated_on=date(2019, 3, 1) if orgs[place].active_to else date(2024, 3, 1))
        factories.user(organisation=orgs[place], name=person, email=f"person.{len(drafts)}@kystnett.no")
        drafts[place] = factories.subgroup(proposer, name=subgroup)
    established = factories.subgroup(proposer, name="Felles opplæring")
    for trigger, actor in (("submit", proposer), ("second", seconder), ("approve", adviser),
                           ("establish", adviser)):
        workflow.perform(established, trigger, actor)
    db.session.commit()
    return World(ids={"established": established.id, "draft": drafts["Askøy"].id},
                 users={"adviser": adviser, "admin": admin, "project_member": proposer})


NAME = r'(?:<span translate="no">)?([^<]+?)(?:</span>)?'  # a name, marked translate="no" where it is shown


def _cells(pattern: str) -> Callable[[str], list[str]]:
    return lambda page: [html.unescape(m) for m in re.findall(pattern.replace("([^<]+)", NAME), page)]


def _person_org(label: str) -> str:
    """ "Åse Lid (Lindås)" → "Lindås"."""
    return re.fullmatch(r".+ \((.*)\)", label).group(1)


@dataclass
class SearchList:
    role: str
    path: Callable[[dict], str]
    labels: Callable[[str], list[str]]        # the rows' labels on the page
    organisation: Callable[[str], str]        # the organisation a row is about
    form_field: str = ""                      # the search box is a field of a POSTed form (which redraws)


def _agreement_org(label: str) -> str:
    return label.removesuffix(" kommune")


def _register_org(label: str) -> str:
    """A row of the register; Alver, Lindås's successor, is found by Lindås's names and stands for it."""
    return "Lindås" if label == "Alver kommune" else _agreement_org(label)


# endpoint: how to search it. A new list with a search box fails test_every_list_with_a_search_box_has_a_row.
LISTS = {
    "cockpit.overview": SearchList(
        "adviser", lambda ids: "/oversikt", _cells(r'<td><a href="/saker/\d+">([^<]+)</a>'), str),
    "contributions.contribution_list": SearchList(
        "adviser", lambda ids: "/medlemskap/bidrag", _cells(r'<a href="/medlemskap/bidrag/\d+">([^<]+) \d{4}</a>'),
        str),
    "agreements.agreement_list": SearchList(
        "adviser", lambda ids: "/avtaler/", _cells(r'<a href="/avtaler/\d+">([^<]+)</a>'), _agreement_org),
    "organisations.organisation_list": SearchList(
        "adviser", lambda ids: "/organisasjoner/", _cells(r'<td><a href="/organisasjoner/\d+">([^<]+)</a></td>'),
        _register_org),
    "admin.user_list": SearchList(
        "admin", lambda ids: "/admin/brukere", lambda page: [
            html.unescape(f"{name} ({organisation})") for name, organisation in re.findall(
                rf'<td><a href="/admin/brukere/\d+">{NAME}</a></td>\s*<td>[^<]+</td>\s*<td[^>]*>([^<]*)</td>', page)],
        _person_org),
    "subgroups.subgroup_list": SearchList(
        "adviser", lambda ids: "/undergrupper/", _cells(r'<td><a href="/undergrupper/\d+">([^<]+)</a></td>'),
        lambda name: SUBGROUP_PLACES.get(name, name)),
    "subgroups.members": SearchList(
        "adviser", lambda ids: f"/undergrupper/{ids['established']}/medlemmer",
        lambda page: _cells(r'<option[^>]*value="\d+"[^>]*>([^<]+)</option>')(
            re.search(r'<select id="user_id".*?</select>', page, re.S).group(0)), _person_org),
    "subgroups.new": SearchList(
        "project_member", lambda ids: "/undergrupper/ny", _cells(r'<label for="member_ids-\d+"[^>]*>([^<]+)</label>'),
        _person_org, form_field="member_query"),
    "subgroups.edit": SearchList(
        "project_member", lambda ids: f"/undergrupper/{ids['draft']}/endre",
        _cells(r'<label for="member_ids-\d+"[^>]*>([^<]+)</label>'), _person_org, form_field="member_query"),
    "invitations.round_new": SearchList(
        "adviser", lambda ids: "/invitasjoner/ny", _cells(r'<li>(?:<input [^>]*> <label [^>]*>|<span>)([^<]+)<'),
        lambda label: _register_org(f"{label} kommune"), form_field="q"),
    "organisations.merger": SearchList(
        "adviser", lambda ids: "/organisasjoner/sammenslaing", _cells(r'<label for="predecessor_ids-\d+"[^>]*>([^<]+)<'),
        lambda label: _register_org(label.removesuffix(" herad")), form_field="q"),
}
PEOPLE_LISTS = ("admin.user_list", "subgroups.members", "subgroups.new", "subgroups.edit")
# Search boxes that do not look for a name.
NOT_NAME_SEARCHES = {"admin.audit_log": "events about an organisation or a person: tests/test_audit_log.py",
                     "invitations.invite_more": "the picker of invitations.round_new",
                     "meetings.meeting_new": "people by name: tests/test_meetings.py",
                     "meetings.meeting_edit": "people by name: tests/test_meetings.py"}


def _found(client, searched: SearchList, world: World, query: str) -> list[str]:
    """The labels of the rows the list shows for `query`."""
    path = searched.path(world.ids)
    if searched.form_field:
        response = client.post(path, data={searched.form_field: query, "search": "Søk",
                                           "csrf_token": csrf_token(client, path)})
    else:
        response = client.get(path, query_string={"q": query})
    assert response.status_code == 200, (path, query)
    return searched.labels(response.get_data(as_text=True))


def _signed_in(client, orgs, world: World, role: str):
    Auth(client, orgs).login(world.users[role])
    return client


@pytest.mark.parametrize("endpoint", LISTS)
def test_every_list_finds_places_by_any_spelling(client, orgs, world, endpoint):
    searched = LISTS[endpoint]
    _signed_in(client, orgs, world, searched.role)
    found = {query: {searched.organisation(label) for label in _found(client, searched, world, query)}
             for query in QUERIES}
    assert found == {query: {place} for query, place in QUERIES.items()}


@pytest.mark.parametrize("endpoint", PEOPLE_LISTS)
def test_people_lists_find_names_and_addresses_folded(client, orgs, world, endpoint):
    searched = LISTS[endpoint]
    _signed_in(client, orgs, world, searched.role)
    orjan = db.session.scalar(select(User).where(User.name == "Ørjan Haugen"))
    orjan.email = "orjan.h@helse-fonna.no"
    db.session.commit()
    queries = ("ørjan haugen", "ORJAN HAUGEN", "Ørjan", "ORJAN.H@HELSE-FONNA", "haugen")
    found = {query: [label for label in _found(client, searched, world, query) if "Haugen" in label]
             for query in queries}
    assert found == {query: ["Ørjan Haugen (Årdal)"] for query in queries}


def test_the_keys_follow_names_and_forget_an_anonymised_person(app, orgs, world):
    subgroup = db.session.scalar(select(Subgroup).where(Subgroup.name == "Legevakt i Alver"))
    subgroup.name = "Legevakt i Nordhordland"
    person = db.session.scalar(select(User).where(User.name == "Åse Lid"))
    privacy.anonymise(person, world.users["admin"])
    db.session.commit()
    assert subgroup.search_key.startswith("legevakt nordhordland|")
    assert person.search_key == f"anonymisert bruker {person.id}|anonymisert {person.id} invalid"
    assert db.session.scalars(search.where(select(User.id), "åse lid", User)).all() == []


def test_every_list_with_a_search_box_has_a_row(app, orgs):
    """Open every page as every role in a world with one of everything; each search box found must be in LISTS
    (or say why it searches no names), and every row of LISTS must still have its search box."""
    world = security_world.build(app, orgs)
    users = world.users
    established = factories.subgroup(users["project_member"], name="Etablert")
    seconder = factories.user("project_member", organisation=orgs["NORCE"])
    for trigger, actor in (("submit", users["project_member"]), ("second", seconder), ("approve", users["adviser"]),
                           ("establish", users["adviser"])):
        workflow.perform(established, trigger, actor)
    db.session.commit()
    ids = {**world.ids, "trigger": "submit"}
    by_endpoint = {"subgroups.members": {"subgroup_id": established.id}}
    with_box = set()
    for role, user in users.items():
        client = app.test_client()
        Auth(client, orgs).login(user)
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            values = {name: ids.get(name, 1) for name in rule.arguments}
            values.update(by_endpoint.get(rule.endpoint, {}))
            response = client.get(rule.build(values, append_unknown=False)[1])
            if response.status_code == 200 and response.mimetype == "text/html" and _has_search_box(
                    response.get_data(as_text=True)):
                with_box.add(rule.endpoint)
    assert with_box - NOT_NAME_SEARCHES.keys() == set(LISTS)


def _has_search_box(page: str) -> bool:
    return any('type="search"' in tag or 'name="q"' in tag for tag in re.findall(r"<input\b[^>]*>", page))


def test_search_keys_revision_fills_the_keys_of_existing_people_and_subgroups(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(revision="0009_case_lookup")
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO user (id, email, name, active, created_at) VALUES "
                "(1, 'ase.aerheim@voss.herad.no', 'Åse Ærheim', 1, '2026-01-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO subgroup (name, mandate, proposer_id, chair_id, state, state_since, version, created_at) "
                "VALUES ('Legevakt i Øygarden', 'Felles legevakt.', 1, 1, 'draft', '2026-01-01 00:00:00', 1, "
                "'2026-01-01 00:00:00')"))
        upgrade(revision="0010_search_keys")
        with engine.connect() as connection:
            keys = [connection.scalar(text(f"SELECT search_key FROM {table}")) for table in ('"user"', "subgroup")]
        engine.dispose()
        db.engine.dispose()
    assert keys == ["ase aerheim|ase aerheim voss no", "legevakt oygarden|felles legevakt"]
