"""The adviser's busiest pages send the same number of SQL statements for 10 and for 500 municipalities."""
from datetime import date

from sqlalchemy import event

from app.extensions import db
from app.models import Organisation
from app.services import cases, workflow
from tests import factories


def _municipalities_asking_late(round_, count: int, start: int) -> list:
    """`count` municipalities, each with a contact who asked to answer yes after the deadline."""
    made = []
    for n in range(start, start + count):
        org = Organisation(name=f"Testkommune {n:04d}", region="Nordhordland")
        db.session.add(org)
        db.session.flush()
        contact = factories.user("municipality_contact", organisation=org)
        case = cases.invite(round_, org, None)
        workflow.perform(case, "accept_late", contact)
        made.append(case)
    db.session.commit()
    return made


def _statements(client, path: str) -> int:
    client.get(path)  # the first request may touch the sign-in session
    sent = []
    listener = lambda *args: sent.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(sent)


def test_inbox_case_page_and_overview_do_not_grow_with_the_data(client, login, orgs):
    round_ = factories.invitation_round(deadline=date(2026, 11, 1))
    first = _municipalities_asking_late(round_, 10, 0)[0]
    login("adviser", organisation="Bergen")
    pages = ("/godkjenninger/", f"/saker/{first.id}", "/oversikt", "/saker/")
    few = {path: _statements(client, path) for path in pages}
    _municipalities_asking_late(round_, 490, 10)
    many = {path: _statements(client, path) for path in pages}
    assert many == few
    inbox = client.get("/godkjenninger/").get_data(as_text=True)
    asked = ">Be om å få svare ja etter fristen</a>"
    assert inbox.count(asked) == 20 and "Side 1 av 25 (500 treff)" in inbox
    last = client.get("/godkjenninger/?page=25").get_data(as_text=True)
    assert last.count(asked) == 20 and "Testkommune 0499" in last
