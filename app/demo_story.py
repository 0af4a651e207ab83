"""The collaboration's history, replayed through the services so the audit log and case pages are real."""
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.agreements import document
from app.models import InvitationRound, Meeting, MembershipCase, Organisation, Representative, Subgroup, User
from app.models.invitation import YES
from app.models.meeting import ABSENT, COORDINATION, PRESENT, STEERING
from app.models.members import PROJECT, SEATS_PER_GROUP
from app.models.membership import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import agreements, contributions, evaluations, invitations
from app.services import meetings as meetings_service
from app.services import members, membership, representatives, subgroups, tick, users, workflow
from app.services.users import find_by_email
from workflows import MEMBERSHIP

LETTER_2016 = """Bergen kommune inviterer kommuner i Bergensregionen, Voss og omland og Nordhordland til å delta i \
samarbeidet Kunnskapskommunen Helse Omsorg Bergen.

Det overordnede målet med samarbeidet er å styrke den kunnskapsbaserte utviklingen av tjenestene i \
primærhelse- og omsorgstjenestene. Dette kan gjøres gjennom forskningsprosjekter, master- og videreutdanning og \
praksisutplasseringer eller utvikling av innovative produkter og løsninger.

Dere vil inngå i samarbeidet på lik linje med de andre partene, og kunne dra veksler på forskning, innovasjon og \
kunnskapsutvikling inn i egen kommune. For hver kommune er det foreslått et årlig beløp på kr 40 000 i perioden \
2017–2019.

Vi ber om tilbakemelding på om man ønsker å være en part i Kunnskapskommunen innen 01.11.2016. For kommunene som \
ønsker å være med, vil vi ta initiativ til et felles samarbeidsmøte i januar 2017.

Med vennlig hilsen
Nina Mevold, kommunaldirektør"""

SAID_YES = ["Radøy", "Meland", "Masfjorden", "Vaksdal", "Voss", "Austrheim", "Osterøy", "Os", "Lindås", "Askøy"]
SAID_NO = ["Fedje", "Modalen"]
MERGED_INTO_ALVER = ["Meland", "Radøy"]
NOT_RENEWED = ["Masfjorden"]
# Signatories who signed on paper in 2018 (registered by the adviser from the scanned agreement).
PAPER_SIGNERS = {
    "Radøy": ("Trond Nesse", "Rådmann"), "Meland": ("Eirik Haugland", "Rådmann"),
    "Masfjorden": ("Ola Risnes", "Rådmann"), "Vaksdal": ("Guro Dale", "Rådmann"),
    "Austrheim": ("Per Lerøy", "Rådmann"), "Os": ("Ingvild Tveit", "Rådmann"),
}


def tell(organisations: dict[str, Organisation]) -> bool:
    """Replay the story once; False when it is already there."""
    if db.session.scalar(select(InvitationRound.id).where(InvitationRound.title == "Invitasjon 2016")):
        return False
    adviser = find_by_email("marianne.solbakk@bergen.kommune.no")
    host_signer = find_by_email("nina.mevold@bergen.kommune.no")
    cases = _round_2016(organisations, adviser)
    _agreements_2018(cases, adviser, host_signer)
    _merger_2020(cases, adviser)
    _renewal_2022(cases, adviser, host_signer)
    _notices_2026(cases, adviser)
    _agreements_2026(_round_2026(organisations, adviser), adviser, host_signer)
    with clock.pinned(clock.today()):
        tick.run(clock.today())
    return True


def _contact(case: MembershipCase, role: str) -> User | None:
    return db.session.scalar(select(User).where(User.organisation_id == case.organisation_id)
                             .where(User.role_rows.any(role=role)))


def _round_2016(organisations, adviser) -> dict[str, MembershipCase]:
    with clock.pinned(date(2016, 10, 3)):
        round_ = InvitationRound(title="Invitasjon 2016", letter_text=LETTER_2016, reply_deadline=date(2016, 11, 1),
                                 contribution=40_000, contribution_from=2017, contribution_to=2019,
                                 agreement_end=date(2022, 12, 31), meeting="Felles samarbeidsmøte i januar 2017",
                                 created_by_id=adviser.id, created_at=clock.now())
        db.session.add(round_)
        db.session.flush()
        invitees = [o for o in organisations.values() if o.is_municipality and not o.is_host]
        cases = {o.name: membership.invite(round_, o, adviser) for o in sorted(invitees, key=lambda o: o.name)}
        db.session.commit()
    for n, name in enumerate(SAID_YES):
        with clock.pinned(date(2016, 10, 10 + 2 * n)):
            actor = _contact(cases[name], "municipality_contact") or adviser
            workflow.perform(cases[name], "accept", actor,
                             comment=None if actor is not adviser else "Svar mottatt på e-post.")
            db.session.commit()
    for name in SAID_NO:
        with clock.pinned(date(2016, 10, 28)):
            workflow.perform(cases[name], "decline", adviser, comment="Svar mottatt på e-post.")
            db.session.commit()
    with clock.pinned(date(2016, 11, 2)):
        tick.run(date(2016, 11, 2))
    return cases


def _agreements_2018(cases, adviser, host_signer) -> None:
    with clock.pinned(date(2018, 1, 15)):
        for name in SAID_YES:
            workflow.perform(cases[name], "issue_agreement", adviser)
        db.session.commit()
    for n, name in enumerate(SAID_YES):
        _sign_both(cases[name], adviser, host_signer, date(2018, 2, 1 + 2 * n))
        with clock.pinned(date(2018, 3, 1)):
            workflow.perform(cases[name], "activate", adviser)
            db.session.commit()


def _sign_both(case, adviser, host_signer, day) -> None:
    signer = _contact(case, "signatory")
    with clock.pinned(day):
        if signer:
            membership.sign(case, MUNICIPALITY_PARTY, signer, name=signer.name, title=signer.title, signed_on=day)
        else:
            name, title = PAPER_SIGNERS[case.organisation.name]
            membership.sign(case, MUNICIPALITY_PARTY, adviser, name=name, title=title, signed_on=day,
                            method="upload")
        membership.sign(case, HOST_PARTY, host_signer, name=host_signer.name, title=host_signer.title,
                        signed_on=day)
        db.session.commit()


def _merger_2020(cases, adviser) -> None:
    with clock.pinned(date(2020, 1, 6)):
        for name in MERGED_INTO_ALVER:
            workflow.perform(cases[name], "end_by_merger", adviser,
                             comment="Slått sammen med Lindås og Radøy til Alver kommune fra 01.01.2020. "
                                     "Alver viderefører medlemskapet gjennom Lindås' avtale.")
        db.session.commit()


def _renewal_2022(cases, adviser, host_signer) -> None:
    renewing = [n for n in SAID_YES if n not in MERGED_INTO_ALVER + NOT_RENEWED]
    with clock.pinned(date(2022, 11, 15)):
        for name in renewing:
            workflow.perform(cases[name], "renew", adviser, comment="Ny avtaleperiode 2023–2027.",
                             data={"agreement_end": "2027-12-31"})
        db.session.commit()
    for n, name in enumerate(renewing):
        _sign_both(cases[name], adviser, host_signer, date(2022, 12, 1 + 2 * n))
        with clock.pinned(date(2022, 12, 20)):
            workflow.perform(cases[name], "activate", adviser)
            db.session.commit()
    with clock.pinned(date(2023, 1, 1)):
        tick.run(date(2023, 1, 1))


def _notices_2026(cases, adviser) -> None:
    askoy, voss = cases["Askøy"], cases["Voss"]
    with clock.pinned(date(2026, 3, 2)):
        request = workflow.perform(askoy, "give_notice", _contact(askoy, "signatory"),
                                   comment="Askøy kommune sier opp avtalen etter vedtak i kommunestyret.",
                                   data={"notice_date": "2026-03-01", "notice_by": MUNICIPALITY_PARTY})
        db.session.commit()
    with clock.pinned(date(2026, 3, 4)):
        workflow.approve(request, adviser, "Skriftlig oppsigelse mottatt 01.03.2026.")
        db.session.commit()
    with clock.pinned(date(2026, 11, 10)):
        workflow.perform(voss, "give_notice", _contact(voss, "signatory"),
                         comment="Voss herad vurderer å seie opp avtalen, sjå vedlagt brev.",
                         data={"notice_date": "2026-11-10", "notice_by": MUNICIPALITY_PARTY})
        db.session.commit()


def _round_2026(organisations, adviser) -> dict[str, MembershipCase]:
    members = {"Lindås", "Voss", "Vaksdal", "Osterøy", "Os", "Askøy", "Austrheim", "Meland", "Radøy"}
    invitees = [o for o in organisations.values()
                if o.is_municipality and not o.is_host and o.name not in members]
    meeting, deadline = "Felles samarbeidsmøte i februar 2027", date(2026, 12, 15)
    with clock.pinned(date(2026, 10, 26)):
        round_ = invitations.create_round(
            adviser, invitees, title="Invitasjon 2026",
            letter_text=invitations.letter(40_000, 2027, 2030, deadline, meeting), reply_deadline=deadline,
            contribution=40_000, contribution_from=2027, contribution_to=2030, agreement_end=date(2030, 12, 31),
            meeting=meeting)
        db.session.commit()
    cases = {case.organisation.name: case for case in round_.cases}
    with clock.pinned(date(2026, 11, 4)):
        # Austevoll gets a contact person after the round went out: the invitation follows at once.
        users.create_user("trude.bjelland@austevoll.kommune.no", "Trude Bjelland", ["municipality_contact"],
                          organisation=organisations["Austevoll"], title="Einingsleiar helse og omsorg",
                          actor=find_by_email("admin@bergen.kommune.no"))
        db.session.commit()
    with clock.pinned(date(2026, 11, 12)):
        fjell = cases["Fjell"]
        marit = _contact(fjell, "municipality_contact")
        invitations.reply(fjell, marit, answer=YES, comment="Fjell (no Øygarden) ønskjer å vere med.",
                          details=invitations.ReplyDetails(
                              contact_name=marit.name, contact_title=marit.title, contact_email=marit.email,
                              contact_phone="56 31 50 00", steering_rep="Bjørn Sandvik, kommunalsjef",
                              project_rep_1=marit.name, project_rep_2="Ingunn Kvinge, fagutviklar"))
        workflow.perform(cases["Ulvik"], "decline", adviser, comment="Svar mottatt på e-post.")
        db.session.commit()
    with clock.pinned(date(2026, 11, 16)):
        invitations.remind(round_, adviser, date(2026, 11, 16))
        db.session.commit()
    with clock.pinned(date(2026, 11, 20)):
        invitations.extend_case_deadline(cases["Kvam"], date(2027, 1, 15),
                                         "Kommunestyret i Kvam handsamar saka 12. januar 2027.", adviser)
        db.session.commit()
    return cases


WELFARE_TECHNOLOGY = "Velferdsteknologi i hjemmetjenesten"


def tell_subgroups() -> bool:
    """The project group's subgroups in different states, made through the services; False when already there."""
    if db.session.scalar(select(Subgroup.id).where(Subgroup.name == WELFARE_TECHNOLOGY)):
        return False
    people = {key: find_by_email(email) for key, email in {
        "adviser": "marianne.solbakk@bergen.kommune.no", "kari": "kari.nordtveit@lindas.kommune.no",
        "siri": "siri.lie@voss.kommune.no", "tone": "tone.myklebust@askoy.kommune.no",
        "liv": "liv.instanes@uib.no", "erik": "erik.aase@hvl.no"}.items()}
    _established_subgroup(people)
    _returned_subgroup(people)
    _submitted_subgroup(people)
    _draft_subgroup(people)
    return True


def _step(day: date, subgroup: Subgroup, trigger: str, actor: User, comment: str | None = None,
          data: dict | None = None) -> None:
    with clock.pinned(day):
        workflow.perform(subgroup, trigger, actor, comment=comment, data=data)
        db.session.commit()


def _established_subgroup(p) -> None:
    with clock.pinned(date(2025, 2, 3)):
        subgroup = subgroups.propose(subgroups.Proposal(
            name=WELFARE_TECHNOLOGY, themes=["welfare_technology", "user_participation"],
            mandate="Samle erfaringene kommunene har med digitalt tilsyn, medisindispensere og trygghetsalarmer "
                    "i hjemmetjenesten, og levere en felles veileder for innføring og opplæring innen utgangen av "
                    "2026.",
            chair_id=p["kari"].id, member_ids=[p["siri"].id, p["erik"].id, p["liv"].id], duration="2 år",
            end_date=date(2026, 12, 31),
            representatives=[subgroups.Representative("Astrid Myhre", "Eldrerådet i Bergen",
                                                       "astrid.myhre@example.no")]), p["kari"])
        db.session.commit()
    _step(date(2025, 2, 3), subgroup, "submit", p["kari"])
    _step(date(2025, 2, 6), subgroup, "second", p["siri"])
    _step(date(2025, 2, 20), subgroup, "approve", p["adviser"],
          comment="Vedtatt i prosjektgruppemøtet 18.02.2025.", data={"decided_on": "2025-02-18"})
    _step(date(2025, 3, 3), subgroup, "establish", p["adviser"])
    with clock.pinned(date(2025, 9, 1)):
        subgroups.add_member(subgroup, p["tone"].id, date(2025, 9, 1), p["kari"])
        db.session.commit()
    with clock.pinned(date(2026, 6, 30)):
        liv = next(m for m in subgroup.members if m.user_id == p["liv"].id)
        subgroups.remove_member(subgroup, liv.id, date(2026, 6, 30), p["adviser"])
        db.session.commit()


def _returned_subgroup(p) -> None:
    with clock.pinned(date(2026, 9, 14)):
        subgroup = subgroups.propose(subgroups.Proposal(
            name="Kunnskapsbasert praksis i sykehjem", themes=["clinical_practice", "organisation"],
            mandate="Kartlegge hvordan sykehjemmene i samarbeidet tar i bruk fagprosedyrer, og foreslå et felles "
                    "opplegg for fagutvikling.",
            chair_id=p["tone"].id, member_ids=[p["liv"].id], duration="18 måneder",
            assessment="Gruppen skal først kartlegge rutiner og fagprosedyrer hos de ansatte. Brukerrepresentanter "
                       "blir invitert inn når gruppen skal foreslå tiltak for beboerne."), p["tone"])
        db.session.commit()
    _step(date(2026, 9, 14), subgroup, "submit", p["tone"])
    _step(date(2026, 9, 18), subgroup, "second", p["liv"])
    _step(date(2026, 10, 5), subgroup, "return_for_changes", p["adviser"],
          comment="Prosjektgruppen ber om et tydeligere avgrenset mandat, og om at brukerrådet på sykehjemmene "
                  "blir spurt om representasjon fra starten.")


def _submitted_subgroup(p) -> None:
    with clock.pinned(date(2026, 11, 16)):
        subgroup = subgroups.propose(subgroups.Proposal(
            name="Rekruttering og demografi i distriktskommunene", themes=["demography", "organisation"],
            mandate="Se på framskrivingene av behovet for helse- og omsorgstjenester fram mot 2040, og foreslå "
                    "felles tiltak for å rekruttere og beholde sykepleiere i de minste kommunene.",
            chair_id=p["siri"].id, member_ids=[p["tone"].id, p["erik"].id], end_date=date(2027, 12, 31),
            representatives=[subgroups.Representative("Ola Rykkje", "Brukarrådet i Voss herad",
                                                       "ola.rykkje@example.no")]), p["siri"])
        db.session.commit()
    _step(date(2026, 11, 16), subgroup, "submit", p["siri"])


def _draft_subgroup(p) -> None:
    with clock.pinned(date(2026, 11, 20)):
        subgroups.propose(subgroups.Proposal(
            name="Tverrfaglig oppfølging av personer med demens", themes=["interdisciplinary", "clinical_practice"],
            mandate="Beskrive gode pasientforløp for hjemmeboende med demens på tvers av kommune og sykehus.",
            chair_id=p["erik"].id, member_ids=[p["kari"].id], duration="1 år",
            representatives=[subgroups.Representative("Geir Solberg", "Nasjonalforeningen for folkehelsen, "
                                                      "demensforeningen i Bergen", "geir.solberg@example.no")]),
            p["erik"])
        db.session.commit()
STEERING_AGENDA = """1. Godkjenning av innkalling og saksliste
2. Årsrapport og regnskap for {previous}
3. Årlig vurdering av samarbeidet
4. Budsjett og bidrag for {next}
5. Årskonferansen i juni
6. Eventuelt"""
COORDINATION_AGENDA = """1. Velkommen og runde rundt bordet: hva skjer i kommunene
2. Status for prosjekter og undergrupper
3. Behov for kunnskap og forskning i kommunene
4. Årskonferansen i juni {year}
5. Eventuelt"""
PANDEMIC = (date(2020, 3, 12), date(2022, 2, 12))
YEAR_NOTES = {
    2017: "Første år med kommunene som nye parter. Prosjektgruppen er satt sammen.",
    2018: "Samarbeidsavtalene er signert av alle kommunene som takket ja.",
    2020: "Lindås, Meland og Radøy er slått sammen til Alver kommune fra 01.01.2020.",
    2021: "Møtet ble holdt digitalt på grunn av smittevernreglene.",
    2022: "Avtaleperioden slutter 31.12.2022. Fornyelse for 2023–2027 ble drøftet.",
    2023: "Ny avtaleperiode 2023–2027 er i gang.",
    2026: "Askøy kommune har sagt opp avtalen. Ny invitasjonsrunde til kommunene som ikke er med, ble drøftet.",
}


def _weekday_on_or_after(day: date, weekday: int = 3) -> date:
    """The first Thursday (by default) on or after `day`."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _meeting_plan() -> list[tuple[str, date, str, str]]:
    """(kind, day, place, agenda) of the yearly meetings 2017–2026 and the next coordination meeting."""
    plan = []
    for year in range(2017, 2028):
        plan.append((COORDINATION, _weekday_on_or_after(date(year, 2 if year == 2027 else 1, 20)),
                     "Bergen rådhus, Rådhusgaten 10", COORDINATION_AGENDA.format(year=year)))
        if year <= 2026:
            plan.append((STEERING, _weekday_on_or_after(date(year, 12, 1)), "Bergen rådhus, Formannskapssalen",
                         STEERING_AGENDA.format(previous=year - 1, next=year + 1)))
    # Meetings were held online while the pandemic rules applied.
    return [(kind, day, "Digitalt (Teams)" if PANDEMIC[0] <= day <= PANDEMIC[1] else place, agenda)
            for kind, day, place, agenda in plan]


def meetings() -> int:
    """Add the yearly meetings through the meetings service (minutes for past ones); returns how many were new."""
    adviser = find_by_email("marianne.solbakk@bergen.kommune.no")
    added = 0
    for kind, day, place, agenda in _meeting_plan():
        starts_at = datetime.combine(day, time(10, 0), tzinfo=clock.OSLO).astimezone(timezone.utc)
        if db.session.scalar(select(Meeting.id).where(Meeting.kind == kind, Meeting.starts_at == starts_at)):
            continue
        ends_at = starts_at + timedelta(hours=2 if kind == STEERING else 5)
        past = starts_at < clock.now()
        with clock.pinned(min(day - timedelta(weeks=5), clock.today())):
            meeting = meetings_service.create(kind, starts_at=starts_at, ends_at=ends_at, place=place, agenda=agenda,
                                              invitees=meetings_service.default_invitees(kind), actor=adviser,
                                              notify=not past)
            db.session.commit()
        if past:
            with clock.pinned(day + timedelta(days=7)):
                meetings_service.record_attendance(
                    meeting, {i.user_id: ABSENT if (i.user_id + day.year) % 5 == 0 else PRESENT
                              for i in meeting.invitees}, adviser)
                meetings_service.record_minutes(meeting, text=_minutes(meeting, day), pdf=None, actor=adviser)
                db.session.commit()
        added += 1
    return added


def _minutes(meeting: Meeting, day: date) -> str:
    note = YEAR_NOTES.get(day.year, "Samarbeidet går som planlagt.")
    return (f"Referat fra {meeting.title.lower()}, {day.strftime('%d.%m.%Y')}.\n\n"
            f"Sak 1: Innkalling og saksliste godkjent.\n"
            f"Sak 2: {note}\n"
            f"Sak 3: Kommunene la fram sine behov; FoU-rådgiveren følger opp i prosjektgruppen.\n"
            f"Sak 4: Årskonferansen holdes i juni. Programkomiteen melder tilbake innen 1. mars.\n\n"
            f"Referent: Marianne N. Solbakk, FoU-rådgiver")


def _agreements_2026(cases, adviser, host_signer) -> None:
    """Masfjorden's new agreement is signed by both (Masfjorden on paper) and waits for activation;
    Fjell's is signed by Bergen and waits for Fjell's signatory."""
    masfjorden, fjell = cases["Masfjorden"], cases["Fjell"]
    with clock.pinned(date(2026, 10, 28)):
        workflow.perform(masfjorden, "accept", adviser, comment="Masfjorden vil vere med igjen. Svar på e-post.")
        db.session.commit()
    with clock.pinned(date(2026, 11, 2)):
        workflow.perform(masfjorden, "issue_agreement", adviser)
        db.session.commit()
    with clock.pinned(date(2026, 11, 4)):
        agreements.sign(masfjorden.agreement, host_signer, title=host_signer.title, confirmed=True)
        db.session.commit()
    with clock.pinned(date(2026, 11, 9)):
        agreements.register_upload(masfjorden.agreement, adviser, party=MUNICIPALITY_PARTY, name="Ola Risnes",
                                   title="Kommunedirektør", signed_on=date(2026, 11, 6),
                                   filename="Masfjorden samarbeidsavtale signert.pdf",
                                   content=document.pdf(masfjorden.agreement))
        db.session.commit()
    with clock.pinned(date(2026, 11, 16)):
        workflow.perform(fjell, "issue_agreement", adviser)
        db.session.commit()
    with clock.pinned(date(2026, 11, 18)):
        agreements.sign(fjell.agreement, host_signer, title=host_signer.title, confirmed=True)
        db.session.commit()


# Active membership 2018–2026: representatives, administrative contacts, contributions, the 2025 evaluation.
FIRST_NAMES = ["Anne", "Bjørn", "Camilla", "Dag", "Eli", "Frode", "Gro", "Halvard", "Ingunn", "Jostein", "Kristin",
               "Lars", "Mette", "Nils", "Oddny", "Petter", "Ragnhild", "Sverre", "Torunn", "Vegard", "Åse", "Øystein"]
LAST_NAMES = ["Askvik", "Brekke", "Dyrdal", "Eikeland", "Fosse", "Gjerde", "Hope", "Instebø", "Johnsen", "Kvamme",
              "Lunde", "Mjelde", "Natås", "Orheim", "Rong", "Sæle", "Takle", "Ulvøy", "Vevle", "Øvretveit"]
TITLES = {STEERING: ["Kommunalsjef helse og omsorg", "Rådmann"],
          PROJECT: ["Fagleder sykehjem", "FoU-koordinator", "Enhetsleder hjemmetjenesten", "Fysioterapeut",
                    "Avdelingssykepleier"]}
ASCII = str.maketrans("æøå", "aoa")
TERM_STARTS = [date(2018, 3, 1), date(2020, 3, 1), date(2022, 3, 1), date(2024, 3, 1), date(2026, 3, 1)]
# Seats whose story differs from the regular two-year cycle, to show flags, empty seats and proposals.
OFF_CYCLE = {("Osterøy", STEERING, 1): [date(2019, 1, 15), date(2021, 1, 15), date(2023, 1, 15), date(2025, 1, 15)],
             ("Vaksdal", PROJECT, 1): TERM_STARTS[:4], ("Voss", PROJECT, 2): TERM_STARTS[:4],
             ("Lindås", PROJECT, 2): TERM_STARTS[:4]}
ADMIN_CONTACTS = {
    "Lindås": ("Synnøve Hjartholm", "Rådgiver, helse og omsorg", "55 57 50 00"),
    "Voss": ("Leif Dykesten", "Spesialrådgjevar", "56 51 94 00"),
    "Vaksdal": ("Marta Helle", "Kommunalsjef helse og omsorg", "56 59 44 00"),
    "Osterøy": ("Hilde Eide", "Kommunalsjef helse og omsorg", "56 19 21 00"),
    "Os": ("Tor Inge Hatlevik", "Rådgiver", "56 57 50 00"),
    "Askøy": ("Tone Myklebust", "Kommunalsjef helse", "56 15 80 00"),
}
MERGER_2020 = "Slått sammen til Alver kommune fra 01.01.2020. Alver betaler gjennom Lindås' avtale."
UNPAID = {("Askøy", 2026), ("Os", 2026), ("Vaksdal", 2025)}
NOT_INVOICED = {("Austrheim", 2026)}
EVALUATION_2025 = ["Hvordan har kommunen hatt nytte av samarbeidet i 2025?",
                   "Hva bør prosjektgruppen prioritere i 2026?",
                   "Har kommunen deltatt på koordineringsmøtet og fagkonferansen? Hvorfor/hvorfor ikke?"]
ANSWERS_2025 = {
    "Lindås": ("kari.nordtveit@lindas.kommune.no", date(2025, 11, 20), [
        "Praksisplassene for sykepleierstudenter og nettverket for fagutviklingssykepleiere.",
        "Velferdsteknologi i hjemmetjenesten og brukermedvirkning i undergruppene.",
        "Ja, begge. Fagkonferansen i juni ga oss kontakter til to nye prosjekt."]),
    "Voss": ("siri.lie@voss.kommune.no", date(2025, 12, 3), [
        "Godt fagleg nettverk, men lang reiseveg til møta i Bergen.",
        "Fleire digitale møte og eit prosjekt om rekruttering i distrikta.",
        "Koordineringsmøtet ja, fagkonferansen nei på grunn av bemanning."]),
    "Osterøy": ("hilde.eide@osteroy.kommune.no", date(2025, 12, 10), [
        "Samarbeidet med Høgskulen på Vestlandet om kvardagsrehabilitering.",
        "Demografiske endringar og kompetanse i små fagmiljø.",
        "Ja, begge."]),
}


def tell_membership(organisations: dict[str, Organisation]) -> bool:
    """Representatives, contacts, contributions and evaluation through the services; False when already there."""
    if db.session.scalar(select(Representative.id).limit(1)) or not _member_cases():
        return False
    adviser = find_by_email("marianne.solbakk@bergen.kommune.no")
    cases = _member_cases()
    for case in cases.values():
        _representatives(case, adviser)
    for name in MERGED_INTO_ALVER:
        with clock.pinned(date(2020, 1, 6)):
            members.end_membership(cases[name], date(2020, 1, 6), adviser)
    db.session.commit()
    _replace_and_propose(cases, adviser)
    _admin_contacts(cases, adviser)
    _ledger(cases, adviser)
    _evaluation_2025(organisations, adviser)
    with clock.pinned(clock.today()):
        tick.run(clock.today())
    return True


def _member_cases() -> dict[str, MembershipCase]:
    """The 2016 round's cases that became memberships, by municipality."""
    return {case.organisation.name: case for case in members.cases_ever_active()
            if case.round.title == "Invitasjon 2016"}


def _person(org: str, group: str, seat: int, cycle: int) -> tuple[str, str, str]:
    """A stable made-up person for a seat; each serves two terms in a row."""
    n = sum(map(ord, org)) + (0 if group == STEERING else 3 * seat) + cycle // 2
    first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n * 7) % len(LAST_NAMES)]
    email = f"{first}.{last}@{org}.kommune.no".lower().translate(ASCII)
    return f"{first} {last}", TITLES[group][n % len(TITLES[group])], email


def _propose(case, group, seat, starts_on, adviser, ends_on=None, replaces=None, cycle=0, approve=True):
    """Recent terms: the contact person proposes and the adviser approves; earlier ones the adviser registered."""
    contact = _contact(case, "municipality_contact") if starts_on.year >= 2025 else None
    name, title, email = _person(case.organisation.name, group, seat, cycle)
    with clock.pinned(starts_on - timedelta(days=21)):
        term = representatives.propose(case.organisation, contact or adviser, group=group, seat=seat, name=name,
                                       title=title, email=email, starts_on=starts_on, ends_on=ends_on,
                                       replaces=replaces)
    if contact and approve:
        with clock.pinned(starts_on - timedelta(days=14)):
            representatives.approve(term, adviser)
    return term


def _representatives(case, adviser) -> None:
    name = case.organisation.name
    periods = members.member_periods(case)
    for group, limit in SEATS_PER_GROUP.items():
        for seat in range(1, limit + 1):
            for cycle, starts_on in enumerate(OFF_CYCLE.get((name, group, seat), TERM_STARTS)):
                if not any(first <= starts_on <= (last or starts_on) for first, last in periods):
                    break
                # Masfjorden did not renew: its last terms ran to the end of the agreement.
                ends_on = min(representatives.default_end(starts_on), case.end_date) \
                    if name in NOT_RENEWED else None
                _propose(case, group, seat, starts_on, adviser, ends_on=ends_on, cycle=cycle)
    db.session.commit()


def _replace_and_propose(cases, adviser) -> None:
    """Lindås replaced a project member in 2025 (term ends soon); Voss has a proposal waiting for approval."""
    lindas = cases["Lindås"]
    leaving = next(t for t in representatives.history(lindas.organisation)
                   if t.group == PROJECT and t.seat == 2 and t.status == "approved")
    _propose(lindas, PROJECT, 2, date(2025, 1, 1), adviser, ends_on=date(2026, 12, 31), replaces=leaving, cycle=9)
    db.session.commit()
    with clock.pinned(date(2026, 11, 16)):
        voss = cases["Voss"]
        representatives.propose(voss.organisation, _contact(voss, "municipality_contact"), group=PROJECT,
                                name="Ragna Lid", title="Leiande helsesjukepleiar", email="ragna.lid@voss.kommune.no",
                                phone="56 51 94 50", starts_on=date(2026, 12, 1))
        db.session.commit()


def _admin_contacts(cases, adviser) -> None:
    for name, (person, title, phone) in ADMIN_CONTACTS.items():
        case = cases[name]
        email = f"{person.split()[0]}.{person.split()[-1]}@{name}.kommune.no".lower().translate(ASCII)
        with clock.pinned(date(2018, 3, 15)):
            members.set_admin_contact(case.organisation, _contact(case, "municipality_contact") or adviser,
                                      name=person, title=title, email=email, phone=phone)
    db.session.commit()


def _ledger(cases, adviser) -> None:
    """Lines for every member year (the daily task would have made them), invoiced in March and mostly paid."""
    with clock.pinned(clock.today()):
        for case in cases.values():
            contributions.ensure_lines(case)
        db.session.commit()
    for name in MERGED_INTO_ALVER:
        with clock.pinned(date(2020, 2, 3)):
            contributions.cancel(contributions.line(cases[name].organisation, 2020), adviser, MERGER_2020)
    for name, case in sorted(cases.items()):
        for entry in contributions.lines_for(case.organisation):
            if entry.cancelled_at or (name, entry.year) in NOT_INVOICED:
                continue
            invoiced_on = date(entry.year, 3, 16)
            with clock.pinned(invoiced_on):
                contributions.mark_invoiced(entry, adviser, invoiced_on=invoiced_on,
                                            reference=f"{entry.year}-{case.organisation.number}")
            if (name, entry.year) not in UNPAID:
                paid_on = date(entry.year, 4, 20)
                with clock.pinned(paid_on):
                    contributions.mark_paid(entry, adviser, paid_on=paid_on, reference=f"KID {entry.id:06d}")
        db.session.commit()


def _evaluation_2025(organisations, adviser) -> None:
    with clock.pinned(date(2025, 11, 3)):
        evaluation = evaluations.create(2025, EVALUATION_2025, adviser)
    for name, (email, day, texts) in ANSWERS_2025.items():
        with clock.pinned(day):
            evaluations.answer(evaluation, organisations[name], find_by_email(email),
                               {q.id: text for q, text in zip(evaluation.questions, texts)})
    db.session.commit()
