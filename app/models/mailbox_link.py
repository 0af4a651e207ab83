"""Links sent to an organisation's official mailbox (postmottak): answering an invitation, confirming a request to
join. Only the hash of a link's token is stored; the mail worker makes the token as it sends the mail."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.case import MembershipCase
from app.models.invitation import InvitationReply
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow
from app.models.user import User
from workflows.roles import ADVISER

REPLY = "reply"  # answers the invitation of `case`
JOIN = "join"  # confirms a request to join (JoinRequest)


class MailboxLink(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # SHA-256, hex; None until sent
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    minted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # answered: the link works no more
    case_id: Mapped[int | None] = mapped_column(ForeignKey("membership_case.id"), index=True)
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("invitation_reply.id"))
    # The adviser's decision on the person who answered: made their contact person, or not.
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case: Mapped[MembershipCase | None] = relationship()
    reply: Mapped[InvitationReply | None] = relationship()
    contact: Mapped[User | None] = relationship(foreign_keys=[contact_id])


ACCEPTED, DECLINED = "accepted", "declined"
# Who decided a request to join: the adviser, or the steering group (the adviser records its decision).
ADVISER_DECISION, STEERING_GROUP_DECISION = ADVISER, "steering_group"
DECIDERS = {ADVISER_DECISION: _l("FoU-rådgiveren"), STEERING_GROUP_DECISION: _l("Styringsgruppen")}


class JoinRequest(db.Model):
    """A municipality asks to join outside a round (agreement §1): confirmed from its official mailbox, then
    decided by the adviser or the steering group; accepted, it continues as an accepted invitation (`case`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    link_id: Mapped[int] = mapped_column(ForeignKey("mailbox_link.id"))
    decision: Mapped[str | None] = mapped_column(String(20))
    decided_by: Mapped[str | None] = mapped_column(String(20))  # the adviser, or the steering group's decision
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_comment: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("membership_case.id"))

    organisation: Mapped[Organisation] = relationship()
    link: Mapped[MailboxLink] = relationship()
    case: Mapped[MembershipCase | None] = relationship()
