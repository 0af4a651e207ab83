"""The municipalities an invitation form chooses from: those chosen, and the first `SHOWN` of those matching the
region and the search, by region, each with why it may not be invited or what it has been invited to before.

There are a thousand of them: only the rows shown are read with their cases and contacts, and each region's list is
written as one piece of HTML (through Jinja, and with a loaded organisation and case per row, the list took most of
a second).
"""
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import NamedTuple

from flask_babel import gettext, lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import case as sql_case, func, select

from app import clock, search
from app.extensions import db
from app.forms import choices, escape_each, names
from app.models import InvitationRound, MembershipCase, Organisation, User
from app.models.organisation import MUNICIPALITY, REGIONS
from app.navigation import row_url
from app.safe_input import MAX_ID
from app.services import cases
from app.views import stored
from workflows import MEMBERSHIP
from workflows.roles import MUNICIPALITY_CONTACT

NO_REGION = _l("Uten region")
SHOWN = 50  # municipalities listed besides those chosen; the search or a region finds the others


class Municipality(NamedTuple):
    """What the picker reads of a municipality."""

    id: int
    name: str
    region: str | None
    active_to: date | None


@dataclass
class Picker:
    """The municipalities to choose from, by region, and what is chosen and shown."""

    groups: list[tuple[str, Markup]]  # region, the <li> of its municipalities ("Valgt" first, for those chosen)
    region: str  # the region shown; "" for all
    chosen: list[Organisation]
    matching: int  # how many municipalities match the region and the search (not counting those chosen)
    shown: int  # how many of them are listed


def _municipalities():
    order = sql_case({region: n for n, region in enumerate(REGIONS)}, value=Organisation.region, else_=len(REGIONS))
    return select(Organisation.id, Organisation.name, Organisation.region, Organisation.active_to).where(
        Organisation.kind == MUNICIPALITY, Organisation.is_host.is_(False)) \
        .order_by(order, func.coalesce(Organisation.region, ""), Organisation.sort_key, Organisation.id)


def load(form, action: str, round_: InvitationRound | None = None) -> Picker:
    """Fill the form's choices and apply the search, the region and the select-all/clear buttons (which all work
    without JavaScript); the organisations not to be invited by the round's deadline are shown with the reason."""
    named = [r for r in stored("picker_regions", "", _regions) if r]
    form.region.choices = choices([("", _l("Alle regioner"))]) + names((r, r) for r in named)
    region = form.region.data if form.region.data in named else ""
    query = form.q.data or ""
    matching = search.where(_municipalities(), query, Organisation)
    if region:
        matching = matching.where(Organisation.region == region)
    day = round_.reply_deadline if round_ else form.reply_deadline.data or clock.today()
    selected = [i for i in form.organisations.data or [] if 0 < i <= MAX_ID]
    if action == "select_all":
        invited = _invited(round_)
        every = [Municipality(*row) for row in db.session.execute(matching)]
        refused, already = cases.refusals(every, day), set(selected)
        selected += [o.id for o in every if o.id not in already and o.id not in invited and o.id not in refused]
    elif action == "clear":
        selected = []
    form.organisations.data = selected
    by_id = {o.id: o for o in db.session.scalars(
        select(Organisation).where(Organisation.id.in_(selected), Organisation.kind == MUNICIPALITY,
                                   Organisation.is_host.is_(False)))} if selected else {}
    chosen = [by_id[i] for i in selected if i in by_id]
    mine = [Municipality(o.id, o.name, o.region, o.active_to) for o in dict.fromkeys(chosen)]

    def listing() -> dict:
        return _listing(matching.where(Organisation.id.not_in(list(by_id))), mine, _invited(round_), day,
                        set(selected))

    # Nothing chosen and no search (every GET): the same list for every adviser, read once per content version
    # and stored (views.stored; CPU time against /_bench/rows ~2.6x -> ~1.5x, 01.12.2026).
    found = listing() if chosen or query else \
        stored("picker_list", f"{round_.id if round_ else ''}:{day.isoformat()}:{region}", listing)
    # Only what is offered validates: those chosen (a municipality the page did not show stays chosen) and those shown.
    form.organisations.choices = [(o.id, o.name) for o in mine] + [tuple(o) for o in found["shown"]]
    return Picker([(name, Markup(html)) for name, html in found["groups"]], region, chosen, found["matching"],
                  len(found["shown"]))


def _regions() -> list[str | None]:
    return sorted(db.session.scalars(select(Organisation.region).distinct().where(
        Organisation.kind == MUNICIPALITY, Organisation.is_host.is_(False))),
        key=lambda r: (REGIONS.index(r) if r in REGIONS else len(REGIONS), r or ""))


def _invited(round_: InvitationRound | None) -> set[int]:
    return set(db.session.scalars(select(MembershipCase.organisation_id)
                                  .where(MembershipCase.round_id == round_.id))) if round_ else set()


def _listing(others, mine: list[Municipality], invited: set[int], day: date, selected: set[int]) -> dict:
    """How many of `others` there are, the first `SHOWN` of them, and the <li>s of those chosen and shown by region,
    as plain data."""
    count = db.session.scalar(select(func.count()).select_from(others.order_by(None).subquery()))
    shown = [Municipality(*row) for row in db.session.execute(others.limit(SHOWN))]
    rows = _Rows(mine + shown, invited, cases.refusals(mine + shown, day), selected)
    groups = [(gettext("Valgt"), rows.html(mine))] if mine else []
    groups += [(found or str(NO_REGION), rows.html(list(group)))
               for found, group in groupby(shown, key=lambda o: o.region)]
    return {"matching": count, "shown": [(o.id, o.name) for o in shown],
            "groups": [(name, str(html)) for name, html in groups]}


class _Rows:
    """The list items of municipalities: a checkbox with what it was invited to before, or why it is not offered."""

    def __init__(self, listed: list[Municipality], invited: set[int], refused: dict[int, cases.Refusal],
                 selected: set[int]):
        self.invited, self.refused, self.selected = invited, refused, selected
        ids = [o.id for o in listed]
        # The state and round of each organisation's latest case, shown as "Aktiv (Invitasjon 2024)".
        latest = select(func.max(MembershipCase.id)).where(MembershipCase.organisation_id.in_(ids)) \
            .group_by(MembershipCase.organisation_id)
        self.latest = {organisation_id: (state, title) for organisation_id, state, title in db.session.execute(
            select(MembershipCase.organisation_id, MembershipCase.state, InvitationRound.title)
            .join(MembershipCase.round).where(MembershipCase.id.in_(latest)))}
        # The few different reasons and statuses, translated and escaped once each.
        self.escaped = _escaped([r.reason for r in refused.values()])
        self.statuses: dict[tuple[str, str], str] = {}
        self.with_contact = set(db.session.scalars(select(User.organisation_id).where(
            User.organisation_id.in_(ids), User.active.is_(True), User.role_rows.any(role=MUNICIPALITY_CONTACT))))
        self.case_url = row_url("cases.case_page", "case_id")
        self.words = {key: escape(text) for key, text in (
            ("invited", gettext("allerede invitert i denne runden")), ("case", gettext("saken")),
            ("for", gettext("for")), ("new", gettext("ikke invitert før")),
            ("no_contact", gettext("ingen kontaktperson")))}

    def status(self, state: str, title: str) -> str:
        if (state, title) not in self.statuses:
            self.statuses[state, title] = str(escape(f"{MEMBERSHIP.label(state)} ({title})"))
        return self.statuses[state, title]

    def html(self, municipalities: list) -> Markup:
        names = escape_each([o.name for o in municipalities])
        escaped, words, case_url = self.escaped, self.words, self.case_url
        items = []
        for o, name in zip(municipalities, names):
            if o.id in self.invited:
                items.append(f'<li><span>{name}</span> <span class="muted">– {words["invited"]}</span></li>')
            elif o.id in self.refused:
                refusal = self.refused[o.id]
                link = (f' (<a href="{case_url(refusal.case_id)}">{words["case"]}<span '
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
