"""Organisations: the municipalities and the other parties, their names and numbers over time, who succeeded whom,
and the keys that find and sort them.

A name, a municipality number and an organisation number each hold from a date (no date: from the start) until the
next of its kind begins, or to the organisation's last day. `name`, `official_name`, `number` and `org_number` on
the organisation repeat the values valid today, so that lists show and sort them without reading the history; the
register (app/services/organisations.py) keeps them, and the daily tick moves them on when a change takes effect.
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Date, ForeignKey, String, Text, UniqueConstraint, and_, func, or_
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.extensions import db

MUNICIPALITY = "municipality"
COUNTY = "county"
UNIVERSITY = "university"
HEALTH_TRUST = "health_trust"
RESEARCH_INSTITUTE = "research_institute"
STATE_AGENCY = "state_agency"
PRIVATE_NONPROFIT = "private_nonprofit"
KIND_LABELS = {MUNICIPALITY: _l("Kommune"), COUNTY: _l("Fylkeskommune"), UNIVERSITY: _l("Universitet/høgskole"),
               HEALTH_TRUST: _l("Helseforetak"), RESEARCH_INSTITUTE: _l("Forskningsinstitutt"),
               STATE_AGENCY: _l("Statlig etat"), PRIVATE_NONPROFIT: _l("Privat ideell")}

# Målform: the written standard an organisation has chosen, which letters to it follow.
BOKMAL, NYNORSK, NEUTRAL = "bokmal", "nynorsk", "neutral"
WRITTEN_STANDARDS = {BOKMAL: _l("Bokmål"), NYNORSK: _l("Nynorsk"), NEUTRAL: _l("Nøytral")}

# The kinds of organisation that are parties to the collaboration (with Bergen, the host municipality): they sit in
# the steering group by position and in the project group, without a membership (shared/DOMAIN.md).
PARTY_KINDS = frozenset({UNIVERSITY, HEALTH_TRUST, RESEARCH_INSTITUTE, STATE_AGENCY, PRIVATE_NONPROFIT})

REGIONS = ("Vertskommune", "Bergensregionen", "Nordhordland", "Voss og omland")

# The two kinds of number an organisation carries over time.
MUNICIPALITY_NUMBER, ORGANISATION_NUMBER = "municipality", "organisation"
SCHEME_LABELS = {MUNICIPALITY_NUMBER: _l("Kommunenummer"), ORGANISATION_NUMBER: _l("Organisasjonsnummer")}

# æ, ø and å come after z. Spelled with letters, not punctuation, so that any database collation keeps the order.
AFTER_Z = str.maketrans({"æ": "zzza", "ø": "zzzb", "å": "zzzc"})
SORT_KEY_LENGTH = 250


def name_key(name: str) -> str:
    """Sort key in Norwegian alphabetical order (æ, ø, å after z), as long as its column holds."""
    return name.lower().translate(AFTER_Z)[:SORT_KEY_LENGTH]


class OrganisationName(db.Model):
    """A name an organisation carried from `valid_from` (None: from the start)."""

    __table_args__ = (UniqueConstraint("organisation_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))  # as lists show it: "Voss"
    official_name: Mapped[str] = mapped_column(String(200))  # with its form, as letters use it: "Voss herad"


class OrganisationNumber(db.Model):
    """A municipality number or organisation number an organisation carried from `valid_from` (None: from the
    start)."""

    __table_args__ = (UniqueConstraint("organisation_id", "scheme", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(9), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)

    @property
    def shown(self) -> str:
        """An organisation number in groups of three ("964 338 531"); a municipality number as it is."""
        if self.scheme == ORGANISATION_NUMBER:
            return " ".join(self.value[i:i + 3] for i in range(0, len(self.value), 3))
        return self.value


class OrganisationSuccession(db.Model):
    """`successor` took over from `predecessor` on `first_day` (a merger: the predecessor's last day is the day
    before)."""

    __table_args__ = (UniqueConstraint("predecessor_id", "successor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    first_day: Mapped[date] = mapped_column(Date)

    predecessor: Mapped["Organisation"] = relationship(foreign_keys=[predecessor_id])
    successor: Mapped["Organisation"] = relationship(foreign_keys=[successor_id])


class Organisation(db.Model):
    audit_type = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default=MUNICIPALITY)
    name: Mapped[str] = mapped_column(String(200))
    official_name: Mapped[str | None] = mapped_column(String(200))
    number: Mapped[str | None] = mapped_column(String(4))
    org_number: Mapped[str | None] = mapped_column(String(9))
    region: Mapped[str | None] = mapped_column(String(40))
    written_standard: Mapped[str] = mapped_column(String(10), default=BOKMAL)
    mailbox: Mapped[str | None] = mapped_column(String(254))  # the official mailbox (postmottak)
    active_from: Mapped[date | None] = mapped_column(Date)
    active_to: Mapped[date | None] = mapped_column(Date)  # its last day
    is_host: Mapped[bool] = mapped_column(default=False)
    # Every name it, its predecessors and its successors ever had, folded (app.search.key); and every number it ever
    # had between bars ("|1201|4601|964338531|"), which a number typed in full finds (app.search.condition).
    search_key: Mapped[str] = mapped_column(Text, default="")
    number_key: Mapped[str] = mapped_column(Text, default="")
    search_exact = ("number_key",)
    sort_key: Mapped[str] = mapped_column(String(SORT_KEY_LENGTH), default="", index=True)

    names: Mapped[list[OrganisationName]] = relationship(order_by=OrganisationName.id,
                                                         cascade="all, delete-orphan")
    numbers: Mapped[list[OrganisationNumber]] = relationship(order_by=OrganisationNumber.id,
                                                             cascade="all, delete-orphan")
    successor_links: Mapped[list[OrganisationSuccession]] = relationship(
        foreign_keys=OrganisationSuccession.predecessor_id, order_by=OrganisationSuccession.id, viewonly=True)
    predecessor_links: Mapped[list[OrganisationSuccession]] = relationship(
        foreign_keys=OrganisationSuccession.successor_id, order_by=OrganisationSuccession.id, viewonly=True)

    @validates("name")
    def _keep_sort_key(self, field: str, value: str) -> str:
        self.sort_key = name_key(value or "")
        return value

    @property
    def is_municipality(self) -> bool:
        return self.kind == MUNICIPALITY

    @hybrid_property
    def is_party(self) -> bool:
        """One of the other parties (or Bergen, the host): seated without being a member municipality."""
        return self.is_host or self.kind in PARTY_KINDS

    @is_party.inplace.expression
    @classmethod
    def _is_party_sql(cls) -> ColumnElement[bool]:
        return or_(cls.is_host.is_(True), cls.kind.in_(PARTY_KINDS))

    @hybrid_method
    def active_on(self, day: date) -> bool:
        """Whether `day` is between its first and its last day."""
        return (self.active_from or date.min) <= day <= (self.active_to or date.max)

    @active_on.inplace.expression
    @classmethod
    def _active_on_sql(cls, day: date) -> ColumnElement[bool]:
        return and_(or_(cls.active_from.is_(None), cls.active_from <= day),
                    or_(cls.active_to.is_(None), cls.active_to >= day))

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def written_standard_label(self) -> str:
        return str(WRITTEN_STANDARDS.get(self.written_standard, self.written_standard))

    @hybrid_property
    def display_name(self) -> str:
        """The official name valid today, as pages use it: "Lindås kommune", "Voss herad" (in SQL too)."""
        return self.official_name or self.name

    @display_name.inplace.expression
    @classmethod
    def _display_name_sql(cls) -> ColumnElement[str]:
        return func.coalesce(func.nullif(cls.official_name, ""), cls.name)

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"
