"""All models, importable from one place (Alembic reads the metadata through here)."""
from app.models.audit import AuditEvent, AuditHead
from app.models.mail import OutboxMessage
from app.models.organisation import Organisation
from app.models.user import LoginAttempt, LoginSession, User, UserRole

__all__ = [
    "AuditEvent",
    "AuditHead",
    "LoginAttempt",
    "LoginSession",
    "Organisation",
    "OutboxMessage",
    "User",
    "UserRole",
]
