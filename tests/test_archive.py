"""The case's documents and the ZIP for the municipality's archive: PDFs plus Noark-style metadata."""
import dataclasses
import hashlib
import io
import json
import zipfile
from datetime import date
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from app import clock
from app.extensions import db
from app.services import agreements, archive, replies, workflow
from tests import factories


@pytest.fixture
def case(orgs):
    adviser = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne N. Solbakk")
    made = factories.member(factories.historic_round(), orgs["Lindås"], adviser)
    db.session.commit()
    return made


def _zip(client, case, year: int = 2016) -> zipfile.ZipFile:
    response = client.get(f"/saker/{case.id}/arkiv.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert f'filename="sak-{year}-{case.id}.zip"' in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_archive_zip_has_a_metadata_entry_per_document(client, login, case):
    login("municipality_contact", organisation="Lindås")
    with _zip(client, case) as export:
        metadata = json.loads(export.read("arkivuttrekk.json"))
        assert metadata["saksnummer"] == f"2016/{case.id}" and metadata["saksaar"] == 2016
        assert metadata["saksstatus"] == "Aktiv" and metadata["part"]["kommunenummer"] == "1263"
        documents = [name for name in export.namelist() if name.startswith("dokumenter/")]
        entries = metadata["journalposter"]
        assert sorted(e["filnavn"] for e in entries) == sorted(documents) and len(entries) == 4
        for entry in entries:
            content = export.read(entry["filnavn"])
            assert content.startswith(b"%PDF-") and entry["sjekksum_sha256"] == hashlib.sha256(content).hexdigest()
        letter, reply, agreement, history = entries
        assert letter == {**letter, "journalpostnummer": 1, "referanse": f"2016/{case.id}-1",
                          "dokumentdato": "2016-10-03", "journalposttype": "I",
                          "avsender": "Bergen kommune, Byrådsavdeling for helse og omsorg",
                          "mottaker": "Lindås kommune",
                          "tittel": "Invitasjon til å delta i Kunnskapskommunen (Invitasjon 2016)"}
        assert reply == {**reply, "dokumentdato": "2016-11-01", "journalposttype": "U", "avsender": "Lindås kommune",
                         "mottaker": "Bergen kommune, Byrådsavdeling for helse og omsorg",
                         "tittel": "Svar på invitasjonen: Ja, vi ønsker å delta"}
        assert agreement == {**agreement, "dokumentdato": "2018-01-30", "journalposttype": "I",
                             "tittel": "Samarbeidsavtale 2018–2027 (signert)"}
        text = _pdf_text(export.read(agreement["filnavn"]))
        assert "Lindås kommune" in text and "Signert Person" in text
        assert history["journalposttype"] == "X" and history["dokumentdato"] == "2026-11-23"
        xml = ElementTree.fromstring(export.read("arkivuttrekk.xml"))
        assert xml.findtext("sak/saksnummer") == f"2016/{case.id}"
        assert [p.findtext("tittel") for p in xml.iter("journalpost")] == [e["tittel"] for e in entries]


def _pdf_text(content: bytes) -> str:
    """The text of a PDF made by WeasyPrint, as the agreement tests read it."""
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_new_document_source_appears_in_the_export(app, client, login, case, monkeypatch):
    agreement = archive.Document("avtale", "Samarbeidsavtale på papir", date(2018, 2, 1), "U", "Lindås kommune",
                                 "Bergen kommune", lambda: b"%PDF-1.4 avtale")
    wired = app.extensions["wiring"]
    monkeypatch.setitem(app.extensions, "wiring",
                        dataclasses.replace(wired, case_documents=(*wired.case_documents, lambda c: [agreement])))
    login("adviser", organisation="Bergen")
    with _zip(client, case) as export:
        entries = json.loads(export.read("arkivuttrekk.json"))["journalposter"]
        assert [e["tittel"] for e in entries][3] == "Samarbeidsavtale på papir"
        assert export.read("dokumenter/04-avtale.pdf") == b"%PDF-1.4 avtale"
    assert "Samarbeidsavtale på papir" in client.get(f"/saker/{case.id}").get_data(as_text=True)


def test_case_page_lists_the_documents_and_the_letter_reads_as_a_page(client, login, case):
    login("municipality_contact", organisation="Lindås")
    html = client.get(f"/saker/{case.id}").get_data(as_text=True)
    assert "Dokumenter" in html and f'href="/saker/{case.id}/dokumenter/invitasjon"' in html
    assert f'href="/saker/{case.id}/arkiv.zip"' in html
    letter = client.get(f"/saker/{case.id}/dokumenter/invitasjon").get_data(as_text=True)
    assert "Bergen kommune inviterer kommunene." in letter and "Lindås kommune" in letter
    assert "Bergen, 3. oktober 2016" in letter
    pdf = client.get(f"/saker/{case.id}/dokumenter/saksforlop.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")


@pytest.mark.parametrize("path", ["arkiv.zip", "dokumenter/invitasjon", "dokumenter/invitasjon.pdf"])
def test_another_municipality_cannot_get_the_documents(client, login, case, path):
    login("municipality_contact", organisation="Voss")
    assert client.get(f"/saker/{case.id}/{path}").status_code == 404


def test_unknown_document_is_404(client, login, case):
    login("adviser", organisation="Bergen")
    assert client.get(f"/saker/{case.id}/dokumenter/finnes-ikke.pdf").status_code == 404


def test_every_agreement_and_the_scanned_copies_are_documents(client, login, case):
    adviser = factories.user("adviser", organisation=case.organisation)
    workflow.perform(case, "renew", adviser)
    agreements.register_upload(case.agreement, adviser, party="municipality", name="Olav Hauge", title="Rådmann",
                               signed_on=date(2026, 11, 23), filename="signert.pdf", content=factories.pdf())
    db.session.commit()
    first, renewed = reversed(agreements.for_case(case))
    scan = renewed.documents[0]
    login("municipality_contact", organisation="Lindås")
    with _zip(client, case) as export:
        entries = json.loads(export.read("arkivuttrekk.json"))["journalposter"]
        assert [(e["tittel"], e["journalposttype"]) for e in entries][2:5] == [
            ("Samarbeidsavtale 2018–2027 (signert, senere erstattet)", "I"),
            ("Samarbeidsavtale 2028–2037 (til signering)", "I"),
            ("Signert samarbeidsavtale 2028–2037 fra Lindås kommune (skannet)", "U")]
        assert entries[4]["avsender"] == "Lindås kommune" and entries[4]["dokumentdato"] == "2026-11-23"
        assert export.read(entries[4]["filnavn"]) == factories.pdf()
    html = client.get(f"/saker/{case.id}").get_data(as_text=True)
    assert f'href="/avtaler/{first.id}">Samarbeidsavtale 2018–2027 (signert, senere erstattet)</a>' in html
    assert f'href="/avtaler/dokument/{scan.id}">' in html
    assert client.get(f"/saker/{case.id}/dokumenter/avtale-{renewed.id}.pdf").data.startswith(b"%PDF-")


def test_a_written_notice_is_a_document_with_its_reason_and_effective_date(client, login, orgs):
    adviser = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne N. Solbakk")
    askoy = factories.member(factories.historic_round(), orgs["Askøy"], adviser)
    signatory = factories.user("signatory", organisation=orgs["Askøy"], name="Per Vik", title="Rådmann")
    with clock.pinned(date(2026, 3, 2)):
        request = agreements.give_notice(askoy, signatory, notice_date=date(2026, 3, 1),
                                         reason="Vedtak i kommunestyret 26.02.2026.")
        workflow.approve(request, adviser, "Mottatt.")
    db.session.commit()
    login("adviser", organisation="Bergen")
    with _zip(client, askoy) as export:
        entries = json.loads(export.read("arkivuttrekk.json"))["journalposter"]
        notice = next(e for e in entries if e["tittel"] == "Skriftlig oppsigelse av samarbeidsavtalen")
        assert notice == {**notice, "dokumentdato": "2026-03-01", "journalposttype": "U", "avsender": "Askøy kommune",
                          "mottaker": "Bergen kommune, Byrådsavdeling for helse og omsorg"}
        text = _pdf_text(export.read(notice["filnavn"]))
    for fact in ("01.03.2026", "Per Vik, Rådmann", "Vedtak i kommunestyret 26.02.2026.", "1. mars 2027",
                 "Marianne N. Solbakk"):
        assert fact in text
    assert "Skriftlig oppsigelse av samarbeidsavtalen" in client.get(f"/saker/{askoy.id}").get_data(as_text=True)


def test_the_reply_is_an_outgoing_document_with_the_answer(client, login, orgs):
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    round_ = factories.sent_round(adviser, [orgs["Fjell"]])
    fjell = round_.cases[0]
    contact = factories.user("municipality_contact", organisation=orgs["Fjell"], name="Marit Fjeld")
    replies.reply(fjell, contact, answer="yes", comment="Vi vil vere med.",
                  details=factories.reply_details(contact, steering_rep="Bjørn Sandvik"))
    db.session.commit()
    login("adviser", organisation="Bergen")
    with _zip(client, fjell, year=2026) as export:
        entries = json.loads(export.read("arkivuttrekk.json"))["journalposter"]
        reply = next(e for e in entries if e["tittel"].startswith("Svar på invitasjonen"))
        assert reply["journalposttype"] == "U" and reply["avsender"] == "Fjell kommune"
        text = _pdf_text(export.read(reply["filnavn"]))
    for fact in ("Ja, vi ønsker å delta", "Marit Fjeld", "Bjørn Sandvik", "Vi vil vere med."):
        assert fact in text
