"""What the public pages show, read from the register, the membership rule, the seats and the subgroups: only
names, organisations and roles valid today, and nothing that is still a draft."""
import re
from dataclasses import dataclass

from sqlalchemy import select

from app import agreement_text
from app.extensions import db
from app.models import Organisation, Subgroup
from app.models.representative import GROUPS
from app.services import members, organisations, representatives
from workflows.subgroup import ESTABLISHED

ABOUT_SECTIONS = (2, 6, 7)  # purpose, areas of cooperation, organisation


@dataclass
class Block:
    """A paragraph, or a list of bullets, of the agreement's text."""

    text: str | None = None
    bullets: tuple[str, ...] = ()


@dataclass
class Section:
    number: int
    title: str
    blocks: list[Block]


@dataclass
class Person:
    name: str
    organisation: str
    role: str


def agreement_sections(numbers=ABOUT_SECTIONS) -> list[Section]:
    """The agreement's sections with these numbers, as the text in app/agreement_text.py holds them."""
    found, current = [], None
    for block in agreement_text.TEXT.split("\n\n"):
        lines = [line for line in block.strip().split("\n") if line]
        heading = re.fullmatch(r"(\d+)\. (.+)", lines[0]) if len(lines) == 1 else None
        if heading:
            current = Section(int(heading[1]), heading[2], []) if int(heading[1]) in numbers else None
            if current:
                found.append(current)
        elif current:
            bullets = tuple(line[2:] for line in lines if line.startswith("• "))
            current.blocks.append(Block(bullets=bullets) if bullets else Block(text=" ".join(lines)))
    return found


def member_municipalities(today) -> list[tuple[int, str]]:
    """(organisation id, official name today) of the municipalities that are members today, by name."""
    holders = members.members_on([today])[today]
    names = organisations.official_names_on(holders, today) if holders else {}
    return sorted(names.items(), key=lambda item: item[1])


def parties(today) -> list[Organisation]:
    """The host and the other parties that exist today, the host first."""
    return list(db.session.scalars(select(Organisation).where(Organisation.is_party, Organisation.active_on(today))
                                   .order_by(Organisation.is_host.desc(), Organisation.sort_key)))


def party_names(found: list[Organisation], today) -> dict[int, str]:
    return organisations.official_names_on({org.id for org in found}, today) if found else {}


def group_members(today) -> dict[str, list[Person]]:
    """Who sits in the steering group and the project group today (approved terms): name, organisation, role."""
    ids = [org.id for org in parties(today)] + list(members.members_on([today])[today])
    names = organisations.official_names_on(set(ids), today) if ids else {}
    found = {group: [] for group in GROUPS}
    for organisation_id, group, name, title in representatives.holders_on(ids, today):
        found[group].append((names[organisation_id], name, title or ""))
    return {group: [Person(name, organisation, role) for organisation, name, role in sorted(people)]
            for group, people in found.items()}


def active_subgroups() -> list[Subgroup]:
    """The subgroups at work (established), by name."""
    return list(db.session.scalars(select(Subgroup).where(Subgroup.state == ESTABLISHED).order_by(Subgroup.name)))
