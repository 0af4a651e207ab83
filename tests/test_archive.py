"""The case's documents and the ZIP for the municipality's archive: PDFs plus Noark-style metadata."""
import io
import json
import zipfile
from datetime import date
from xml.etree import ElementTree

import pytest

from app.extensions import db
from app.services import archive
from tests import factories


@pytest.fixture
def case(orgs):
    adviser = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne N. Solbakk")
    made = factories.member(factories.historic_round(), orgs["Lindås"], adviser)
    db.session.commit()
    return made


def _zip(client, case) -> zipfile.ZipFile:
    response = client.get(f"/saker/{case.id}/arkiv.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert f'filename="sak-2016-{case.id}.zip"' in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_archive_zip_has_a_metadata_entry_per_document(client, login, case):
    login("municipality_contact", organisation="Lindås")
    with _zip(client, case) as export:
        metadata = json.loads(export.read("arkivuttrekk.json"))
        assert metadata["saksnummer"] == f"2016/{case.id}" and metadata["saksaar"] == 2016
        assert metadata["saksstatus"] == "Aktiv" and metadata["part"]["kommunenummer"] == "1263"
        documents = [name for name in export.namelist() if name.startswith("dokumenter/")]
        entries = metadata["journalposter"]
        assert sorted(e["filnavn"] for e in entries) == sorted(documents) and len(entries) == 2
        for entry in entries:
            assert export.read(entry["filnavn"]).startswith(b"%PDF-")
        letter, history = entries
        assert letter == {**letter, "journalpostnummer": 1, "referanse": f"2016/{case.id}-1",
                          "dokumentdato": "2016-10-03", "journalposttype": "I",
                          "avsender": "Bergen kommune, Byrådsavdeling for helse og omsorg",
                          "mottaker": "Lindås kommune",
                          "tittel": "Invitasjon til å delta i Kunnskapskommunen (Invitasjon 2016)"}
        assert history["journalposttype"] == "X" and history["dokumentdato"] == "2026-11-23"
        xml = ElementTree.fromstring(export.read("arkivuttrekk.xml"))
        assert xml.findtext("sak/saksnummer") == f"2016/{case.id}"
        assert [p.findtext("tittel") for p in xml.iter("journalpost")] == [e["tittel"] for e in entries]


def test_a_new_document_source_appears_in_the_export(client, login, case, monkeypatch):
    agreement = archive.Document("avtale", "Samarbeidsavtale", date(2018, 2, 1), "U", "Lindås kommune",
                                 "Bergen kommune", lambda: b"%PDF-1.4 avtale")
    monkeypatch.setattr(archive, "SOURCES", [*archive.SOURCES, lambda c: [agreement]])
    login("adviser", organisation="Bergen")
    with _zip(client, case) as export:
        entries = json.loads(export.read("arkivuttrekk.json"))["journalposter"]
        assert [e["tittel"] for e in entries][1] == "Samarbeidsavtale"
        assert export.read("dokumenter/02-avtale.pdf") == b"%PDF-1.4 avtale"
    assert "Samarbeidsavtale" in client.get(f"/saker/{case.id}").get_data(as_text=True)


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
