"""The annual report to the steering group: every figure equals what the database says, the PDF shows them, and
it is filed with the year's steering-group meeting from the adviser's page."""
import io
from datetime import date, datetime, time, timezone

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.formatting import money
from app.models import (AnnualReport, AuditEvent, Contribution, EvaluationAnswer, EvaluationResponse, Meeting,
                        MeetingInvitee, MembershipCase, Merger, Organisation, Representative, Subgroup)
from app.models.meeting import COORDINATION, PRESENT, STEERING_MEETING
from app.services import annual_reports, conferences, contributions, evaluations, meetings, members, mergers, tick, workflow
from tests import conference_world, factories
from tests.conftest import post

YEAR = 2025


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=clock.OSLO).astimezone(timezone.utc)


def _notice(case, day: date, adviser) -> None:
    signer = factories.user("signatory", organisation=case.organisation)
    with clock.pinned(day):
        workflow.approve(workflow.perform(case, "give_notice", signer, data={"notice_date": day.isoformat()}), adviser)


def _subgroup(proposer, seconder, adviser, name: str, established: date, closed: date | None = None):
    with clock.pinned(established):
        found = factories.subgroup(proposer, name=name)
        workflow.perform(found, "submit", proposer)
        workflow.perform(found, "second", seconder)
        workflow.perform(found, "approve", adviser, comment="Vedtatt.", data={"decided_on": established.isoformat()})
        workflow.perform(found, "establish", adviser)
    if closed:
        with clock.pinned(closed):
            workflow.perform(found, "close", adviser, comment="Ferdig.")


def _meeting(kind: str, day: date, adviser, invitees, present: int) -> Meeting:
    with clock.pinned(day):
        found = meetings.create(kind, starts_at=_at(day), ends_at=_at(day).replace(hour=13), place="Bergen rådhus",
                                invitees=invitees, actor=adviser, notify=False)
        meetings.record_attendance(found, {u.id: PRESENT for u in invitees[:present]}, adviser)
    return found


@pytest.fixture
def world(orgs, adviser):
    """2025: Samnanger joins, Askøy gives notice, Osterøy's notice ends its membership, Fedje and Austrheim merge
    into Nordkyst (Fedje's membership continues), contributions invoiced and paid, two evaluation answers, a
    subgroup established and one closed, three meetings (one in 2024)."""
    case = {name: factories.member_case(orgs[name], adviser, activated_on=day) for name, day in (
        ("Osterøy", date(2022, 3, 1)), ("Askøy", date(2023, 3, 1)), ("Fedje", date(2023, 3, 1)),
        ("Austrheim", date(2023, 3, 1)), ("Austevoll", date(2024, 3, 1)))}
    _notice(case["Osterøy"], date(2024, 5, 31), adviser)
    with clock.pinned(date(2025, 1, 15)):
        for found in case.values():
            contributions.ensure_lines(found)
    _notice(case["Askøy"], date(2025, 2, 10), adviser)
    case["Samnanger"] = factories.member_case(orgs["Samnanger"], adviser, activated_on=date(2025, 4, 1))
    with clock.pinned(date(2025, 6, 1)):
        tick.run(date(2025, 6, 1))
    nordkyst = factories.municipality("Nordkyst kommune", "4699", active_from=date(2025, 7, 1))
    with clock.pinned(date(2025, 7, 3)):
        mergers.record(adviser, [orgs["Fedje"], orgs["Austrheim"]], nordkyst, date(2025, 7, 1),
                       continued_case_id=case["Fedje"].id)
    with clock.pinned(date(2025, 3, 1)):
        factories.representative(orgs["Askøy"], adviser, group="steering", starts_on=date(2024, 1, 1), name="Anne Ask")
        factories.representative(orgs["Austevoll"], adviser, starts_on=date(2025, 3, 1), name="Per Vold")
        factories.representative(orgs["Askøy"], adviser, starts_on=date(2023, 3, 1), name="Eva Tidlig")
        factories.representative(orgs["Askøy"], adviser, seat=2, starts_on=date(2023, 3, 1),
                                 ends_on=date(2024, 6, 30), name="Ole Før")
    with clock.pinned(date(2025, 9, 1)):
        for found in case.values():
            contributions.ensure_lines(found)
        lines = {line.organisation.name: line for line in db.session.scalars(
            select(Contribution).where(Contribution.year == YEAR))}
        contributions.mark_invoiced(lines["Askøy"], adviser, invoiced_on=date(2025, 8, 1), reference="F-1")
        contributions.mark_paid(lines["Askøy"], adviser, paid_on=date(2025, 8, 20), reference=None)
        contributions.mark_invoiced(lines["Austevoll"], adviser, invoiced_on=date(2025, 8, 1), reference="F-2")
        contributions.cancel(lines["Samnanger"], adviser, "Fritatt første år.")
        contacts = {name: factories.user("municipality_contact", organisation=orgs[name])
                    for name in ("Askøy", "Austevoll")}
        evaluation = evaluations.create(YEAR, ["Hva har fungert godt?", "Hva bør endres?"], adviser)
        first, second = evaluation.questions
        evaluations.answer(evaluation, orgs["Askøy"], contacts["Askøy"],
                           {first.id: "Nettverket mellom kommunene.", second.id: "Færre møter."})
        evaluations.answer(evaluation, orgs["Austevoll"], contacts["Austevoll"],
                           {first.id: "Felles kompetanseheving.", second.id: "Mer forskning i praksis."})
    kari = factories.user("project_member", organisation=orgs["Askøy"], name="Kari Nordtveit")
    siri = factories.user("project_member", organisation=orgs["Voss"], name="Siri Lie")
    _subgroup(kari, siri, adviser, "Velferdsteknologi", date(2024, 5, 2), closed=date(2025, 10, 1))
    _subgroup(kari, siri, adviser, "Demens i kommunene", date(2025, 3, 12))
    _subgroup(kari, siri, adviser, "Legemiddelhåndtering", date(2024, 9, 2))
    steering = factories.user("steering_member", organisation=orgs["Bergen"])
    _meeting(COORDINATION, date(2025, 1, 23), adviser, [kari, siri, steering], present=2)
    meeting = _meeting(STEERING_MEETING, date(2025, 12, 4), adviser, [steering, adviser], present=1)
    _meeting(STEERING_MEETING, date(2024, 12, 5), adviser, [steering], present=1)
    db.session.commit()
    return meeting, nordkyst


def _members_on(day: date) -> int:
    """The SQL form of the membership rule (members.member_on_sql), not the periods the report reads."""
    return db.session.scalar(select(func.count()).select_from(Organisation).where(members.member_on_sql()),
                             members.on_day(day))


def _in_year(column):
    return column.between(date(YEAR, 1, 1), date(YEAR, 12, 31))


def test_every_figure_equals_what_the_database_says(world):
    report = annual_reports.gather(YEAR)

    # members: the counts by the SQL rule, the names as they were (Fedje until the merger)
    assert len(report.members_at_start) == _members_on(date(YEAR, 1, 1)) == 5
    assert report.members_at_start == ["Askøy", "Austevoll", "Austrheim", "Fedje", "Osterøy"]
    assert len(report.members_at_end) == _members_on(date(YEAR, 12, 31)) == 4
    assert report.members_at_end == ["Askøy", "Austevoll", "Nordkyst", "Samnanger"]
    activated = db.session.execute(select(Organisation.name, AuditEvent.at).join(
        MembershipCase, MembershipCase.organisation_id == Organisation.id).where(
        AuditEvent.object_type == "membership_case", AuditEvent.object_id == MembershipCase.id,
        AuditEvent.action == "membership.activate", AuditEvent.at.between(_at(date(YEAR, 1, 1)), _at(date(YEAR, 12, 31))))).all()
    assert [(c.organisation, c.day) for c in report.joined] == \
        [(name, at.astimezone(clock.OSLO).date()) for name, at in activated] == [("Samnanger", date(2025, 4, 1))]
    noticed = db.session.execute(select(Organisation.name, MembershipCase.notice_date).join(
        MembershipCase.organisation).where(_in_year(MembershipCase.notice_date))).all()
    assert [(n.organisation, n.given_on) for n in report.notices] == noticed == [("Askøy", date(2025, 2, 10))]
    assert report.notices[0].last_day == date(2026, 2, 10)
    assert [(c.organisation, c.day, c.how) for c in report.ended] == [
        ("Osterøy", date(2025, 5, 31), annual_reports.NOTICE), ("Austrheim", date(2025, 6, 30), annual_reports.MERGED)]
    merger = db.session.scalar(select(Merger).where(_in_year(Merger.first_day)))
    assert [(m.successor, m.predecessors, m.first_day) for m in report.merged] == \
        [(merger.successor.name, sorted(p.name for p in merger.predecessors), merger.first_day)] == \
        [("Nordkyst", ["Austrheim", "Fedje"], date(2025, 7, 1))]

    # representatives in office some day of the year
    in_office = db.session.scalars(select(Representative.name).where(
        Representative.state == "approved", Representative.starts_on <= date(YEAR, 12, 31),
        Representative.ends_on >= date(YEAR, 1, 1)))
    assert sorted(t.name for t in report.representatives) == sorted(in_office) == ["Anne Ask", "Eva Tidlig",
                                                                                   "Per Vold"]

    # money: each party's lines of the year, and the sums, against the ledger's columns
    rows = db.session.execute(select(Contribution).where(Contribution.year == YEAR)).scalars().all()
    live = [r for r in rows if r.cancelled_at is None]
    expected = {r.organisation.name: r.amount for r in live}
    assert {m.party: m.expected for m in report.money} == expected
    assert {m.party: m.invoiced for m in report.money} == {r.organisation.name: r.amount if r.invoiced_on else 0
                                                            for r in live}
    assert {m.party: m.paid for m in report.money} == {r.organisation.name: r.amount if r.paid_on else 0
                                                        for r in live}
    assert report.money_total.expected == sum(expected.values()) == sum(m.expected for m in report.money)
    assert report.money_total.paid == sum(r.amount for r in live if r.paid_on) > 0
    assert report.money_total.invoiced == sum(r.amount for r in live if r.invoiced_on) > report.money_total.paid
    assert report.money_total.outstanding == report.money_total.expected - report.money_total.paid
    assert "Samnanger" not in expected and any(r.cancelled_at for r in rows), "a cancelled line does not count"

    # the evaluation: who was asked, who answered, every answer listed
    assert report.evaluation.asked == len(members.answering_ids([YEAR])[YEAR]) == 6
    assert report.evaluation.answered == db.session.scalar(select(func.count()).select_from(EvaluationResponse)) == 2
    answers = db.session.execute(select(EvaluationAnswer.text).order_by(EvaluationAnswer.id)).scalars().all()
    assert sorted(text for q in report.evaluation.questions for _, text in q.answers) == sorted(answers)
    assert [q.answered for q in report.evaluation.questions] == [2, 2]

    # subgroups, meetings
    assert [s.name for s in report.subgroups_established] == list(db.session.scalars(
        select(Subgroup.name).where(_in_year(Subgroup.established_on)))) == ["Demens i kommunene"]
    assert [s.name for s in report.subgroups_closed] == list(db.session.scalars(
        select(Subgroup.name).where(_in_year(Subgroup.closed_on)))) == ["Velferdsteknologi"]
    held = db.session.scalars(select(Meeting).where(Meeting.starts_at.between(_at(date(YEAR, 1, 1)),
                                                                                _at(date(YEAR, 12, 31))))
                              .order_by(Meeting.starts_at)).all()
    present = {m.id: db.session.scalar(select(func.count()).select_from(MeetingInvitee).where(
        MeetingInvitee.meeting_id == m.id, MeetingInvitee.attendance == PRESENT)) for m in held}
    assert [(m.title, m.invited, m.present) for m in report.meetings] == \
        [(m.title, len(m.invitees), present[m.id]) for m in held] == \
        [("Koordineringsmøte 2025", 3, 2), ("Styringsgruppemøte 2025", 2, 1)]


def _text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_shows_the_figures_and_is_filed_with_the_steering_group_meeting(app, client, auth, adviser, world):
    meeting, _ = world
    auth.login(adviser)
    page = f"/moter/arsrapporter/{YEAR}"
    listing = client.get("/moter/arsrapporter").get_data(as_text=True)
    assert page in listing and "/moter/arsrapporter/2024" in listing
    confirm = client.get(page).get_data(as_text=True)
    assert "Lag og legg ved årsrapporten" in confirm and meeting.title.lower() in confirm
    assert db.session.scalar(select(func.count()).select_from(AnnualReport)) == 0, "the page alone makes nothing"
    response = post(client, page, {}, token_from=page)
    assert response.headers["Location"].endswith(f"/moter/{meeting.id}")

    filed = annual_reports.for_year(YEAR)
    assert filed.meeting_id == meeting.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "annual_report.generate"))
    assert event.object_id == filed.id and str(meeting.id) in event.data
    assert f"/moter/arsrapporter/{YEAR}.pdf" in client.get(f"/moter/{meeting.id}").get_data(as_text=True)
    download = client.get(f"/moter/arsrapporter/{YEAR}.pdf")
    assert download.mimetype == "application/pdf" and download.data == filed.content

    text = " ".join(_text(download.data).split())
    report = annual_reports.gather(YEAR)
    with app.test_request_context():
        amounts = [money(getattr(m, key)) for m in [*report.money, report.money_total]
                   for key in ("expected", "invoiced", "paid", "outstanding")]
    for figure in amounts:
        assert " ".join(figure.split()) in text
    for name in report.members_at_start + report.members_at_end + [t.name for t in report.representatives]:
        assert name in text
    for q in report.evaluation.questions:
        for _, answer in q.answers:
            assert answer in text
    assert "2 av 6 medlemskommuner svarte" in text
    assert "Demens i kommunene Opprettet 12.03.2025" in text and "Velferdsteknologi Avsluttet 01.10.2025" in text
    assert "Sammenslåing: Austrheim, Fedje ble Nordkyst" in text
    assert "Koordineringsmøte 2025 23.01.2025 Bergen rådhus 3 2" in text


def test_the_pdf_is_bokmal_for_an_adviser_reading_english(app, client, auth, adviser, world):
    auth.login(adviser)
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = f"/moter/arsrapporter/{YEAR}"
    post(client, page, {}, token_from=page)
    text = _text(annual_reports.for_year(YEAR).content)
    assert "Årsrapport 2025 til styringsgruppen" in text and "kr" in text and "NOK" not in text


def test_a_year_without_a_steering_group_meeting_has_no_report(app, client, auth, adviser, world):
    auth.login(adviser)
    assert client.get("/moter/arsrapporter/2023").status_code == 404
    assert client.get(f"/moter/arsrapporter/{clock.today().year + 1}").status_code == 404
    assert client.get(f"/moter/arsrapporter/{YEAR}.pdf").status_code == 404
    for year in ("0", "99999", "99999999999999999999999"):
        assert client.get(f"/moter/arsrapporter/{year}").status_code == 404
        assert client.get(f"/moter/arsrapporter/{year}.pdf").status_code == 404
    with pytest.raises(annual_reports.ServiceError):
        annual_reports.generate(2023, adviser)


def test_made_again_it_replaces_the_copy_and_only_invitees_may_read_it(app, client, auth, adviser, orgs, world):
    meeting, _ = world
    first = annual_reports.generate(YEAR, adviser)
    db.session.commit()
    line = db.session.scalar(select(Contribution).where(Contribution.year == YEAR, Contribution.invoiced_on.is_(None),
                                                        Contribution.cancelled_at.is_(None)))
    with clock.pinned(date(2025, 12, 1)):
        contributions.mark_invoiced(line, adviser, invoiced_on=date(2025, 11, 1), reference="F-3")
        again = annual_reports.generate(YEAR, adviser)
    db.session.commit()
    assert again.id == first.id and db.session.scalar(select(func.count()).select_from(AnnualReport)) == 1
    assert money(annual_reports.gather(YEAR).money_total.invoiced).split()[-1] in _text(again.content).replace(
        "\xa0", " ").replace(" ", "")

    outsider = factories.user("municipality_contact", organisation=orgs["Voss"])
    db.session.commit()
    auth.login(outsider)
    assert client.get(f"/moter/arsrapporter/{YEAR}.pdf").status_code == 404
    steering = next(i.user for i in meeting.invitees if i.user_id != adviser.id)
    auth.logout()
    auth.login(steering)
    assert client.get(f"/moter/arsrapporter/{YEAR}.pdf").status_code == 200
    assert client.get("/moter/arsrapporter").status_code == 403


@pytest.mark.parametrize("year", [YEAR, YEAR - 1])
def test_the_page_before_making_the_report_counts_what_the_report_lists(world, year):
    report, found = annual_reports.gather(year), annual_reports.summary(year)
    lists = ("members_at_start", "members_at_end", "joined", "notices", "ended", "merged", "representatives",
             "subgroups_established", "subgroups_closed", "meetings")
    assert {name: getattr(found, name) for name in lists} == {name: len(getattr(report, name)) for name in lists}
    assert found.money_total == report.money_total
    assert found.evaluation == (None if report.evaluation is None else
                                (report.evaluation.answered, report.evaluation.asked))


def test_the_page_counts_the_figures_once_until_something_changes(app, client, auth, adviser, world, monkeypatch):
    counted = []
    monkeypatch.setattr(annual_reports, "summary", lambda year, count=annual_reports.summary: counted.append(year)
                        or count(year))
    auth.login(adviser)
    page = f"/moter/arsrapporter/{YEAR}"

    def meetings_shown() -> str:
        return client.get(page).get_data(as_text=True).split("<dt>Møter</dt><dd>")[1].split("</dd>")[0]

    before = meetings_shown()
    assert meetings_shown() == before and counted == [YEAR]
    _meeting(COORDINATION, date(YEAR, 10, 1), adviser, [adviser], present=0)
    db.session.commit()
    assert meetings_shown() == str(int(before) + 1) and counted == [YEAR, YEAR]
    assert annual_reports.from_json(annual_reports.summary_json(YEAR)) == annual_reports.summary(YEAR)


def test_the_conference_attendance_per_municipality_is_in_the_report(app, adviser, orgs, world):
    meeting, _ = world
    with clock.pinned(date(2025, 5, 1)):
        held = conference_world.conference(capacity=10, held_on=date(2025, 6, 12), deadline=date(2025, 6, 1),
                                           planner=adviser)
        came = [conference_world.register(held, n, organisation=orgs[name])
                for n, name in enumerate(("Askøy", "Askøy", "Osterøy"), start=1)]
        conference_world.register(held, 4)  # an organisation typed in: no municipality
    with clock.pinned(date(2025, 6, 13)):
        conferences.record_attendance(held, {came[0].id, came[1].id}, adviser)
    db.session.commit()
    report = annual_reports.gather(YEAR)
    assert report.conference_attendance == [(orgs["Askøy"].display_name, 2)]
    assert annual_reports.gather(YEAR - 1).conference_attendance == []
    with app.test_request_context():
        text = " ".join(_text(annual_reports.render(report, meeting)).split())
    assert f"Fagkonferansen Kommune Deltakere som møtte {orgs['Askøy'].display_name} 2" in text
