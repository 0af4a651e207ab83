"""Files people upload (a scanned signed agreement, meeting minutes): only plain PDFs, checked alike everywhere.

A PDF can carry JavaScript, actions that run when it is opened or when a page is shown, a program to launch and
whole files inside it, and a file can be a PDF and an HTML page at once. None of that belongs in a scanned letter,
so such a file is refused with a message saying what was found; it is never cleaned and kept.
"""
import io
import re
from pathlib import PurePosixPath

from flask_babel import gettext as _, lazy_gettext as _l
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from app.formatting import slug
from app.services import ServiceError

MAX_BYTES = 10 * 1024 * 1024
NOT_PDF = _l("Filen kan ikke leses som en PDF. Last opp en PDF-fil.")
TOO_BIG = _l("Filen er for stor: den kan være på høyst 10 MB.")
ENCRYPTED = _l("PDF-en er passordbeskyttet. Last opp en PDF uten passord.")
HTML_INSIDE = _l("Filen inneholder HTML-kode og er ikke en ren PDF. Last opp en PDF uten slikt innhold.")
REFUSED = _l("PDF-en inneholder {what}, og det tillates ikke. Skriv den ut som en ny PDF («Skriv ut til PDF») og "
             "last opp den.")

JAVASCRIPT = "JavaScript"
OPEN_ACTION = _l("en handling som kjøres når filen åpnes (OpenAction)")
ADDITIONAL_ACTIONS = _l("handlinger som kjøres av seg selv (AA)")
LAUNCH = _l("en handling som starter et program (Launch)")
EMBEDDED_FILES = _l("innebygde filer")
FEATURES = (JAVASCRIPT, OPEN_ACTION, ADDITIONAL_ACTIONS, LAUNCH, EMBEDDED_FILES)
# A key of any dictionary in the file that brings one of the features along.
KEYS = {"/JS": JAVASCRIPT, "/JavaScript": JAVASCRIPT, "/XFA": JAVASCRIPT, "/OpenAction": OPEN_ACTION,
        "/AA": ADDITIONAL_ACTIONS, "/Launch": LAUNCH, "/EmbeddedFiles": EMBEDDED_FILES, "/EF": EMBEDDED_FILES}
# The same features named as an action's kind (/S), or as the type of an object or annotation.
VALUES = {("/S", "/JavaScript"): JAVASCRIPT, ("/S", "/Launch"): LAUNCH, ("/S", "/GoToE"): EMBEDDED_FILES,
          ("/Type", "/EmbeddedFile"): EMBEDDED_FILES, ("/Subtype", "/FileAttachment"): EMBEDDED_FILES}
# What makes a browser that sniffs the content take the file for a web page.
HTML_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|script|iframe|object|embed|svg)[\s/>]",
                         re.IGNORECASE)


def check_pdf(content: bytes, field: str) -> None:
    """Refuse (on the form's `field`) anything but a PDF of at most 10 MB without scripts, actions, launches,
    embedded files or HTML."""
    if len(content) > MAX_BYTES:
        raise ServiceError(str(TOO_BIG), field=field)
    if not content.startswith(b"%PDF-"):
        raise ServiceError(str(NOT_PDF), field=field)
    if HTML_MARKUP.search(content):
        raise ServiceError(str(HTML_INSIDE), field=field)
    try:
        reader = PdfReader(io.BytesIO(content))
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
        found = _active_content(reader) if pages else []
    except Exception:  # pypdf raises errors of many kinds on a damaged or hostile file: none of them is a PDF
        raise ServiceError(str(NOT_PDF), field=field) from None
    if encrypted:
        raise ServiceError(str(ENCRYPTED), field=field)
    if not pages:
        raise ServiceError(str(NOT_PDF), field=field)
    if found:
        names = [str(feature) for feature in found]
        listed = _("%(first)s og %(last)s", first=", ".join(names[:-1]), last=names[-1]) if len(names) > 1 \
            else names[0]
        raise ServiceError(str(REFUSED).format(what=listed), field=field)


def _active_content(reader: PdfReader) -> list[str]:
    """The refused features in any object of the file (each object listed in its cross-reference table, and all
    they refer to), in the order of FEATURES."""
    listed = [IndirectObject(number, generation, reader)
              for generation, numbers in reader.xref.items() for number in numbers]
    listed += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    todo, seen, found = [reader.trailer, *listed], set(), set()
    while todo:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            found.update(KEYS[key] for key in obj if key in KEYS)
            found.update(feature for (key, value), feature in VALUES.items() if obj.get(key) == value)
            todo.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            todo.extend(obj)
    return [feature for feature in FEATURES if feature in found]


def safe_filename(name: str, default: str) -> str:
    """The uploaded file's name in lower-case ASCII letters, digits and dashes, ending in .pdf (`default` when
    nothing is left): no path, quote, line break or other character a header or a file system reads specially."""
    name = PurePosixPath(name.replace("\\", "/")).name
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    return f"{slug(stem)[:100].strip('-') or default}.pdf"
