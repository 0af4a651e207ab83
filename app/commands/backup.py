"""`flask backup PATH`: a consistent copy of the SQLite database while the app runs."""
import sqlite3
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.extensions import db
from app.sqlite import create_private


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path):
    """Copy the SQLite database with SQLite's online backup API (readers and writers keep going)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        click.echo("Sikkerhetskopi med denne kommandoen gjelder SQLite. For PostgreSQL: bruk pg_dump.", err=True)
        sys.exit(2)
    if path.exists():
        click.echo(f"{path} finnes allerede; velg et nytt filnavn.", err=True)
        sys.exit(2)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    create_private(path)  # the copy holds everything the database does
    source, target = sqlite3.connect(url.database), sqlite3.connect(path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()
    click.echo(f"Sikkerhetskopi skrevet til {path}")
