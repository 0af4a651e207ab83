"""A municipality's case for its archive: the documents as PDF and Noark-style metadata, in one ZIP.

Directions (I/U/X) are seen from the municipality, whose archive (Noark system) the export is for.
"""
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from xml.etree import ElementTree

from flask import render_template
from flask_babel import gettext as _, lazy_gettext as _l, force_locale

from app import clock, letters
from app.extensions import wiring
from app.models import MembershipCase
from app.services import cases, organisations, rendered_pdfs
from workflows import MEMBERSHIP

HOST = "Bergen kommune, Byrådsavdeling for helse og omsorg"
INTRANET = _l("Intranettet for Kunnskapskommunen – Helse Omsorg Vest")
DIRECTIONS = {"I": _l("Inngående dokument"), "U": _l("Utgående dokument"),
              "X": _l("Organinternt dokument uten oppfølging")}


@dataclass
class Document:
    """One document of a case: its journal facts, how to make the PDF, and where to read it in the app.

    `uploaded`: the PDF is kept as it came (a scanned copy someone uploaded, a sealed agreement), never made anew.
    """

    key: str
    title: str
    date: date
    direction: str
    sender: str
    recipient: str
    render: Callable[[], bytes]
    endpoint: str | None = None  # a page showing it, called with `params` (by default the case id)
    params: dict | None = None
    uploaded: bool = False


def pdf(kind: str, object_id: int, template: str, locale: str | None = None, **context) -> bytes:
    """An HTML template as PDF: document `kind` number `object_id`, made once per version of what it shows; a letter
    to or from a municipality in `locale`, its målform (app/letters.py)."""
    if locale is None:
        return rendered_pdfs.pdf(kind, object_id, render_template(template, **context))
    with force_locale(locale):
        html = render_template(template, **context)
    return rendered_pdfs.pdf(kind, object_id, html)


def invitation_letter(case: MembershipCase) -> list[Document]:
    round_ = case.round
    sent_on = clock.day_of(round_.created_at)
    return [Document(
        "invitasjon", _("Invitasjon til å delta i Kunnskapskommunen (%(round)s)", round=round_.title),
        sent_on, "I", HOST, organisations.official_name(case.organisation, sent_on),
        lambda: pdf("invitation", case.id, "archive/letter_pdf.html", letters.locale_of(case.organisation), case=case),
        endpoint="cases.invitation_letter")]


def case_history(case: MembershipCase) -> list[Document]:
    return [Document(
        "saksforlop", _("Saksforløp for medlemskapet til %(name)s", name=case.organisation.display_name),
        clock.today(), "X", str(INTRANET), case.organisation.display_name,
        lambda: pdf("case_history", case.id, "archive/history_pdf.html", case=case, history=cases.history(case),
                    today=clock.today()))]


def documents(case: MembershipCase) -> list[Document]:
    """Every document of the case, oldest first (the export of the history last)."""
    found = [doc for source in wiring().case_documents for doc in source(case)]
    return sorted(found, key=lambda d: (d.key == "saksforlop", d.date))


def case_year(case: MembershipCase) -> int:
    return clock.day_of(case.round.created_at).year


def case_number(case: MembershipCase) -> str:
    """The collaboration's case number: "2016/12" (year the case was opened / case id)."""
    return f"{case_year(case)}/{case.id}"


def _filename(number: int, doc: Document) -> str:
    return f"dokumenter/{number:02d}-{doc.key}.pdf"


def export(case: MembershipCase) -> bytes:
    """The ZIP: arkivuttrekk.json and .xml describing each document, and the documents under dokumenter/."""
    entries, files = [], {}
    for number, doc in enumerate(documents(case), start=1):
        content = doc.render()
        name = _filename(number, doc)
        files[name] = content
        entries.append({
            "journalpostnummer": number,
            "referanse": f"{case_number(case)}-{number}",
            "dokumentdato": doc.date.isoformat(),
            "journalposttype": doc.direction,
            "journalposttype_tekst": str(DIRECTIONS[doc.direction]),
            "avsender": doc.sender,
            "mottaker": doc.recipient,
            "tittel": doc.title,
            "filnavn": name,
            "format": "application/pdf",
            "sjekksum_sha256": hashlib.sha256(content).hexdigest(),
        })
    metadata = {
        "saksnummer": case_number(case),
        "saksaar": case_year(case),
        "sakssekvensnummer": case.id,
        "sakstittel": _("Kunnskapskommunen Helse Omsorg Vest – medlemskap for %(name)s",
                        name=case.organisation.display_name),
        "saksstatus": MEMBERSHIP.label(case.state),
        "part": {"navn": case.organisation.display_name, "kommunenummer": case.organisation.number},
        "runde": case.round.title,
        "eksportert": clock.now().isoformat(timespec="seconds"),
        "journalposter": entries,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("arkivuttrekk.json", json.dumps(metadata, ensure_ascii=False, indent=2))
        archive.writestr("arkivuttrekk.xml", _xml(metadata))
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _xml(metadata: dict) -> bytes:
    """The same metadata as XML: one element per field, <journalpost> per document."""
    root = ElementTree.Element("arkivuttrekk")
    sak = ElementTree.SubElement(root, "sak")
    for key, value in metadata.items():
        if key == "journalposter":
            posts = ElementTree.SubElement(sak, "journalposter")
            for entry in value:
                _fields(ElementTree.SubElement(posts, "journalpost"), entry)
        elif isinstance(value, dict):
            _fields(ElementTree.SubElement(sak, key), value)
        else:
            ElementTree.SubElement(sak, key).text = str(value)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _fields(parent: ElementTree.Element, values: dict) -> None:
    for key, value in values.items():
        ElementTree.SubElement(parent, key).text = "" if value is None else str(value)
