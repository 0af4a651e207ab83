"""audit log: personal data out of existing events, and the chain hashed again with the audit key (HMAC)

Events written before this revision could hold people's names, e-mail addresses and phone numbers (a reply's
contact and proposed representatives, a signer's name and title, the administrative contact, subgroup members and
user representatives, the name of a replacing representative in a comment), which anonymising a person cannot
remove from a hash chain; and the chain was plain SHA-256, which anyone with write access to the database could
compute again. This revision:

1. checks the old chain as it stands (plain SHA-256) and stops, changing nothing, if it does not verify: re-hashing
   a chain that was tampered with would hide that (restore the audit log from a backup, or find out why first);
2. removes the personal data from the events, leaving people by id (a signature by its id);
3. puts a new first event (seq 1, action `audit.rechain`) in front of the others, which move up one number; it
   records the old chain's head hash and length, so the break is explained and can be checked against a backup or a
   copy of the old head hash;
4. hashes the whole chain again, from that event, with HMAC-SHA256 under the audit key.

Which key: the app's AUDIT_KEY, as `flask --app wsgi db upgrade` builds the app to run this: AUDIT_KEY from
instance/config.py or the environment, or else instance/audit_key, which the app creates on its first start when
neither sets a key. Run the upgrade with the same instance folder and environment as the app; with several nodes,
set the same AUDIT_KEY on all of them before upgrading. The downgrade hashes the chain with plain SHA-256 again (for
the code before this revision); the personal data stays removed.

Rolling upgrade: change. It re-hashes the audit chain with the audit key; an event the version before it writes
afterwards is hashed the old way and breaks the chain. Stop every server before `db upgrade`.

Revision ID: 0016_audit_rechain
Revises: 0015_rendered_pdfs
Create Date: 2026-12-01 10:00:00

"""
import hashlib
import hmac
import json
import re
from datetime import date, datetime, timezone

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "0016_audit_rechain"
down_revision = "0015_rendered_pdfs"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
COLUMNS = ("seq", "at", "actor_id", "action", "object_type", "object_id", "from_state", "to_state", "comment",
           "request_id", "data", "prev_hash")
audit_event = sa.table("audit_event", sa.column("id", sa.Integer), sa.column("hash", sa.String),
                       *(sa.column(name, sa.DateTime if name == "at" else None) for name in COLUMNS))
audit_head = sa.table("audit_head", sa.column("id", sa.Integer), sa.column("seq", sa.Integer),
                      sa.column("last_hash", sa.String))
signature = sa.table("signature", sa.column("id", sa.Integer), sa.column("case_id", sa.Integer),
                     sa.column("agreement_id", sa.Integer), sa.column("party", sa.String),
                     sa.column("signed_on", sa.Date))
administrative_contact = sa.table("administrative_contact", sa.column("id", sa.Integer),
                                  sa.column("organisation_id", sa.Integer))

# The keys of an event's data that named people, by action, as the code before this revision wrote them.
PERSONAL_KEYS = {
    "agreement.sign": ("name", "title"),
    "subgroup.create": ("chair", "members", "representatives"),
    "subgroup.update": ("chair", "members", "representatives"),
    "subgroup.member_add": ("person",),
    "subgroup.member_remove": ("person",),
    "representative.propose": ("name", "email", "title", "phone"),
    "invitation.reply_update": ("reply",),
    "membership.accept": ("reply",),
    "membership.decline": ("reply",),
    "membership.accept_late": ("reply",),
    "request.create": ("reply",),
}
REPLACED = re.compile(r"Erstattet av .+\.", re.DOTALL)


def _content(row) -> bytes:
    at = row["at"].replace(tzinfo=timezone.utc).isoformat()
    return json.dumps([row[name] if name != "at" else at for name in COLUMNS], ensure_ascii=False).encode()


def _sha256(row) -> str:
    return hashlib.sha256(_content(row)).hexdigest()


def _hmac(key: bytes):
    return lambda row: hmac.new(key, _content(row), hashlib.sha256).hexdigest()


def _events(connection) -> list[dict]:
    return [dict(row) for row in connection.execute(
        sa.select(audit_event.c.id, audit_event.c.hash, *(audit_event.c[name] for name in COLUMNS))
        .order_by(audit_event.c.seq)).mappings()]


def _check(connection, events: list[dict], digest) -> str:
    """The head hash of the chain, or an error naming the first event that does not fit."""
    prev_hash = GENESIS
    for expected, event in enumerate(events, start=1):
        if event["seq"] != expected or event["prev_hash"] != prev_hash or digest(event) != event["hash"]:
            raise RuntimeError(f"Revisjonsloggen er ikke i orden fra hendelse nr. {expected}; revisjon 0016 endrer "
                               "ingenting. Finn ut hvorfor (eller hent loggen fra en sikkerhetskopi) og prøv igjen.")
        prev_hash = event["hash"]
    head = connection.execute(sa.select(audit_head.c.seq, audit_head.c.last_hash)).first()
    if head is not None and (head.seq, head.last_hash) != (len(events), prev_hash):
        raise RuntimeError(f"Revisjonsloggen mangler hendelse nr. {len(events) + 1}; revisjon 0016 endrer ingenting.")
    return prev_hash


def _redact(connection, event: dict) -> bool:
    """Take the personal data out of one event; whether anything changed."""
    changed = False
    if event["action"] == "representative.end" and event["comment"] and REPLACED.fullmatch(event["comment"]):
        event["comment"], changed = "Erstattet av en ny representant.", True
    if not event["data"]:
        return changed
    data = json.loads(event["data"])
    before = dict(data)
    for key in PERSONAL_KEYS.get(event["action"], ()):
        data.pop(key, None)
    if event["action"] == "agreement.sign" and "signature" not in data:
        found = sa.select(signature.c.id).where(
            signature.c.case_id == event["object_id"], signature.c.party == data["party"],
            signature.c.signed_on == date.fromisoformat(data["signed_on"])).order_by(signature.c.id)
        if "agreement" in data:
            found = found.where(signature.c.agreement_id == data["agreement"])
        signature_id = connection.execute(found).scalar()
        if signature_id is not None:
            data["signature"] = signature_id
    if event["action"] == "admin_contact.update" and "after" in data:
        old, new = data.pop("before") or {}, data.pop("after")
        data["changed"] = [field for field in new if new[field] != old.get(field)]
        contact_id = connection.execute(sa.select(administrative_contact.c.id).where(
            administrative_contact.c.organisation_id == event["object_id"])).scalar()
        if contact_id is not None:
            data["contact"] = contact_id
    if data != before:
        event["data"] = json.dumps(data, ensure_ascii=False, sort_keys=True) if data else None
        changed = True
    return changed


def _chain(connection, events: list[dict], digest) -> None:
    """Link and hash `events` in order from the start, and write them and the head."""
    prev_hash = GENESIS
    for event in events:
        event["prev_hash"] = prev_hash
        event["hash"] = prev_hash = digest(event)
    connection.execute(
        audit_event.update().where(audit_event.c.id == sa.bindparam("event_id")).values(
            comment=sa.bindparam("new_comment"), data=sa.bindparam("new_data"),
            prev_hash=sa.bindparam("new_prev_hash"), hash=sa.bindparam("new_hash")),
        [{"event_id": e["id"], "new_comment": e["comment"], "new_data": e["data"], "new_prev_hash": e["prev_hash"],
          "new_hash": e["hash"]} for e in events])
    connection.execute(audit_head.update().where(audit_head.c.id == 1).values(seq=len(events), last_hash=prev_hash))


def upgrade():
    connection = op.get_bind()
    events = _events(connection)
    if not events:
        return
    old_head = _check(connection, events, _sha256)
    redacted = [event["seq"] for event in events if _redact(connection, event)]
    key = current_app.config["AUDIT_KEY"].encode()
    connection.execute(audit_event.update().values(seq=-audit_event.c.seq))
    connection.execute(audit_event.update().values(seq=1 - audit_event.c.seq))
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    marker = {
        "seq": 1, "at": now, "actor_id": None, "action": "audit.rechain", "object_type": "audit", "object_id": None,
        "from_state": None, "to_state": None, "request_id": None, "prev_hash": GENESIS, "hash": GENESIS,
        "comment": "Personopplysninger er fjernet fra eldre hendelser, og kjeden er lenket på nytt med "
                   "revisjonsnøkkelen (HMAC-SHA256) fra denne hendelsen (revisjon 0016).",
        "data": json.dumps({"old_chain": "sha256", "old_events": len(events), "old_head_hash": old_head,
                            "redacted_old_seq": redacted,
                            "key_id": hashlib.sha256(b"audit-key-id:" + key).hexdigest()[:16]}, sort_keys=True)}
    marker["id"] = connection.execute(audit_event.insert().values(**marker).returning(audit_event.c.id)).scalar()
    for event in events:
        event["seq"] += 1
    _chain(connection, [marker, *events], _hmac(key))


def downgrade():
    connection = op.get_bind()
    events = _events(connection)
    if events:
        _check(connection, events, _hmac(current_app.config["AUDIT_KEY"].encode()))
        _chain(connection, events, _sha256)
