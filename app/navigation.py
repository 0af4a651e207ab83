"""The main menu and the user menu: what each role sees, in one table.

The menu has one entry per thing people do (at most seven); a section's entry opens its first page the person may
open, and on the pages of a section the menu lists the section's pages. An entry is shown to the people its view
admits (`security.may_open`, the rule the route itself checks), so the menu never links to a page that refuses.
"""
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from flask import request, url_for
from flask_login import current_user

from app import access
from app.extensions import wiring
from app.security import may_open
from workflows.i18n import N_


@dataclass(frozen=True)
class Entry:
    endpoint: str
    label: str
    count: str | None = None  # name of a badge counter in app/wiring.py


@dataclass(frozen=True)
class Section:
    label: str
    entries: tuple[Entry, ...]
    own_label: str = ""  # the label for someone who sees their own organisation only
    user_menu: bool = False  # in the menu under the person's name, not in the main menu


NAV = (
    Section(N_("Forside"), (Entry("main.home", N_("Forside")),)),
    Section(N_("Kommuner"), (
        Entry("cockpit.overview", N_("Oversikt")),
        Entry("municipality.home", N_("Min kommune")),
        Entry("members.index", N_("Medlemskap")),
        Entry("cases.case_list", N_("Saker")),
        Entry("invitations.round_list", N_("Invitasjoner")),
        Entry("evaluations.evaluation_list", N_("Årlig vurdering")),
        Entry("cockpit.timeline", N_("Tidslinje")),
        Entry("organisations.organisation_list", N_("Organisasjoner")),
    ), own_label=N_("Kommunen")),
    Section(N_("Avtaler og økonomi"), (
        Entry("agreements.agreement_list", N_("Avtaler"), count="agreements_to_sign"),
        Entry("contributions.contribution_list", N_("Bidrag")),
        Entry("cost_keys.key_list", N_("Fordelingsnøkkel")),
    )),
    Section(N_("Undergrupper"), (
        Entry("subgroups.subgroup_list", N_("Undergrupper")),
    )),
    Section(N_("Møter"), (
        Entry("meetings.meeting_list", N_("Møter")),
        Entry("conference.conference_list", N_("Fagkonferansen")),
    )),
    Section(N_("Godkjenninger"), (
        Entry("approvals.inbox", N_("Godkjenninger"), count="pending_requests"),
    )),
    Section(N_("Administrasjon"), (
        Entry("admin.user_list", N_("Brukere")),
        Entry("identity.requests", N_("Tilgang"), count="identity_requests"),
        Entry("admin.outbox", N_("E-post")),
        Entry("news.news_list", N_("Nyheter på nettsiden")),
        Entry("admin.audit_log", N_("Logg")),
    )),
    Section(N_("Konto"), (
        Entry("auth.change_password", N_("Bytt passord")),
        Entry("calendar.settings", N_("Kalender")),
    ), user_menu=True),
)


def menu() -> dict:
    """The menus for the signed-in user. `main`: the sections they have pages in, each with its `label`, `url`
    (its first page), `count` (the sum of its pages' badges), `current` ("page" when it is the page shown, "true"
    when that page is in the section) and `entries` (its pages; its only page gives the section its label).
    `pages`: the section shown, when it has more than one page. `user`: the pages in the menu under the person's
    name. Each page has `url`, `label`, `count` and `current`."""
    person = current_user._get_current_object()  # read once: each use of the proxy looks the user up again
    sections = [(section, _entries(section, person)) for section in NAV]
    here = _current([entry["url"] for _, shown in sections for entry in shown])
    path = request.script_root + request.path
    main, user, pages = [], [], None
    for section, shown in sections:
        for entry in shown:
            entry["current"] = ("page" if entry["url"] == path else "true") if entry["url"] == here else None
        if section.user_menu:
            user.extend(shown)
        elif shown:
            label = shown[0]["label"] if len(shown) == 1 else (
                section.own_label if section.own_label and not access.sees_all(person) else section.label)
            current = next((entry["current"] for entry in shown if entry["current"]), None)
            item = {"label": label, "url": shown[0]["url"], "entries": shown,
                    "count": sum(entry["count"] for entry in shown),
                    "current": current if len(shown) == 1 else current and "true"}
            main.append(item)
            if current and len(shown) > 1:
                pages = item
    return {"main": main, "pages": pages, "user": user}


def _entries(section: Section, user) -> list[dict]:
    counters, root = wiring().menu_counters, request.script_root
    return [{
        "url": _url(entry.endpoint, root),
        "label": entry.label,
        "count": counters[entry.count](user) if entry.count else 0,
    } for entry in section.entries if may_open(entry.endpoint, user)]


def _current(urls: list[str]) -> str | None:
    """The menu page the page shown belongs to: the one whose address starts the longest part of its address
    (a case, /saker/12, belongs to Saker, /saker/)."""
    path, root = request.script_root + request.path, request.script_root + "/"
    found = [url for url in urls if path == url or url != root and path.startswith(url.rstrip("/") + "/")]
    return max(found, key=len, default=None)


@lru_cache(maxsize=128)
def _url(endpoint: str, script_root: str) -> str:
    """A menu link: the same on every page, so built once for each place the app is mounted. A/B at 500
    municipalities (in-process probe, 30.11.2026), url_for on each page instead: an empty page in the layout +6 %,
    the calendar settings page +5 %."""
    return url_for(endpoint)


# Stands for the id while a list's URL is built once; no id comes near it.
_ANY_ID = 987654321987


def row_url(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """`url_for` once for a list: the URL of `endpoint` with each row's id under `key` (and the same `values` for
    every row), made by putting the id into the URL built once. url_for costs 6–12 µs, and a list calls it several
    times a row (01.12.2026)."""
    before, after = url_for(endpoint, **{key: _ANY_ID}, **values).split(str(_ANY_ID), 1)
    return lambda row_id: f"{before}{int(row_id)}{after}"


def register(app) -> None:
    app.context_processor(lambda: {"menu": menu})
    app.jinja_env.globals.update(row_url=row_url)
