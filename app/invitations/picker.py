"""The municipalities an invitation form chooses from: every municipality by region, each with why it may not be
invited or what it has been invited to before.

There are a thousand of them, so each region's list is written as one piece of HTML from rows read in a few queries
(through Jinja, and with a loaded organisation and case per row, the list took most of a second).
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from flask import url_for
from flask_babel import gettext, lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.forms import choices, escape_each, names
from app.models import InvitationRound, MembershipCase, Organisation, User
from app.models.organisation import MUNICIPALITY, REGIONS
from app.services import cases
from workflows import MEMBERSHIP
from workflows.roles import MUNICIPALITY_CONTACT

NO_REGION = _l("Uten region")


class Municipality(NamedTuple):
    """What the picker reads of a municipality."""

    id: int
    name: str
    region: str | None
    active_to: date | None


@dataclass
class Picker:
    """The municipalities to choose from, by region, and what is chosen and shown."""

    groups: list[tuple[str, Markup]]  # region, the <li> of its municipalities
    region: str  # the region shown; "" for all
    chosen: list[Organisation]


def load(form, action: str, round_: InvitationRound | None = None) -> Picker:
    """Fill the form's choices and apply the select-all/clear buttons (which also work without JavaScript); the
    organisations not to be invited by the round's deadline are shown with the reason."""
    order = {region: n for n, region in enumerate(REGIONS)}
    municipalities = sorted(
        (Municipality(*row) for row in db.session.execute(
            select(Organisation.id, Organisation.name, Organisation.region, Organisation.active_to)
            .where(Organisation.kind == MUNICIPALITY, Organisation.is_host.is_(False)))),
        key=lambda o: (order.get(o.region, len(order)), o.region or "", o.name))
    by_region = defaultdict(list)
    for o in municipalities:
        by_region[o.region or str(NO_REGION)].append(o)
    regions = list(by_region)
    form.organisations.choices = [(o.id, o.name) for o in municipalities]  # pairs: made options only to validate
    form.region.choices = choices([("", gettext("Alle regioner"))]) + names((r, r) for r in regions)
    region = form.region.data if form.region.data in regions else ""
    invited = set(db.session.scalars(select(MembershipCase.organisation_id)
                                     .where(MembershipCase.round_id == round_.id))) if round_ else set()
    day = round_.reply_deadline if round_ else form.reply_deadline.data or clock.today()
    refused = cases.refusals(municipalities, day, every=True)
    selected = list(form.organisations.data or [])
    if action == "select_all":
        shown, already = (by_region[region] if region else municipalities), set(selected)
        selected += [o.id for o in shown if o.id not in already and o.id not in invited and o.id not in refused]
    elif action == "clear":
        selected = []
    form.organisations.data = selected
    offered = {o.id for o in municipalities}
    chosen = [i for i in selected if i in offered]
    by_id = {o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(chosen)))} \
        if chosen else {}
    rows = _Rows(invited, refused, set(selected))
    return Picker([(r, rows.html(group)) for r, group in by_region.items()], region, [by_id[i] for i in chosen])


class _Rows:
    """The list items of municipalities: a checkbox with what it was invited to before, or why it is not offered."""

    def __init__(self, invited: set[int], refused: dict[int, cases.Refusal], selected: set[int]):
        self.invited, self.refused, self.selected = invited, refused, selected
        # The state and round of each organisation's latest case, shown as "Aktiv (Invitasjon 2024)".
        latest = select(func.max(MembershipCase.id)).group_by(MembershipCase.organisation_id)
        self.latest = {organisation_id: (state, title) for organisation_id, state, title in db.session.execute(
            select(MembershipCase.organisation_id, MembershipCase.state, InvitationRound.title)
            .join(MembershipCase.round).where(MembershipCase.id.in_(latest)))}
        # The few different reasons and statuses, escaped once each.
        self.escaped = _escaped([r.reason for r in refused.values()])
        self.with_contact = set(db.session.scalars(select(User.organisation_id).where(
            User.active.is_(True), User.role_rows.any(role=MUNICIPALITY_CONTACT))))
        marker = 918273645  # a case id no page has; url_for once, not for each of hundreds of rows
        self.case_url = url_for("cases.case_page", case_id=marker).split(str(marker))
        self.words = {key: escape(text) for key, text in (
            ("invited", gettext("allerede invitert i denne runden")), ("case", gettext("saken")),
            ("for", gettext("for")), ("new", gettext("ikke invitert før")),
            ("no_contact", gettext("ingen kontaktperson")))}

    def status(self, state: str, title: str) -> str:
        text = f"{MEMBERSHIP.label(state)} ({title})"
        if text not in self.escaped:
            self.escaped[text] = str(escape(text))
        return self.escaped[text]

    def html(self, municipalities: list) -> Markup:
        names = escape_each([o.name for o in municipalities])
        escaped, words, (url_before, url_after) = self.escaped, self.words, self.case_url
        items = []
        for o, name in zip(municipalities, names):
            if o.id in self.invited:
                items.append(f'<li><span>{name}</span> <span class="muted">– {words["invited"]}</span></li>')
            elif o.id in self.refused:
                refusal = self.refused[o.id]
                link = (f' (<a href="{url_before}{refusal.case_id}{url_after}">{words["case"]}<span '
                        f'class="visually-hidden"> {words["for"]} {name}</span></a>)') if refusal.case_id else ""
                items.append(f'<li><span>{name}</span> <span class="muted">– {escaped[refusal.reason]}{link}</span>'
                             f"</li>")
            else:
                latest = self.latest.get(o.id)
                status = self.status(*latest) if latest else words["new"]
                if o.id not in self.with_contact:
                    status = f"{status} · {words['no_contact']}"
                checked = " checked" if o.id in self.selected else ""
                items.append(f'<li><input type="checkbox" name="organisations" value="{o.id}" id="org-{o.id}"'
                             f'{checked} aria-describedby="org-{o.id}-about"> <label for="org-{o.id}">{name}</label> '
                             f'<span class="muted" id="org-{o.id}-about">{status}</span></li>')
        return Markup("".join(items))


def _escaped(texts: list[str]) -> dict[str, str]:
    distinct = list(dict.fromkeys(texts))
    return dict(zip(distinct, escape_each(distinct)))
