"""Sealed agreements: a fully signed agreement version as a PDF with a signature page, sealed (PAdES) with the
operator's certificate once, kept, and filed as the case's document.

The seal is made in the transaction that records the second signature (app/wiring.py); without a certificate, or
when sealing fails, the signature stands and the daily job seals the agreement later. Level B-B without a timestamp
service; with one (SEAL_TSA_URL), a timestamp and the validation data (certificates, revocation answers) are added
and a document timestamp over them (B-LTA), so the seal can be checked after the certificate has expired.
"""
import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import date
from functools import partial

from flask import current_app, render_template
from flask_babel import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from weasyprint import CSS, HTML

from app import clock
from app.extensions import db
from app.models import Agreement, MembershipCase, Organisation, SealedAgreement, Signature
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import agreement_print, agreements, archive, organisations, seal_keys

log = logging.getLogger(__name__)
FIELD = "Forsegling"
REASON = "Forseglet av Kunnskapskommunen – Helse Omsorg Vest: avtalen er signert av begge parter."


@dataclass(frozen=True)
class Signer:
    """One party's signature as the signature page shows it."""

    party: str
    name: str
    title: str
    organisation: str  # as registered on the day of signing
    signed_on: date
    method: str  # "app" or "upload" (a scanned copy)


def signers_of(agreement: Agreement) -> list[Signer]:
    """The signatures of both parties (a merger's version holds those of the agreement it continues)."""
    found = []
    for party in (HOST_PARTY, MUNICIPALITY_PARTY):
        signature = agreement.signed_by(party)
        if signature:
            found.append(Signer(party, signature.name, signature.title,
                                _organisation_on(agreement, party, signature), signature.signed_on,
                                signature.method))
    return found


def _organisation_on(agreement: Agreement, party: str, signature: Signature) -> str:
    if party == HOST_PARTY:
        host = db.session.scalar(select(Organisation).where(Organisation.is_host))
        return organisations.official_name(host, signature.signed_on) if host else agreement.host_name
    if signature.agreement_id != agreement.id:  # signed for the predecessor, named as in the agreement it signed
        return db.session.get(Agreement, signature.agreement_id).municipality_name
    return organisations.official_name(agreement.case.organisation, signature.signed_on)


def sealed(agreement: Agreement) -> SealedAgreement | None:
    return db.session.scalar(select(SealedAgreement).where(SealedAgreement.agreement_id == agreement.id))


def seal_signed(case: MembershipCase, actor, data: dict) -> None:
    """After both parties have signed: seal the agreement, unless no certificate is set up or sealing fails (the
    daily job tries again; the signature stands either way)."""
    _seal_or_log(case.agreement)


def seal_due(today: date) -> list[str]:
    """Daily: seal the fully signed agreements in force that have no seal yet (signed while no certificate was set
    up, or sealing failed, or a merger's version)."""
    if not seal_keys.configured():
        return []
    waiting = db.session.scalars(select(Agreement).where(
        Agreement.superseded_at.is_(None), ~select(SealedAgreement.id)
        .where(SealedAgreement.agreement_id == Agreement.id).exists()).order_by(Agreement.id)).all()
    done = [_seal_or_log(agreement) for agreement in waiting if agreement.both_signed]
    count = sum(1 for made in done if made)
    return [f"Forsegling: {count} signerte avtaler forseglet."] if count else []


def _seal_or_log(agreement: Agreement) -> SealedAgreement | None:
    try:
        return seal(agreement)
    except Exception:  # pyHanko, the key file and a timestamp service fail in many ways; none may undo a signature
        log.exception("Avtale %s ble ikke forseglet; den daglige kjøringen prøver igjen.", agreement.id)
        return None


def seal(agreement: Agreement) -> SealedAgreement | None:
    """Seal the fully signed agreement once: its kept seal if it has one, None without a certificate."""
    kept = sealed(agreement)
    key = None if kept else seal_keys.load()
    if kept or key is None:
        return kept
    stamping = timestamping()
    content = _sealed_pdf(_document(agreement), key, stamping)
    row = SealedAgreement(agreement_id=agreement.id, content=content, signed_sha256=signed_revision_sha256(content),
                          certificate_sha256=key.fingerprint, level="B-LTA" if stamping else "B-B",
                          sealed_at=clock.now())
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # sealed at the same moment by another process: that seal stands
        return sealed(agreement)
    return row


def timestamping() -> tuple[TimeStamper, ValidationContext] | None:
    """The timestamp service and the context that gathers validation data, when SEAL_TSA_URL is set."""
    url = current_app.config.get("SEAL_TSA_URL")
    if not url:
        return None
    return HTTPTimeStamper(url, timeout=10), ValidationContext(allow_fetching=True)


def _document(agreement: Agreement) -> bytes:
    html = render_template("agreements/sealed_pdf.html", signers=signers_of(agreement),
                           **agreement_print.context(agreement))
    return HTML(string=html, base_url=current_app.root_path).write_pdf(
        stylesheets=[CSS(string=agreement_print.PRINT_CSS.read_text(encoding="utf-8"))])


def _sealed_pdf(document: bytes, key: seal_keys.SealKey,
                stamping: tuple[TimeStamper, ValidationContext] | None) -> bytes:
    timestamper, context = stamping or (None, None)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES, reason=REASON,
        location="Bergen", embed_validation_info=bool(stamping), use_pades_lta=bool(stamping),
        validation_context=context)
    return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(document)), meta, signer=key.signer,
                            timestamper=timestamper).getvalue()


def signed_revision_sha256(content: bytes) -> str:
    """SHA-256 of the file up to the end of its first signature's byte range (what that signature covers)."""
    reader = PdfFileReader(io.BytesIO(content))
    first = reader.embedded_regular_signatures[0]
    return hashlib.sha256(content[:first.byte_range[2] + first.byte_range[3]]).hexdigest()


# --- the case's documents (listed in app/wiring.py) ---------------------------------------------------------------

def sealed_documents(case: MembershipCase) -> list[archive.Document]:
    """Each sealed agreement of the case, dated the day both had signed, from Bergen to the municipality: the file
    as it was sealed."""
    by_agreement = {agreement.id: agreement for agreement in agreements.for_case(case)}
    rows = db.session.scalars(select(SealedAgreement).where(SealedAgreement.agreement_id.in_(by_agreement))
                              .order_by(SealedAgreement.agreement_id)).all() if by_agreement else []
    found = []
    for row in rows:
        agreement = by_agreement[row.agreement_id]
        day = agreement.signed_on
        found.append(archive.Document(
            sealed_key(agreement), _("Samarbeidsavtale %(period)s, signert og forseglet", period=agreement.period),
            day, "I",
            archive.HOST, organisations.official_name(case.organisation, day), partial(_content, row),
            endpoint="agreements.agreement_page", params={"agreement_id": agreement.id}, uploaded=True))
    return found


def sealed_key(agreement: Agreement) -> str:
    """The sealed agreement's key among the case's documents (its PDF is cases.document_pdf with this key)."""
    return f"forseglet-{agreement.id}"


def _content(row: SealedAgreement) -> bytes:
    return row.content
