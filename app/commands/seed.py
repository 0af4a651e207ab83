"""`flask seed-demo`: the real collaboration as demo data, made through the services."""
import secrets

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from werkzeug.security import check_password_hash

from app.demo import history, meetings, membership, people, subgroups
from app.extensions import db
from app.models import Organisation
from app.models.organisation import INSTITUTION, MUNICIPALITY
from app.services import users


@click.command("seed-demo")
@click.option("--password", help="Ett passord for alle demokontoer (bare for demo).")
@with_appcontext
def seed_demo(password):
    """Load the demo data; running it again adds nothing new."""
    password = password or secrets.token_urlsafe(12)
    users.check_password_rules(password)
    organisations = _organisations()
    made = _people(organisations, password)
    db.session.commit()
    if history.tell(organisations):
        click.echo("Historikken 2016–2026 er lagt inn: invitasjonsrunder, avtaler, signaturer og oppsigelser.")
    if subgroups.tell():
        click.echo("Undergrupper er lagt inn: én etablert, én sendt inn, én sendt tilbake og ett utkast.")
    if meetings.tell():
        click.echo("Møtene er lagt inn: styringsgruppemøter og koordineringsmøter med referat og oppmøte.")
    if membership.tell(organisations):
        click.echo("Medlemskapet 2018–2026 er lagt inn: representanter, kontaktpersoner, bidrag og årlig vurdering.")
    click.echo(f"Demokontoer (passord: {password}):")
    for user, new in made:
        click.echo(f"  {'ny ' if new else '   '} {user.email:40} {', '.join(user.role_labels)}")


def _organisations() -> dict[str, Organisation]:
    by_name = {o.name: o for o in db.session.scalars(select(Organisation))}
    for name, number, region, successor, successor_number in people.MUNICIPALITIES:
        if name not in by_name:
            by_name[name] = Organisation(name=name, kind=MUNICIPALITY, number=number, region=region,
                                         is_host=(name == "Bergen"), successor_name=successor,
                                         successor_number=successor_number)
            db.session.add(by_name[name])
    for name in people.INSTITUTIONS:
        if name not in by_name:
            by_name[name] = Organisation(name=name, kind=INSTITUTION)
            db.session.add(by_name[name])
    db.session.flush()
    return by_name


def _people(organisations: dict[str, Organisation], password: str):
    made = []
    for email, name, title, organisation, roles in people.PEOPLE:
        user = users.find_by_email(email)
        if user is None:
            user = users.create_user(email, name, roles, organisation=organisations[organisation], title=title,
                                     password=password)
            made.append((user, True))
        else:
            if not user.password_hash or not check_password_hash(user.password_hash, password):
                users.set_password(user, password)
            made.append((user, False))
    return made
