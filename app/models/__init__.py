"""All models, importable from one place (Alembic reads the metadata through here)."""
from app.models.audit import AuditEvent, AuditHead
from app.models.mail import OutboxMessage
from app.models.members import (AdministrativeContact, Contribution, Evaluation, EvaluationAnswer,
                                EvaluationQuestion, EvaluationResponse, Representative)
from app.models.membership import InvitationRound, MembershipCase, Signature
from app.models.organisation import Organisation
from app.models.request import TransitionRequest
from app.models.user import LoginAttempt, LoginSession, User, UserRole

# The models that move through a workflow, by the name their audit events and requests use.
STATEFUL = {MembershipCase.audit_type: MembershipCase}

__all__ = [
    "AdministrativeContact",
    "Contribution",
    "Evaluation",
    "EvaluationAnswer",
    "EvaluationQuestion",
    "EvaluationResponse",
    "Representative",
    "AuditEvent",
    "AuditHead",
    "InvitationRound",
    "MembershipCase",
    "Signature",
    "STATEFUL",
    "TransitionRequest",
    "LoginAttempt",
    "LoginSession",
    "Organisation",
    "OutboxMessage",
    "User",
    "UserRole",
]
