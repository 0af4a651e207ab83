"""Mail about an invitation to a municipality's contact persons: who they are and the personal link to answer."""
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import MembershipCase, User
from app.models.user import MUNICIPALITY_CONTACT
from app.services import mail

# Where a contact person reads and answers an invitation (the personal link in every e-mail).
INVITATION_ENDPOINT = "municipality.invitation"


def contacts(organisation_id: int) -> list[User]:
    """The active contact persons of an organisation."""
    return list(db.session.scalars(select(User).where(
        User.organisation_id == organisation_id, User.active.is_(True),
        User.role_rows.any(role=MUNICIPALITY_CONTACT)).order_by(User.name)))


def invitation_path(case: MembershipCase) -> str:
    """The contact person's page for this invitation (built without a request: the tick sends mail too)."""
    return current_app.url_map.bind("").build(INVITATION_ENDPOINT, {"case_id": case.id})


def send(case: MembershipCase, user: User, subject: str, template: str, dedupe_key: str | None = None,
         **context) -> bool:
    """Queue a mail about the case to one person, with the link to the invitation; False if it was sent before."""
    message = mail.queue(user.email, subject, template, dedupe_key=dedupe_key, case=case, round=case.round,
                         user=user, path=invitation_path(case), **context)
    return message is not None
