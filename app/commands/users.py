"""`flask users create`."""
import sys

import click
from flask.cli import AppGroup

from app.extensions import db
from workflows.roles import USER_ROLES
from app.services import ServiceError, organisations, users

cli = AppGroup("users", help="Brukere.")


@cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(USER_ROLES))
@click.option("--municipality", help="Kommunenummer (f.eks. 4601, eller et tidligere som 1201) for organisasjonen "
                                    "brukeren hører til.")
@click.option("--title")
@click.option("--password", help="Uten denne blir du spurt (skjult, to ganger).")
def create(email, name, roles, municipality, title, password):
    """Create a user, e.g. the first admin on a fresh install."""
    organisation = None
    if municipality:
        organisation = organisations.by_number(municipality)
        if organisation is None:
            click.echo(f"Fant ingen kommune med nummer {municipality}.", err=True)
            sys.exit(2)
    if password is None:
        password = click.prompt("Passord", hide_input=True, confirmation_prompt="Gjenta passordet")
    try:
        user = users.create_user(email, name, roles, organisation=organisation, title=title, password=password)
    except ServiceError as error:
        db.session.rollback()
        click.echo(error.message, err=True)
        sys.exit(2)
    db.session.commit()
    click.echo(f"Opprettet {user.name} <{user.email}> med rollene {', '.join(sorted(user.roles))}.")
