"""A planned June conference for the tests, and registrations made through the service."""
from datetime import date

from app.models import Conference, ConferenceRegistration
from app.services import conferences
from tests import factories


def conference(capacity: int = 10, *, held_on: date = date(2027, 6, 10), deadline: date = date(2027, 5, 20),
               planner=None) -> Conference:
    planner = planner or factories.user("adviser")
    return conferences.create(conferences.Plan(
        title="Fagkonferansen 2027", held_on=held_on, place="Bergen", capacity=capacity,
        registration_deadline=deadline, consent_text="Jeg samtykker til at opplysningene brukes til konferansen."),
        planner)


def register(found: Conference, number: int, *, organisation=None, diet: str | None = None
             ) -> ConferenceRegistration:
    return conferences.register(found, name=f"Deltaker {number}", email=f"deltaker{number}@example.no",
                                organisation_id=organisation.id if organisation else None,
                                organisation_text=None if organisation else "Eget firma",
                                dietary_needs=diet, remote_addr=f"10.0.0.{number}")
