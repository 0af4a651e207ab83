"""The language a letter is written in: an organisation's målform, or a person's own language."""
from app.models.organisation import NYNORSK


def locale_of(organisation) -> str:
    """Letters to an organisation follow its written standard: nynorsk gets "nn", bokmål and neutral "nb"."""
    return "nn" if organisation is not None and organisation.written_standard == NYNORSK else "nb"


def locale_of_person(user) -> str:
    """Mail to a person about their own account follows the language they chose ("nb" until they do)."""
    return getattr(user, "language", None) or "nb"
