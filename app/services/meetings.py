"""The meetings of every body (§7–8): invitations, minutes and attendance; the agenda is in meeting_items, the
minutes' approval in minutes."""
import secrets
from datetime import date, datetime

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from app import access, clock, letters, search
from app.extensions import db
from app.models import (AdministrativeContact, AuditEvent, Meeting, MeetingInvitee, MeetingItem, Organisation,
                        Representative, User)
from app.models.meeting import (ATTENDANCE_LABELS, CLARIFICATION, COORDINATION, KIND_LABELS, PROJECT_MEETING,
                                STEERING_MEETING)
from app.models.representative import PROJECT_GROUP, STEERING_GROUP
from workflows.roles import MUNICIPALITY_CONTACT, PROJECT_MEMBER, STEERING_MEMBER
from app.services import ServiceError, audit, files, mail, representatives, uploads

# Who is invited is listed by name; their roles are never read, and loading them for hundreds of people takes a
# query per 500.
WITHOUT_ROLES = lazyload(User.role_rows)
# A group's meeting invites the group: its seat in the representatives' table and the role of its members.
GROUP_MEETINGS = {STEERING_MEETING: (STEERING_GROUP, STEERING_MEMBER), PROJECT_MEETING: (PROJECT_GROUP, PROJECT_MEMBER)}
WITH_INVITEES = selectinload(Meeting.invitees).joinedload(MeetingInvitee.user).lazyload(User.role_rows)
# The meeting alone: the form reads who is invited with invitees_by_name(), not hundreds of invitees.
WITHOUT_INVITEES = lazyload(Meeting.invitees)
# Who default_invitees() are, as the form offers to invite them all at once; a clarification meeting has none.
GROUP_LABELS = {STEERING_MEETING: _l("Hele styringsgruppen"), PROJECT_MEETING: _l("Hele prosjektgruppen"),
                COORDINATION: _l("Alle kommunenes kontaktpersoner og administrative kontakter")}


def default_invitees(kind: str) -> list[User]:
    """Who is invited unless the adviser picks others.

    The steering group's or the project group's meeting: the group's members (by role), and the group's
    representatives in office today who have a user: the municipalities' and the parties' (in the steering group
    the parties' position holders). The coordination meeting: the municipalities' contact persons, and their
    administrative contacts (§10) who have a user with the same e-mail address. A clarification meeting (§8) is
    called as needed, between whom the matter concerns: nobody is chosen beforehand.
    """
    return list(db.session.scalars(select(User).where(User.active, _invited_by_default(kind)).options(WITHOUT_ROLES)
                                   .order_by(User.name)))


def default_invitee_ids(kind: str) -> list[int]:
    """The ids of default_invitees(kind), without loading the people."""
    return list(db.session.scalars(select(User.id).where(User.active, _invited_by_default(kind))))


def _invited_by_default(kind: str):
    if kind in GROUP_MEETINGS:
        group, role = GROUP_MEETINGS[kind]
        today = clock.today()
        representative = select(Representative.user_id).where(Representative.group == group,
                                                              representatives.in_office(today))
        return or_(User.role_rows.any(role=role), User.id.in_(representative))
    if kind == CLARIFICATION:
        return false()
    return or_(User.role_rows.any(role=MUNICIPALITY_CONTACT), User.email.in_(select(AdministrativeContact.email)))


CANDIDATES_SHOWN = 50  # people offered besides those listed; the search finds the others


def candidates(listed: set[int], query: str = "") -> list[tuple[int, str]]:
    """Who the form offers to invite, as (id, "name, organisation"): the active users among those `listed` by
    name, then the first CANDIDATES_SHOWN others matching `query`."""
    wanted = search.fold(query)
    people = select(User.id, User.name, Organisation.name).outerjoin(User.organisation).where(User.active)
    others = people.where(User.id.not_in(listed)).order_by(User.name, User.id).limit(CANDIDATES_SHOWN)
    rows = [*db.session.execute(people.where(User.id.in_(listed)).order_by(User.name, User.id)),
            *db.session.execute(others.where(search.condition(wanted, User)) if wanted else others)]
    return [(user_id, f"{name}, {organisation}" if organisation else name) for user_id, name, organisation in rows]


def invitees_by_name(meeting: Meeting) -> list[int]:
    """The user ids of the meeting's invitees by name (as the page lists them), without loading the invitees."""
    found = db.session.execute(select(MeetingInvitee.user_id, User.name).join(MeetingInvitee.user).where(
        MeetingInvitee.meeting_id == meeting.id).order_by(MeetingInvitee.user_id))
    return [user_id for user_id, _ in sorted(found, key=lambda row: row.name.lower())]


def invitees_of(meeting: Meeting, user_ids: list[int]) -> list[MeetingInvitee]:
    """These invitees of the meeting (with their users and organisations), in the order of the ids."""
    found = {invitee.user_id: invitee for invitee in db.session.scalars(select(MeetingInvitee).where(
        MeetingInvitee.meeting_id == meeting.id, MeetingInvitee.user_id.in_(user_ids))
        .options(joinedload(MeetingInvitee.user).lazyload(User.role_rows)))}
    return [found[user_id] for user_id in user_ids]


def visible(user: User):
    """The meetings `user` may see (access.visible_meeting), newest first; their invitees are not loaded (hundreds
    per meeting, and the lists and the calendar do not show them)."""
    return select(Meeting).where(access.visible_meeting(user, Meeting.invitees)) \
        .options(lazyload(Meeting.invitees)).order_by(Meeting.starts_at.desc())


def _check(starts_at: datetime, ends_at: datetime, invitees: list[User]) -> None:
    if ends_at <= starts_at:
        raise ServiceError(_("Møtet må slutte etter at det begynner."), field="end_time")
    if not invitees:
        raise ServiceError(_("Velg minst én som skal inviteres."), field="invitees")


def create(kind: str, *, starts_at: datetime, ends_at: datetime, place: str, invitees: list[User],
           actor: User, notify: bool = True) -> Meeting:
    """Plan a meeting and send each invitee a meeting invitation. The caller commits."""
    if kind not in KIND_LABELS:
        raise ServiceError(_("Ukjent møtetype."))
    _check(starts_at, ends_at, invitees)
    meeting = Meeting(kind=kind, starts_at=starts_at, ends_at=ends_at, place=place.strip(), agenda="",
                      minutes="", created_at=clock.now(), created_by_id=actor.id, state_since=clock.now(),
                      invitees=[MeetingInvitee(user=u) for u in invitees])
    db.session.add(meeting)
    db.session.flush()
    audit.record(actor, "meeting.create", "meeting", meeting.id,
                 data={"kind": kind, "starts_at": starts_at.isoformat(), "invitees": [u.id for u in invitees]})
    if notify:
        for user in invitees:
            _invite(meeting, user, changed=False)
    return meeting


def update(meeting: Meeting, *, starts_at: datetime, ends_at: datetime, place: str, invitees: list[User],
           actor: User, notify: bool = True) -> None:
    """Change a meeting; new invitees get an invitation, and everyone hears of a new time or place."""
    _check(starts_at, ends_at, invitees)
    moved = (starts_at, ends_at, place.strip()) != (meeting.starts_at, meeting.ends_at, meeting.place)
    before = {i.user_id for i in meeting.invitees}
    wanted = {u.id for u in invitees}
    meeting.starts_at, meeting.ends_at, meeting.place = starts_at, ends_at, place.strip()
    meeting.invitees = [i for i in meeting.invitees if i.user_id in wanted] + \
        [MeetingInvitee(user=u) for u in invitees if u.id not in before]
    db.session.flush()
    audit.record(actor, "meeting.update", "meeting", meeting.id,
                 data={"starts_at": starts_at.isoformat(), "moved": moved,
                       "added": sorted(wanted - before), "removed": sorted(before - wanted)})
    if notify:
        for user in invitees:
            if user.id not in before or moved:
                _invite(meeting, user, changed=user.id in before)


def _invite(meeting: Meeting, user: User, *, changed: bool) -> None:
    subject = _l("Endret møtetidspunkt eller sted: %(title)s", title=meeting.title) if changed else \
        _l("Møteinnkalling: %(title)s", title=meeting.title)
    mail.queue(user.email, subject, "meeting_invitation", locale=letters.locale_of_person(user), meeting=meeting,
               user=user,
               changed=changed)


def record_minutes(meeting: Meeting, *, text: str, pdf: bytes | None, actor: User) -> None:
    """Save the minutes as text, as an uploaded PDF (replacing an earlier one), or both, while they are a draft;
    the caller commits."""
    if not meeting.minutes_editable:
        raise ServiceError(_("Referatet er lagt fram til godkjenning eller godkjent, og kan ikke endres."),
                           field="minutes")
    if pdf is not None:
        uploads.check_pdf(pdf, field="minutes_file")
        if meeting.minutes_file:
            files.remove(meeting.minutes_file)
        meeting.minutes_file = f"meetings/{meeting.id}-{secrets.token_hex(8)}.pdf"
        files.write(meeting.minutes_file, pdf)
    meeting.minutes = (text or "").strip()
    if not meeting.minutes and not meeting.minutes_file:
        raise ServiceError(_("Skriv referatet eller last opp en PDF."), field="minutes")
    audit.record(actor, "meeting.minutes", "meeting", meeting.id, data={"pdf": pdf is not None})


def minutes_pdf(meeting: Meeting) -> bytes | None:
    return files.read(meeting.minutes_file) if meeting.minutes_file else None


def record_attendance(meeting: Meeting, attendance: dict[int, str | None], actor: User) -> None:
    """Register who was present: {user id: "present" | "absent" | None}; invitees not named keep theirs."""
    for invitee in meeting.invitees:
        if invitee.user_id in attendance:
            value = attendance[invitee.user_id]
            invitee.attendance = value if value in ATTENDANCE_LABELS else None
    audit.record(actor, "meeting.attendance", "meeting", meeting.id,
                 data={str(i.user_id): i.attendance for i in meeting.invitees})


EXPECTED_PROJECT_MEETINGS = 4  # a year (the 2016 invitation)


def project_meetings(year: int) -> tuple[int, int]:
    """The project group's meetings in `year`: (held, planned), against EXPECTED_PROJECT_MEETINGS."""
    now = clock.now()
    start, end = clock.start_of(date(year, 1, 1)), clock.start_of(date(year + 1, 1, 1))
    held, planned = db.session.execute(select(
        func.count().filter(Meeting.starts_at < now), func.count().filter(Meeting.starts_at >= now))
        .where(Meeting.kind == PROJECT_MEETING, Meeting.starts_at >= start, Meeting.starts_at < end)).one()
    return held, planned


def page_history(meeting: Meeting) -> list[AuditEvent]:
    """The meeting's events and its items', oldest first."""
    return list(db.session.scalars(select(AuditEvent).where(or_(
        (AuditEvent.object_type == Meeting.audit_type) & (AuditEvent.object_id == meeting.id),
        (AuditEvent.object_type == MeetingItem.audit_type) & AuditEvent.object_id.in_(
            select(MeetingItem.id).where(MeetingItem.meeting_id == meeting.id)))).order_by(AuditEvent.seq)))
