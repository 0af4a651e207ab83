"""Sealed agreements (issue 21): the signed PDF sealed once per agreement version (PAdES), and its check by the
page and the command."""
import io
from datetime import datetime, timedelta, timezone

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.models import SealedAgreement
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import agreements, cases, organisations, seal_checks, seal_keys, seals, tick, uploads, workflow
from tests import factories
from tests.conftest import post

PASSWORD = "seglpassord"


@pytest.fixture(scope="module")
def p12() -> bytes:
    return seal_keys.test_pkcs12(PASSWORD)


@pytest.fixture(scope="module")
def other_p12() -> bytes:
    return seal_keys.test_pkcs12(PASSWORD, authority="Annen CA", holder="Noen andre")


@pytest.fixture
def sealing(app, tmp_path, p12):
    """The app seals with a test certificate of its own CA."""
    path = tmp_path / "seal.p12"
    path.write_bytes(p12)
    app.config.update(SEAL_P12_PATH=str(path), SEAL_P12_PASSWORD=PASSWORD)
    return path


def _ca(p12: bytes) -> asn1_x509.Certificate:
    _, _, chain = pkcs12.load_key_and_certificates(p12, PASSWORD.encode())
    return asn1_x509.Certificate.load(chain[0].public_bytes(serialization.Encoding.DER))


def _signed(orgs, adviser, **kwargs):
    host_signer = factories.user("signatory", organisation=orgs["Bergen"], name="Harald Bergen")
    municipal_signer = factories.user("signatory", organisation=orgs["Lindås"], name="Liv Lindås")
    case = factories.signed_case(orgs["Lindås"], adviser, host_signer, municipal_signer, **kwargs)
    db.session.commit()
    return case


def _sealed_row(case) -> SealedAgreement:
    return db.session.scalar(select(SealedAgreement).where(SealedAgreement.agreement_id == case.agreement.id))


def _last_page_text(content: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(content)).pages[-1].extract_text().split())


# --- sealing ------------------------------------------------------------------------------------------------------

def test_a_fully_signed_agreement_is_sealed_and_validates_against_the_test_ca(sealing, p12, orgs, adviser):
    case = _signed(orgs, adviser)
    row = _sealed_row(case)
    assert row.level == "B-B"
    reader = PdfFileReader(io.BytesIO(row.content))
    [seal] = reader.embedded_regular_signatures
    status = validate_pdf_signature(seal, ValidationContext(trust_roots=[_ca(p12)], allow_fetching=False,
                                                            revocation_mode="soft-fail"))
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.modification_level == ModificationLevel.NONE
    assert seal.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert seal_checks.check(row.content).status == seal_checks.OK


def test_the_seal_does_not_validate_against_another_ca(sealing, other_p12, orgs, adviser):
    row = _sealed_row(_signed(orgs, adviser))
    [seal] = PdfFileReader(io.BytesIO(row.content)).embedded_regular_signatures
    status = validate_pdf_signature(seal, ValidationContext(trust_roots=[_ca(other_p12)], allow_fetching=False))
    assert status.intact and not status.trusted


def test_the_signature_page_lists_who_signed_for_whom_and_how(sealing, orgs, adviser):
    host_signer = factories.user("signatory", organisation=orgs["Bergen"], name="Harald Bergen")
    case = factories.issued_case(orgs["Lindås"], by=adviser)
    # Renamed from tomorrow: the page names the municipality as registered on the day it signed.
    organisations.record_change(orgs["Lindås"], adviser, clock.today() + timedelta(days=1),
                                official_name="Alver kommune", name="Alver")
    scan = factories.pdf()
    agreements.register_upload(case.agreement, adviser, party=MUNICIPALITY_PARTY, name="Papir Signatar",
                               title="Ordfører", signed_on=clock.today(), filename="skannet.pdf", content=scan)
    cases.sign(case, HOST_PARTY, host_signer, name=host_signer.name, title="Byrådsleder", signed_on=clock.today())
    db.session.commit()
    page = _last_page_text(_sealed_row(case).content)
    assert "Signaturside" in page
    assert "Harald Bergen Byrådsleder Bergen kommune" in page and "i intranettet" in page
    assert "Papir Signatar Ordfører Lindås kommune" in page and "på papir (skannet kopi)" in page
    assert "Alver" not in page
    assert adviser.name not in page  # the adviser registered the scan; the paper signer signed it
    assert case.agreement.template_hash in page.replace(" ", "")


def test_sealed_once_per_agreement_version(sealing, orgs, adviser, monkeypatch, client, login):
    case = _signed(orgs, adviser)
    first = _sealed_row(case)
    made = []
    monkeypatch.setattr(seals, "HTML", lambda *a, **k: made.append(1))
    assert seals.seal(case.agreement) is first
    tick.run(clock.today())
    assert made == []
    login(adviser)
    key = seals.sealed_key(case.agreement)
    assert f"/saker/{case.id}/dokumenter/{key}.pdf" in client.get(f"/avtaler/{case.agreement.id}").get_data(
        as_text=True)
    downloads = [client.get(f"/saker/{case.id}/dokumenter/{key}.pdf") for _ in range(2)]
    assert [d.status_code for d in downloads] == [200, 200]
    assert downloads[0].data == downloads[1].data == _sealed_row(case).content == first.content
    assert made == []
    assert db.session.scalar(select(func.count()).select_from(SealedAgreement)) == 1


def test_a_renewal_is_a_new_version_sealed_on_its_own(sealing, orgs, adviser):
    case = _signed(orgs, adviser)
    workflow.perform(case, "activate", adviser)
    first = _sealed_row(case)
    first_content = first.content
    factories.renewed(case, adviser, clock.today(), {"agreement_end": "2034-12-31"})
    db.session.commit()
    rows = db.session.scalars(select(SealedAgreement).order_by(SealedAgreement.id)).all()
    assert [r.agreement_id for r in rows] == [first.agreement_id, case.agreement.id]
    assert rows[0].content == first_content
    titles = [d.key for d in seals.sealed_documents(case)]
    assert titles == [f"forseglet-{first.agreement_id}", f"forseglet-{case.agreement.id}"]


def test_without_a_certificate_the_signature_stands_and_the_daily_job_seals_later(app, tmp_path, p12, orgs,
                                                                                     adviser):
    case = _signed(orgs, adviser)
    assert case.state == "signed" and _sealed_row(case) is None
    path = tmp_path / "seal.p12"
    path.write_bytes(p12)
    app.config.update(SEAL_P12_PATH=str(path), SEAL_P12_PASSWORD=PASSWORD)
    assert seals.seal_due(clock.today()) == ["Forsegling: 1 signerte avtaler forseglet."]
    assert _sealed_row(case) is not None
    assert seals.seal_due(clock.today()) == []


def test_a_failing_seal_does_not_undo_the_signature(sealing, app, orgs, adviser, caplog):
    app.config["SEAL_P12_PASSWORD"] = "feil"
    case = _signed(orgs, adviser)
    assert case.state == "signed" and case.both_signed
    assert _sealed_row(case) is None
    assert "ble ikke forseglet" in caplog.text


# --- B-LTA with a timestamp service (pyHanko's own test timestamper) ----------------------------------------------

def _tsa():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test-TSA")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(key, hashes.SHA256()))
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)), \
        translate_pyca_cryptography_key_to_asn1(key)


def test_with_a_timestamp_service_the_seal_is_b_lta_and_still_checks_as_ours(sealing, p12, orgs, adviser,
                                                                              monkeypatch):
    tsa_cert, tsa_key = _tsa()
    context = ValidationContext(trust_roots=[_ca(p12), tsa_cert], allow_fetching=False,
                                revocation_mode="soft-fail")
    monkeypatch.setattr(seals, "timestamping", lambda: (DummyTimeStamper(tsa_cert, tsa_key), context))
    row = _sealed_row(_signed(orgs, adviser))
    assert row.level == "B-LTA"
    reader = PdfFileReader(io.BytesIO(row.content))
    assert [s.sig_object_type for s in reader.embedded_signatures] == ["/Sig", "/DocTimeStamp"]
    assert "/DSS" in reader.root
    status = validate_pdf_signature(reader.embedded_regular_signatures[0], context)
    assert status.modification_level == ModificationLevel.LTA_UPDATES and status.timestamp_validity
    assert seal_checks.check(row.content).status == seal_checks.OK


# --- checking: the service, the page and the command ------------------------------------------------------------

def _flip_byte_in_a_stream(content: bytes) -> bytes:
    """One byte changed inside the agreement text's compressed content (the file still parses)."""
    start = content.index(b"stream", len(content) // 4) + 20
    changed = bytearray(content)
    changed[start] ^= 0x01
    return bytes(changed)


def _appended_update(content: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    writer.root["/PageMode"] = generic.NameObject("/UseOutlines")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _sealed_by(p12: bytes, content: bytes) -> bytes:
    signer = signers.SimpleSigner.load_pkcs12_data(p12, (), passphrase=PASSWORD.encode())
    meta = signers.PdfSignatureMetadata(field_name=f"Annen{len(content)}", subfilter=fields.SigSeedSubFilter.PADES)
    return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(content)), meta, signer=signer).getvalue()


@pytest.fixture
def sealed_content(sealing, orgs, adviser) -> bytes:
    return _sealed_row(_signed(orgs, adviser)).content


@pytest.fixture
def tampered(sealed_content, other_p12):
    return {
        seal_checks.CHANGED: _flip_byte_in_a_stream(sealed_content),
        seal_checks.UPDATED: _appended_update(sealed_content),
        seal_checks.OTHER_CERTIFICATE: _sealed_by(other_p12, sealed_content),
        seal_checks.UNSEALED: factories.pdf("usignert"),
        seal_checks.UNREADABLE: b"%PDF-1.7\nikke en pdf",
    }


def test_the_check_finds_our_agreement_and_who_signed(sealed_content):
    finding = seal_checks.check(sealed_content)
    assert finding.status == seal_checks.OK
    assert "Lindås kommune" in finding.message and f"avtale nr. {finding.sealed.agreement_id}" in finding.message
    assert [(s.name, s.party) for s in finding.signers] == [("Harald Bergen", HOST_PARTY),
                                                            ("Liv Lindås", MUNICIPALITY_PARTY)]


def test_the_check_tells_each_kind_of_tampering(tampered):
    for expected, content in tampered.items():
        assert seal_checks.check(content).status == expected, expected


def test_a_re_seal_of_the_document_with_another_key_is_another_certificate(sealed_content, other_p12):
    original = sealed_content[:sealed_content.index(b"%%EOF") + 6]  # the rendered document before sealing
    assert PdfFileReader(io.BytesIO(original)).embedded_regular_signatures == []
    finding = seal_checks.check(_sealed_by(other_p12, original))
    assert finding.status == seal_checks.OTHER_CERTIFICATE and "Noen andre" in finding.message


def test_the_check_refuses_more_than_10_mb_and_what_is_no_pdf(sealing):
    assert seal_checks.check(b"%PDF-" + b"0" * uploads.MAX_BYTES).status == seal_checks.TOO_BIG
    assert seal_checks.check(b"<html>").status == seal_checks.UNREADABLE


def test_a_seal_from_our_certificate_of_a_document_we_never_sealed_is_unknown(sealing, p12):
    assert seal_checks.check(_sealed_by(p12, factories.pdf("falsk"))).status == seal_checks.UNKNOWN


def test_the_page_checks_an_upload_and_keeps_nothing(client, login, sealed_content, tampered):
    login("project_member")
    page = client.get("/avtaler/kontroll")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.get_data(as_text=True)
    before = db.session.scalar(select(func.count()).select_from(SealedAgreement))
    for expected, content in {seal_checks.OK: sealed_content, **tampered}.items():
        response = post(client, "/avtaler/kontroll", {"document": (io.BytesIO(content), "avtale.pdf")},
                        token_from="/avtaler/kontroll", content_type="multipart/form-data")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert f'data-status="{expected}"' in html, expected
    assert "Harald Bergen" in post(client, "/avtaler/kontroll",
                                   {"document": (io.BytesIO(sealed_content), "avtale.pdf")},
                                   token_from="/avtaler/kontroll",
                                   content_type="multipart/form-data").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SealedAgreement)) == before


def test_the_page_refuses_a_post_without_csrf_token(client, login, sealed_content):
    login("project_member")
    response = client.post("/avtaler/kontroll", data={"document": (io.BytesIO(sealed_content), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "data-status" not in response.get_data(as_text=True)


def test_the_command_checks_a_file(runner, tmp_path, sealed_content, tampered):
    good = tmp_path / "avtale.pdf"
    good.write_bytes(sealed_content)
    result = runner.invoke(args=["agreements", "verify", str(good)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: ") and "Liv Lindås" in result.output and "nivå PAdES B-B" in result.output
    for expected, content in tampered.items():
        bad = tmp_path / f"{expected}.pdf"
        bad.write_bytes(content)
        result = runner.invoke(args=["agreements", "verify", str(bad)])
        assert result.exit_code == 1 and result.output.startswith("IKKE GODKJENT: "), expected
        assert result.output.splitlines()[0].removeprefix("IKKE GODKJENT: ") == seal_checks.check(content).message


def test_make_test_seal_writes_a_key_the_app_seals_with(app, runner, tmp_path, orgs, adviser):
    target = tmp_path / "instance" / "seal.p12"
    app.config.update(SEAL_P12_PATH=str(target), SEAL_P12_PASSWORD=PASSWORD)
    result = runner.invoke(args=["agreements", "make-test-seal"])
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o777 == 0o600
    assert seal_keys.load().signer.signing_cert.subject.native["common_name"] == seal_keys.TEST_SEAL
    assert runner.invoke(args=["agreements", "make-test-seal"]).exit_code == 1  # never overwrites a key
    assert runner.invoke(args=["agreements", "make-test-seal", "--keep"]).exit_code == 0
    assert _sealed_row(_signed(orgs, adviser)) is not None
