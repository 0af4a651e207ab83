"""Uploads: only plain PDFs are taken (one check for every upload), and what was uploaded is only ever downloaded."""
import io
from datetime import date, datetime, timezone

import pytest
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject
from sqlalchemy import func, select
from weasyprint import HTML

from app.extensions import db
from app.models import AgreementDocument, Meeting, Signature, StoredFile
from app.models.case import MUNICIPALITY_PARTY
from app.services import ServiceError, agreements, meetings, uploads
from tests import factories
from tests.conftest import post


def _pdf(change=None) -> bytes:
    """A one-page PDF made with pypdf, after `change(writer)`."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if change:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _name(text: str) -> NameObject:
    return NameObject(text)


def _action(kind: str, **entries) -> DictionaryObject:
    return DictionaryObject({_name("/S"): _name(kind), **{_name(f"/{k}"): v for k, v in entries.items()}})


def _javascript(writer: PdfWriter) -> None:
    writer.add_open_action(JavaScript("app.alert('Hei');"))


def _open_action(writer: PdfWriter) -> None:
    writer.open_destination = writer.pages[0]


def _page_opens_a_link(writer: PdfWriter) -> None:
    uri = _action("/URI", URI=TextStringObject("https://angriper.example/"))
    writer.pages[0][_name("/AA")] = DictionaryObject({_name("/O"): uri})


def _launch_link(writer: PdfWriter) -> None:
    writer.add_annotation(0, DictionaryObject({
        _name("/Type"): _name("/Annot"), _name("/Subtype"): _name("/Link"),
        _name("/Rect"): ArrayObject(FloatObject(n) for n in (0, 0, 100, 100)),
        _name("/A"): _action("/Launch", F=TextStringObject("calc.exe"))}))


def _attachment(writer: PdfWriter) -> None:
    writer.add_attachment("faktura.exe", b"MZ\x90\x00")


def _encrypted(writer: PdfWriter) -> None:
    writer.encrypt("hemmelig", algorithm="RC4-128")


def _refused(*features: str) -> str:
    names = [str(feature) for feature in features]
    return uploads.REFUSED.format(what=names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1])


PLAIN = _pdf()
WITH_JAVASCRIPT = _pdf(_javascript)
# A PDF whose first lines are also a web page: a browser that sniffs it runs the script.
POLYGLOT = PLAIN.replace(b"\n", b"\n%<html><script>alert(document.domain)</script></html>\n", 1)

REFUSED = {
    "javascript": (WITH_JAVASCRIPT, _refused(uploads.JAVASCRIPT)),
    "javascript, its name written with an escape": (
        WITH_JAVASCRIPT.replace(b"/JavaScript", b"/J#61vaScript"), _refused(uploads.JAVASCRIPT)),
    "open action": (_pdf(_open_action), _refused(uploads.OPEN_ACTION)),
    "additional actions": (_pdf(_page_opens_a_link), _refused(uploads.ADDITIONAL_ACTIONS)),
    "launch action": (_pdf(_launch_link), _refused(uploads.LAUNCH)),
    "embedded file": (_pdf(_attachment), _refused(uploads.EMBEDDED_FILES)),
    "several at once": (_pdf(lambda w: (_attachment(w), _javascript(w), _launch_link(w))),
                        _refused(uploads.JAVASCRIPT, uploads.LAUNCH, uploads.EMBEDDED_FILES)),
    "pdf/html polyglot": (POLYGLOT, str(uploads.HTML_INSIDE)),
    "html after the end": (PLAIN + b"<!DOCTYPE html><body onload=alert(1)>", str(uploads.HTML_INSIDE)),
    "encrypted": (_pdf(_encrypted), str(uploads.ENCRYPTED)),
    "not a pdf": (b"<p>Hei</p>", str(uploads.NOT_PDF)),
    "only the header": (b"%PDF-1.7\n%%EOF\n", str(uploads.NOT_PDF)),
    "cut off": (PLAIN[:len(PLAIN) // 2], str(uploads.NOT_PDF)),
    "pdf header before garbage": (b"%PDF-1.4\n" + bytes(range(256)) * 40, str(uploads.NOT_PDF)),
    "too big": (PLAIN + b"\0" * uploads.MAX_BYTES, str(uploads.TOO_BIG)),
}


@pytest.mark.parametrize("content, message", REFUSED.values(), ids=REFUSED.keys())
def test_what_is_refused_and_why(content, message):
    with pytest.raises(ServiceError) as refused:
        uploads.check_pdf(content, field="document")
    assert (refused.value.message, refused.value.field) == (message, "document")


@pytest.mark.parametrize("content", [PLAIN, factories.pdf("referat"), HTML(string="<h1>Referat</h1>").write_pdf()],
                         ids=["pypdf", "with a title", "weasyprint"])
def test_a_plain_pdf_is_taken(content):
    uploads.check_pdf(content, field="document")


@pytest.mark.parametrize("name, safe", [
    ("Lindås signert.pdf", "lindas-signert.pdf"),
    ('C:\\fakepath\\Avtale "Voss"\r\nSet-Cookie: x.PDF', "avtale-voss-set-cookie-x.pdf"),
    ("../../instance/secret_key", "secret-key.pdf"),
    ("<script>.pdf", "script.pdf"),
    ("ÆØÅ.pdf", "aeoa.pdf"),
    (".pdf", "signert-avtale.pdf"),
    ("x" * 300 + ".pdf", "x" * 100 + ".pdf"),
])
def test_the_stored_name_is_safe(name, safe):
    assert uploads.safe_filename(name, "signert-avtale") == safe


# --- through the forms: every upload takes the same check, and the form keeps what was typed -----------------------

@pytest.fixture
def lindas(orgs, adviser):
    case = factories.issued_case(orgs["Lindås"], by=adviser)
    db.session.commit()
    return case


@pytest.fixture
def meeting(orgs, adviser):
    found = meetings.create("coordination", starts_at=datetime(2026, 1, 20, 9, tzinfo=timezone.utc),
                            ends_at=datetime(2026, 1, 20, 13, tzinfo=timezone.utc), place="Bergen rådhus",
                            invitees=[adviser], actor=adviser, notify=False)
    db.session.commit()
    return found


def _signatures() -> int:
    return db.session.scalar(select(func.count()).select_from(Signature))


@pytest.mark.parametrize("content, message", [REFUSED["javascript"], REFUSED["pdf/html polyglot"]],
                         ids=["javascript", "polyglot"])
def test_the_scanned_agreement_is_refused_on_the_form_with_what_was_typed(client, auth, adviser, lindas, content,
                                                                         message):
    auth.login(adviser)
    path = f"/avtaler/{lindas.agreement.id}/skannet"
    response = post(client, path, {"party": MUNICIPALITY_PARTY, "name": "Olav Hauge", "title": "Rådmann",
                                   "signed_on": "2026-11-23", "document": (io.BytesIO(content), "avtale.pdf")},
                    token_from=path, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message.replace("«", "&laquo;") in html.replace("«", "&laquo;")
    assert 'value="Olav Hauge"' in html and 'value="Rådmann"' in html and 'value="2026-11-23"' in html
    assert _signatures() == 0 and db.session.scalar(select(func.count()).select_from(AgreementDocument)) == 0


@pytest.mark.parametrize("content, message", [REFUSED["javascript"], REFUSED["pdf/html polyglot"]],
                         ids=["javascript", "polyglot"])
def test_the_minutes_are_refused_on_the_form_with_what_was_typed(client, auth, adviser, meeting, content, message):
    auth.login(adviser)
    response = post(client, f"/moter/{meeting.id}/referat",
                    {"minutes": "Sak 1: vedtatt.", "minutes_file": (io.BytesIO(content), "referat.pdf")},
                    token_from=f"/moter/{meeting.id}", content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html and "Sak 1: vedtatt.</textarea>" in html
    assert db.session.get(Meeting, meeting.id).minutes_file is None
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


# --- serving: whatever was uploaded is downloaded, sandboxed and never sniffed ------------------------------------

def _uploaded(response, filename: str) -> None:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f"attachment; filename={filename}"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'; frame-ancestors 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_scanned_copy_is_served_as_a_sandboxed_attachment(client, auth, adviser, lindas):
    agreements.register_upload(lindas.agreement, adviser, party=MUNICIPALITY_PARTY, name="Olav Hauge",
                               title="Rådmann", signed_on=date(2026, 11, 23), filename='Lindås "signert".pdf',
                               content=PLAIN)
    db.session.commit()
    scan = db.session.scalar(select(AgreementDocument))
    auth.login(adviser)
    _uploaded(client.get(f"/avtaler/dokument/{scan.id}"), "lindas-signert.pdf")
    in_the_case = client.get(f"/saker/{lindas.id}/dokumenter/skannet-{scan.id}.pdf")
    _uploaded(in_the_case, f"skannet-{scan.id}-{lindas.id}.pdf")
    assert in_the_case.data == PLAIN
    scan.filename = 'Avtale "Voss"\r\n.pdf'  # as stored before names were made safe
    db.session.commit()
    _uploaded(client.get(f"/avtaler/dokument/{scan.id}"), "avtale-voss.pdf")
    made_here = client.get(f"/saker/{lindas.id}/dokumenter/saksforlop.pdf")  # the app's own PDFs open in the browser
    assert made_here.headers["Content-Disposition"].startswith("inline")
    assert "sandbox" not in made_here.headers["Content-Security-Policy"]


def test_the_minutes_are_served_as_a_sandboxed_attachment(client, auth, adviser, meeting):
    meetings.record_minutes(meeting, text="", pdf=PLAIN, actor=adviser)
    db.session.commit()
    assert meetings.minutes_pdf(meeting) == PLAIN
    auth.login(adviser)
    with client.get(f"/moter/{meeting.id}/referat.pdf") as response:
        _uploaded(response, f"referat-{meeting.id}.pdf")
