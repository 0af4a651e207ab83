"""The minutes' way to approval (workflows/minutes.py): put on the agenda of the next meeting of the same body,
then approved or returned there, as that meeting's decision on the item. These are the steps app/wiring.py runs
after each transition."""
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import Meeting, MeetingItem, User
from app.services import ServiceError, meeting_items

# The vedtak on the minutes unless the adviser writes another (the approval's form starts with it).
APPROVED_TEXT = _l("Referatet er godkjent.")


def next_meetings(meeting: Meeting) -> list[Meeting]:
    """The later meetings of the same body, the next first: where the minutes can be approved."""
    return list(db.session.scalars(select(Meeting).where(Meeting.kind == meeting.kind,
                                                         Meeting.starts_at > meeting.starts_at)
                                   .order_by(Meeting.starts_at).limit(10)))


def approving_meeting(meeting: Meeting, meeting_id: int | None) -> Meeting:
    """The meeting asked to approve `meeting`'s minutes: a later meeting of the same body, or refused."""
    found = db.session.get(Meeting, meeting_id) if meeting_id else None
    if found is None or found.kind != meeting.kind or found.starts_at <= meeting.starts_at:
        raise ServiceError(_("Velg et senere møte i samme organ."), field="meeting_id")
    return found


def approval_item(meeting: Meeting) -> MeetingItem | None:
    """The latest item on which a later meeting decides (or decided) on the minutes."""
    return db.session.scalar(select(MeetingItem).where(MeetingItem.approves_minutes_of_id == meeting.id)
                             .order_by(MeetingItem.id.desc()).limit(1))


def put_on_agenda(meeting: Meeting, actor: User, data: dict) -> None:
    """After `submit`: an item "Godkjenning av referat …" on the agenda of the meeting chosen."""
    meeting_items.new_item(approving_meeting(meeting, data.get("meeting_id")), actor, approves_minutes_of=meeting)


def record_approval(meeting: Meeting, actor: User, data: dict) -> None:
    """After `approve`: the approving meeting's decision on the item (the vedtak as written, or that it was
    approved)."""
    meeting_items.write_decision(meeting.pending_approval(), actor, data.get("comment") or str(APPROVED_TEXT))


def record_return(meeting: Meeting, actor: User, data: dict) -> None:
    """After `return_for_correction`: what is to be corrected is the decision on the item."""
    meeting_items.write_decision(meeting.pending_approval(), actor, data["comment"])
