"""`flask agreements make-test-seal` and `flask agreements verify FILE`."""
import os
import sys
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app import clock
from app.services import seal_checks, seal_keys

cli = AppGroup("agreements", help="Signerte avtaler: forsegling og kontroll.")


@cli.command("make-test-seal")
@click.option("--keep", is_flag=True, help="Gjør ingenting om det finnes en seglfil fra før.")
def make_test_seal(keep):
    """Make a test certificate authority and a sealing certificate from it into SEAL_P12_PATH (for development and
    tests only; the password is SEAL_P12_PASSWORD, or none)."""
    target = seal_keys.path()
    if target is None:
        click.echo("SEAL_P12_PATH er ikke satt.", err=True)
        sys.exit(1)
    if target.exists():
        if keep:
            click.echo(f"{target} finnes; den brukes.")
            return
        click.echo(f"{target} finnes fra før. Flytt den bort først (den kan være et ekte segl).", err=True)
        sys.exit(1)
    password = current_app.config.get("SEAL_P12_PASSWORD")
    content = seal_keys.test_pkcs12(password)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")  # mode 0600
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    os.replace(temporary, target)
    click.echo(f"Testsegl laget i {target} ({'passord fra SEAL_P12_PASSWORD' if password else 'uten passord'}). "
               "Det er utstedt av en test-CA og er bare for utvikling og test.")


@cli.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify(file):
    """Check whether FILE is one of our sealed agreements, unchanged; exit 1 if not."""
    finding = seal_checks.check(file.read_bytes())
    click.echo(("OK: " if finding.ours else "IKKE GODKJENT: ") + finding.message)
    for signer in finding.signers:
        how = "skannet kopi" if signer.method == "upload" else "i intranettet"
        click.echo(f"  {signer.name}, {signer.title}, {signer.organisation}, {signer.signed_on:%d.%m.%Y} ({how})")
    if finding.sealed:
        click.echo(f"  Forseglet {clock.day_of(finding.sealed.sealed_at):%d.%m.%Y}, nivå PAdES {finding.sealed.level}.")
    sys.exit(0 if finding.ours else 1)
