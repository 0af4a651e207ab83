"""The agreement as a document: what the page and the PDF show, and the PDF itself (WeasyPrint)."""
from datetime import date
from functools import partial
from pathlib import Path

from flask import current_app, render_template
from flask_babel import gettext as _, force_locale
from markupsafe import Markup

from app import clock
from app.formatting import slug
from app.models import Agreement, AgreementDocument, MembershipCase
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import agreements, archive, organisations, rendered_pdfs

PRINT_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "agreement-print.css"


def facts(agreement: Agreement) -> dict:
    """The signatures and the fingerprint check: what the agreement's page shows beside the document."""
    return {"agreement": agreement, "case": agreement.case, "matches": agreements.text_matches(agreement),
            "parties": (HOST_PARTY, MUNICIPALITY_PARTY), "party_name": agreements.party_name}


def context(agreement: Agreement) -> dict:
    """The facts, the text, the parties (the municipality as it was on the day the agreement was issued) and the day
    of the fingerprint check."""
    return {**facts(agreement), "sections": agreements.sections(agreement), "today": clock.today(),
            "party": organisations.on(agreement.case.organisation, agreement.issued_at),
            "fields": agreements.fields(agreement)}


def document(agreement: Agreement) -> Markup:
    """The agreement as a document for its page, in the agreement's language whatever the reader's."""
    with force_locale(agreement.language):
        return Markup(render_template("agreements/_document.html", **context(agreement)))


def pdf(agreement: Agreement) -> bytes:
    """The agreement as an A4 PDF in its language, with page numbers, the signature block and the text's
    fingerprint."""
    with force_locale(agreement.language):
        html = render_template("agreements/pdf.html", **context(agreement))
    return rendered_pdfs.pdf("agreement", agreement.id, html, css=PRINT_CSS.read_text(encoding="utf-8"),
                             base_url=current_app.root_path)


def filename(agreement: Agreement) -> str:
    """samarbeidsavtale-lindas-kommune-2018-2022(-signert).pdf"""
    signed = "-signert" if agreement.signed_by(MUNICIPALITY_PARTY) and agreement.signed_by(HOST_PARTY) else ""
    return f"samarbeidsavtale-{slug(agreement.municipality_name)}-{agreement.contribution_from}-" \
           f"{agreement.contribution_to}{signed}.pdf"


# --- the case's documents for the archive (listed in app/wiring.py) -----------------------------------------------

def _status(agreement: Agreement) -> str:
    signed = agreement.signed_by(MUNICIPALITY_PARTY) and agreement.signed_by(HOST_PARTY)
    if agreement.superseded_at is None:
        return _("signert") if signed else _("til signering")
    return _("signert, senere erstattet") if signed else _("ikke signert, erstattet")


def _sender_recipient(case: MembershipCase, party: str, day: date) -> tuple[str, str]:
    """A document of `day` from `party` to the other one; the municipality's own documents are outgoing (U)."""
    municipality = organisations.official_name(case.organisation, day)
    return (municipality, archive.HOST) if party == MUNICIPALITY_PARTY else (archive.HOST, municipality)


def _direction(party: str) -> str:
    return "U" if party == MUNICIPALITY_PARTY else "I"


def agreement_documents(case: MembershipCase) -> list[archive.Document]:
    """Every agreement of the case as PDF (signed as far as it got), and the scanned signed copies."""
    found = []
    for agreement in reversed(agreements.for_case(case)):
        issued_on = clock.day_of(agreement.issued_at)
        found.append(archive.Document(
            f"avtale-{agreement.id}", _("Samarbeidsavtale %(period)s (%(status)s)", period=agreement.period,
                                                      status=_status(agreement)),
            issued_on, "I", archive.HOST, organisations.official_name(case.organisation, issued_on),
            partial(pdf, agreement), endpoint="agreements.agreement_page", params={"agreement_id": agreement.id}))
        for scan in agreement.documents:
            signature = next((s for s in agreement.signatures if s.document_id == scan.id), None)
            day = signature.signed_on if signature else clock.day_of(scan.uploaded_at)
            sender, recipient = _sender_recipient(case, scan.party, day)
            found.append(archive.Document(
                f"skannet-{scan.id}", _("Signert samarbeidsavtale %(period)s fra %(party)s (skannet)",
                                        period=agreement.period, party=agreements.party_name(agreement, scan.party)),
                day, _direction(scan.party), sender, recipient, partial(_scan_content, scan),
                endpoint="agreements.scanned_copy", params={"document_id": scan.id}, uploaded=True))
    return found


def _scan_content(scan: AgreementDocument) -> bytes:
    return scan.content


def notice_document(case: MembershipCase) -> list[archive.Document]:
    """The written notice in force on the case (§13), with its reason and the day it takes effect."""
    if case.notice_date is None:
        return []
    party = case.notice_by or MUNICIPALITY_PARTY
    sender, recipient = _sender_recipient(case, party, case.notice_date)
    request = agreements.confirmed_notice(case)
    return [archive.Document(
        "oppsigelse", _("Skriftlig oppsigelse av samarbeidsavtalen"), case.notice_date, _direction(party), sender,
        recipient, partial(archive.pdf, "notice", case.id, "archive/notice_pdf.html", case=case, request=request,
                           sender=sender, recipient=recipient))]

