"""The organisation register: names and numbers over time, organisation numbers' check digits, search by old and new
names, the other parties, the register's pages, and letters and documents naming an organisation as on their date."""
import io
import json
import re
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app import clock, search
from app.extensions import db
from app.models import AuditEvent, OutboxMessage, Organisation
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import ServiceError, cases, invitation_mail, organisations, tick, workflow
from tests import factories
from tests.conftest import post

BEFORE, REFORM = date(2019, 12, 31), date(2020, 1, 1)


def _voss_herad(orgs) -> Organisation:
    """Voss renamed and renumbered from 01.01.2020, as the register records it (the merger itself is not part of
    these tests)."""
    organisations.record_change(orgs["Voss"], None, REFORM, official_name="Voss herad", number="4621")
    db.session.commit()
    return orgs["Voss"]


# --- on a date -----------------------------------------------------------------------------------------------------

def test_name_and_numbers_on_a_date_before_and_after_a_change(orgs):
    bergen, voss = orgs["Bergen"], _voss_herad(orgs)
    assert organisations.on(bergen, BEFORE) == organisations.Identity(
        "Bergen", "Bergen kommune", "1201", "964338531", "neutral")
    assert organisations.on(bergen, REFORM).number == "4601"
    assert [(organisations.on(voss, day).official_name, organisations.on(voss, day).number)
            for day in (date(2016, 10, 3), BEFORE, REFORM, date(2026, 11, 23))] == [
        ("Voss kommune", "1235"), ("Voss kommune", "1235"), ("Voss herad", "4621"), ("Voss herad", "4621")]
    assert (voss.name, voss.display_name, voss.number) == ("Voss", "Voss herad", "4621")
    assert [(p.first, p.last, p.value.official_name) for p in organisations.history(voss)["names"]] == [
        (None, BEFORE, "Voss kommune"), (REFORM, None, "Voss herad")]


def test_a_change_ahead_takes_effect_with_the_tick_on_its_day(orgs):
    fedje = orgs["Fedje"]
    organisations.record_change(fedje, None, date(2027, 1, 1), official_name="Fedje herad", number="4699")
    db.session.commit()
    assert (fedje.display_name, fedje.number) == ("Fedje kommune", "4633")
    assert organisations.refresh_current(date(2026, 12, 31)) == []
    with clock.pinned(date(2027, 1, 1)):
        done = tick.run(date(2027, 1, 1))
    assert "Registeret: Fedje kommune heter nå Fedje herad (4699)." in done
    assert (fedje.display_name, fedje.number) == ("Fedje herad", "4699")


def test_a_second_change_from_the_same_day_and_a_change_with_nothing_new_are_refused(orgs):
    with pytest.raises(ServiceError, match="allerede registrert et kommunenummer fra 01.01.2020"):
        organisations.record_change(orgs["Bergen"], None, REFORM, number="4602")
    with pytest.raises(ServiceError, match="Ingen endring"):
        organisations.record_change(orgs["Bergen"], None, date(2021, 1, 1), number="4601")
    with pytest.raises(ServiceError, match="Bare kommuner har kommunenummer"):
        organisations.record_change(orgs["Helse Bergen"], None, REFORM, number="4699")


def test_a_number_another_organisation_holds_in_the_same_period_is_refused(orgs):
    with pytest.raises(ServiceError, match="Kommunenummeret 1263 er registrert på Lindås kommune i samme periode"):
        factories.municipality("Nye Lindås kommune", "1263")
    with pytest.raises(ServiceError, match="Kommunenummeret 4601 er registrert på Bergen kommune"):
        organisations.record_change(orgs["Fedje"], None, date(2030, 1, 1), number="4601")
    factories.reform_2020(orgs)  # Lindås's last day is 31.12.2019: from then on its old number is free
    assert factories.municipality("Nye Lindås kommune", "1263", active_from=REFORM).number == "1263"


def test_the_one_to_ask_by_number_is_the_one_that_had_it_last(orgs):
    assert organisations.by_number("1201") is organisations.by_number("4601") is orgs["Bergen"]
    assert organisations.by_number("964338531") is orgs["Bergen"] and organisations.by_number("9999") is None


# --- organisation numbers -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("number", ["964338531", "874789542", "983974724"])  # Bergen kommune, UiB, Helse Bergen HF
def test_real_organisation_numbers_pass_the_check_digit(number):
    assert organisations.org_number_valid(number)


@pytest.mark.parametrize("number", ["964338532", "964338530", "874789541", "400000000", "400000001", "96433853",
                                    "9643385310", "96433853a", ""])
def test_wrong_check_digits_and_lengths_fail(number):
    assert not organisations.org_number_valid(number)


def test_an_organisation_number_is_typed_with_spaces_and_refused_in_norwegian():
    assert organisations.clean_org_number(" 964 338 531 ") == "964338531"
    assert organisations.clean_org_number("") is None
    with pytest.raises(ServiceError, match="kontrollsifferet stemmer ikke") as refused:
        organisations.clean_org_number("964 338 532")
    assert refused.value.field == "org_number"
    with pytest.raises(ServiceError, match="må ha ni sifre"):
        organisations.clean_org_number("12345")


# --- search -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query,found", [
    ("Høgskolen i Bergen", {"Høgskulen på Vestlandet"}),
    ("hogskulen pa vestlandet", {"Høgskulen på Vestlandet"}),
    ("Uni Research", {"NORCE Norwegian Research Centre AS"}),
    ("norce", {"NORCE Norwegian Research Centre AS"}),
    ("Voss kommune", {"Voss herad"}),
    ("voss herad", {"Voss herad"}),
    ("1235", {"Voss herad"}),
    ("4621", {"Voss herad"}),
    ("964 338 531", set()),
    ("964338531", {"Bergen kommune"}),
])
def test_search_finds_every_name_and_number_an_organisation_ever_had(orgs, query, found):
    _voss_herad(orgs)
    assert set(db.session.scalars(search.where(select(Organisation.official_name), query, Organisation))) == found


def test_successors_and_predecessors_are_found_by_each_others_names(orgs):
    successors = factories.reform_2020(orgs)
    alver = successors["Alver kommune"]
    found = set(db.session.scalars(search.where(select(Organisation.official_name), "Meland", Organisation)))
    assert found == {"Meland kommune", "Alver kommune"}
    organisations.record_change(alver, None, date(2030, 1, 1), official_name="Nordhordland kommune")
    found = set(db.session.scalars(search.where(select(Organisation.name), "nordhordland", Organisation)))
    assert found == {"Alver", "Lindås", "Meland", "Radøy"}


# --- the other parties --------------------------------------------------------------------------------------------

def test_the_other_parties_are_organisations_of_their_kinds_with_their_histories(orgs):
    kinds = {o.display_name: o.kind_label for o in orgs.values() if not o.is_municipality}
    assert kinds == {"Universitetet i Bergen": "Universitet/høgskole",
                     "Høgskulen på Vestlandet": "Universitet/høgskole",
                     "NORCE Norwegian Research Centre AS": "Forskningsinstitutt", "Helse Bergen HF": "Helseforetak",
                     "Folkehelseinstituttet": "Statlig etat", "Haraldsplass Diakonale Sykehus": "Privat ideell"}
    hvl, norce = orgs["Høgskulen på Vestlandet"], orgs["NORCE"]
    assert organisations.on(hvl, date(2016, 12, 31)).official_name == "Høgskolen i Bergen"
    assert organisations.on(hvl, date(2017, 1, 1)).official_name == "Høgskulen på Vestlandet"
    assert organisations.on(norce, date(2017, 12, 31)).name == "Uni Research"
    assert organisations.on(norce, date(2018, 1, 1)).name == "NORCE"
    assert orgs["Bergen"].is_host and orgs["Bergen"].mailbox == "postmottak@bergen.kommune.no"
    assert orgs["Kvam"].display_name == "Kvam herad" and orgs["Kvam"].written_standard == "nynorsk"


def test_the_demo_organisations_are_added_once(app, orgs):
    count = db.session.scalar(select(db.func.count()).select_from(Organisation))
    events = db.session.scalar(select(db.func.count()).select_from(AuditEvent))
    again = factories.organisations()
    assert again == orgs and db.session.scalar(select(db.func.count()).select_from(Organisation)) == count
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)) == events


# --- the pages ----------------------------------------------------------------------------------------------------

def _events(action: str, org: Organisation | None = None) -> list[AuditEvent]:
    """The register's events of one kind (about `org`), oldest first."""
    stmt = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
    return list(db.session.scalars(stmt.where(AuditEvent.object_id == org.id) if org else stmt))


NEW = {"official_name": "Alver kommune", "name": "", "kind": "municipality", "number": "4631",
       "org_number": "", "written_standard": "nynorsk", "mailbox": "postmottak@alver.kommune.no",
       "region": "Nordhordland", "active_from": "2020-01-01"}


def test_the_adviser_adds_an_organisation_after_checking_it(client, login, orgs):
    adviser = login("adviser", organisation="Bergen")
    bad = post(client, "/organisasjoner/ny", {**NEW, "org_number": "964 338 532", "action": "preview"},
               token_from="/organisasjoner/ny").get_data(as_text=True)
    assert "Organisasjonsnummeret 964338532 finnes ikke: kontrollsifferet stemmer ikke." in bad
    taken = post(client, "/organisasjoner/ny", {**NEW, "number": "4601", "action": "preview"},
                 token_from="/organisasjoner/ny").get_data(as_text=True)
    assert "Kommunenummeret 4601 er registrert på Bergen kommune i samme periode." in taken
    shown = post(client, "/organisasjoner/ny", {**NEW, "action": "preview"}, token_from="/organisasjoner/ny")
    page = shown.get_data(as_text=True)
    assert "Se over før du lagrer" in page and '<dd><span translate="no">Alver</span></dd>' in page and "01.01.2020" in page
    assert _alver_id() is None  # nothing is saved by looking
    saved = post(client, "/organisasjoner/ny", {**NEW, "action": "save"}, token_from="/organisasjoner/ny")
    assert saved.status_code == 302
    alver = db.session.get(Organisation, _alver_id())
    assert saved.headers["Location"].endswith(f"/organisasjoner/{alver.id}")
    assert (alver.name, alver.number, alver.active_from, alver.mailbox) == \
        ("Alver", "4631", REFORM, "postmottak@alver.kommune.no")
    event = _events("organisation.register")[-1]
    assert (event.actor_id, event.object_id) == (adviser.id, alver.id)
    facts = json.loads(event.data)
    assert facts["name_id"] == alver.names[0].id and facts["number_ids"] == [alver.numbers[0].id]
    assert adviser.email not in event.data and adviser.name not in event.data
    listed = client.get("/organisasjoner/?q=alver").get_data(as_text=True)
    assert f'<a href="/organisasjoner/{alver.id}"><span translate="no">Alver kommune</span></a>' in listed


def _alver_id() -> int | None:
    return db.session.scalar(select(Organisation.id).where(Organisation.official_name == "Alver kommune"))


def test_the_adviser_records_a_new_name_and_number_from_a_date_after_confirming(client, login, orgs):
    adviser = login("adviser", organisation="Bergen")
    voss = orgs["Voss"]
    path = f"/organisasjoner/{voss.id}/endring"
    missing = post(client, path, {"valid_from": "", "official_name": "Voss herad", "action": "preview"},
                   token_from=path).get_data(as_text=True)
    assert "Skriv datoen endringen gjelder fra." in missing
    same = post(client, path, {"valid_from": "2020-01-01", "number": "1235", "action": "preview"},
                token_from=path).get_data(as_text=True)
    assert "Ingen endring: navnet og numrene er de samme som gjelder 01.01.2020." in same
    change = {"valid_from": "2020-01-01", "official_name": "Voss herad", "name": "", "number": "4621",
              "org_number": ""}
    page = post(client, path, {**change, "action": "preview"}, token_from=path).get_data(as_text=True)
    assert "Navn: Voss kommune → Voss herad" in page and "Kommunenummer: 1235 → 4621" in page
    assert _events("organisation.change", voss) == []
    saved = post(client, path, {**change, "action": "save"}, token_from=path)
    assert saved.status_code == 302 and voss.display_name == "Voss herad"
    [event] = _events("organisation.change", voss)
    rows = {row.id for row in [*voss.names, *voss.numbers] if row.valid_from == REFORM}
    assert (event.actor_id, event.object_id) == (adviser.id, voss.id) and set(json.loads(event.data)["row_ids"]) == rows
    history = client.get(f"/organisasjoner/{voss.id}").get_data(as_text=True)
    assert re.search(r"<td>starten</td><td>31\.12\.2019</td><td>Voss kommune</td>", history)
    assert re.search(r"<td>01\.01\.2020</td><td>–</td><td>4621</td>", history)
    assert f"{adviser.name} registrerte nytt navn eller nummer for Voss herad." in history
    assert "fra 01.01.2020: Voss herad, 4621" in history


def test_the_details_change_without_history_and_are_audited(client, login, orgs):
    login("admin", organisation="Bergen")
    fedje = orgs["Fedje"]
    path = f"/organisasjoner/{fedje.id}/opplysninger"
    data = {"kind": "municipality", "written_standard": "nynorsk", "mailbox": "postmottak@fedje.kommune.no",
            "region": "Nordhordland", "active_from": "", "active_to": ""}
    wrong = post(client, path, {**data, "mailbox": "postmottak"}, token_from=path).get_data(as_text=True)
    assert "Skriv en gyldig e-postadresse" in wrong
    backwards = post(client, path, {**data, "active_from": "2020-01-01", "active_to": "2019-12-31"},
                     token_from=path).get_data(as_text=True)
    assert "Siste dag kan ikke være før første dag." in backwards
    assert post(client, path, data, token_from=path).status_code == 302
    assert json.loads(_events("organisation.update", fedje)[-1].data) == {
        "mailbox": [None, "postmottak@fedje.kommune.no"]}
    county = post(client, path, {**data, "kind": "county"}, token_from=path).get_data(as_text=True)
    assert "Organisasjonen har kommunenummer, så den må være en kommune." in county
    early = post(client, path, {**data, "active_to": "2019-12-31"}, token_from=path).get_data(as_text=True)
    assert "Siste dag kan ikke være før den siste endringen av navn eller nummer (01.01.2020)." in early
    assert post(client, path, {**data, "active_to": "2030-12-31"}, token_from=path).status_code == 302
    page = client.get(f"/organisasjoner/{fedje.id}").get_data(as_text=True)
    assert "Postmottak: – → postmottak@fedje.kommune.no" in page and "Siste dag: – → 31.12.2030" in page


def test_the_register_is_for_the_adviser_and_the_administrator_only(client, login, orgs):
    login("municipality_contact", organisation="Lindås")
    assert client.get("/organisasjoner/").status_code == 403
    assert client.get(f"/organisasjoner/{orgs['Lindås'].id}/endring").status_code == 403


# --- letters, agreements and documents on their own date ----------------------------------------------------------

def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def voss_case(orgs):
    """Voss invited in 2016 and a member from 2018 (agreement issued 30.01.2018), renewed in 2022 as Voss herad."""
    _voss_herad(orgs)
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    case = factories.member(factories.historic_round(), orgs["Voss"], adviser)
    with clock.pinned(date(2022, 11, 15)):
        workflow.perform(case, "renew", adviser)
        for party in (MUNICIPALITY_PARTY, HOST_PARTY):
            cases.sign(case, party, adviser, name="Signert Person", title="Kommunedirektør", signed_on=clock.today())
    db.session.commit()
    return case


def test_each_agreement_names_the_municipality_as_on_the_day_it_was_issued(client, login, voss_case):
    first, renewal = sorted(voss_case.agreements, key=lambda a: a.issued_at)
    assert (first.municipality_name, renewal.municipality_name) == ("Voss kommune", "Voss herad")
    login("adviser", organisation="Bergen")
    old = _pdf_text(client.get(f"/avtaler/{first.id}/samarbeidsavtale.pdf").data)
    new = _pdf_text(client.get(f"/avtaler/{renewal.id}/samarbeidsavtale.pdf").data)
    assert "Voss kommune" in old and "Kommunenummer 1235" in old and "Voss herad" not in old
    assert "Voss herad" in new and "Kommunenummer 4621" in new


def test_letters_and_the_archive_name_the_municipality_as_on_their_date(client, login, voss_case):
    login("adviser", organisation="Bergen")
    letter = client.get(f"/saker/{voss_case.id}/dokumenter/invitasjon").get_data(as_text=True)
    assert '<p class="letter-to">Voss kommune</p>' in letter
    with zipfile.ZipFile(io.BytesIO(client.get(f"/saker/{voss_case.id}/arkiv.zip").data)) as export:
        metadata = json.loads(export.read("arkivuttrekk.json"))
        by_key = {entry["filnavn"].split("-", 1)[1].removesuffix(".pdf"): entry for entry in metadata["journalposter"]}
        answer = next(entry for key, entry in by_key.items() if key.startswith("svar-"))
        reply = _pdf_text(export.read(answer["filnavn"]))
    assert by_key["invitasjon"]["mottaker"] == "Voss kommune" and answer["avsender"] == "Voss kommune"
    first, renewal = sorted(voss_case.agreements, key=lambda a: a.issued_at)
    assert (by_key[f"avtale-{first.id}"]["mottaker"], by_key[f"avtale-{renewal.id}"]["mottaker"]) == \
        ("Voss kommune", "Voss herad")
    assert "Voss kommune svarer på invitasjonen" in reply
    assert metadata["part"] == {"navn": "Voss herad", "kommunenummer": "4621"}


def test_a_mail_names_the_municipality_as_on_the_day_it_is_sent(orgs):
    _voss_herad(orgs)
    contact = factories.user("municipality_contact", organisation=orgs["Voss"])
    for day in (BEFORE, REFORM):
        with clock.pinned(day):
            case = factories.case(orgs["Voss"], factories.invitation_round(title=f"Runde {day.year}",
                                                                           deadline=date(day.year, 12, 31)))
            invitation_mail.send(case, contact, f"Invitasjon {day.year}", "round_invitation")
    bodies = [m.body_text for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.subject.like("Invitasjon 20%")).order_by(OutboxMessage.id))]
    assert "Voss kommune er invitert" in bodies[0] and "Voss herad er invitert" in bodies[1]
