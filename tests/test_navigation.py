"""The menus: at most seven sections grouped by what people do, the menu under the person's name, and an entry or a
link only for the people its route admits (the menu asks the rule the route checks)."""
from datetime import date
from html.parser import HTMLParser

import pytest
from flask import url_for

from app.extensions import db
from app.models.case import MUNICIPALITY_PARTY
from app.navigation import NAV, row_url
from app.services import workflow
from tests import factories, security_world
from tests.conftest import Auth

ROLES = security_world.ROLES[1:]  # everyone signed in


class Menus(HTMLParser):
    """The links of the main menu's sections (`sections`) and of the section shown (`pages`), and the links and
    buttons of the menu under the person's name (`user`), as (label, href or None, aria-current)."""

    def __init__(self, html: str):
        super().__init__()
        self.sections, self.pages, self.user, self.toggles = [], [], [], {}
        self._in, self._item = None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ul" and attrs.get("class") in ("menu-sections", "menu-pages"):
            self._in = self.sections if attrs["class"] == "menu-sections" else self.pages
        elif tag == "div" and attrs.get("id") == "brukermeny":
            self._in = self.user
        elif tag == "button" and "data-toggles" in attrs:
            self.toggles[attrs["data-toggles"]] = attrs
        elif self._in is not None and tag in ("a", "button"):
            self._item = [attrs.get("href"), attrs.get("aria-current"), ""]

    def handle_data(self, data):
        if self._item is not None:
            self._item[2] += data

    def handle_endtag(self, tag):
        if self._item is not None and tag in ("a", "button"):
            href, current, text = self._item
            self._in.append((" ".join(text.split()), href, current))
            self._item = None
        elif tag in ("ul", "div") and self._in is not None and (tag == "ul") == (self._in is not self.user):
            self._in = None


def menus(client, path: str = "/") -> Menus:
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200
    return Menus(response.get_data(as_text=True))


def labels(links) -> list[str]:
    return [label.split(" ")[0] if label[-1].isdigit() else label for label, _, _ in links]


@pytest.fixture
def world(app, orgs):
    return security_world.build(app, orgs)


def _signed_in(app, orgs, user):
    client = app.test_client()
    Auth(client, orgs).login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_at_most_seven_sections_and_only_pages_it_may_open(app, orgs, world, role):
    client = _signed_in(app, orgs, world.users[role])
    home = menus(client)
    assert 1 <= len(home.sections) <= 7
    shown = {href for _, href, _ in home.sections + home.user if href}
    for _, href, _ in home.sections:
        shown |= {page for _, page, _ in menus(client, href).pages}
    for href in shown:
        assert client.get(href).status_code in (200, 302), href  # Medlemskap sends a municipality to its own page
    with app.test_request_context():
        hidden = {url_for(e.endpoint) for section in NAV for e in section.entries} - shown
    for href in hidden:
        assert client.get(href).status_code == 403, f"{href} opens for {role}, but the menu does not show it"


def test_the_municipality_views_are_one_section_whose_pages_the_menu_lists(app, orgs, world):
    client = _signed_in(app, orgs, world.users["adviser"])
    home = menus(client)
    assert labels(home.sections) == ["Forside", "Kommuner", "Avtaler og økonomi", "Undergrupper", "Møter",
                                     "Godkjenninger", "Administrasjon"]
    assert home.pages == []
    cases = menus(client, "/saker/")
    assert ("Kommuner", "/oversikt", "true") in cases.sections
    assert labels(cases.pages) == ["Oversikt", "Medlemskap", "Saker", "Invitasjoner", "Årlig vurdering", "Tidslinje",
                                   "Organisasjoner"]
    assert ("Saker", "/saker/", "page") in cases.pages
    case = menus(client, f"/saker/{world.ids['case_id']}")
    assert ("Saker", "/saker/", "true") in case.pages  # a case is in Saker
    money = menus(client, "/medlemskap/bidrag")
    assert ("Bidrag", "/medlemskap/bidrag", "page") in money.pages  # not in Medlemskap, whose address is shorter
    assert ("Avtaler og økonomi", "/avtaler/", "true") in money.sections


def test_a_section_with_one_page_is_named_after_it_and_someone_elses_organisation_is_theirs(app, orgs, world):
    contact = menus(_signed_in(app, orgs, world.users["municipality_contact"]))
    assert labels(contact.sections) == ["Forside", "Kommunen", "Avtaler", "Undergrupper", "Møter"]
    steering = menus(_signed_in(app, orgs, world.users["steering_member"]))
    assert labels(steering.sections) == ["Forside", "Fordelingsnøkkel", "Undergrupper", "Møter"]


def test_the_menu_under_the_name_holds_password_calendar_language_and_sign_out(app, orgs, world):
    found = menus(_signed_in(app, orgs, world.users["signatory"]))
    assert labels(found.user) == ["Bytt passord", "Kalender", "Nynorsk", "English", "Logg ut"]
    assert not {"Bytt passord", "Kalender"} & set(labels(found.sections))
    for panel, name in (("brukermeny", "Bruker signatory"), ("hovedmeny", "Meny")):
        button = found.toggles[panel]
        # Without JavaScript the buttons stay hidden and both menus are plain links; the script opens and closes them.
        assert button["aria-controls"] == panel and "hidden" in button and button["aria-expanded"] == "true"


def test_the_menus_speak_english_when_asked(app, orgs, world, client):
    Auth(client, orgs).login(world.users["adviser"])
    with client.session_transaction() as session:
        session["lang"] = "en"
    found = menus(client, "/saker/")
    assert labels(found.sections) == ["Home", "Municipalities", "Agreements and money", "Subgroups", "Meetings",
                                      "Approvals", "Administration"]
    assert "Cases" in labels(found.pages)
    assert labels(found.user)[:2] == ["Change password", "Calendar"]


def test_proposing_a_subgroup_is_a_button_on_the_subgroups_page_for_those_who_may(app, orgs, world):
    member = _signed_in(app, orgs, world.users["project_member"])
    assert "Foreslå undergruppe" not in labels(menus(member).sections + menus(member, "/undergrupper/").pages)
    assert 'class="button" href="/undergrupper/ny"' in member.get("/undergrupper/").get_data(as_text=True)
    contact = _signed_in(app, orgs, world.users["municipality_contact"])
    assert "/undergrupper/ny" not in contact.get("/undergrupper/").get_data(as_text=True)


def test_a_request_is_linked_only_for_those_who_may_open_it(app, orgs):
    """The notice Lindås's signatory gave waits for the adviser: the contact person sees that it waits, without a
    link to a request that is not theirs; the signatory and the adviser follow the link."""
    adviser = factories.adviser(orgs["Bergen"])
    signatory = factories.user("signatory", organisation=orgs["Lindås"])
    contact = factories.user("municipality_contact", organisation=orgs["Lindås"])
    case = factories.member_case(orgs["Lindås"], adviser)
    request = workflow.perform(case, "give_notice", signatory, comment="Vedtak i kommunestyret.",
                               data={"notice_date": date(2026, 11, 20).isoformat(), "notice_by": MUNICIPALITY_PARTY})
    db.session.commit()
    link = f'href="/godkjenninger/{request.id}"'
    for user, sees in ((contact, False), (signatory, True), (adviser, True)):
        client = _signed_in(app, orgs, user)
        page = client.get(f"/saker/{case.id}").get_data(as_text=True)
        assert "Venter på godkjenning" in page
        assert (link in page) is sees
        assert client.get(f"/godkjenninger/{request.id}").status_code == (200 if sees else 404)


@pytest.mark.parametrize("endpoint, key, values", [
    ("cases.case_page", "case_id", {}),
    ("cases.action", "case_id", {"trigger": "withdraw"}),
    ("approvals.approve", "request_id", {"page": 2}),
    ("members.action", "rep_id", {"trigger": "approve", "fra": "godkjenninger"}),
])
def test_a_lists_url_built_once_is_url_for_of_each_row(app, endpoint, key, values):
    with app.test_request_context("/"):
        url = row_url(endpoint, key, **values)
        for row_id in (1, 10, 987, 12345678):
            assert url(row_id) == url_for(endpoint, **{key: row_id}, **values)
