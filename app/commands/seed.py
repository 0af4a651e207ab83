"""`flask seed-demo`: the real collaboration as demo data, made through the services."""
import secrets
import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from app.demo import conferences, cost_keys, history, meetings, membership, news, parties, people, reports, subgroups
from app.extensions import db
from app.models import Organisation, User
from app.models.organisation import MUNICIPALITY
from app.services import organisations, users


@click.command("seed-demo")
@click.option("--password", help="Ett passord for alle nye demokontoer (bare for demo).")
@click.option("--force", is_flag=True, help="Legg inn demodata selv om databasen har kontoer demoen ikke har laget.")
@with_appcontext
def seed_demo(password, force):
    """Load the demo data; running it again adds nothing new. Refuses a database with accounts of its own (unless
    --force), and never changes the password of an account that has one."""
    others = _accounts_not_from_the_demo()
    if others and not force:
        click.echo(f"Databasen har {others} {'konto' if others == 1 else 'kontoer'} som demoen ikke har laget, så "
                   "den er ikke en demodatabase. Demodata legges ikke inn. Bruk --force for å legge dem inn likevel.",
                   err=True)
        sys.exit(2)
    password = password or secrets.token_urlsafe(12)
    users.check_password_rules(password)
    organisations = _organisations() | _successors()
    made = _people(organisations, password)
    db.session.commit()
    if history.tell(organisations, membership.before_reform):
        click.echo("Historikken 2016–2026 er lagt inn: invitasjonsrunder, avtaler, sammenslåingene 01.01.2020, "
                   "fornyelser og oppsigelser. Runden 2016, avtalene 2018 og sammenslåingene er virkelige; personene "
                   "og hendelsene etter 2022 er oppdiktet.")
    if meetings.tell():
        click.echo("Møtene er lagt inn: styringsgruppemøter, koordineringsmøter og prosjektgruppens fire møter i året "
                   "med nummererte saker, vedtak, referat godkjent på neste møte og oppmøte (sakene, vedtakene og "
                   "referatene er oppdiktet).")
    if subgroups.tell():
        click.echo("Undergrupper er lagt inn: én etablert, én sendt inn, én sendt tilbake og ett utkast.")
    if membership.tell(organisations):
        click.echo("Medlemskapet 2018–2026 er lagt inn: representanter, administrative kontaktpersoner, bidrag og årlig vurdering.")
    if parties.tell(organisations):
        click.echo("Partene er lagt inn: styringsgruppen ved stilling og to representanter hver i prosjektgruppen "
                   "(personene er oppdiktet).")
    if cost_keys.tell():
        click.echo("Fordelingsnøklene er lagt inn: 2023–2025 og 2026–2028 vedtatt, en utvidelse fra 2027 til "
                   "behandling (tallene er oppdiktet).")
    if news.tell():
        click.echo("Nyhetene på de offentlige sidene er lagt inn: to publisert og ett utkast (oppdiktet).")
    if conferences.tell():
        click.echo("Fagkonferansene i juni 2024–2027 er lagt inn: de tidligere med påmeldinger og oppmøte, den neste "
                   "åpen for påmelding (programmene og deltakerne er oppdiktet).")
    if made_reports := reports.tell():
        click.echo(f"Årsrapportene for {made_reports} tidligere år er lagd og lagt ved styringsgruppemøtene.")
    click.echo(f"Demokontoer (passord: {password}; en konto som fantes fra før, beholder sitt passord):")
    for user, new in made:
        click.echo(f"  {'ny ' if new else '   '} {user.email:40} {', '.join(user.role_labels)}"
                   f"{_unless_demo_password(user, new, password)}")


def _accounts_not_from_the_demo() -> int:
    """How many accounts have an address the demo does not use. An anonymised account is nobody's any more (the
    demo's own, anonymised on the privacy page, among them), so it does not count."""
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.email.not_in(people.EMAILS), User.anonymised_at.is_(None)))


def _unless_demo_password(user: User, new: bool, password: str) -> str:
    """What the list says of an account that existed before and that the demo password does not open."""
    if new or user.password_hash and check_password_hash(user.password_hash, password):
        return ""
    return "  – eget passord, ikke endret" if user.password_hash else "  – uten passord, ikke endret"


def _organisations() -> dict[str, Organisation]:
    """The organisations of the collaboration with their history, through the register, each once; by the name lists
    show today."""
    found = {}
    for official, number, region, standard, new_number in people.MUNICIPALITIES:
        org = organisations.by_number(number) or organisations.register(
            None, kind=MUNICIPALITY, official_name=official, number=number, region=region, written_standard=standard,
            **(people.HOST if number == people.HOST_NUMBER else {}))
        if new_number and organisations.on(org, people.REFORM).number != new_number:
            organisations.record_change(org, None, people.REFORM, number=new_number)
        found[org.name] = org
    for kind, standard, mailbox, names in people.OTHER_PARTIES:
        _, first_name, first_official = names[0]
        org = organisations.by_name(first_name) or organisations.register(
            None, kind=kind, official_name=first_official, name=first_name, written_standard=standard,
            mailbox=mailbox)
        for first_day, name, official in names[1:]:
            if organisations.on(org, first_day).official_name != official:
                organisations.record_change(org, None, first_day, official_name=official, name=name)
        found[org.name] = org
    db.session.flush()
    return found


def _successors() -> dict[str, Organisation]:
    """The successors of the 2020 mergers in the register from their first day, by official name ("Voss" and
    "Øygarden" name two organisations each)."""
    return {official: organisations.by_number(number) or organisations.register(
        None, kind=MUNICIPALITY, official_name=official, number=number, region=region, written_standard=standard,
        active_from=people.REFORM) for official, number, region, standard in people.SUCCESSORS}


def _people(organisations: dict[str, Organisation], password: str):
    """The demo's accounts, each with whether it is new; an existing account is left as it is."""
    made = []
    for email, name, title, organisation, roles in people.PEOPLE:
        user = users.find_by_email(email)
        if user is None:
            made.append((users.create_user(email, name, roles, organisation=organisations[organisation], title=title,
                                           password=password), True))
        else:
            made.append((user, False))
    return made
