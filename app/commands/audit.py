"""`flask audit verify`."""
import sys

import click
from flask.cli import AppGroup

from app.services import audit

cli = AppGroup("audit", help="Revisjonsloggen.")


@cli.command("verify")
def verify():
    """Check the hash chain of the audit log."""
    result = audit.verify()
    if result.ok:
        click.echo(f"OK, {result.count} events")
        return
    click.echo(f"FEIL: {result.reason} (de {result.count} første hendelsene er i orden)", err=True)
    sys.exit(1)
