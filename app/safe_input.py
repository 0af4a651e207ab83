"""What comes in from the browser is tidied before any view sees it: no control characters, no absurd ids."""
import re

from flask import Flask, Request, request
from werkzeug.datastructures import FileStorage, ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter

# The largest value of an INTEGER column in PostgreSQL (and so of any id here).
MAX_ID = 2 ** 31 - 1
# Control characters other than tab and line breaks: nobody types them, PostgreSQL refuses NUL in text, and
# none of them belong in the HTML, PDF, e-mail and calendar files the text ends up in.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(value):
    """Text without control characters; an upload's file name likewise; anything else unchanged."""
    if isinstance(value, str):
        return CONTROL.sub("", value)
    if isinstance(value, FileStorage) and value.filename:
        value.filename = CONTROL.sub("", value.filename)
    return value


class CleanMultiDict(ImmutableMultiDict):
    """Query and form values (and upload file names) with the control characters removed."""

    def __init__(self, mapping=None):
        pairs = MultiDict(mapping).items(multi=True) if mapping is not None else ()
        super().__init__([(clean(key), clean(value)) for key, value in pairs])


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict


class IdConverter(IntegerConverter):
    """`<int:…>` in a route: a number too large for an id column is a page that does not exist (404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def arg_int(name: str, low: int = 1, high: int = MAX_ID) -> int | None:
    """A whole number from the query string, or None when it is missing, not a number or out of range."""
    value = request.args.get(name, type=int)
    return value if value is not None and low <= value <= high else None


def register(app: Flask) -> None:
    """Call before the blueprints are registered: their routes pick up the converter when they are added."""
    app.request_class = CleanRequest
    app.url_map.converters["int"] = IdConverter
