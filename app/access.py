"""Who sees which municipality's membership: its cases, agreements, representatives and dates.

Bergen's side of the cooperation agreement sees every municipality: the R&D adviser, the administrator and Bergen's
signatories, who sign and give notice for the host (agreement § 13). Everyone else sees their own organisation only.
"""
from sqlalchemy import ColumnElement, true

from app.models.user import User
from workflows.roles import ADMIN, ADVISER, SIGNATORY


def sees_all(user: User) -> bool:
    return user.has_role(ADVISER, ADMIN) or (
        SIGNATORY in user.roles and user.organisation is not None and user.organisation.is_host)


def sees(user: User, organisation_id: int) -> bool:
    return sees_all(user) or (user.organisation_id is not None and user.organisation_id == organisation_id)


def visible(user: User, organisation_id: ColumnElement) -> ColumnElement[bool]:
    """SQL: the rows whose `organisation_id` column names a municipality `user` sees."""
    return true() if sees_all(user) else organisation_id == (user.organisation_id or -1)
