"""The agreement as a document: what the page and the PDF show, and the PDF itself (WeasyPrint)."""
import unicodedata
from pathlib import Path

from flask import current_app, render_template
from weasyprint import CSS, HTML

from app import clock
from app.models import Agreement
from app.models.membership import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import agreements

PRINT_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "agreement-print.css"


def context(agreement: Agreement) -> dict:
    """The text, the parties, the signatures and the fingerprint check."""
    return {"agreement": agreement, "case": agreement.case, "sections": agreements.sections(agreement),
            "matches": agreements.text_matches(agreement), "parties": (HOST_PARTY, MUNICIPALITY_PARTY),
            "party_name": agreements.party_name, "fields": agreements.fields(agreement), "today": clock.today()}


def pdf(agreement: Agreement) -> bytes:
    """The agreement as an A4 PDF with page numbers, the signature block and the text's fingerprint."""
    html = render_template("agreements/pdf.html", **context(agreement))
    return HTML(string=html, base_url=current_app.root_path).write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])


def filename(agreement: Agreement) -> str:
    """samarbeidsavtale-lindas-kommune-2018-2022(-signert).pdf"""
    signed = "-signert" if agreement.signed_by(MUNICIPALITY_PARTY) and agreement.signed_by(HOST_PARTY) else ""
    return f"samarbeidsavtale-{_slug(agreement.municipality_name)}-{agreement.contribution_from}-" \
           f"{agreement.contribution_to}{signed}.pdf"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.lower().replace("æ", "ae").replace("ø", "o"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())
