"""Every destructive or final step asks first: its address opens a confirmation page that says what will happen, with
one button (the danger style when it destroys something) and a way back, and only that page posts to it. No page
offers such a step as a one-click button: a form posts to the page it is on, or is one of a few harmless ones."""
import ast
import inspect
import textwrap
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent
from tests import factories, query_world
from tests.conftest import Auth, prepare_schema
from tests.test_query_counts import VISITS, Visit

UNITS = 4  # one of each kind of invitation answer (see query_world)
# POSTs a page may send elsewhere in one click: none of them destroys or settles anything.
ONE_CLICK = {
    "auth.logout": "signing out",
    "main.set_language": "the language of the pages",
    "auth.open_password_link": "the mailed link's page posts its token on, out of the address bar",
    "admin.person_export": "a download of what is stored about a person (audited, changes nothing)",
    "meetings.attendance": "who attended, saved and corrected at will",
    "meetings.minutes": "the minutes, saved and corrected at will (while a draft)",
    "meeting_items.item_move": "the order of the agenda, moved back at will",
    "meeting_items.item_attach": "a document on an item, removed again on a confirmation page",
    "meeting_items.item_decision": "the vedtak: changing a recorded one needs a reason and stays in the history",
    "identity.start": "going on to the identity provider's sign-in",
    "identity.send_code": "mailing a one-time code to tie a first sign-in to an account (changes no account)",
    "identity.request_access": "asking the admin for access (the admin decides on a confirmation page)",
}


@dataclass(frozen=True)
class Step:
    """A destructive or final step: who opens its confirmation page in the query world, and whether its button is
    the danger kind (it ends, refuses or removes something)."""

    endpoint: str
    visit: Visit
    danger: bool


STEPS = {
    "approve a request": Step("approvals.approve", Visit("adviser", {"request_id": "request_id"}), False),
    "reject a request": Step("approvals.reject", Visit("adviser", {"request_id": "request_id"}), True),
    "withdraw one's request": Step("approvals.cancel", Visit("requester", {"request_id": "request_id"}), True),
    "make contact person": Step("approvals.mailbox_contact",
                                Visit("adviser", {"link_id": "answered_link_id"}), False),
    "not make contact person": Step("approvals.mailbox_decline",
                                    Visit("adviser", {"link_id": "answered_link_id"}), True),
    "decide a request to join": Step("approvals.join_request",
                                     Visit("adviser", {"request_id": "join_request_id"}), False),
    "send a new password link": Step("admin.user_invite", Visit("admin", {"user_id": "user_id"}), False),
    "anonymise a person": Step("admin.anonymise", Visit("admin", {"user_id": "user_id"}), True),
    "approve a request for access": Step("identity.decide", Visit("admin", {"pending_id": "identity_request_id"},
                                                                  {"decision": "godkjenn"}), False),
    "reject a request for access": Step("identity.decide", Visit("admin", {"pending_id": "identity_request_id"},
                                                                 {"decision": "avvis"}), True),
    "replace the calendar link": Step("calendar.create", Visit("adviser"), True),
    "switch the calendar link off": Step("calendar.revoke", Visit("adviser"), True),
    "mark a contribution paid": Step("contributions.payment",
                                     Visit("adviser", {"line_id": "unpaid_line_id"}), False),
    "cancel a contribution": Step("contributions.cancel", Visit("adviser", {"line_id": "unpaid_line_id"}), True),
    "close the evaluation": Step("evaluations.evaluation_close", Visit("adviser", {"year": "year"}), True),
    "approve a representative": Step("members.action",
                                     Visit("adviser", {"rep_id": "rep_id"}, {"trigger": "approve"}), False),
    "reject a representative": Step("members.action",
                                    Visit("adviser", {"rep_id": "rep_id"}, {"trigger": "reject"}), True),
    "withdraw a proposed representative": Step(
        "members.action", Visit("member_contact", {"rep_id": "rep_id"}, {"trigger": "withdraw"}), True),
    "end a membership by merger": Step(
        "cases.action", Visit("adviser", {"case_id": "member_case_id"}, {"trigger": "end_by_merger"}), True),
    "withdraw an invitation": Step(
        "cases.action", Visit("adviser", {"case_id": "prospect_0"}, {"trigger": "withdraw"}), True),
    "register a late no": Step(
        "cases.action", Visit("adviser", {"case_id": "prospect_1"}, {"trigger": "decline_late"}), True),
    "close a subgroup": Step("subgroups.action",
                             Visit("adviser", {"subgroup_id": "subgroup_id"}, {"trigger": "close"}), True),
    "remove a subgroup member": Step("subgroups.remove_member",
                                     Visit("adviser", {"subgroup_id": "subgroup_id", "member_id": "member_id"}), True),
    "send reminders": Step("invitations.remind", Visit("adviser", {"round_id": "round_id"}), False),
    "replace the annual report": Step("meetings.annual_report_generate", Visit("adviser", {"year": "year"}), True),
    "send a cost key to the steering group": Step(
        "cost_keys.action", Visit("adviser", {"key_id": "draft_key_id"}, {"trigger": "submit"}), False),
    "take a news item off the website": Step(
        "news.step", Visit("adviser", {"item_id": "news_item_id"}, {"trigger": "unpublish"}), True),
    "remove a programme item": Step("conference.session_remove", Visit(
        "adviser", {"conference_id": "conference_id", "session_id": "conference_session_id"}), True),
    "cancel a registration": Step("conference.registration_cancel",
                                  Visit("adviser", {"registration_id": "registration_id"}), True),
    "put minutes forward for approval": Step(
        "meetings.minutes_step", Visit("adviser", {"meeting_id": "meeting_id"}, {"trigger": "submit"}), False),
    "remove an agenda item": Step("meeting_items.item_remove",
                                  Visit("adviser", {"agenda_item_id": "coming_item_id"}), True),
    "remove an item's document": Step("meeting_items.document_remove",
                                      Visit("adviser", {"item_document_id": "item_document_id"}), True),
}
# The pages that used to take these steps in one click, and the confirmation pages they now link to.
LINKS = [
    (Visit("adviser"), "approvals.inbox", {"approvals.approve", "approvals.reject", "approvals.mailbox_contact",
                                          "approvals.mailbox_decline", "members.action"}),
    (Visit("adviser", {"request_id": "request_id"}), "approvals.detail", {"approvals.approve", "approvals.reject"}),
    (Visit("requester", {"request_id": "request_id"}), "approvals.detail", {"approvals.cancel"}),
    (Visit("admin", {"user_id": "user_id"}), "admin.user_edit", {"admin.user_invite"}),
    (Visit("admin", {"user_id": "user_id"}), "admin.person_data", {"admin.anonymise"}),
    (Visit("adviser"), "calendar.settings", {"calendar.create", "calendar.revoke"}),
    (Visit("adviser", {"line_id": "unpaid_line_id"}), "contributions.contribution",
     {"contributions.payment", "contributions.cancel"}),
    (Visit("adviser", {"year": "year"}), "evaluations.evaluation", {"evaluations.evaluation_close"}),
    (Visit("member_contact", {"org_id": "org_id"}), "members.organisation", {"members.action"}),
    (Visit("adviser", {"org_id": "org_id"}), "members.organisation", {"members.action"}),
    (Visit("adviser", {"subgroup_id": "subgroup_id"}), "subgroups.members", {"subgroups.remove_member"}),
    (Visit("adviser", {"case_id": "member_case_id"}), "cases.case_page", {"cases.action"}),
]
# Pages seen as someone other than the visit of test_query_counts: the proposer, the requester, the chair.
MORE_PAGES = [(visit, endpoint) for visit, endpoint, _ in LINKS] + [
    (Visit("project_member", {"subgroup_id": "draft_subgroup_id"}), "subgroups.subgroup_page"),
    (Visit("steering_member", {"key_id": "submitted_key_id"}), "cost_keys.key_page"),
    (Visit("member_signatory", {"case_id": "member_case_id"}), "cases.case_page"),
]


class Page(HTMLParser):
    """The forms of a page (method, action, class, the buttons' classes, the inputs' names) and its links."""

    def __init__(self, html: str):
        super().__init__()
        self.forms, self.links, self._form = [], [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action"),
                          "class": attrs.get("class") or "", "buttons": [], "inputs": set(), "links": []}
            self.forms.append(self._form)
        elif tag == "button" and self._form is not None and attrs.get("type", "submit") == "submit":
            self._form["buttons"].append(attrs.get("class") or "")
        elif tag == "input" and self._form is not None:
            self._form["inputs"].add(attrs.get("name"))
        elif tag == "a" and attrs.get("href"):
            self.links.append((attrs["href"], attrs.get("class") or ""))
            if self._form is not None:
                self._form["links"].append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


@pytest.fixture(scope="module")
def world(_shared_app):
    """The query-count world, small: every kind of thing each page can show, once."""
    app, config = _shared_app
    app.config.clear()
    app.config.update(config)
    with app.app_context():
        prepare_schema(app)
        orgs = factories.organisations()
        built = query_world.build(app, orgs, UNITS)
        yield app, orgs, built
        db.session.remove()


class Browser:
    """One signed-in client per person of the world."""

    def __init__(self, app, orgs, world):
        self.app, self.orgs, self.world, self.clients = app, orgs, world, {}

    def path(self, endpoint: str, visit: Visit) -> str:
        with self.app.test_request_context():
            rule = next(r for r in self.app.url_map.iter_rules() if r.endpoint == endpoint)
            values = {name: self.world.ids[key] for name, key in visit.ids.items()} | visit.values
            return rule.build(values, append_unknown=False)[1]

    def get(self, endpoint: str, visit: Visit):
        if visit.who not in self.clients:
            client = self.clients[visit.who] = self.app.test_client()
            if visit.who is not None:
                Auth(client, self.orgs).login(self.world.users[visit.who])
        path = self.path(endpoint, visit)
        return path, self.clients[visit.who].get(path)


@pytest.fixture(scope="module")
def browser(world):
    return Browser(*world)


def _endpoint(app, path: str, method: str) -> str:
    return app.url_map.bind("kk.test").match(path, method=method)[0]


def _audit_events() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_a_post_only_address_is_a_harmless_one_click(browser):
    post_only = {r.endpoint for r in browser.app.url_map.iter_rules() if "POST" in r.methods and "GET" not in r.methods}
    assert post_only == set(ONE_CLICK), "a destructive or final step needs a confirmation page (GET) of its own"


@pytest.mark.parametrize("name", sorted(STEPS))
def test_the_step_opens_its_confirmation_page(browser, name):
    """The page says what will happen (a heading and text), posts to itself with CSRF, has one button in the
    style the step calls for and a link back; opening it changes nothing."""
    step = STEPS[name]
    before = _audit_events()
    path, response = browser.get(step.endpoint, step.visit)
    assert response.status_code == 200, path
    assert _audit_events() == before, "opening a confirmation page must not take the step"
    page = Page(response.get_data(as_text=True))
    posting = [f for f in page.forms if f["method"] == "post" and "confirm-form" in f["class"]]
    assert len(posting) == 1, f"{path}: no confirmation form (is the step refused here?)"
    form = posting[0]
    assert form["action"] is None and "csrf_token" in form["inputs"]  # posts back to the page it is on
    assert len(form["buttons"]) == 1
    assert ("danger" in form["buttons"][0].split()) == step.danger, form["buttons"][0]
    assert len(form["links"]) == 1 and not form["links"][0].startswith(path), "a way back to where it came from"
    assert "<h1" in response.get_data(as_text=True)


def test_every_confirmation_page_is_listed(browser):
    """A route whose view goes through the shared helper is one of STEPS (so it is checked above)."""
    helpers = {"confirmation", "step_confirmation", "_decision_page"}
    confirming = set()
    for rule in browser.app.url_map.iter_rules():
        source = inspect.getsource(inspect.unwrap(browser.app.view_functions[rule.endpoint]))
        calls = {node.func.id for node in ast.walk(ast.parse(textwrap.dedent(source)))
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
        if calls & helpers:
            confirming.add(rule.endpoint)
    assert confirming == {step.endpoint for step in STEPS.values()}


def _pages(browser):
    """Every GET page of the app as its visit of test_query_counts opens it, and the pages above as others see
    them."""
    for endpoint, visit in sorted(VISITS.items()):
        yield endpoint, visit
    yield from ((endpoint, visit) for visit, endpoint in MORE_PAGES)


def test_no_page_takes_a_step_in_one_click(browser):
    """A form on a page posts to that page (its own form or confirmation), or is one of the harmless one-click
    POSTs; so a destructive or final step is only ever posted from its confirmation page."""
    elsewhere, seen = [], 0
    for endpoint, visit in _pages(browser):
        path, response = browser.get(endpoint, visit)
        response.close()  # a file sent from disk stays open until then
        if response.mimetype != "text/html" or response.status_code != 200:
            continue
        seen += 1
        for form in Page(response.get_data(as_text=True)).forms:
            if form["method"] != "post":
                continue
            target = urlsplit(urljoin(f"http://kk.test{path}", form["action"] or path)).path
            if target != urlsplit(path).path and _endpoint(browser.app, target, "POST") not in ONE_CLICK:
                elsewhere.append(f"{path} posts to {target}")
    assert seen > len(VISITS) / 2
    assert elsewhere == []


@pytest.mark.parametrize("index", range(len(LINKS)))
def test_the_page_links_to_the_confirmation_pages(browser, index):
    visit, endpoint, wanted = LINKS[index]
    path, response = browser.get(endpoint, visit)
    assert response.status_code == 200, path
    linked = {_endpoint(browser.app, urlsplit(href).path, "GET") for href, _ in Page(response.get_data(as_text=True)).links
              if href.startswith("/")}
    assert wanted <= linked, f"{path} lacks links to {wanted - linked}"
