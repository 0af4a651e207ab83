"""Every download is made once per content version and stored: the second fetch makes nothing, anything shown
changing (anonymisation included) makes it anew, a browser's second fetch is answered 304, and neither a stored copy
nor a 304 goes to someone who may not have the document."""
import csv
import io
import re
import zipfile
from datetime import date, datetime, timezone

import pytest
from pypdf import PdfReader
from sqlalchemy import event, select, update

from app import clock, history
from app.extensions import db
from app.models import AgreementDocument, ContentVersion, Organisation, StoredDocument
from app.models.case import MUNICIPALITY_PARTY
from app.models.meeting import STEERING_MEETING
from app.public import facts
from app.services import (agreement_print, agreements, archive, audit, conference_exports, conferences,
                          contributions, cost_keys, invoice_basis, meetings, organisations, privacy, replies,
                          stored_documents, uploads, workflow)
from app.services import overview as overview_service
from tests import conference_world, factories
from workflows.key_shares import PERCENT


@pytest.fixture
def case(orgs, adviser):
    """Lindås, a member since 2018: invitation letter, reply, signed agreement and the case's history."""
    made = factories.member(factories.historic_round(), orgs["Lindås"], adviser)
    db.session.commit()
    return made


@pytest.fixture
def decided_key(orgs, adviser):
    draft = cost_keys.KeyDraft(2025, 2027, 1_000_001, PERCENT, orgs["Helse Bergen"].id, {
        orgs["Bergen"].id: 3333, orgs["Universitetet i Bergen"].id: 3333, orgs["Helse Bergen"].id: 3334})
    key = cost_keys.create(draft, adviser)
    workflow.perform(key, "submit", adviser)
    steering = factories.user("steering_member", organisation=orgs["Helse Bergen"])
    workflow.perform(key, "decide", steering, comment="Vedtatt.",
                     data={"decided_on": date(2025, 1, 20).isoformat(), "agenda_item": "Sak 4/2025"})
    db.session.commit()
    return key


def _counting(monkeypatch, module, name: str) -> list:
    calls, real = [], getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


# (path, the module and function that makes it) — every document the app makes on request
MADE = {
    "history PDF": (lambda c, k: f"/saker/{c.id}/dokumenter/saksforlop.pdf", archive, "render_template"),
    "reply PDF": (lambda c, k: f"/saker/{c.id}/dokumenter/svar-{replies.latest_reply(c).id}.pdf", archive, "render_template"),
    "archive ZIP": (lambda c, k: f"/saker/{c.id}/arkiv.zip", archive, "export"),
    "agreement PDF": (lambda c, k: f"/avtaler/{c.agreement.id}/samarbeidsavtale.pdf", agreement_print, "pdf"),
    "overview CSV": (lambda c, k: "/oversikt.csv?status=active&sort=-name", overview_service, "to_csv"),
    "invoice basis CSV": (lambda c, k: "/medlemskap/bidrag/fakturagrunnlag/2026.csv", invoice_basis, "to_csv"),
    "invoice basis Excel": (lambda c, k: "/medlemskap/bidrag/fakturagrunnlag/2026.xlsx", invoice_basis, "to_xlsx"),
    "cost key CSV": (lambda c, k: f"/okonomi/fordelingsnokkel/{k.id}.csv", cost_keys, "to_csv"),
    "cost key Excel": (lambda c, k: f"/okonomi/fordelingsnokkel/{k.id}.xlsx", cost_keys, "to_xlsx"),
}


@pytest.mark.parametrize("name", MADE)
def test_the_second_fetch_makes_nothing_and_a_change_makes_it_anew(client, auth, adviser, case, decided_key,
                                                                   monkeypatch, name):
    path, module, function = MADE[name]
    path = path(case, decided_key)
    calls = _counting(monkeypatch, module, function)
    auth.login(adviser)
    first = client.get(path)
    assert first.status_code == 200 and first.data and len(calls) == 1
    second = client.get(path)
    assert second.data == first.data and len(calls) == 1
    organisations.record_change(case.organisation, adviser, date(2026, 1, 1), official_name="Lindås herad")
    db.session.commit()
    assert client.get(path).status_code == 200 and len(calls) == 2


@pytest.mark.parametrize("name", MADE)
def test_a_browser_s_second_fetch_is_answered_304_until_something_changes(client, auth, adviser, case, decided_key,
                                                                         name):
    path = MADE[name][0](case, decided_key)
    auth.login(adviser)
    first = client.get(path)
    assert first.headers["Cache-Control"] == "private, no-cache" and first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    case.organisation.name = "Lindås herad"
    db.session.commit()
    changed = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_anonymising_the_person_a_stored_zip_names_makes_it_anew_without_the_name(client, auth, adviser, orgs):
    askoy = factories.member(factories.historic_round(), orgs["Askøy"], adviser)
    signatory = factories.user("signatory", organisation=orgs["Askøy"], name="Per Vik", title="Rådmann")
    with clock.pinned(date(2026, 3, 2)):
        workflow.approve(agreements.give_notice(askoy, signatory, notice_date=date(2026, 3, 1), reason="Vedtak."),
                         adviser, "Mottatt.")
    db.session.commit()
    auth.login(adviser)

    def texts() -> str:
        with zipfile.ZipFile(io.BytesIO(client.get(f"/saker/{askoy.id}/arkiv.zip").data)) as export:
            return "".join(_pdf_text(export.read(n)) for n in export.namelist() if n.endswith(".pdf"))

    assert "Per Vik" in texts()
    privacy.anonymise(signatory, factories.user("admin"))
    db.session.commit()
    assert db.session.scalars(select(StoredDocument)).all() == []  # no copy naming him is kept
    assert "Per Vik" not in texts()


def test_a_signature_shows_in_the_next_fetch_of_the_agreement(client, auth, adviser, orgs):
    case = factories.issued_case(orgs["Lindås"], by=adviser)
    db.session.commit()
    auth.login(adviser)
    path = f"/avtaler/{case.agreement.id}/samarbeidsavtale.pdf"
    assert "Olav Hauge" not in _pdf_text(client.get(path).data)
    agreements.register_upload(case.agreement, adviser, party=MUNICIPALITY_PARTY, name="Olav Hauge",
                               title="Rådmann", signed_on=date(2026, 11, 23), filename="signert.pdf",
                               content=factories.pdf())
    db.session.commit()
    assert "Olav Hauge" in _pdf_text(client.get(path).data)


def test_the_overview_csv_shows_a_renamed_municipality(client, auth, adviser, case):
    auth.login(adviser)

    def names() -> set[str]:
        rows = csv.reader(io.StringIO(client.get("/oversikt.csv").data.decode("utf-8-sig")), delimiter=";")
        return {cell for row in rows for cell in row}

    assert "Lindås" in " ".join(names())
    organisations.record_change(case.organisation, adviser, date(2026, 1, 1), official_name="Nordhordland herad")
    case.organisation.name = "Nordhordland"
    db.session.commit()
    assert "Nordhordland" in " ".join(names())


def test_each_filter_of_the_overview_is_its_own_document(client, auth, adviser, case, monkeypatch):
    calls = _counting(monkeypatch, overview_service, "to_csv")
    auth.login(adviser)
    assert client.get("/oversikt.csv?q=Lindås").data != client.get("/oversikt.csv?q=Voss").data
    assert len(calls) == 2


def test_a_stored_copy_is_not_served_to_someone_who_may_not_have_it(client, auth, adviser, case):
    auth.login(adviser)
    for path in (f"/saker/{case.id}/arkiv.zip", "/oversikt.csv"):
        assert client.get(path).status_code == 200
    tag = client.get("/oversikt.csv").headers["ETag"]
    auth.logout()
    auth.login("municipality_contact", organisation="Voss")
    assert client.get(f"/saker/{case.id}/arkiv.zip").status_code == 404
    assert client.get("/oversikt.csv", headers={"If-None-Match": tag}).status_code == 403


def test_reading_and_fetching_leave_the_content_version_as_it_is(client, auth, adviser, case):
    auth.login(adviser)
    client.get(f"/saker/{case.id}/arkiv.zip")
    current = stored_documents.version()
    for path in (f"/saker/{case.id}/arkiv.zip", f"/saker/{case.id}", "/oversikt.csv", "/"):
        client.get(path)
    assert stored_documents.version() == current


def test_the_content_version_is_read_once_a_transaction_and_again_after_a_change(app, case):
    reads = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT") and "content_version" in statement:
            reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        db.session.commit()
        first = stored_documents.version()
        assert stored_documents.version() == first and len(reads) == 1
        db.session.execute(update(Organisation).where(Organisation.id == case.organisation_id).values(name="Lindås by"))
        assert stored_documents.version() != first and len(reads) == 2  # this transaction moved it
        db.session.commit()
        stored_documents.version()
        assert len(reads) == 3  # a new transaction may see others' changes
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_a_bulk_update_statement_changes_the_content_version(app, case):
    current = stored_documents.version()
    db.session.execute(update(Organisation).where(Organisation.id == case.organisation_id).values(name="Lindås by"))
    db.session.commit()
    assert stored_documents.version() != current
    seq = db.session.scalar(select(ContentVersion.seq))
    db.session.execute(update(Organisation).values(name="X"))
    db.session.execute(update(Organisation).values(name="Y"))
    db.session.commit()
    assert db.session.scalar(select(ContentVersion.seq)) == seq + 1  # once per transaction


def test_a_scanned_copy_and_the_minutes_are_served_as_kept_with_a_validator(client, auth, adviser, orgs, monkeypatch):
    case = factories.issued_case(orgs["Lindås"], by=adviser)
    agreements.register_upload(case.agreement, adviser, party=MUNICIPALITY_PARTY, name="Olav Hauge",
                               title="Rådmann", signed_on=date(2026, 11, 23), filename="signert.pdf",
                               content=factories.pdf("skannet"))
    scan = db.session.scalar(select(AgreementDocument))
    meeting = meetings.create("coordination", starts_at=datetime(2026, 1, 20, 9, tzinfo=timezone.utc),
                              ends_at=datetime(2026, 1, 20, 13, tzinfo=timezone.utc), place="Bergen rådhus",
                              invitees=[adviser], actor=adviser, notify=False)
    meetings.record_minutes(meeting, text="", pdf=factories.pdf("referat"), actor=adviser)
    db.session.commit()
    checks = _counting(monkeypatch, uploads, "check_pdf")
    auth.login(adviser)
    for path in (f"/avtaler/dokument/{scan.id}", f"/saker/{case.id}/dokumenter/skannet-{scan.id}.pdf",
                 f"/moter/{meeting.id}/referat.pdf"):
        with client.get(path) as first:
            assert first.status_code == 200 and first.data.startswith(b"%PDF-")
            tag = first.headers["ETag"]
        assert client.get(path, headers={"If-None-Match": tag}).status_code == 304
    auth.logout()
    auth.login("municipality_contact", organisation="Voss")
    assert client.get(f"/avtaler/dokument/{scan.id}", headers={"If-None-Match": tag}).status_code == 404
    assert checks == []


@pytest.mark.parametrize("suffix, function", [("csv", "to_csv"), ("xlsx", "to_xlsx")])
def test_the_participant_list_is_made_once_until_someone_registers_or_is_forgotten(client, auth, adviser, orgs,
                                                                                   monkeypatch, suffix, function):
    found = conference_world.conference(planner=adviser)
    conference_world.register(found, 1)
    forgotten = factories.user("municipality_contact", organisation=orgs["Voss"], email="deltaker1@example.no")
    db.session.commit()
    calls, real = [], getattr(conference_exports, function)

    def counted(registrations):
        calls.append([registration.name for registration in registrations])
        return real(registrations)

    monkeypatch.setattr(conference_exports, function, counted)
    auth.login(adviser)
    path = f"/konferanser/{found.id}/deltakere.{suffix}"

    def names() -> list:
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store"  # it holds dietary needs
        return calls[-1]

    first = client.get(path)
    assert client.get(path).data == first.data and len(calls) == 1
    conference_world.register(found, 2)
    db.session.commit()
    assert names() == ["Deltaker 1", "Deltaker 2"] and len(calls) == 2
    privacy.anonymise(forgotten, factories.user("admin"))
    db.session.commit()
    assert names() == [None, "Deltaker 2"] and len(calls) == 3


def test_deleting_a_conference_s_personal_data_drops_its_stored_participant_lists(app, client, auth, adviser):
    app.config["TODAY"] = "2026-05-01"
    found = conference_world.conference(held_on=date(2026, 6, 10), deadline=date(2026, 6, 1), planner=adviser)
    conference_world.register(found, 1, diet="Nøtteallergi")
    db.session.commit()
    auth.login(adviser)
    for suffix in ("csv", "xlsx"):
        assert client.get(f"/konferanser/{found.id}/deltakere.{suffix}").status_code == 200
    assert len(db.session.scalars(select(StoredDocument)).all()) == 2
    conferences.delete_personal_data(date(2027, 1, 10))
    db.session.commit()
    assert db.session.scalars(select(StoredDocument)).all() == []  # no copy keeps the dietary needs


def test_the_invoice_basis_page_orders_the_year_once_per_content_version(client, auth, adviser, orgs, monkeypatch):
    for name in ("Voss", "Askøy"):
        contributions.ensure_lines(factories.member_case(orgs[name], adviser, activated_on=date(2025, 2, 1)))
    db.session.commit()
    calls = _counting(monkeypatch, invoice_basis, "order")
    auth.login(adviser)
    path = "/medlemskap/bidrag/fakturagrunnlag?year=2026"

    def names() -> list[str]:
        return re.findall(r"(Askøy|Voss|Aaa) kommune", client.get(path).get_data(as_text=True))

    assert names() == names() == ["Askøy", "Voss"] and len(calls) == 1
    organisations.record_change(orgs["Voss"], adviser, date(2026, 1, 1), official_name="Aaa kommune")
    db.session.commit()
    assert names() == ["Aaa", "Askøy"] and len(calls) == 2


def test_the_invoice_basis_page_reads_its_rows_once_per_content_version(client, auth, adviser, orgs, monkeypatch):
    contributions.ensure_lines(factories.member_case(orgs["Voss"], adviser, activated_on=date(2025, 2, 1)))
    db.session.commit()
    calls = _counting(monkeypatch, invoice_basis, "rows")
    auth.login(adviser)
    path = "/medlemskap/bidrag/fakturagrunnlag?year=2026"
    client.get(path)  # past the welcome message

    def table() -> str:
        html = client.get(path).get_data(as_text=True)
        return html[html.index("<tbody>"):html.index("</tbody>")]

    assert "Voss kommune" in table() and table() == table() and len(calls) == 1
    line = contributions.line(orgs["Voss"], 2026)
    contributions.mark_invoiced(line, adviser, invoiced_on=date(2026, 3, 2), reference="F-77")
    db.session.commit()
    assert "02.03.2026 (F-77)" in table() and len(calls) == 2


def test_each_language_keeps_its_own_copy(client, orgs, adviser, monkeypatch):
    factories.member_case(orgs["Voss"], adviser, activated_on=date(2025, 2, 1))
    db.session.commit()
    calls = _counting(monkeypatch, facts, "member_municipalities")
    for language in ("nb", "en", "nb", "en"):
        assert "Voss" in client.get(f"/offentlig/medlemmer?lang={language}").get_data(as_text=True)
    assert len(calls) == 2  # one read per language, not one each time the language changes


def test_a_release_that_changes_the_code_makes_the_copies_anew(client, orgs, adviser, monkeypatch):
    factories.member_case(orgs["Voss"], adviser, activated_on=date(2025, 2, 1))
    db.session.commit()
    calls = _counting(monkeypatch, facts, "member_municipalities")
    client.get("/offentlig/medlemmer")
    client.get("/offentlig/medlemmer")
    monkeypatch.setattr(stored_documents, "code_fingerprint", lambda template_folder: "next-release")
    client.get("/offentlig/medlemmer")
    assert len(calls) == 2  # the data did not change, the code that stores it did


def test_the_code_fingerprint_covers_the_templates(tmp_path):
    (tmp_path / "page.html").write_text("<p>{{ a }}</p>")
    before = stored_documents.code_fingerprint.__wrapped__(str(tmp_path))
    (tmp_path / "page.html").write_text("<p>{{ a }} {{ b }}</p>")
    assert stored_documents.code_fingerprint.__wrapped__(str(tmp_path)) != before


@pytest.mark.parametrize("page", ["cost key", "meeting", "subgroup"])
def test_a_page_s_timeline_is_written_once_per_content_version(client, auth, adviser, orgs, decided_key, monkeypatch,
                                                               page):
    made = {"cost key": lambda: decided_key,
            "meeting": lambda: factories.meeting(STEERING_MEETING, date(2026, 3, 2), [adviser], adviser),
            "subgroup": lambda: factories.subgroup(
                factories.user("project_member", organisation=orgs["Voss"]))}[page]()
    db.session.commit()
    path = {"cost key": f"/okonomi/fordelingsnokkel/{made.id}", "meeting": f"/moter/{made.id}",
            "subgroup": f"/undergrupper/{made.id}"}[page]
    calls = _counting(monkeypatch, history, "rows")
    auth.login(adviser)

    def timeline() -> str:
        html = client.get(path).get_data(as_text=True)
        start = html.index('<ol class="timeline">')
        return html[start:html.index("</ol>", start)]

    assert timeline() == timeline() and len(calls) == 1
    audit.record(adviser, "note", made.audit_type, made.id, comment="En ny merknad")
    db.session.commit()
    assert "En ny merknad" in timeline() and len(calls) == 2


def test_a_subgroup_s_latest_events_and_all_its_events_are_stored_apart(client, auth, adviser, orgs):
    subgroup = factories.subgroup(factories.user("project_member", organisation=orgs["Voss"]))
    for number in range(25):
        audit.record(adviser, "note", subgroup.audit_type, subgroup.id, comment=f"Merknad {number}")
    db.session.commit()
    auth.login(adviser)
    latest = client.get(f"/undergrupper/{subgroup.id}").get_data(as_text=True)
    every = client.get(f"/undergrupper/{subgroup.id}?historikk=alle").get_data(as_text=True)
    assert "Merknad 24" in latest and "Merknad 0<" not in latest
    assert "Merknad 0<" in every and "Merknad 24" in every


def test_a_meeting_s_invitees_are_sorted_once_per_content_version_for_its_page_and_its_form(client, auth, adviser,
                                                                                            orgs, monkeypatch):
    meeting = factories.meeting(STEERING_MEETING, date(2026, 12, 2), [adviser], adviser)
    db.session.commit()
    calls = _counting(monkeypatch, meetings, "invitees_by_name")
    auth.login(adviser)
    for path in (f"/moter/{meeting.id}", f"/moter/{meeting.id}", f"/moter/{meeting.id}/endre"):
        assert client.get(path).status_code == 200
    assert len(calls) == 1  # one stored list for the page and the form
    guest = factories.user("steering_member", organisation=orgs["Voss"], name="Ny gjest")
    meetings.update(meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at, place=meeting.place,
                    invitees=[adviser, guest], actor=adviser, notify=False)
    db.session.commit()
    assert "Ny gjest" in client.get(f"/moter/{meeting.id}").get_data(as_text=True) and len(calls) == 2
