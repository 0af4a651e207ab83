"""The project group's subgroups in different states, made through the subgroup service (the established one
decided under the project group's item on it, so after the meetings)."""
from datetime import date

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.demo.meetings import SUBGROUP_ITEM
from app.models import MeetingItem, Subgroup, User
from app.services import subgroups, workflow
from app.services.users import find_by_email
from workflows.roles import ADVISER

WELFARE_TECHNOLOGY = "Velferdsteknologi i hjemmetjenesten"


def tell() -> bool:
    """The project group's subgroups in different states, made through the services; False when already there."""
    if db.session.scalar(select(Subgroup.id).where(Subgroup.name == WELFARE_TECHNOLOGY)):
        return False
    people = {key: find_by_email(email) for key, email in {
        ADVISER: "marianne.solbakk@bergen.kommune.no", "kari": "kari.nordtveit@alver.kommune.no",
        "siri": "siri.lie@voss.kommune.no", "tone": "tone.myklebust@askoy.kommune.no",
        "liv": "liv.instanes@uib.no", "erik": "erik.aase@hvl.no"}.items()}
    _established_subgroup(people)
    _returned_subgroup(people)
    _submitted_subgroup(people)
    _draft_subgroup(people)
    return True


def _step(day: date, subgroup: Subgroup, trigger: str, actor: User, comment: str | None = None,
          data: dict | None = None) -> None:
    with clock.pinned(day):
        workflow.perform(subgroup, trigger, actor, comment=comment, data=data)
        db.session.commit()


def _established_subgroup(p) -> None:
    with clock.pinned(date(2025, 2, 3)):
        subgroup = subgroups.propose(subgroups.Proposal(
            name=WELFARE_TECHNOLOGY, themes=["welfare_technology", "user_participation"],
            mandate="Samle erfaringene kommunene har med digitalt tilsyn, medisindispensere og trygghetsalarmer "
                    "i hjemmetjenesten, og levere en felles veileder for innføring og opplæring innen utgangen av "
                    "2026.",
            chair_id=p["kari"].id, member_ids=[p["siri"].id, p["erik"].id, p["liv"].id], duration="2 år",
            end_date=date(2026, 12, 31),
            representatives=[subgroups.UserRepresentativeEntry("Astrid Myhre", "Eldrerådet i Bergen",
                                                       "astrid.myhre@example.no")]), p["kari"])
        db.session.commit()
    _step(date(2025, 2, 3), subgroup, "submit", p["kari"])
    _step(date(2025, 2, 6), subgroup, "second", p["siri"])
    item = db.session.scalar(select(MeetingItem.id).where(MeetingItem.title == SUBGROUP_ITEM))
    _step(date(2025, 2, 20), subgroup, "approve", p[ADVISER],
          comment="Vedtatt i prosjektgruppemøtet 18.02.2025.",
          data={"decided_on": "2025-02-18", "meeting_item_id": item})
    _step(date(2025, 3, 3), subgroup, "establish", p[ADVISER])
    with clock.pinned(date(2025, 9, 1)):
        subgroups.add_member(subgroup, p["tone"].id, date(2025, 9, 1), p["kari"])
        db.session.commit()
    with clock.pinned(date(2026, 6, 30)):
        liv = next(m for m in subgroup.members if m.user_id == p["liv"].id)
        subgroups.remove_member(subgroup, liv.id, date(2026, 6, 30), p[ADVISER])
        db.session.commit()


def _returned_subgroup(p) -> None:
    with clock.pinned(date(2026, 9, 14)):
        subgroup = subgroups.propose(subgroups.Proposal(
            name="Kunnskapsbasert praksis i sykehjem", themes=["clinical_practice", "organisation"],
            mandate="Kartlegge hvordan sykehjemmene i samarbeidet tar i bruk fagprosedyrer, og foreslå et felles "
                    "opplegg for fagutvikling.",
            chair_id=p["tone"].id, member_ids=[p["liv"].id], duration="18 måneder",
            assessment="Gruppen skal først kartlegge rutiner og fagprosedyrer hos de ansatte. Brukerrepresentanter "
                       "blir invitert inn når gruppen skal foreslå tiltak for beboerne."), p["tone"])
        db.session.commit()
    _step(date(2026, 9, 14), subgroup, "submit", p["tone"])
    _step(date(2026, 9, 18), subgroup, "second", p["liv"])
    _step(date(2026, 10, 5), subgroup, "return_for_changes", p[ADVISER],
          comment="Prosjektgruppen ber om et tydeligere avgrenset mandat, og om at brukerrådet på sykehjemmene "
                  "blir spurt om representasjon fra starten.")


def _submitted_subgroup(p) -> None:
    with clock.pinned(date(2026, 11, 16)):
        subgroup = subgroups.propose(subgroups.Proposal(
            name="Rekruttering og demografi i distriktskommunene", themes=["demography", "organisation"],
            mandate="Se på framskrivingene av behovet for helse- og omsorgstjenester fram mot 2040, og foreslå "
                    "felles tiltak for å rekruttere og beholde sykepleiere i de minste kommunene.",
            chair_id=p["siri"].id, member_ids=[p["tone"].id, p["erik"].id], end_date=date(2027, 12, 31),
            representatives=[subgroups.UserRepresentativeEntry("Ola Rykkje", "Brukarrådet i Voss herad",
                                                       "ola.rykkje@example.no")]), p["siri"])
        db.session.commit()
    _step(date(2026, 11, 16), subgroup, "submit", p["siri"])


def _draft_subgroup(p) -> None:
    with clock.pinned(date(2026, 11, 20)):
        subgroups.propose(subgroups.Proposal(
            name="Tverrfaglig oppfølging av personer med demens", themes=["interdisciplinary", "clinical_practice"],
            mandate="Beskrive gode pasientforløp for hjemmeboende med demens på tvers av kommune og sykehus.",
            chair_id=p["erik"].id, member_ids=[p["kari"].id], duration="1 år",
            representatives=[subgroups.UserRepresentativeEntry("Geir Solberg", "Nasjonalforeningen for folkehelsen, "
                                                      "demensforeningen i Bergen", "geir.solberg@example.no")]),
            p["erik"])
        db.session.commit()
