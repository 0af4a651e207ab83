"""Each PDF the app makes is made once per version of what it shows, kept in the database and served from there."""
import io
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import RenderedPdf
from app.services import agreements, organisations, privacy, rendered_pdfs, replies, workflow
from tests import factories


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The HTML of each PDF WeasyPrint is asked to make, in order."""
    made, real = [], rendered_pdfs.HTML

    def counting(*, string, base_url=None):
        made.append(string)
        return real(string=string, base_url=base_url)

    monkeypatch.setattr(rendered_pdfs, "HTML", counting)
    return made


@pytest.fixture
def case(orgs):
    """Lindås, a member since 2018: invitation letter, reply, signed agreement and the case's history."""
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    made = factories.member(factories.historic_round(), orgs["Lindås"], adviser)
    db.session.commit()
    return made


@pytest.fixture
def notice(orgs):
    """Askøy's notice, given by its signatory Per Vik: the notice's PDF shows his name."""
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    askoy = factories.member(factories.historic_round(), orgs["Askøy"], adviser)
    signatory = factories.user("signatory", organisation=orgs["Askøy"], name="Per Vik", title="Rådmann")
    with clock.pinned(date(2026, 3, 2)):
        workflow.approve(agreements.give_notice(askoy, signatory, notice_date=date(2026, 3, 1), reason="Vedtak."),
                         adviser, "Mottatt.")
    db.session.commit()
    return askoy, signatory


def _text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _kept() -> list[tuple[str, int]]:
    return list(db.session.execute(select(RenderedPdf.kind, RenderedPdf.object_id).order_by(RenderedPdf.kind)))


def test_the_second_fetch_of_the_agreement_is_the_kept_copy(client, login, case, renders):
    login("municipality_contact", organisation="Lindås")
    agreement = case.agreement
    first = client.get(f"/avtaler/{agreement.id}/samarbeidsavtale.pdf").data
    assert first.startswith(b"%PDF-") and len(renders) == 1
    assert client.get(f"/avtaler/{agreement.id}/samarbeidsavtale.pdf").data == first
    assert client.get(f"/saker/{case.id}/dokumenter/avtale-{agreement.id}.pdf").data == first  # the same document
    assert len(renders) == 1 and _kept() == [("agreement", agreement.id)]


def test_the_second_archive_zip_renders_nothing(client, login, case, renders):
    login("adviser", organisation="Bergen")

    def documents() -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(client.get(f"/saker/{case.id}/arkiv.zip").data)) as export:
            return {name: export.read(name) for name in export.namelist() if name.startswith("dokumenter/")}

    first = documents()
    assert len(first) == len(renders) == 4  # the letter, the reply, the agreement and the history, each made once
    assert documents() == first and len(renders) == 4
    assert _kept() == [("agreement", case.agreement.id), ("case_history", case.id), ("invitation", case.id),
                       ("reply", replies.latest_reply(case).id)]


def test_a_changed_name_makes_the_document_anew(client, login, notice, renders):
    askoy, signatory = notice
    login("adviser", organisation="Bergen")
    path = f"/saker/{askoy.id}/dokumenter/oppsigelse.pdf"
    assert "Per Vik, Rådmann" in _text(client.get(path).data)
    signatory.name = "Per Olav Vik"
    db.session.commit()
    text = _text(client.get(path).data)
    assert "Per Olav Vik, Rådmann" in text and "Per Vik," not in text and len(renders) == 2
    assert client.get(path).data and len(renders) == 2
    assert _kept() == [("notice", askoy.id)]  # the new version replaced the old one


def test_a_name_the_register_records_for_the_document_s_date_makes_it_anew(client, login, notice, renders):
    """The notice of 01.03.2026 shows the name valid that day: a name from a later day leaves the kept copy, a name
    recorded from before that day makes the document anew."""
    askoy, _ = notice
    adviser = login("adviser", organisation="Bergen")
    path = f"/saker/{askoy.id}/dokumenter/oppsigelse.pdf"
    assert "Askøy kommune" in _text(client.get(path).data)
    organisations.record_change(askoy.organisation, adviser, date(2026, 3, 2), official_name="Askøy herad")
    db.session.commit()
    assert "Askøy kommune" in _text(client.get(path).data) and len(renders) == 1
    organisations.record_change(askoy.organisation, adviser, date(2026, 1, 1), official_name="Askøy by")
    db.session.commit()
    text = _text(client.get(path).data)
    assert "Askøy by" in text and "Askøy kommune" not in text and "Askøy herad" not in text and len(renders) == 2
    assert _kept() == [("notice", askoy.id)]


def test_anonymising_a_person_drops_every_kept_copy(client, login, notice):
    askoy, signatory = notice
    login("adviser", organisation="Bergen")
    path = f"/saker/{askoy.id}/dokumenter/oppsigelse.pdf"
    client.get(path)
    client.get(f"/saker/{askoy.id}/dokumenter/saksforlop.pdf")
    assert len(_kept()) == 2
    privacy.anonymise(signatory, factories.user("admin"))
    db.session.commit()
    assert _kept() == []
    text = _text(client.get(path).data)
    assert f"Anonymisert bruker #{signatory.id}" in text and "Per Vik" not in text


def test_a_new_version_replaces_the_kept_copy_of_the_same_document(app):
    rendered_pdfs.pdf("reply", 1, "<p>Kari</p>")
    rendered_pdfs.pdf("invitation", 1, "<p>Invitasjon</p>")
    newer = rendered_pdfs.pdf("reply", 1, "<p>Kari Nordmann</p>")
    db.session.commit()
    assert _kept() == [("invitation", 1), ("reply", 1)]
    assert db.session.get(RenderedPdf, ("reply", 1)).content == newer and "Kari Nordmann" in _text(newer)
