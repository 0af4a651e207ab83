"""Letters follow the recipient: a nynorsk municipality gets its invitation, receipt and agreement in nynorsk, a
bokmål one in bokmål; the agreement is one version in two texts, each fingerprinted, and a signature records which
was signed; mail about a person's own account is in that person's language."""
import hashlib
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app import agreement_text, clock
from app.extensions import db
from app.models import OutboxMessage, Signature
from app.models.case import MUNICIPALITY_PARTY
from app.services import agreement_print, agreements, cases, replies, users
from tests import factories

# The released nynorsk text of each version (the bokmål one is pinned in test_agreements.py).
RELEASED_NN = {1: "0b7e5f4e8861f9bfa48783e67d5ba853057cae7ea8925f9a9bb2626fc0c89e82"}

# Bokmål words that have another form in nynorsk: none may appear in a nynorsk letter.
BOKMAL_WORDS = ("ikke", "fra", "hvis", "nå", "Årlig", "årlige", "gjelder", "endres", "vennlig", "hilsen",
                "styringsgruppen", "prosjektgruppen", "oppsigelse", "Navn", "mottatt", "ennå")


def _bokmal_words(text: str) -> list[str]:
    return [word for word in BOKMAL_WORDS if re.search(rf"(?<!\w){word}(?!\w)", text, re.IGNORECASE)]


@pytest.fixture
def adviser(orgs):
    user = factories.adviser(orgs["Bergen"])
    db.session.commit()
    return user


@pytest.fixture
def contacts(orgs) -> dict:
    """A contact person in Kvam herad (nynorsk) and in Askøy (neutral: letters in bokmål)."""
    found = {name: factories.user("municipality_contact", organisation=orgs[name]) for name in ("Kvam", "Askøy")}
    db.session.commit()
    return found


def _mail(recipient: str, subject_start: str) -> OutboxMessage:
    [message] = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == recipient, OutboxMessage.subject.like(subject_start + "%")))
    return message


def _own_words(message: OutboxMessage) -> tuple[str, str]:
    """The mail's own text and HTML, without the invitation letter it quotes (the round's stored letter)."""
    return message.body_text.split("--- ")[0], message.body_html.split("<hr>")[0]


def _pdf_text(data: bytes) -> str:
    """The PDF's words, with the words hyphenated at a line end joined again."""
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())
    return text.replace("\u2010 ", "")


def test_the_invitation_mail_is_in_the_municipality_s_written_standard(app, orgs, adviser, contacts):
    assert (orgs["Kvam"].written_standard, orgs["Askøy"].written_standard) == ("nynorsk", "neutral")
    factories.sent_round(adviser, [orgs["Kvam"], orgs["Askøy"]])
    db.session.commit()
    kvam = _mail(contacts["Kvam"].email, "Invitasjon til Kunnskapskommunen")
    for own in _own_words(kvam):
        assert "Kvam herad er invitert til å delta i Kunnskapskommunen" in own
        assert "Årleg bidrag: kr 40\u00a0000 i perioden 2027–2029" in own
        assert "Har du ikkje logga inn på intranettet før" in own
        assert "Svarfrist" in own and "15. desember 2026" in own
        assert _bokmal_words(own) == []
    assert 'lang="nn"' in kvam.body_html
    askoy = _mail(contacts["Askøy"].email, "Invitasjon til Kunnskapskommunen")
    for own in _own_words(askoy):
        assert "Årlig bidrag: kr 40\u00a0000" in own and "Har du ikke logget inn" in own
    assert 'lang="nb"' in askoy.body_html


def test_the_reminder_subject_is_in_nynorsk_too(app, orgs, adviser, contacts):
    from app.services import reminders
    round_ = factories.sent_round(adviser, [orgs["Kvam"], orgs["Askøy"]])
    db.session.commit()
    reminders.remind(round_, adviser, clock.today())
    db.session.commit()
    kvam = _mail(contacts["Kvam"].email, "Påminning: svarfrist 15.12.2026 for invitasjonen frå Kunnskapskommunen")
    assert "Vi har ikkje fått svar frå Kvam herad" in kvam.body_text and _bokmal_words(kvam.body_text) == []
    askoy = _mail(contacts["Askøy"].email, "Påminnelse: svarfrist 15.12.2026 for invitasjonen fra Kunnskapskommunen")
    assert "Vi har ikke fått svar fra Askøy kommune" in askoy.body_text


def test_the_reply_receipt_is_in_the_municipality_s_written_standard(app, orgs, adviser, contacts):
    round_ = factories.sent_round(adviser, [orgs["Kvam"], orgs["Askøy"]])
    db.session.commit()
    for case in round_.cases:
        contact = contacts[case.organisation.name]
        replies.reply(case, contact, answer="yes", details=factories.reply_details(contact, contact_title="Rådgjevar"))
    db.session.commit()
    kvam = _mail(contacts["Kvam"].email, "Kvittering: svar på invitasjonen frå Kunnskapskommunen")
    for body in (kvam.body_text, kvam.body_html):
        assert "Takk for svaret. Dette er registrert for Kvam herad:" in body
        assert "Representant i styringsgruppa" in body and "ikkje avklart enno" in body
        assert "Svaret kan endrast fram til svarfristen 15. desember 2026." in body
        assert _bokmal_words(body.replace("Ja, vi ønsker å delta", "")) == []
    assert "Med venleg helsing" in kvam.body_text
    askoy = _mail(contacts["Askøy"].email, "Kvittering: svar på invitasjonen fra Kunnskapskommunen")
    assert "Representant i styringsgruppen: ikke avklart ennå" in askoy.body_text
    assert "Med vennlig hilsen" in askoy.body_text


def test_the_agreement_pdf_and_its_mail_are_in_the_municipality_s_written_standard(app, orgs, adviser, contacts):
    kvam = factories.issued_case(orgs["Kvam"], by=adviser)
    askoy = factories.issued_case(orgs["Askøy"], by=adviser)
    db.session.commit()
    assert (kvam.agreement.language, askoy.agreement.language) == ("nn", "nb")
    text = _pdf_text(agreement_print.pdf(kvam.agreement))
    for nynorsk in ("Denne avtalen er inngått mellom Bergen kommune og Kvam herad.", "Kommunane i samarbeidet",
                    "Styringsgruppa blir leidd av Bergen kommune", "Prosjektgruppa kan setje ned undergrupper",
                    "13. Varigheit og oppseiing", "Avtalen trer i kraft frå underteikninga",
                    "eitt års skriftleg varsel", "Årleg bidrag", "Avtaleteksten er likelydande for alle kommunane",
                    "SIGNATUR", "NAMN", "Fingeravtrykket til teksten (SHA-256): 0b7e5f4e8861f9bf…"):
        assert nynorsk in text
    # the title of Bergen's plan is quoted as it is written
    assert _bokmal_words(text.replace("helse- og omsorgstjenesten i Bergen kommune", "")) == []
    bokmal = _pdf_text(agreement_print.pdf(askoy.agreement))
    assert "ett års skriftlig varsel" in bokmal and "Årlig bidrag" in bokmal and "Styringsgruppen ledes" in bokmal
    issued = _mail(contacts["Kvam"].email, "Samarbeidsavtalen er klar til signering")
    assert "Avtalen gjeld til 31.12.2030, og det årlege bidraget er kr 40\u00a0000." in issued.body_text
    assert _bokmal_words(issued.body_text) == []


def test_one_version_two_texts_each_fingerprinted_and_the_signature_records_the_nynorsk_one(
        app, client, auth, orgs, adviser):
    assert agreements.fingerprint(agreement_text.TEXT_NN) == RELEASED_NN.get(agreement_text.VERSION), \
        "the nynorsk text in app/agreement_text.py changed: raise VERSION and add its fingerprint to RELEASED_NN"
    case = factories.issued_case(orgs["Kvam"], by=adviser)
    template = agreements.current_template()
    assert template.sha256 == hashlib.sha256(agreement_text.TEXT.encode()).hexdigest()
    assert template.sha256_nn == hashlib.sha256(agreement_text.TEXT_NN.encode()).hexdigest() != template.sha256
    agreement = case.agreement
    assert agreement.template_hash == template.sha256_nn and agreements.text_matches(agreement)
    signer = factories.user("signatory", organisation=orgs["Kvam"])
    cases.sign(case, MUNICIPALITY_PARTY, signer, name=signer.name, title="Kommunedirektør", signed_on=clock.today())
    db.session.commit()
    signature = db.session.scalar(select(Signature).where(Signature.agreement_id == agreement.id))
    assert (signature.language, signature.text_sha256) == ("nn", template.sha256_nn)
    auth.login(adviser)
    page = client.get(f"/avtaler/{agreement.id}").get_data(as_text=True)
    assert "Signert på nynorsk" in page and "Kommunane i samarbeidet er like partar" in page
    template.text_nn += " Endra i etterkant."
    assert not agreements.text_matches(agreement)


def test_mail_about_a_person_s_own_account_follows_their_language(app, orgs):
    """User.language arrives with revision 0038; until then a person's mail is bokmål."""
    nynorsk = factories.user(organisation=orgs["Askøy"], password=None)
    bokmal = factories.user(organisation=orgs["Kvam"], password=None)
    nynorsk.language = "nn"
    for person in (nynorsk, bokmal):
        users.send_password_link(person, None)
    db.session.commit()
    own = _mail(nynorsk.email, "Invitasjon til intranettet for Kunnskapskommunen")
    assert "Vel passord her (lenkja verkar i" in own.body_text and "Brukarnamnet ditt er" in own.body_text
    assert _bokmal_words(own.body_text) == []
    other = _mail(bokmal.email, "Invitasjon til intranettet for Kunnskapskommunen")
    assert "Velg passord her (lenken virker i" in other.body_text
