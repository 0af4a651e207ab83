"""Writing and verifying the hash-chained audit log.

Each event's hash is an HMAC-SHA256 under AUDIT_KEY, a key kept outside the database: someone who can write to the
database alone cannot rewrite an event and hash the chain again.
"""
import hashlib
import hmac
import json
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select, update

from app import clock
from app.extensions import db
from app.models import AuditEvent, AuditHead, User

GENESIS = "0" * 64
_HEAD = "audit_head"  # session.info key: (seq, hash) of the last event appended in this transaction


def record(actor: User | None, action: str, object_type: str, object_id: int | None = None, *,
           from_state: str | None = None, to_state: str | None = None, comment: str | None = None,
           request_id: int | None = None, data: dict | None = None) -> AuditEvent:
    """Append one event to the chain in the caller's transaction (the caller commits)."""
    session = db.session
    seq, prev_hash = _next_link(session)
    event = AuditEvent(
        seq=seq, at=clock.now(), actor_id=actor.id if actor else None, action=action,
        object_type=object_type, object_id=object_id, from_state=from_state, to_state=to_state,
        comment=comment or None, request_id=request_id,
        data=json.dumps(data, ensure_ascii=False, sort_keys=True) if data else None,
        prev_hash=prev_hash,
    )
    event.hash = content_hash(event)
    session.info[_HEAD] = (seq, event.hash)
    session.add(event)
    return event


def _next_link(session) -> tuple[int, str]:
    """The next sequence number and the hash to chain to, locking the chain for the rest of the transaction.

    The first append in a transaction bumps the head row, which takes the write lock on SQLite and a row lock on
    PostgreSQL, so chains never fork; later appends in the same transaction continue from memory, and the head row
    is written once before the commit.
    """
    if _HEAD in session.info:
        seq, last_hash = session.info[_HEAD]
        return seq + 1, last_hash
    bumped = session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1)
                             .returning(AuditHead.seq, AuditHead.last_hash)).first()
    if bumped is None:
        session.add(AuditHead(id=1, seq=1, last_hash=GENESIS))
        session.flush()
        return 1, GENESIS
    return bumped.seq, bumped.last_hash


def write_head(session) -> None:
    """Before commit (app/wiring.py): the chain's head moves with the events of the transaction."""
    if _HEAD in session.info:
        seq, last_hash = session.info.pop(_HEAD)
        session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, last_hash=last_hash))


def forget_head(session, *args) -> None:
    session.info.pop(_HEAD, None)


def _key() -> bytes:
    return current_app.config["AUDIT_KEY"].encode()


def key_id() -> str:
    """A fingerprint that tells which key is in use, without revealing it."""
    return hashlib.sha256(b"audit-key-id:" + _key()).hexdigest()[:16]


def content_hash(event: AuditEvent) -> str:
    """The HMAC-SHA256 under the audit key of an event's content and its predecessor's hash."""
    content = [event.seq, event.at.isoformat(), event.actor_id, event.action, event.object_type,
               event.object_id, event.from_state, event.to_state, event.comment, event.request_id,
               event.data, event.prev_hash]
    return hmac.new(_key(), json.dumps(content, ensure_ascii=False).encode(), hashlib.sha256).hexdigest()


@dataclass
class Verification:
    ok: bool
    count: int
    key_id: str
    bad_seq: int | None = None
    reason: str = ""


def verify() -> Verification:
    """Walk the chain from the start and report the first event that does not fit."""
    prev_hash, expected_seq, count, key = GENESIS, 1, 0, key_id()
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(1000):
        if event.seq != expected_seq:
            return Verification(False, count, key, expected_seq, f"hendelse nr. {expected_seq} mangler (slettet)")
        if event.prev_hash != prev_hash:
            return Verification(False, count, key, event.seq,
                                f"hendelse nr. {event.seq} peker ikke på forrige hendelse")
        if content_hash(event) != event.hash:
            return Verification(False, count, key, event.seq,
                                f"hendelse nr. {event.seq} er endret eller laget med en annen nøkkel")
        prev_hash, expected_seq, count = event.hash, expected_seq + 1, count + 1
    head = db.session.get(AuditHead, 1)
    if head is not None and (head.seq != count or head.last_hash != prev_hash):
        return Verification(False, count, key, count + 1, f"hendelse nr. {count + 1} mangler (slettet)")
    return Verification(True, count, key)


def events_for(object_type: str, object_id: int) -> list[AuditEvent]:
    """The history of one object, oldest first."""
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
        .order_by(AuditEvent.seq)))


def latest_events_for(object_type: str, object_id: int, limit: int) -> tuple[list[AuditEvent], int]:
    """The last `limit` events of one object's history, oldest first, and how many it has in all."""
    where = (AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
    latest = list(db.session.scalars(select(AuditEvent).where(*where).order_by(AuditEvent.seq.desc()).limit(limit)))
    return latest[::-1], db.session.scalar(select(func.count()).select_from(AuditEvent).where(*where))
