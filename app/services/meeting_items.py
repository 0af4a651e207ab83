"""A meeting's agenda: numbered items with their documents, moved and changed before the meeting, and the decision
(vedtak) the adviser records at or after it. Every change is audited on the item (its removal on the meeting)."""
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app import clock
from app.formatting import short_date
from app.extensions import db
from app.models import CostKey, Meeting, MeetingItem, MeetingItemDocument, Merger, Subgroup, User
from app.services import ServiceError, audit, files, uploads

CHOICES_SHOWN = 100  # the newest items a decision form offers


def agenda(meeting: Meeting) -> list[MeetingItem]:
    """The meeting's items in order, with their documents and the meeting whose minutes an item is about."""
    return list(db.session.scalars(select(MeetingItem).where(MeetingItem.meeting_id == meeting.id)
                                   .options(selectinload(MeetingItem.documents),
                                            joinedload(MeetingItem.approves_minutes_of).lazyload(Meeting.invitees))
                                   .order_by(MeetingItem.position)))


def agenda_refusal(meeting: Meeting) -> str | None:
    """Why the meeting's agenda can no longer be changed, or None while it can."""
    return _("Sakslisten kan ikke endres etter at møtet har begynt.") if meeting.has_begun else None


def documents_refusal(item: MeetingItem) -> str | None:
    """Why the item's documents can no longer be changed, or None while they can."""
    return _("Saken er avgjort: dokumentene kan ikke endres.") if item.decision is not None else None


def _before_meeting(meeting: Meeting) -> None:
    if refusal := agenda_refusal(meeting):
        raise ServiceError(refusal)


def _check_text(title: str, description: str) -> tuple[str, str]:
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise ServiceError(_("Skriv hva saken gjelder."), field="title")
    return title, description


def new_item(meeting: Meeting, actor: User | None, *, title: str = "", description: str = "",
             approves_minutes_of: Meeting | None = None) -> MeetingItem:
    """The item last on the meeting's agenda, with the next number of its body's series in the meeting's year."""
    year = meeting.starts_at.astimezone(clock.OSLO).year
    number = db.session.scalar(select(func.coalesce(func.max(MeetingItem.number), 0)).where(
        MeetingItem.series == meeting.series, MeetingItem.year == year)) + 1
    position = db.session.scalar(select(func.coalesce(func.max(MeetingItem.position), 0)).where(
        MeetingItem.meeting_id == meeting.id)) + 1
    item = MeetingItem(meeting=meeting, position=position, series=meeting.series, year=year, number=number,
                       title=title, description=description, approves_minutes_of=approves_minutes_of,
                       created_at=clock.now(), created_by_id=actor.id if actor else None)
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "meeting_item.create", MeetingItem.audit_type, item.id,
                 data={"meeting": meeting.id, "number": item.reference})
    return item


def add(meeting: Meeting, actor: User, *, title: str, description: str) -> MeetingItem:
    """A new item at the end of the agenda, before the meeting; the caller commits."""
    _before_meeting(meeting)
    title, description = _check_text(title, description)
    return new_item(meeting, actor, title=title, description=description)


def update(item: MeetingItem, actor: User, *, title: str, description: str) -> None:
    """Change an item's title and description before the meeting (an item on minutes keeps its title)."""
    _before_meeting(item.meeting)
    if item.approves_minutes_of_id is None:
        title, description = _check_text(title, description)
    else:
        title, description = item.title, (description or "").strip()
    if (title, description) == (item.title, item.description):
        return
    item.title, item.description = title, description
    audit.record(actor, "meeting_item.update", MeetingItem.audit_type, item.id)


def move(item: MeetingItem, actor: User, step: int) -> None:
    """Swap the item with the one before it (step -1) or after it (+1) on the agenda, before the meeting."""
    _before_meeting(item.meeting)
    items = item.meeting.items
    at = items.index(item)
    if not 0 <= at + step < len(items):
        return
    other = items[at + step]
    item.position, other.position = other.position, item.position
    db.session.flush()
    db.session.expire(item.meeting, ["items"])
    audit.record(actor, "meeting_item.move", MeetingItem.audit_type, item.id, data={"step": step})


def remove(item: MeetingItem, actor: User) -> None:
    """Take an item off the agenda before the meeting, with its documents; its number is not used again."""
    _before_meeting(item.meeting)
    if item.approves_minutes_of_id is not None:
        raise ServiceError(_("Saken om referatet følger referatet: send referatet tilbake i stedet."))
    if decided_under(item):
        raise ServiceError(_("Saken er knyttet til et vedtak og kan ikke fjernes."))
    for document in item.documents:
        files.remove(document.file_name)
    meeting = item.meeting
    audit.record(actor, "meeting_item.remove", Meeting.audit_type, meeting.id, data={"number": item.reference})
    db.session.delete(item)
    db.session.flush()
    db.session.expire(meeting, ["items"])


def record_decision(item: MeetingItem, actor: User, *, text: str, reason: str = "") -> None:
    """The vedtak, from the start of the meeting on; a recorded one is changed only with a reason, and both the
    change and the text it replaced are kept in the item's history."""
    if item.approves_minutes_of_id is not None:
        raise ServiceError(_("Vedtaket om referatet registreres fra møtet referatet gjelder."))
    if not item.meeting.has_begun:
        raise ServiceError(_("Vedtaket kan registreres når møtet har begynt."), field="decision")
    text, reason = (text or "").strip(), (reason or "").strip()
    if not text:
        raise ServiceError(_("Skriv vedtaket."), field="decision")
    previous = item.decision
    if previous == text:
        return
    if previous is not None and not reason:
        raise ServiceError(_("Vedtaket er allerede registrert. Skriv hvorfor det endres."), field="reason")
    write_decision(item, actor, text)
    if previous is None:
        audit.record(actor, "meeting_item.decide", MeetingItem.audit_type, item.id)
    else:
        audit.record(actor, "meeting_item.change_decision", MeetingItem.audit_type, item.id, comment=reason,
                     data={"previous": previous})


def write_decision(item: MeetingItem, actor: User | None, text: str) -> None:
    item.decision, item.decided_at, item.decided_by_id = text, clock.now(), actor.id if actor else None


def attach(item: MeetingItem, actor: User, *, title: str, pdf: bytes) -> MeetingItemDocument:
    """A PDF on the item (checked as every upload is) until its decision is recorded."""
    if refusal := documents_refusal(item):
        raise ServiceError(refusal, field="file")
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Skriv hva dokumentet er."), field="title")
    uploads.check_pdf(pdf, field="file")
    document = MeetingItemDocument(item=item, title=title, uploaded_at=clock.now(), uploaded_by_id=actor.id,
                                   file_name=f"meeting_items/{item.id}-{secrets.token_hex(8)}.pdf")
    files.write(document.file_name, pdf)
    db.session.add(document)
    db.session.flush()
    audit.record(actor, "meeting_item.attach", MeetingItem.audit_type, item.id, data={"document": document.id})
    return document


def detach(document: MeetingItemDocument, actor: User) -> None:
    item = document.item
    if refusal := documents_refusal(item):
        raise ServiceError(refusal)
    files.remove(document.file_name)
    audit.record(actor, "meeting_item.detach", MeetingItem.audit_type, item.id, data={"document": document.id})
    db.session.delete(document)
    db.session.flush()


def document_pdf(document: MeetingItemDocument) -> bytes | None:
    return files.read(document.file_name)


@dataclass(frozen=True)
class Decided:
    """Something decided under an item: what it is and the page about it (endpoint and its arguments)."""

    label: str
    endpoint: str
    args: dict


def decided_under(item: MeetingItem) -> list[Decided]:
    """What was decided under the item: cost keys, subgroups and mergers naming it."""
    found = [Decided(key.title, "cost_keys.key_page", {"key_id": key.id}) for key in db.session.scalars(
        select(CostKey).where(CostKey.meeting_item_id == item.id).order_by(CostKey.id))]
    found += [Decided(_("Undergruppen «%(name)s»", name=subgroup.name), "subgroups.subgroup_page",
                      {"subgroup_id": subgroup.id}) for subgroup in db.session.scalars(
        select(Subgroup).where(Subgroup.meeting_item_id == item.id).order_by(Subgroup.id))]
    found += [Decided(_("Sammenslåingen til %(organisation)s fra %(date)s", organisation=merger.successor.display_name,
                        date=short_date(merger.first_day)),
                      "organisations.organisation_page", {"org_id": merger.successor_id})
              for merger in db.session.scalars(select(Merger).where(Merger.meeting_item_id == item.id)
                                               .order_by(Merger.id))]
    return found


def choices(kind: str) -> list[tuple[int, str]]:
    """The items of the body's meetings a decision can be made under, newest meeting first, as (id, label)."""
    # The meeting's day alone: loading the meetings loads their invitees too.
    items = db.session.execute(select(MeetingItem, Meeting.starts_at).join(MeetingItem.meeting).where(
        Meeting.kind == kind, MeetingItem.approves_minutes_of_id.is_(None))
        .order_by(Meeting.starts_at.desc(), MeetingItem.position).limit(CHOICES_SHOWN))
    return [(item.id, f"{item.label} ({short_date(starts_at)})") for item, starts_at in items]


def under(item_id: int | None, kind: str) -> MeetingItem | None:
    """The item a decision names (None for none), refused unless it is on a meeting of the body `kind`."""
    if not item_id:
        return None
    item = db.session.get(MeetingItem, item_id)
    if item is None or item.meeting.kind != kind or item.approves_minutes_of_id is not None:
        raise ServiceError(_("Velg en sak fra et møte i riktig organ."), field="meeting_item_id")
    return item


def history(item: MeetingItem):
    return audit.events_for(MeetingItem.audit_type, item.id)
