"""The cooperation agreement: one text for all, issued from the case, read as page and PDF, signed by the right side."""
import hashlib
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app import agreement_text
from app.agreements import routes as agreement_routes
from app.extensions import db
from app.models import Agreement, AgreementDocument, AgreementTemplate, OutboxMessage, Signature
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.models.organisation import BOKMAL
from app.services import ServiceError, agreement_print, agreements, cases, organisations, uploads, workflow
from tests import factories
from tests.conftest import post, unmarked


@pytest.fixture
def orgs(app) -> dict:
    """The organisations, Lindås and Voss writing bokmål: these tests quote the bokmål text (the nynorsk one is
    tested in test_letters.py)."""
    organisations = factories.organisations()
    for name in ("Lindås", "Voss"):
        organisations[name].written_standard = BOKMAL
    db.session.commit()
    return organisations


def _plain(agreement: Agreement) -> str:
    """The agreement's text as one string, the signature block left out."""
    return "\n".join(
        f"{s.number}. {s.title}\n" + "\n".join(b.text or "\n".join(b.items) for b in s.blocks)
        for s in agreements.sections(agreement))


def _signatures() -> int:
    return db.session.scalar(select(func.count()).select_from(Signature))


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def lindas(orgs, adviser):
    """Lindås, said yes in the current round, agreement issued and waiting for signatures."""
    case = factories.issued_case(orgs["Lindås"], by=adviser)
    db.session.commit()
    return case


def test_template_has_sections_1_to_15_without_the_scan_errors(app, lindas):
    text = agreement_text.TEXT
    assert [s.number for s in agreements.sections(lindas.agreement)] == list(range(1, 16))
    for fixed in ("fortløpende", "Synliggjøre", "HelseOmsorg21", "er etablert en", "å ta del", "og innrettes",
                  "• Styrke samarbeidet rundt praksisplasser"):
        assert fixed in text
    for scan_error in ("fortlpende", "Synliggjre", "Helse0msorg21", "etablerert", "åta", " g innrettes", "e Styrke"):
        assert scan_error not in text


def test_agreement_text_identical_for_two_municipalities_apart_from_party_fields(app, orgs, adviser, lindas):
    voss = factories.issued_case(orgs["Voss"], round_=lindas.round, by=adviser)
    db.session.commit()
    a, b = lindas.agreement, voss.agreement
    template = db.session.scalar(select(AgreementTemplate))
    assert a.template_hash == b.template_hash == template.sha256 == \
        hashlib.sha256(agreement_text.TEXT.encode("utf-8")).hexdigest()
    assert agreements.text_matches(a) and agreements.text_matches(b)
    template.text += " Endret i ettertid."
    assert not agreements.text_matches(a)
    assert (a.municipality_name, b.municipality_name) == ("Lindås kommune", "Voss kommune")
    assert "Denne avtalen er inngått mellom Bergen kommune og Lindås kommune." in _plain(a)
    assert "Voss kommune skal bidra med 40\u00a0000 kr årlig i perioden 2027–2030." in _plain(b)
    assert _plain(a).replace("Lindås kommune", "X") == _plain(b).replace("Voss kommune", "X")


def test_changed_template_text_is_flagged_on_the_agreement(app, client, auth, adviser, lindas):
    auth.login(adviser)
    assert "Teksten er identisk med avtalemalen" in client.get(f"/avtaler/{lindas.agreement.id}").get_data(True)
    lindas.agreement.template.text = lindas.agreement.template.text.replace("ett års", "tre måneders")
    db.session.commit()
    html = client.get(f"/avtaler/{lindas.agreement.id}").get_data(as_text=True)
    assert "Advarsel: teksten samsvarer ikke med avtalemalen." in html
    assert "Teksten er identisk" not in html


# The fingerprint of each released VERSION of app/agreement_text.py. Never change a line: a new text gets a new
# VERSION and a line of its own, so agreements already issued keep the text they were signed with.
RELEASED = {1: "79023aedfc1fa506d8ccde02674a69e321009ca95929b83e1f95bd47ce4e29fe"}


def test_the_agreement_text_is_the_released_text_of_its_version():
    assert agreements.fingerprint(agreement_text.TEXT) == RELEASED.get(agreement_text.VERSION), \
        "app/agreement_text.py changed: raise VERSION and add the new fingerprint to RELEASED"


def test_a_text_changed_without_a_new_version_is_not_issued(app, client, auth, orgs, adviser, lindas, monkeypatch):
    voss = factories.accepted_case(orgs["Voss"], round_=lindas.round, by=adviser)
    db.session.commit()
    edited = agreement_text.TEXT.replace("ett års", "tre måneders")
    monkeypatch.setattr(agreement_text, "TEXT", edited)
    refusal = "Avtaleteksten er endret uten nytt versjonsnummer"
    with pytest.raises(ServiceError, match=refusal):
        workflow.perform(voss, "issue_agreement", adviser)
    db.session.rollback()
    auth.login(adviser)
    form = f"/avtaler/sak/{voss.id}/send-til-signering"
    page = client.get(form)
    assert page.status_code == 200 and refusal in page.get_data(as_text=True)
    assert 'name="agreement_end"' not in page.get_data(as_text=True)
    terms = {"agreement_end": "2030-12-31", "contribution": "40000", "contribution_from": "2027",
             "contribution_to": "2030"}
    response = post(client, form, terms, token_from=f"/saker/{voss.id}")
    assert response.status_code == 409 and refusal in response.get_data(as_text=True)
    assert voss.state == "accepted" and db.session.scalar(select(func.count()).select_from(Agreement)) == 1

    monkeypatch.setattr(agreement_text, "VERSION", 2)
    assert "Send avtalen til signering" in client.get(form).get_data(as_text=True)
    workflow.perform(voss, "issue_agreement", adviser)
    assert (voss.agreement.template.version, voss.agreement.template_hash) == (2, agreements.fingerprint(edited))
    assert lindas.agreement.template.version == 1 and agreements.text_matches(lindas.agreement)


def test_adviser_issues_agreement_with_party_fields_from_the_case(app, client, auth, orgs, adviser):
    case = factories.accepted_case(orgs["Lindås"], by=adviser)
    db.session.commit()
    auth.login(adviser)
    page = f"/saker/{case.id}/handling/issue_agreement"
    assert client.get(page).headers["Location"].endswith(f"/avtaler/sak/{case.id}/send-til-signering")
    form = f"/avtaler/sak/{case.id}/send-til-signering"
    assert 'value="2030-12-31"' in client.get(form).get_data(as_text=True)
    response = post(client, form, {"agreement_end": "2030-12-31", "contribution": "40000",
                                   "contribution_from": "2027", "contribution_to": "2030"}, token_from=form)
    assert response.status_code == 302
    agreement = db.session.scalar(select(Agreement))
    assert response.headers["Location"].endswith(f"/avtaler/{agreement.id}")
    assert case.state == "agreement_pending" and case.agreement_end == date(2030, 12, 31)
    assert (agreement.host_name, agreement.host_unit, agreement.municipality_name) == \
        ("Bergen kommune", "Byrådsavdeling for helse og omsorg", "Lindås kommune")
    assert (agreement.contribution, agreement.period, agreement.end_date) == (40_000, "2027–2030", date(2030, 12, 31))
    assert agreement.issued_by_id == adviser.id


def test_issuing_mails_the_municipalitys_signatories_and_contact_in_the_same_transaction(
        app, client, auth, orgs, adviser):
    case = factories.accepted_case(orgs["Lindås"], by=adviser)
    signer = factories.user("signatory", organisation=orgs["Lindås"], name="Olav Hauge")
    contact = factories.user("municipality_contact", organisation=orgs["Lindås"], name="Kari Nordtveit")
    factories.user("signatory", organisation=orgs["Voss"])
    factories.user("signatory", organisation=orgs["Bergen"])
    factories.user("municipality_contact", organisation=orgs["Lindås"]).active = False
    db.session.commit()
    auth.login(adviser)
    form = f"/avtaler/sak/{case.id}/send-til-signering"
    post(client, form, {"agreement_end": "2030-12-31", "contribution": "40000", "contribution_from": "2027",
                        "contribution_to": "2030"}, token_from=form)
    agreement = db.session.scalar(select(Agreement))
    mail = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(mail) == {signer.email, contact.email}
    to_signer = mail[signer.email]
    assert to_signer.subject == "Samarbeidsavtalen er klar til signering"
    assert f"http://kk.test/avtaler/{agreement.id}" in to_signer.body_text
    assert "signere den på vegne av Lindås kommune" in to_signer.body_text and "2027–2030" in to_signer.body_text
    assert "Kommunens signaturberettigede signerer" in mail[contact.email].body_text


def test_issuing_sends_no_mail_when_the_transaction_fails(app, orgs, adviser):
    case = factories.accepted_case(orgs["Lindås"], by=adviser)
    factories.user("signatory", organisation=orgs["Lindås"])
    db.session.commit()
    with pytest.raises(ServiceError):
        workflow.perform(case, "issue_agreement", adviser, data={"agreement_end": "2020-12-31"})
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_contribution_years_beyond_the_agreement_are_refused(app, client, auth, orgs, adviser):
    case = factories.accepted_case(orgs["Lindås"], by=adviser)
    db.session.commit()
    auth.login(adviser)
    form = f"/avtaler/sak/{case.id}/send-til-signering"
    response = post(client, form, {"agreement_end": "2030-12-31", "contribution": "40000",
                                   "contribution_from": "2027", "contribution_to": "2032"}, token_from=form)
    assert response.status_code == 200
    assert "Bidragsperioden kan ikke vare lenger enn avtalen." in response.get_data(as_text=True)
    assert case.state == "accepted" and db.session.scalar(select(func.count()).select_from(Agreement)) == 0


def test_pdf_is_a_real_document_with_both_parties_and_the_fingerprint(app, client, auth, orgs, lindas):
    signer = factories.user("signatory", organisation=orgs["Lindås"], name="Olav Hauge")
    cases.sign(lindas, MUNICIPALITY_PARTY, signer, name="Olav Hauge", title="Rådmann",
                    signed_on=date(2026, 11, 23))
    db.session.commit()
    auth.login(signer)
    response = client.get(f"/avtaler/{lindas.agreement.id}/samarbeidsavtale.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "samarbeidsavtale-lindas-kommune-2027-2030.pdf" in response.headers["Content-Disposition"]
    data = response.get_data()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    text = _pdf_text(data)
    assert "Lindås kommune" in text and "Bergen kommune" in text and "Byrådsavdeling for helse og omsorg" in text
    assert "Olav Hauge" in text and "Rådmann" in text
    assert re.sub(r"\s", "", text).count(lindas.agreement.template_hash) >= 1
    assert "Side 1 av" in text


@pytest.mark.parametrize("role, organisation", [
    ("municipality_contact", "Lindås"),
    ("signatory", "Voss"),
    ("adviser", "Bergen"),
    ("steering_member", "Bergen"),
], ids=["lindas-contact", "voss-signatory", "adviser", "bergen-non-signatory"])
def test_only_a_signatory_of_a_party_may_sign(app, client, login, lindas, role, organisation):
    login(role, organisation=organisation)
    path = f"/avtaler/{lindas.agreement.id}/signer"
    # Who cannot see Lindås' case at all gets 404; who can see it but may not sign gets 403.
    expected = 403 if role in ("municipality_contact", "adviser") else 404
    assert client.get(path).status_code == expected
    assert post(client, path, {"title": "Rådmann", "confirm": "y"}).status_code == expected
    assert _signatures() == 0 and lindas.state == "agreement_pending"


def test_both_signatories_sign_in_the_app_and_the_case_is_signed(app, client, auth, orgs, lindas):
    lindas_signer = factories.user("signatory", organisation=orgs["Lindås"], name="Olav Hauge", title="Rådmann")
    bergen_signer = factories.user("signatory", organisation=orgs["Bergen"], name="Nina Mevold",
                                   title="Kommunaldirektør")
    db.session.commit()
    path = f"/avtaler/{lindas.agreement.id}/signer"

    auth.login(lindas_signer)
    page = client.get(path).get_data(as_text=True)
    assert 'Jeg signerer på vegne av <span translate="no">Lindås kommune</span>' in page and 'value="Rådmann"' in page
    assert post(client, path, {"title": "Kommunedirektør", "confirm": "y"}, token_from=path).status_code == 302
    assert lindas.state == "agreement_pending"
    auth.logout()

    auth.login(bergen_signer)
    assert "på vegne av Bergen kommune, Byrådsavdeling for helse og omsorg" in unmarked(client.get(path).get_data(True))
    assert post(client, path, {"title": "Kommunaldirektør", "confirm": "y"}, token_from=path).status_code == 302
    assert lindas.state == "signed"
    municipality, host = lindas.signed_by(MUNICIPALITY_PARTY), lindas.signed_by(HOST_PARTY)
    assert (municipality.name, municipality.title, municipality.method) == ("Olav Hauge", "Kommunedirektør", "app")
    assert (host.name, host.user_id, host.signed_on) == ("Nina Mevold", bergen_signer.id, date(2026, 11, 23))
    assert municipality.agreement_id == host.agreement_id == lindas.agreement.id
    assert post(client, path, {"title": "Kommunaldirektør", "confirm": "y"}, token_from=path).status_code == 409
    assert _signatures() == 2


def test_signing_needs_the_confirmation(app, client, login, lindas):
    login("signatory", organisation="Lindås")
    path = f"/avtaler/{lindas.agreement.id}/signer"
    response = post(client, path, {"title": "Rådmann"}, token_from=path)
    assert response.status_code == 200
    assert "Kryss av for å bekrefte at du signerer på vegne av Lindås kommune." in response.get_data(as_text=True)
    assert _signatures() == 0


def test_activation_is_impossible_with_one_signature(app, client, auth, orgs, adviser, lindas):
    signer = factories.user("signatory", organisation=orgs["Lindås"])
    agreements.sign(lindas.agreement, signer, title="Rådmann", confirmed=True)
    db.session.commit()
    assert lindas.state == "agreement_pending"
    for trigger, message in (("complete_signing", "Begge parter må ha signert avtalen."),
                             ("activate", "ikke mulig når status er «Avtale til signering»")):
        with pytest.raises(agreements.ServiceError, match=message):
            workflow.perform(lindas, trigger, adviser)
    auth.login(adviser)
    path = f"/saker/{lindas.id}/handling/activate"
    assert post(client, path, {}).status_code == 409
    db.session.refresh(lindas)
    assert lindas.state == "agreement_pending"


def test_signatory_declines_with_a_reason_and_the_adviser_issues_anew(app, orgs, adviser, lindas):
    bergen_signer = factories.user("signatory", organisation=orgs["Bergen"])
    lindas_signer = factories.user("signatory", organisation=orgs["Lindås"])
    agreements.sign(lindas.agreement, bergen_signer, title="Kommunaldirektør", confirmed=True)
    first = lindas.agreement
    with pytest.raises(agreements.ServiceError, match="kommentar"):
        workflow.perform(lindas, "decline_signing", lindas_signer)
    workflow.perform(lindas, "decline_signing", lindas_signer, comment="Kommunestyret må behandle avtalen først.")
    db.session.commit()
    assert lindas.state == "accepted" and lindas.agreement is None and lindas.signatures == []
    assert first.superseded_at is not None and first.signed_by(HOST_PARTY).name == bergen_signer.name
    workflow.perform(lindas, "issue_agreement", adviser)
    db.session.commit()
    assert lindas.agreement.id != first.id and lindas.agreement.signatures == []


def test_only_the_municipalitys_own_signatory_declines_signing_bergens_signs_for_bergen(app, client, auth, orgs,
                                                                                       lindas):
    """Bergen's signatory signs for Bergen on every agreement, but declining is the municipality's decision."""
    bergen_signer = factories.user("signatory", organisation=orgs["Bergen"])
    lindas_signer = factories.user("signatory", organisation=orgs["Lindås"])
    db.session.commit()
    sign_page, decline = f"/avtaler/{lindas.agreement.id}/signer", f"/saker/{lindas.id}/handling/decline_signing"
    auth.login(bergen_signer)
    assert "Avslå signering og skriv hvorfor" not in client.get(sign_page).get_data(as_text=True)
    refused = post(client, decline, {"comment": "Vi vil ikke."}, token_from=decline)
    assert refused.status_code == 409
    assert "Bare kommunens egne signaturberettigede kan avslå signering for kommunen." in refused.get_data(
        as_text=True)
    db.session.refresh(lindas)
    assert lindas.state == "agreement_pending" and lindas.agreement.superseded_at is None
    assert post(client, sign_page, {"title": "Kommunaldirektør", "confirm": "y"}, token_from=sign_page) \
        .status_code == 302
    assert lindas.agreement.signed_by(HOST_PARTY).name == bergen_signer.name
    auth.logout()
    auth.login(lindas_signer)
    assert "Avslå signering og skriv hvorfor" in client.get(sign_page).get_data(as_text=True)
    assert post(client, decline, {"comment": "Kommunestyret må behandle avtalen først."},
                token_from=decline).status_code == 302
    db.session.refresh(lindas)
    assert lindas.state == "accepted"


def test_adviser_registers_a_scanned_signed_copy(app, client, auth, adviser, lindas):
    auth.login(adviser)
    path = f"/avtaler/{lindas.agreement.id}/skannet"
    fields = {"party": MUNICIPALITY_PARTY, "name": "Olav Hauge", "title": "Rådmann", "signed_on": "2026-11-20"}
    early = post(client, path, fields | {"document": (io.BytesIO(factories.pdf()), "avtale.pdf")}, token_from=path,
                 content_type="multipart/form-data")
    assert "kan ikke være før avtalen ble sendt til signering" in early.get_data(as_text=True)
    fields["signed_on"] = "2026-11-23"
    not_pdf = post(client, path, fields | {"document": (io.BytesIO(b"hello"), "avtale.pdf")}, token_from=path,
                   content_type="multipart/form-data")
    assert str(uploads.NOT_PDF) in not_pdf.get_data(as_text=True) and _signatures() == 0
    scan = factories.pdf()
    response = post(client, path, fields | {"document": (io.BytesIO(scan), "Lindås signert.pdf")}, token_from=path,
                    content_type="multipart/form-data")
    assert response.status_code == 302
    signature = lindas.signed_by(MUNICIPALITY_PARTY)
    assert (signature.name, signature.method, signature.user_id, signature.signed_on) == \
        ("Olav Hauge", "upload", adviser.id, date(2026, 11, 23))
    document = db.session.get(AgreementDocument, signature.document_id)
    assert document.filename == "lindas-signert.pdf" and document.agreement_id == lindas.agreement.id
    download = client.get(f"/avtaler/dokument/{document.id}")
    assert download.get_data() == scan and download.mimetype == "application/pdf"
    history = [e.action for e in cases.history(lindas)]
    assert history[-1] == "agreement.sign"


def test_only_the_adviser_registers_scans(app, client, login, lindas):
    login("signatory", organisation="Lindås")
    assert client.get(f"/avtaler/{lindas.agreement.id}/skannet").status_code == 403


def test_another_municipality_does_not_see_the_agreement(app, client, login, lindas):
    login("municipality_contact", organisation="Voss")
    assert client.get(f"/avtaler/{lindas.agreement.id}").status_code == 404
    assert client.get(f"/avtaler/{lindas.agreement.id}/samarbeidsavtale.pdf").status_code == 404


def test_agreement_list_shows_what_waits_for_my_signature(app, client, auth, orgs, adviser, lindas):
    voss = factories.issued_case(orgs["Voss"], round_=lindas.round, by=adviser)
    bergen_signer = factories.user("signatory", organisation=orgs["Bergen"])
    agreements.sign(voss.agreement, bergen_signer, title="Kommunaldirektør", confirmed=True)
    db.session.commit()
    auth.login(bergen_signer)
    assert agreements.awaiting_count(bergen_signer) == 1
    waiting = client.get("/avtaler/?venter=1").get_data(as_text=True)
    assert "Lindås kommune" in waiting and "Voss kommune" not in waiting
    assert "Voss kommune" in client.get("/avtaler/").get_data(as_text=True)


def test_the_agreement_list_is_read_once_per_content_version(app, client, auth, orgs, adviser, lindas, monkeypatch):
    """Bergen's side's list is stored as read: the next visit reads no agreement, one signed after a reading shows
    its signer at once; a municipality's own list is read each time."""
    auth.login(adviser)
    assert "Voss kommune" not in client.get("/avtaler/").get_data(as_text=True)
    reads = []
    monkeypatch.setattr(agreement_routes, "_agreement_page",
                        lambda *args, read=agreement_routes._agreement_page: reads.append(1) or read(*args))
    client.get("/avtaler/?page=7")
    assert reads == []
    factories.issued_case(orgs["Voss"], round_=lindas.round, by=adviser)
    db.session.commit()
    assert "Voss kommune" in client.get("/avtaler/").get_data(as_text=True)
    assert reads == [1]
    auth.logout()
    auth.login("signatory", organisation="Voss")
    client.get("/avtaler/")
    client.get("/avtaler/")
    assert reads == [1, 1, 1]


def test_the_agreement_s_document_is_rendered_once_per_content_version(app, client, auth, orgs, adviser, lindas,
                                                                      monkeypatch):
    """The document on the agreement's page is the same for every reader: the next visit, by anyone who may see it,
    renders nothing; a signature made after a rendering shows in it at once."""
    renders = []
    monkeypatch.setattr(agreement_print, "document",
                        lambda agreement, render=agreement_print.document: renders.append(1) or render(agreement))
    path = f"/avtaler/{lindas.agreement.id}"
    signatory = factories.user("signatory", organisation=orgs["Lindås"])
    db.session.commit()
    auth.login(adviser)
    assert "Signert elektronisk" not in client.get(path).get_data(as_text=True)
    client.get(path)
    auth.logout()
    auth.login(signatory)
    client.get(path)
    assert renders == [1]
    agreements.sign(lindas.agreement, signatory, title="Ordfører", confirmed=True)
    db.session.commit()
    assert "Signert elektronisk" in client.get(path).get_data(as_text=True)
    assert renders == [1, 1]


def test_case_page_links_the_agreement_and_the_signing(app, client, login, lindas):
    login("signatory", organisation="Lindås")
    html = client.get(f"/saker/{lindas.id}").get_data(as_text=True)
    assert f'href="/avtaler/{lindas.agreement.id}"' in html
    assert f'href="/avtaler/{lindas.agreement.id}/signer"' in html
    assert f'href="/avtaler/{lindas.agreement.id}/samarbeidsavtale.pdf"' in html


def test_renewal_issues_a_new_agreement_and_keeps_the_old_signatures(app, orgs, adviser):
    round_ = factories.invitation_round(agreement_end=date(2027, 12, 31), contribution_from=2026, contribution_to=2027)
    case = factories.active_case(orgs["Lindås"], round_=round_, by=adviser)
    old = case.agreement
    db.session.commit()
    assert (old.period, old.end_date) == ("2026–2027", date(2027, 12, 31))
    workflow.perform(case, "renew", adviser, comment="Ny avtaleperiode.")
    db.session.commit()
    new = case.agreement
    assert case.state == "agreement_pending" and new.id != old.id
    assert (new.period, new.end_date, case.agreement_end) == ("2028–2029", date(2029, 12, 31), date(2029, 12, 31))
    assert old.superseded_at is not None and len(old.signatures) == 2
    assert all(s.superseded_at is not None for s in old.signatures) and case.signatures == []


def test_demo_story_agreements_are_real_records(runner):
    assert runner.invoke(args=["seed-demo", "--password", "demo-passord"]).exit_code == 0
    original = db.session.scalar(select(Agreement).where(Agreement.municipality_name == "Lindås kommune"))
    lindas = [original] + db.session.scalars(select(Agreement).where(Agreement.case_id == original.case_id,
                                                                     Agreement.id != original.id)
                                             .order_by(Agreement.id)).all()
    assert [(a.municipality_name, a.period, a.end_date, a.superseded_at is None, a.continues_id) for a in lindas] == [
        ("Lindås kommune", "2018–2022", date(2022, 12, 31), False, None),
        ("Alver kommune", "2018–2022", date(2022, 12, 31), False, original.id),
        ("Alver kommune", "2023–2027", date(2027, 12, 31), True, None)]
    # Lindås and Alver write nynorsk: their agreements are the nynorsk text; Askøy's the bokmål one.
    assert [a.language for a in lindas] == ["nn", "nn", "nn"]
    assert "Lindås kommune skal bidra med 40\u00a0000 kr årleg i perioden 2018–2022." in _plain(lindas[0])
    assert all(agreements.text_matches(a) for a in lindas)
    assert [len(a.signatures) for a in lindas] == [2, 0, 2]
    assert [(s.name, s.title) for s in lindas[2].signatures] == [
        ("Olav Hauge", "Kommunedirektør"), ("Nina Mevold", "Kommunaldirektør")]
    askoy = db.session.scalar(select(Agreement).where(Agreement.municipality_name == "Askøy kommune",
                                                      Agreement.superseded_at.is_(None))).case
    assert (askoy.state, askoy.notice_last_day) == ("notice_given", date(2027, 3, 1))
    assert askoy.agreement.language == "nb"
    masfjorden_scan = db.session.scalar(select(AgreementDocument))
    assert masfjorden_scan.agreement.case.state == "signed" and masfjorden_scan.content.startswith(b"%PDF-")


def test_the_issue_page_reads_the_host_and_the_template_check_once_per_content_version(
        client, auth, orgs, adviser, monkeypatch):
    """The host's official name and the template check are the same for every case: read once per content version
    and stored; a renamed host is named at once."""
    case = factories.accepted_case(orgs["Lindås"], by=adviser)
    db.session.commit()
    reads = []
    host_name = agreements._host_name
    monkeypatch.setattr(agreements, "_host_name", lambda: reads.append(1) or host_name())
    auth.login(adviser)
    form = f"/avtaler/sak/{case.id}/send-til-signering"
    client.get(form)
    assert "Bergen kommune, " in client.get(form).get_data(as_text=True) and len(reads) == 1
    organisations.record_change(orgs["Bergen"], adviser, date(2025, 1, 1), official_name="Bergen bykommune",
                                name="Bergen")
    db.session.commit()
    assert "Bergen bykommune, " in client.get(form).get_data(as_text=True)
