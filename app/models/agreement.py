"""The cooperation agreement: the shared template, each municipality's agreement and scanned signed copies."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY, MembershipCase, Signature
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

# The languages an agreement text is written in: bokmål and nynorsk (the locales of app/letters.py).
BOKMAL_TEXT, NYNORSK_TEXT = "nb", "nn"
TEXT_LANGUAGES = (BOKMAL_TEXT, NYNORSK_TEXT)


class AgreementTemplate(db.Model):
    """One version of the agreement, identical for all municipalities, in two texts with placeholders for the party
    fields: bokmål (`text`) and nynorsk (`text_nn`), each with its own fingerprint."""

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    text: Mapped[str] = mapped_column(Text)
    # SHA-256 of `text` when the version was stored; every agreement made from it carries a copy.
    sha256: Mapped[str] = mapped_column(String(64))
    # None for a version stored before it had a nynorsk text (revision 0039); the text is added on the next issue.
    text_nn: Mapped[str | None] = mapped_column(Text)
    sha256_nn: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def text_in(self, language: str) -> str:
        return self.text_nn if language == NYNORSK_TEXT else self.text

    def sha256_in(self, language: str) -> str:
        return self.sha256_nn if language == NYNORSK_TEXT else self.sha256


class Agreement(db.Model):
    """One agreement period of one municipality: the template it was made from and its party fields."""

    audit_type = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("membership_case.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("agreement_template.id"))
    # The text it was issued in (the municipality's målform) and that text's fingerprint.
    language: Mapped[str] = mapped_column(String(2), default=BOKMAL_TEXT, server_default=BOKMAL_TEXT)
    template_hash: Mapped[str] = mapped_column(String(64))
    host_name: Mapped[str] = mapped_column(String(200))
    host_unit: Mapped[str] = mapped_column(String(200))
    municipality_name: Mapped[str] = mapped_column(String(200))
    contribution: Mapped[int] = mapped_column(Integer)
    contribution_from: Mapped[int] = mapped_column(Integer)
    contribution_to: Mapped[int] = mapped_column(Integer)
    end_date: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Set when a renewal or a declined signing replaces this agreement; it stays as history.
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A merger's new version naming the successor continues the signed original; its signatures hold for it.
    continues_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"))

    case: Mapped[MembershipCase] = relationship()
    template: Mapped[AgreementTemplate] = relationship()
    issued_by: Mapped[User | None] = relationship()
    continues: Mapped["Agreement | None"] = relationship(remote_side=[id])
    signatures: Mapped[list[Signature]] = relationship(order_by="Signature.id", viewonly=True)
    documents: Mapped[list["AgreementDocument"]] = relationship(
        back_populates="agreement", order_by="AgreementDocument.id")

    @property
    def text(self) -> str:
        """The template text in the agreement's language."""
        return self.template.text_in(self.language)

    @property
    def period(self) -> str:
        return f"{self.contribution_from}–{self.contribution_to}"

    def signed_by(self, party: str) -> Signature | None:
        own = next((s for s in self.signatures if s.party == party), None)
        return own or (self.continues.signed_by(party) if self.continues else None)

    @property
    def both_signed(self) -> bool:
        """Both parties signed it (a declined one never did; a renewed one did and stays so as history)."""
        return all(self.signed_by(party) for party in (MUNICIPALITY_PARTY, HOST_PARTY))

    @property
    def signed_on(self) -> date | None:
        """The day the second party signed, from which both are bound (None until both have)."""
        found = [self.signed_by(party) for party in (MUNICIPALITY_PARTY, HOST_PARTY)]
        return max(s.signed_on for s in found) if all(found) else None


class AgreementDocument(db.Model):
    """A scanned, signed copy of an agreement, uploaded by the adviser on a party's behalf."""

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    party: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="documents")
    uploaded_by: Mapped[User] = relationship()
