"""`flask mail send-pending` (once) and `flask mail worker` (until stopped): the outbox delivered outside requests."""
import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
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


@cli.command("worker")
@click.option("--interval", default=20.0, show_default=True, type=click.FloatRange(min=1),
              help="Sekunder mellom hver gang utboksen sjekkes.")
@click.option("--once", is_flag=True, help="Send det som venter, én gang, og avslutt.")
def worker(interval: float, once: bool):
    """Deliver the outbox every INTERVAL seconds until stopped (SIGTERM or Ctrl-C, after the message being sent)."""
    stop = threading.Event()
    previous = {number: signal.signal(number, lambda *_: stop.set()) for number in (signal.SIGTERM, signal.SIGINT)}
    if not mail.enabled():
        click.echo("MAIL_SERVER er ikke satt: e-posten blir liggende i utboksen.")
    try:
        while True:
            try:
                sent, failed = mail.send_pending(stop=stop)
            except SQLAlchemyError:  # the database was away for a moment: try again next round
                current_app.logger.exception("mail worker: the outbox could not be read")
                sent = failed = 0
            db.session.rollback()  # hold no transaction (nor an SQLite read snapshot) while waiting
            if sent or failed:
                click.echo(f"Sendt: {sent}, feilet: {failed}")
            if once or stop.wait(interval):
                break
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
