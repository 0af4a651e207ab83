"""Each person's calendar feed (iCalendar) behind a secret link they can renew or switch off."""
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import access, clock
from app.extensions import db, wiring
from app.models import CalendarToken, MembershipCase, User
from app.services import audit, meetings
from workflows.membership import ACTIVE, INVITED, NOTICE_GIVEN

DOMAIN = "kunnskapskommunen"


@dataclass
class Entry:
    """One date in a feed: a whole day (`day`) or a meeting with start and end."""

    uid: str
    summary: str
    day: date | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    description: str = ""
    location: str = ""
    path: str = ""  # the page in the app it is about


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_token(user: User) -> CalendarToken | None:
    return db.session.scalar(select(CalendarToken).where(
        CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None)))


def create_token(user: User) -> str:
    """A new secret link for `user`; the old one stops working. Only the hash is kept, so show it now."""
    _revoke_all(user)
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarToken(user_id=user.id, token_hash=_hash(token), created_at=clock.now()))
    audit.record(user, "calendar.token_create", "user", user.id)
    return token


def revoke(user: User, actor: User | None = None) -> bool:
    """Switch the user's link off (by the user, unless `actor` says who); False if there was none."""
    if not _revoke_all(user):
        return False
    audit.record(actor or user, "calendar.token_revoke", "user", user.id)
    return True


def _revoke_all(user: User) -> int:
    tokens = db.session.scalars(select(CalendarToken).where(
        CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None))).all()
    for token in tokens:
        token.revoked_at = clock.now()
    return len(tokens)


def user_for_token(token: str) -> User | None:
    """The active person a live link belongs to, or None."""
    found = db.session.scalar(select(CalendarToken).where(
        CalendarToken.token_hash == _hash(token), CalendarToken.revoked_at.is_(None)))
    return found.user if found is not None and found.user.active else None


def case_dates(user: User) -> Iterable[Entry]:
    """The next date of each case `user` may see: reply deadlines, last days after a notice, agreement ends."""
    stmt = select(MembershipCase).where(MembershipCase.state.in_((INVITED, NOTICE_GIVEN, ACTIVE)),
                                        access.visible(user, MembershipCase.organisation_id)) \
        .options(joinedload(MembershipCase.organisation), joinedload(MembershipCase.round)).order_by(MembershipCase.id)
    for case in db.session.scalars(stmt):
        name, path, upcoming = case.organisation.display_name, f"/saker/{case.id}", case.next_date
        if upcoming is None:
            continue
        if case.state == INVITED:
            yield Entry(f"svarfrist-{case.id}", _("Svarfrist: %(name)s (%(round)s)", name=name, round=case.round.title),
                        day=upcoming.day, path=path,
                        description=_("Siste dag for å svare på invitasjonen til Kunnskapskommunen."))
        elif case.state == NOTICE_GIVEN:
            yield Entry(f"oppsigelse-{case.id}-{case.notice_date}", _("Siste dag som medlem: %(name)s", name=name),
                        day=upcoming.day, description=_("Oppsigelsestiden er ute etter denne dagen."), path=path)
        else:
            yield Entry(f"avtaleslutt-{case.id}-{case.end_date}", _("Avtaleperioden slutter: %(name)s", name=name),
                        day=upcoming.day, description=_("Siste dag i avtaleperioden for samarbeidsavtalen."),
                        path=path)


def meeting_dates(user: User) -> Iterable[Entry]:
    """The meetings `user` is invited to (the adviser and admin: all meetings)."""
    for meeting in db.session.scalars(meetings.visible(user)):
        yield Entry(f"mote-{meeting.id}", meeting.title, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                    description=meeting.agenda, location=meeting.place, path=f"/moter/{meeting.id}")


def feed(user: User) -> bytes:
    """The user's dates as an iCalendar file."""
    calendar = Calendar()
    calendar.add("prodid", "-//Bergen kommune//Kunnskapskommunen Helse Omsorg Vest//NO")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Kunnskapskommunen")
    base_url = current_app.config["BASE_URL"].rstrip("/")
    stamp = clock.now()
    for source in wiring().calendar_sources:
        for entry in source(user):
            event = Event()
            event.add("uid", f"{entry.uid}@{DOMAIN}")
            event.add("dtstamp", stamp)
            event.add("summary", entry.summary)
            if entry.day is not None:
                event.add("dtstart", entry.day)
                event.add("dtend", entry.day + timedelta(days=1))
            else:
                event.add("dtstart", entry.starts_at)
                event.add("dtend", entry.ends_at)
            if entry.location:
                event.add("location", entry.location)
            link = base_url + entry.path if entry.path else ""
            if link:
                event.add("url", link)
            description = "\n\n".join(part for part in (entry.description, link) if part)
            if description:
                event.add("description", description)
            calendar.add_component(event)
    return calendar.to_ical()
