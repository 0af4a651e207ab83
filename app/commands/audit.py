"""`flask audit verify`."""
import sys

import click
from flask.cli import AppGroup

from app.services import audit

cli = AppGroup("audit", help="Revisjonsloggen.")


@cli.command("verify")
def verify():
    """Check the hash chain of the audit log with the audit key, named by its fingerprint."""
    result = audit.verify()
    checked_with = f"Kontrollert med revisjonsnøkkelen {result.key_id} (fingeravtrykk, ikke selve nøkkelen)."
    if result.ok:
        click.echo(f"OK, {result.count} events")
        click.echo(checked_with)
        return
    click.echo(f"FEIL: {result.reason} (de {result.count} første hendelsene er i orden)", err=True)
    click.echo(checked_with, err=True)
    sys.exit(1)
