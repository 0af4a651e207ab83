"""Organisations: the municipalities and the knowledge institutions."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

MUNICIPALITY = "municipality"
INSTITUTION = "institution"
KIND_LABELS = {MUNICIPALITY: "Kommune", INSTITUTION: "Kunnskapsinstitusjon"}
REGIONS = ("Vertskommune", "Bergensregionen", "Nordhordland", "Voss og omland")


class Organisation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default=MUNICIPALITY)
    number: Mapped[str | None] = mapped_column(String(4), unique=True)
    region: Mapped[str | None] = mapped_column(String(40))
    org_number: Mapped[str | None] = mapped_column(String(9))
    is_host: Mapped[bool] = mapped_column(default=False)
    successor_name: Mapped[str | None] = mapped_column(String(120))
    successor_number: Mapped[str | None] = mapped_column(String(4))

    @property
    def is_municipality(self) -> bool:
        return self.kind == MUNICIPALITY

    @property
    def display_name(self) -> str:
        """The name as used in letters: "Lindås kommune"."""
        return f"{self.name} kommune" if self.is_municipality else self.name

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"
