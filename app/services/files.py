"""Files kept in the instance folder beside the database (meeting minutes), changed in step with the transaction:
a new file takes its name only when the transaction commits, and a replaced one is removed only then."""
import os
import secrets
from pathlib import Path

from flask import current_app

from app.extensions import db

_PENDING = "file_changes"  # session.info key: (temporary, target) to rename on commit, (None, target) to remove


def path(relative: str) -> Path:
    return Path(current_app.instance_path) / relative


def write(relative: str, content: bytes) -> None:
    """Store `content` at `relative` when the transaction commits, readable by the owner only (in a folder only the
    owner opens). It is written now under a temporary name in the same folder (so the commit only renames it), and
    that is removed if the transaction rolls back."""
    target = path(relative)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
        file.write(content)
    db.session.info.setdefault(_PENDING, []).append((temporary, target))


def remove(relative: str) -> None:
    """Remove the file at `relative` when the transaction commits."""
    db.session.info.setdefault(_PENDING, []).append((None, path(relative)))


def apply_pending(session) -> None:
    """After commit (app/wiring.py): the files the transaction wrote or removed take effect."""
    for temporary, target in session.info.pop(_PENDING, []):
        if temporary is None:
            target.unlink(missing_ok=True)
        else:
            os.replace(temporary, target)


def discard_pending(session, _previous) -> None:
    for temporary, _target in session.info.pop(_PENDING, []):
        if temporary is not None:
            temporary.unlink(missing_ok=True)
