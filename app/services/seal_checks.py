"""Checking a PDF someone has: is it one of our sealed agreements, unchanged, and which one? The checking page and
`flask agreements verify` both ask `check`; the file is read here and never stored.

A seal is ours when its certificate is one an agreement was sealed with here (so a renewed certificate leaves the
older seals ours); the agreement is the one whose stored seal covers exactly the bytes the uploaded seal covers.
After the seal, a reader may only find what level B-LTA adds: validation data and document timestamps.
"""
import hashlib
import io
import logging
from dataclasses import dataclass, field

from flask_babel import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select

from app.extensions import db
from app.models import SealedAgreement
from app.services import seal_keys, seals, uploads

OK, CHANGED, OTHER_CERTIFICATE, UPDATED, UNKNOWN, UNSEALED, UNREADABLE, TOO_BIG = (
    "ok", "changed", "other_certificate", "updated", "unknown", "unsealed", "unreadable", "too_big")
# What may follow the seal: validation data (DSS) and document timestamps.
ALLOWED_AFTER = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)


@dataclass
class Finding:
    status: str
    message: str
    sealed: SealedAgreement | None = None
    signers: list[seals.Signer] = field(default_factory=list)

    @property
    def ours(self) -> bool:
        return self.status == OK


def check(content: bytes) -> Finding:
    """What the PDF `content` is: ours and unchanged (which agreement, who signed), or why not."""
    if len(content) > uploads.MAX_BYTES:
        return Finding(TOO_BIG, _("Filen er for stor: den kan være på høyst 10 MB."))
    if not content.startswith(b"%PDF-"):
        return Finding(UNREADABLE, _("Filen kan ikke leses som en PDF."))
    key = _key()
    try:
        found, statuses = _signatures(content, key)
    except Exception:  # a damaged or hostile file makes the PDF reader fail in many ways: it is no readable seal
        logging.getLogger(__name__).info("A PDF to check could not be read.", exc_info=True)
        return Finding(UNREADABLE, _("Filen kan ikke leses som en PDF. Den kan være skadet."))
    if not found:
        return Finding(UNSEALED, _("PDF-en har ingen forsegling, så den er ikke en forseglet avtale fra "
                                   "Kunnskapskommunen."))
    first = statuses[0]
    if not (first.intact and first.valid):
        return Finding(CHANGED, _("PDF-en er endret etter at den ble forseglet: innholdet stemmer ikke med "
                                  "forseglingen."))
    known = set(db.session.scalars(select(SealedAgreement.certificate_sha256).distinct()))
    known |= {key.fingerprint} if key else set()
    for status in statuses:
        if seal_keys.certificate_fingerprint(status.signing_cert) not in known:
            return Finding(OTHER_CERTIFICATE, _("PDF-en er forseglet med et annet sertifikat enn "
                                                "Kunnskapskommunens (%(holder)s).",
                                                holder=status.signing_cert.subject.human_friendly))
    if first.modification_level not in ALLOWED_AFTER:
        return Finding(UPDATED, _("PDF-en er endret etter at den ble forseglet: noen har lagt til en oppdatering som "
                                  "ikke er et tidsstempel eller valideringsdata."))
    covered = content[:found[0].byte_range[2] + found[0].byte_range[3]]
    row = db.session.scalar(select(SealedAgreement).where(
        SealedAgreement.signed_sha256 == hashlib.sha256(covered).hexdigest()))
    if row is None:
        return Finding(UNKNOWN, _("PDF-en er forseglet med Kunnskapskommunens sertifikat, men den er ikke en avtale "
                                  "som er forseglet i intranettet."))
    agreement = row.agreement
    return Finding(OK, _("PDF-en er forseglet av Kunnskapskommunen og er uendret: samarbeidsavtalen med "
                         "%(party)s for %(period)s (avtale nr. %(number)s, malen versjon %(version)s).",
                         party=agreement.municipality_name, period=agreement.period, number=agreement.id,
                         version=agreement.template.version),
                   sealed=row, signers=seals.signers_of(agreement))


def _signatures(content: bytes, key: seal_keys.SealKey | None) -> tuple[list, list]:
    """The file's signatures (not its document timestamps), oldest first, each with pyHanko's validation of it."""
    found = PdfFileReader(io.BytesIO(content)).embedded_regular_signatures
    context = ValidationContext(trust_roots=list(key.chain) if key else [], allow_fetching=False,
                                revocation_mode="soft-fail")
    return found, [validate_pdf_signature(signature, context) for signature in found]


def _key() -> seal_keys.SealKey | None:
    """The key set up now (its certificate is ours, its chain checks the seal), if it can be read."""
    try:
        return seal_keys.load()
    except seal_keys.SealKeyError:
        logging.getLogger(__name__).exception("The sealing key cannot be read; checking against earlier seals only.")
        return None
