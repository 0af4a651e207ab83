"""All models, importable from one place (Alembic reads the metadata through here)."""
from app.models.agreement import Agreement, AgreementDocument, AgreementTemplate
from app.models.annual_report import AnnualReport
from app.models.audit import AuditEvent, AuditHead
from app.models.calendar import CalendarToken
from app.models.case import InvitationRound, MembershipCase, Signature
from app.models.conference import Conference, ConferenceRegistration, ConferenceSession
from app.models.contact import AdministrativeContact
from app.models.contribution import Contribution
from app.models.cost_key import CostKey, CostKeyParty, CostKeyShare
from app.models.evaluation import Evaluation, EvaluationAnswer, EvaluationQuestion, EvaluationResponse
from app.models.identity import ExternalIdentity, PendingIdentity
from app.models.invitation import InvitationReply
from app.models.mail import OutboxMessage
from app.models.mailbox_link import JoinRequest, MailboxLink
from app.models.meeting import Meeting, MeetingInvitee, MeetingItem, MeetingItemDocument
from app.models.merger import Merger
from app.models.news import NewsItem
from app.models.organisation import Organisation, OrganisationName, OrganisationNumber, OrganisationSuccession
from app.models.rate_limit import RateLimit
from app.models.rendered_pdf import RenderedPdf
from app.models.representative import Representative, RepresentativeSeat
from app.models.sealed_agreement import SealedAgreement
from app.models.request import TransitionRequest
from app.models.stored_document import ContentVersion, StoredDocument
from app.models.stored_file import StoredFile
from app.models.subgroup import Subgroup, SubgroupMember, SubgroupTheme, UserRepresentative
from app.models.user import LoginAttempt, LoginSession, User, UserRole

# The models that move through a workflow, by the name their audit events and requests use.
STATEFUL = {model.audit_type: model for model in (MembershipCase, Subgroup, Representative, CostKey, NewsItem,
                                                           ConferenceRegistration, Meeting)}

__all__ = [
    "Agreement",
    "AgreementDocument",
    "AgreementTemplate",
    "AdministrativeContact",
    "AnnualReport",
    "Conference",
    "ConferenceRegistration",
    "ConferenceSession",
    "Contribution",
    "CostKey",
    "CostKeyParty",
    "CostKeyShare",
    "Evaluation",
    "ExternalIdentity",
    "PendingIdentity",
    "Merger",
    "NewsItem",
    "EvaluationAnswer",
    "JoinRequest",
    "MailboxLink",
    "EvaluationQuestion",
    "EvaluationResponse",
    "RenderedPdf",
    "SealedAgreement",
    "StoredDocument",
    "StoredFile",
    "ContentVersion",
    "Representative",
    "RepresentativeSeat",
    "AuditEvent",
    "AuditHead",
    "CalendarToken",
    "InvitationReply",
    "InvitationRound",
    "Meeting",
    "MeetingInvitee",
    "MeetingItem",
    "MeetingItemDocument",
    "MembershipCase",
    "Signature",
    "STATEFUL",
    "Subgroup",
    "SubgroupMember",
    "SubgroupTheme",
    "TransitionRequest",
    "LoginAttempt",
    "LoginSession",
    "Organisation",
    "OrganisationName",
    "OrganisationNumber",
    "OrganisationSuccession",
    "OutboxMessage",
    "RateLimit",
    "User",
    "UserRepresentative",
    "UserRole",
]
