"""`flask workflows tick` and `flask workflows diagram`."""
import sys
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.services import tick as clock_tick
from workflows import WORKFLOWS

cli = AppGroup("workflows", help="Tilstandsmaskinene.")


@cli.command("tick")
@click.option("--today", help="Kjør som om dagens dato er YYYY-MM-DD.")
def tick(today):
    """Apply every time-driven transition that is due (run daily from cron)."""
    if today:
        try:
            current_app.config["TODAY"] = date.fromisoformat(today)
        except ValueError:
            click.echo(f"Ugyldig dato «{today}»: bruk formatet YYYY-MM-DD.", err=True)
            sys.exit(2)
    from app import clock

    lines = clock_tick.run(clock.today())
    for line in lines:
        click.echo(line)
    click.echo(f"Ferdig {clock.today().isoformat()}: {len(lines)} endringer." if lines else
               f"Ferdig {clock.today().isoformat()}: ingenting å gjøre.")


@cli.command("diagram")
@click.argument("name", type=click.Choice(sorted(WORKFLOWS)))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def diagram(name, output):
    """Write the state diagram of a workflow as SVG."""
    output.write_bytes(WORKFLOWS[name].diagram_svg())
    click.echo(f"Skrev {output}")
