"""The collaboration's history 2016–2026, replayed through the services so the audit log and case pages are real.

Real: the 2016 invitation and who said yes, the 2018 agreements, the 2020 reform (new numbers, the four mergers).
Invented: every person's name, the dates of single replies and signatures, and the later events (the renewals'
signatories, the 2026 notices, the 2026 round's answers)."""
from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from app import clock
from app.demo import people
from app.services import agreement_print
from app.extensions import db
from app.models import InvitationRound, MembershipCase, Organisation, User
from app.models.invitation import YES
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import agreements, cases, mergers, reminders, replies, rounds, tick, users, workflow
from app.services.users import find_by_email
from workflows.roles import MUNICIPALITY_CONTACT, SIGNATORY

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
# Fedje and Modalen: no answer is known, so none is recorded (the round shows them as not answered).
NO_ANSWER = ["Fedje", "Modalen"]
MERGED_INTO_ALVER = ["Meland", "Radøy"]
REFORM = date(2020, 1, 1)
# The 2020 mergers as the adviser recorded them on the first working day: successor (official name), predecessors,
# and the one whose agreement the successor continues (the others' memberships end 31.12.2019).
MERGERS_2020 = [
    ("Alver kommune", ["Lindås", "Meland", "Radøy"], "Lindås"),
    ("Bjørnafjorden kommune", ["Os", "Fusa"], "Os"),
    ("Voss herad", ["Voss", "Granvin"], "Voss"),
    ("Øygarden kommune", ["Fjell", "Sund", "Øygarden"], None),
]
# Renewals signed on paper in December 2022 (invented names; the title is kommunedirektør since the 2020 local
# government act). Alver, Voss herad, Osterøy and Askøy sign with their signatory's account.
RENEWAL_SIGNERS = {
    "Os": ("Solveig Fosse", "Kommunedirektør"), "Vaksdal": ("Guro Dale", "Kommunedirektør"),
    "Austrheim": ("Per Lerøy", "Kommunedirektør"),
}
NOT_RENEWED = ["Masfjorden"]
# Signatories (invented names) who signed on paper in 2018 (registered by the adviser from the scanned agreement).
PAPER_SIGNERS = {
    "Radøy": ("Trond Nesse", "Rådmann"), "Meland": ("Eirik Haugland", "Rådmann"),
    "Masfjorden": ("Ola Risnes", "Rådmann"), "Vaksdal": ("Guro Dale", "Rådmann"),
    "Austrheim": ("Per Lerøy", "Rådmann"), "Os": ("Ingvild Tveit", "Rådmann"),
}


def tell(organisations: dict[str, Organisation], before_reform: Callable[[], None]) -> bool:
    """Replay the story once, with `before_reform` told before the 2020 mergers; False when it is already there."""
    if db.session.scalar(select(InvitationRound.id).where(InvitationRound.title == "Invitasjon 2016")):
        return False
    adviser = find_by_email("marianne.solbakk@bergen.kommune.no")
    host_signer = find_by_email("nina.mevold@bergen.kommune.no")
    by_name = _round_2016(organisations, adviser)
    _agreements_2018(by_name, adviser, host_signer)
    before_reform()
    db.session.commit()
    _mergers_2020(organisations, by_name, adviser)
    _renewal_2022(by_name, adviser, host_signer)
    _notices_2026(by_name, adviser)
    _agreements_2026(_round_2026(organisations, adviser), adviser, host_signer)
    with clock.pinned(clock.today()):
        tick.run(clock.today())
    return True


def contact_of(case: MembershipCase, role: str) -> User | None:
    """The first user with `role` in the case's municipality."""
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
        invitees = [o for o in organisations.values()
                    if o.is_municipality and not o.is_host and o.active_from is None]
        by_name = {o.name: cases.invite(round_, o, adviser) for o in sorted(invitees, key=lambda o: o.name)}
        db.session.commit()
    for n, name in enumerate(SAID_YES):
        with clock.pinned(date(2016, 10, 10 + 2 * n)):
            actor = contact_of(by_name[name], MUNICIPALITY_CONTACT) or adviser
            workflow.perform(by_name[name], "accept", actor,
                             comment=None if actor is not adviser else "Svar mottatt på e-post.")
            db.session.commit()
    with clock.pinned(date(2016, 11, 2)):
        tick.run(date(2016, 11, 2))
    return by_name


def _agreements_2018(by_name, adviser, host_signer) -> None:
    with clock.pinned(date(2018, 1, 15)):
        for name in SAID_YES:
            workflow.perform(by_name[name], "issue_agreement", adviser)
        db.session.commit()
    for n, name in enumerate(SAID_YES):
        _sign_both(by_name[name], adviser, host_signer, date(2018, 2, 1 + 2 * n))
        with clock.pinned(date(2018, 3, 1)):
            workflow.perform(by_name[name], "activate", adviser)
            db.session.commit()


def _sign_both(case, adviser, host_signer, day, on_paper=None) -> None:
    """The municipality signs: `on_paper` (name, title) registered by the adviser, else its signatory account, else
    the 2018 paper signer."""
    signer = None if on_paper else contact_of(case, SIGNATORY)
    with clock.pinned(day):
        if signer:
            title = signer.title if day >= REFORM else "Rådmann"  # the accounts hold today's title
            cases.sign(case, MUNICIPALITY_PARTY, signer, name=signer.name, title=title, signed_on=day)
        else:
            name, title = on_paper or PAPER_SIGNERS[case.organisation.name]
            cases.sign(case, MUNICIPALITY_PARTY, adviser, name=name, title=title, signed_on=day,
                            method="upload")
        cases.sign(case, HOST_PARTY, host_signer, name=host_signer.name, title=host_signer.title,
                        signed_on=day)
        db.session.commit()


def _mergers_2020(organisations, by_name, adviser) -> None:
    """Recorded on 06.01.2020 from 01.01.2020: the continued memberships move, the others end 31.12.2019."""
    with clock.pinned(date(2019, 1, 1)):
        tick.run(date(2019, 1, 1))  # the year's contribution lines stay the predecessors'
    with clock.pinned(date(2020, 1, 6)):
        for successor, predecessors, continued in MERGERS_2020:
            mergers.record(adviser, [organisations[name] for name in predecessors], organisations[successor],
                           REFORM, by_name[continued].id if continued else None)
            db.session.commit()


def _renewal_2022(by_name, adviser, host_signer) -> None:
    renewing = [n for n in SAID_YES if n not in MERGED_INTO_ALVER + NOT_RENEWED]
    with clock.pinned(date(2022, 11, 15)):
        for name in renewing:
            workflow.perform(by_name[name], "renew", adviser, comment="Ny avtaleperiode 2023–2027.",
                             data={"agreement_end": "2027-12-31"})
        db.session.commit()
    for n, name in enumerate(renewing):
        _sign_both(by_name[name], adviser, host_signer, date(2022, 12, 1 + 2 * n), RENEWAL_SIGNERS.get(name))
        with clock.pinned(date(2022, 12, 20)):
            workflow.perform(by_name[name], "activate", adviser)
            db.session.commit()
    with clock.pinned(date(2023, 1, 1)):
        tick.run(date(2023, 1, 1))


def _notices_2026(by_name, adviser) -> None:
    askoy, voss = by_name["Askøy"], by_name["Voss"]
    with clock.pinned(date(2026, 3, 2)):
        request = workflow.perform(askoy, "give_notice", contact_of(askoy, SIGNATORY),
                                   comment="Askøy kommune sier opp avtalen etter vedtak i kommunestyret.",
                                   data={"notice_date": "2026-03-01", "notice_by": MUNICIPALITY_PARTY})
        db.session.commit()
    with clock.pinned(date(2026, 3, 4)):
        workflow.approve(request, adviser, "Skriftlig oppsigelse mottatt 01.03.2026.")
        db.session.commit()
    with clock.pinned(date(2026, 11, 10)):
        workflow.perform(voss, "give_notice", contact_of(voss, SIGNATORY),
                         comment="Voss herad vurderer å seie opp avtalen, sjå vedlagt brev.",
                         data={"notice_date": "2026-11-10", "notice_by": MUNICIPALITY_PARTY})
        db.session.commit()


def _round_2026(organisations, adviser) -> dict[str, MembershipCase]:
    meeting, deadline = "Felles samarbeidsmøte i februar 2027", date(2026, 12, 15)
    with clock.pinned(date(2026, 10, 26)):
        invitees = [o for o in organisations.values() if o.is_municipality and not o.is_host
                    and o.active_to is None and not mergers.member_cases([o])]
        round_ = rounds.create_round(
            adviser, invitees, title="Invitasjon 2026",
            letter_text=rounds.letter(40_000, 2027, 2030, deadline, meeting), reply_deadline=deadline,
            contribution=40_000, contribution_from=2027, contribution_to=2030, agreement_end=date(2030, 12, 31),
            meeting=meeting)
        db.session.commit()
    by_name = {case.organisation.name: case for case in round_.cases}
    with clock.pinned(date(2026, 11, 4)):
        # Austevoll gets a contact person after the round went out: the invitation follows at once.
        email, name, title, organisation, roles = people.LATER_CONTACT
        users.create_user(email, name, roles, organisation=organisations[organisation], title=title,
                          actor=find_by_email("admin@bergen.kommune.no"))
        db.session.commit()
    with clock.pinned(date(2026, 11, 12)):
        oygarden = by_name["Øygarden"]
        marit = contact_of(oygarden, MUNICIPALITY_CONTACT)
        replies.reply(oygarden, marit, answer=YES, comment="Øygarden kommune ønsker å være med.",
                      details=replies.ReplyDetails(
                          contact_name=marit.name, contact_title=marit.title, contact_email=marit.email,
                          contact_phone="56 31 50 00", steering_rep="Bjørn Sandvik, kommunalsjef",
                          project_rep_1=marit.name, project_rep_2="Ingunn Kvinge, fagutvikler"))
        workflow.perform(by_name["Ulvik"], "decline", adviser, comment="Svar mottatt på e-post.")
        db.session.commit()
    with clock.pinned(date(2026, 11, 16)):
        reminders.remind(round_, adviser, date(2026, 11, 16))
        db.session.commit()
    with clock.pinned(date(2026, 11, 20)):
        rounds.extend_case_deadline(by_name["Kvam"], date(2027, 1, 15),
                                    "Kommunestyret i Kvam handsamar saka 12. januar 2027.", adviser)
        db.session.commit()
    return by_name



def _agreements_2026(by_name, adviser, host_signer) -> None:
    """Masfjorden's new agreement is signed by both (Masfjorden on paper) and waits for activation;
    Øygarden's waits for both signatories, Bergen's and Øygarden's."""
    masfjorden, oygarden = by_name["Masfjorden"], by_name["Øygarden"]
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
                                   content=agreement_print.pdf(masfjorden.agreement))
        db.session.commit()
    with clock.pinned(date(2026, 11, 16)):
        workflow.perform(oygarden, "issue_agreement", adviser)
        db.session.commit()
