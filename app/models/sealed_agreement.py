"""A fully signed agreement version as a sealed PDF (PAdES), made once and kept (app/services/seals.py)."""
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.agreement import Agreement
from app.models.types import UTCDateTime, utcnow


class SealedAgreement(db.Model):
    """The signed PDF of one agreement version as it was sealed; a later update (timestamp, validation data) is
    not stored here."""

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), unique=True)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    # SHA-256 of the file up to the end of the seal's revision: how an uploaded copy is found again, whatever a
    # reader appended after it (a document timestamp, validation data).
    signed_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # SHA-256 of the sealing certificate (DER): a copy sealed with it is ours, also after the certificate is renewed.
    certificate_sha256: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[str] = mapped_column(String(10))  # PAdES baseline level: "B-B" or "B-LTA"
    sealed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agreement: Mapped[Agreement] = relationship()
