"""News items on the public website, written and published through the news service and the workflow.
Invented: every news item here (its title, text and dates); one is left as a draft."""
from datetime import date

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import NewsItem
from app.services import news, workflow
from app.services.users import find_by_email

CONFERENCE = "Fagkonferansen 2026: takk for sist"

ITEMS = (
    (date(2026, 6, 15), CONFERENCE,
     "Over 150 deltakere fra kommunene, universitetet, høgskolen og helseforetakene var med på årets fagkonferanse "
     "om forskning, innovasjon og utdanning i helse og omsorg.\n\nPresentasjonene blir lagt ut her.", True),
    (date(2026, 9, 1), "Ny undergruppe om velferdsteknologi i hjemmetjenesten",
     "Undergruppen samler erfaringene kommunene har med digitalt tilsyn og medisindispensere, og skal levere en "
     "felles veileder innen utgangen av 2026.", True),
    (date(2026, 11, 20), "Invitasjon til fagkonferansen 2027",
     "Sett av datoen: fagkonferansen 2027 holdes i juni i Bergen. Programmet kommer.", False),
)


def tell() -> bool:
    """Two published news items and one draft; False when already there."""
    if db.session.scalar(select(NewsItem.id).where(NewsItem.title == CONFERENCE)):
        return False
    adviser = find_by_email("marianne.solbakk@bergen.kommune.no")
    for day, title, body, publish in ITEMS:
        with clock.pinned(day):
            item = news.create(adviser, title=title, body=body)
            if publish:
                workflow.perform(item, "publish", adviser)
            db.session.commit()
    return True
