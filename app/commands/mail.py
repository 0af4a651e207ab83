"""`flask mail send-pending`."""
import click
from flask.cli import AppGroup

from app.services import mail

cli = AppGroup("mail", help="Utgående e-post.")


@cli.command("send-pending")
def send_pending():
    """Deliver the mail waiting in the outbox."""
    if not mail.enabled():
        click.echo(f"MAIL_SERVER er ikke satt: {mail.pending_count()} e-poster venter i utboksen.")
        return
    sent, failed = mail.send_pending()
    click.echo(f"Sendt: {sent}, feilet: {failed}, venter: {mail.pending_count()}")
