"""Organisations: the municipalities and the knowledge institutions, and the keys that find and sort them."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, validates

from app import search
from app.extensions import db

MUNICIPALITY = "municipality"
INSTITUTION = "institution"
KIND_LABELS = {MUNICIPALITY: "Kommune", INSTITUTION: "Kunnskapsinstitusjon"}
REGIONS = ("Vertskommune", "Bergensregionen", "Nordhordland", "Voss og omland")

# æ, ø and å come after z. Spelled with letters, not punctuation, so that any database collation keeps the order.
AFTER_Z = str.maketrans({"æ": "zzza", "ø": "zzzb", "å": "zzzc"})


def name_key(name: str) -> str:
    """Sort key in Norwegian alphabetical order (æ, ø, å after z)."""
    return name.lower().translate(AFTER_Z)


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
    # A number typed in full finds its organisation too (app.search.condition).
    search_exact = ("number", "successor_number")
    # Kept in step with the names by `_keep_keys`, so that search and sorting happen in the database.
    search_key: Mapped[str] = mapped_column(String(250), default="")
    sort_key: Mapped[str] = mapped_column(String(250), default="", index=True)

    @validates("name", "successor_name")
    def _keep_keys(self, field: str, value: str | None) -> str | None:
        names = {"name": self.name, "successor_name": self.successor_name, field: value}
        self.search_key = search.key(names["name"], names["successor_name"])
        self.sort_key = name_key(names["name"] or "")
        return value

    @property
    def is_municipality(self) -> bool:
        return self.kind == MUNICIPALITY

    @property
    def display_name(self) -> str:
        """The name as used in letters: "Lindås kommune"."""
        return f"{self.name} kommune" if self.is_municipality else self.name

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"
