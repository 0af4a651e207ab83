"""Subgroups of the project group (agreement §7): the proposal, its members and its user representatives."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app import search
from app.extensions import db
from app.models.types import UTCDateTime, utcnow
from app.models.user import User
from workflows import SUBGROUP
from workflows.roles import ADMIN, ADVISER, CHAIR, PROJECT_MEMBER
from workflows.subgroup import DRAFT, SUBMITTED

# The cooperation areas of the agreement (§6), which a subgroup's theme is taken from.
THEMES = {
    "clinical_practice": _l("Klinisk praksis"),
    "organisation": _l("Organisasjon og ledelse"),
    "welfare_technology": _l("Digitale verktøy og velferdsteknologi i helse og omsorg"),
    "demography": _l("Demografiske endringer"),
    "prevention": _l("Forebyggende og helsefremmende tiltak"),
    "coordination_reform": _l(
        "Samhandlingsreformen og endringer i ansvars- og oppgavefordelingen mellom kommune og stat"),
    "interdisciplinary": _l("Tverrfaglig og helhetlig tjenesteutvikling"),
    "user_participation": _l("Brukermedvirkning"),
}


class SubgroupTheme(db.Model):
    subgroup_id: Mapped[int] = mapped_column(ForeignKey("subgroup.id", ondelete="CASCADE"), primary_key=True)
    theme: Mapped[str] = mapped_column(String(40), primary_key=True)


class Subgroup(db.Model):
    """A proposed or established subgroup; its state changes only through the workflow service."""

    workflow = SUBGROUP
    audit_type = "subgroup"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    mandate: Mapped[str] = mapped_column(Text)
    duration: Mapped[str | None] = mapped_column(String(100))
    end_date: Mapped[date | None] = mapped_column(Date)
    proposer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    chair_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # Why no user representatives take part; required when none are named (§7).
    representation_assessment: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    # The project group's agenda item the decision was made under, when that meeting is in the app.
    meeting_item_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_item.id"), index=True)
    established_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(30), default=SUBGROUP.initial, index=True)
    state_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Kept in step with name and mandate by `_keep_search_key`, so that the list searches in the database.
    search_key: Mapped[str] = mapped_column(Text, default="")

    proposer: Mapped[User] = relationship(foreign_keys=[proposer_id])
    chair: Mapped[User] = relationship(foreign_keys=[chair_id])
    theme_rows: Mapped[list[SubgroupTheme]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    members: Mapped[list["SubgroupMember"]] = relationship(
        back_populates="subgroup", cascade="all, delete-orphan", order_by="SubgroupMember.id")
    representatives: Mapped[list["UserRepresentative"]] = relationship(
        cascade="all, delete-orphan", order_by="UserRepresentative.id")

    @validates("name", "mandate")
    def _keep_search_key(self, field: str, value: str) -> str:
        texts = {"name": self.name, "mandate": self.mandate, field: value}
        self.search_key = search.key(texts["name"], texts["mandate"])
        return value

    @property
    def title(self) -> str:
        return self.name

    @property
    def themes(self) -> list[str]:
        """The theme codes, in the agreement's order."""
        chosen = {row.theme for row in self.theme_rows}
        return [code for code in THEMES if code in chosen]

    @property
    def theme_labels(self) -> list[str]:
        return [str(THEMES[code]) for code in self.themes]

    @property
    def current_members(self) -> list["SubgroupMember"]:
        return [m for m in self.members if m.left_on is None]

    @hybrid_property
    def awaiting_support(self) -> bool:
        """Submitted, and waiting for another project-group member to second it."""
        return self.state == SUBMITTED

    def roles_of(self, user: User) -> set[str]:
        """The adviser records decisions; project-group members propose and second; the chair or the adviser
        closes."""
        roles = user.roles & {ADVISER, PROJECT_MEMBER}
        if user.id == self.chair_id:
            roles.add(CHAIR)
        return roles

    def can_view(self, user: User) -> bool:
        """A draft is the proposer's own until it is submitted; everything else is open to all signed in."""
        return self.state != DRAFT or user.id == self.proposer_id or bool(user.roles & {ADVISER, ADMIN})

    def guard_context(self, today: date, actor: User | None = None) -> "SubgroupGuards":
        return SubgroupGuards(self, actor)


class SubgroupGuards:
    """The guard conditions of the subgroup workflow for one person acting."""

    def __init__(self, subgroup: Subgroup, actor: User | None):
        self.subgroup, self.actor = subgroup, actor

    def is_proposer(self) -> bool:
        return self.actor is not None and self.actor.id == self.subgroup.proposer_id

    def not_proposer(self) -> bool:
        return self.actor is not None and self.actor.id != self.subgroup.proposer_id


class SubgroupMember(db.Model):
    """A person in a subgroup: proposed (no dates yet), joined on establishment or later, and maybe left."""

    id: Mapped[int] = mapped_column(primary_key=True)
    subgroup_id: Mapped[int] = mapped_column(ForeignKey("subgroup.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)

    subgroup: Mapped[Subgroup] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class UserRepresentative(db.Model):
    """A named user representative (brukerrepresentant): who, what they represent, how to reach them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    subgroup_id: Mapped[int] = mapped_column(ForeignKey("subgroup.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    represents: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(200))
