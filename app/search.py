"""The one search rule of every list with a search box.

What is typed and what is stored are folded alike (`fold`), and a row matches when its stored search key contains
the folded query. Each searchable model keeps `search_key = key(...)` of the texts it is found by, so the search
runs in the database before paging, and neither SQLite (whose lower() and LIKE fold ASCII only) nor PostgreSQL ever
compares a Norwegian letter.
"""
import re
import unicodedata

from sqlalchemy import ColumnElement, Select, literal, or_

# Words people add to a name ("Voss herad", "Alver kommune", "kommunane i Nordhordland") that say nothing
# about which municipality they mean.
FILLER = {"kommune", "kommunen", "kommuner", "kommunene", "kommunar", "kommunane", "herad", "heradet",
          "heradskommune", "i", "og"}
FOLDS = (("æ", "ae"), ("ø", "o"), ("å", "a"), ("aa", "a"), ("oe", "o"))


def fold(text: str) -> str:
    """Lower case, Norwegian letters folded to ASCII, filler words dropped: "Voss herad" → "voss"."""
    text = unicodedata.normalize("NFKD", text.lower())
    for letter, ascii_ in FOLDS:
        text = text.replace(letter, ascii_)
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(w for w in words if w not in FILLER)


def key(*texts: str | None) -> str:
    """The stored search key of a row found by these texts."""
    # "|" never occurs in a folded text, so a search cannot match across two of them.
    return "|".join(fold(text) for text in texts if text)


def condition(wanted, *models) -> ColumnElement:
    """SQL: a row of one of `models` matches `wanted` (a folded query, or a bindparam holding one).

    It matches when its `search_key` contains `wanted`, or when one of the columns the model names in
    `search_exact` lists it whole between bars (an organisation's numbers: "|1201|4601|").
    """
    # fold leaves only a-z, 0-9 and spaces, so nothing in `wanted` is a LIKE wildcard.
    return or_(*(clause for model in models for clause in (
        model.search_key.contains(wanted),
        *(getattr(model, name).contains(literal("|") + wanted + "|") for name in getattr(model, "search_exact", ())))))


def where(stmt: Select, query: str, *models) -> Select:
    """`stmt` narrowed to the rows of `models` matching what was typed; unchanged if that has nothing to search."""
    wanted = fold(query)
    return stmt.where(condition(wanted, *models)) if wanted else stmt
