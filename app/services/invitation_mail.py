"""Mail about an invitation to a municipality's contact persons: who they are and the personal link to answer."""
from flask import current_app
from sqlalchemy import and_, select
from sqlalchemy.orm import lazyload

from app import letters
from app.extensions import db
from app.models import MembershipCase, User
from app.services import mail
from workflows.roles import MUNICIPALITY_CONTACT

# Where a contact person reads and answers an invitation (the personal link in every e-mail).
INVITATION_ENDPOINT = "municipality.invitation"


def contacts(organisation_id: int) -> list[User]:
    """The active contact persons of an organisation."""
    return contacts_by_organisation([organisation_id])[organisation_id]


def _contacts_of(organisation_ids: list[int]):
    """SQL: the user is an active contact person of one of these organisations."""
    return and_(User.organisation_id.in_(organisation_ids), User.active.is_(True),
                User.role_rows.any(role=MUNICIPALITY_CONTACT))


def contacts_by_organisation(organisation_ids: list[int]) -> dict[int, list[User]]:
    """The active contact persons of each of these organisations, in one query (their roles are not loaded: a round
    has hundreds, and those take a query per 500)."""
    found = {id_: [] for id_ in organisation_ids}
    for user in db.session.scalars(select(User).where(_contacts_of(organisation_ids))
                                   .options(lazyload(User.role_rows)).order_by(User.name)):
        found[user.organisation_id].append(user)
    return found


def contact_ids_by_organisation(organisation_ids: list[int]) -> dict[int, list[int]]:
    """The user ids of contacts_by_organisation, without loading the people."""
    found = {id_: [] for id_ in organisation_ids}
    for user_id, organisation_id in db.session.execute(select(User.id, User.organisation_id).where(
            _contacts_of(organisation_ids)).order_by(User.name)):
        found[organisation_id].append(user_id)
    return found


def invitation_path(case: MembershipCase) -> str:
    """The contact person's page for this invitation (built without a request: the tick sends mail too)."""
    return current_app.url_map.bind("").build(INVITATION_ENDPOINT, {"case_id": case.id})


def send(case: MembershipCase, user: User, subject, template: str, dedupe_key: str | None = None,
         **context) -> bool:
    """Queue a mail about the case to one person, in the municipality's written standard, with the link to the
    invitation; False if it was sent before."""
    message = mail.queue(user.email, subject, template, locale=letters.locale_of(case.organisation),
                         dedupe_key=dedupe_key, case=case, round=case.round,
                         user=user, path=invitation_path(case), **context)
    return message is not None
