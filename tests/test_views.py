"""The view helper: one transaction per action, refusals on the form, a lost race as the 409 page."""
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict as HTTPConflict

from app.extensions import db
from app.models import Organisation, OrganisationNumber
from app.views import DUPLICATE, attempt, commit_alone


def _organisations() -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation))


def test_a_unique_constraint_at_commit_is_the_conflict_page_and_nothing_is_kept(app, orgs):
    before = _organisations()

    def duplicate():
        db.session.add(Organisation(name="Ny kommune"))
        # only the database knows (a second number from the same day); it says so at the commit
        db.session.add(OrganisationNumber(organisation_id=orgs["Askøy"].id, scheme="municipality", value="4627",
                                          valid_from=date(2020, 1, 1)))

    with app.test_request_context(), pytest.raises(HTTPConflict) as refused:
        attempt(duplicate)
    assert refused.value.description == DUPLICATE and _organisations() == before


def test_another_integrity_error_is_a_bug_not_a_conflict(app, orgs):
    with app.test_request_context(), pytest.raises(IntegrityError):
        attempt(lambda: db.session.add(Organisation(name=None)))
    assert db.session.scalar(select(Organisation).where(Organisation.name == "Lindås")) is not None


def test_commit_alone_drops_what_the_view_left_uncommitted(app, orgs):
    before = _organisations()
    with app.test_request_context():
        db.session.add(Organisation(name="Halvferdig kommune"))
        commit_alone(lambda: db.session.add(Organisation(name="Egen kommune")))
    names = set(db.session.scalars(select(Organisation.name)))
    assert "Egen kommune" in names and "Halvferdig kommune" not in names and _organisations() == before + 1
