"""Buttons say what they do, and the contact person has one name: "kontaktperson" for the municipality's contact
person (the role, the person named in an answer), "administrativ kontaktperson" for the one of agreement § 10;
"contact person" and "administrative contact person" in English."""
import pathlib
import re

from babel.messages.pofile import read_po

from workflows import MEMBERSHIP
from workflows.roles import MUNICIPALITY_CONTACT, ROLE_LABELS

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Labels that do not say what happens when pressed.
VAGUE = {"Bekreft", "OK", "Gå videre", "Lagre", "Endre", "Send", "Takk ja", "Takk nei", "Ja takk", "Nei takk"}
BUTTON = re.compile(r"<button\b[^>]*>\s*{{\s*_\('([^']*)'\)\s*}}\s*</button>")
SUBMIT = re.compile(r"SubmitField\(\"([^\"]*)\"")
# Other names the contact person had, in Norwegian and in English.
OTHER_NAMES = re.compile(r"kontaktperson for (kommunen|samarbeidet)|kommunekontakt", re.I)
OTHER_ENGLISH = re.compile(r"municipality contact|\bcontact\b(?! persons?\b)", re.I)


def _files(*patterns):
    return [path for pattern in patterns for path in sorted(ROOT.glob(pattern))]


def test_no_button_has_a_vague_label():
    vague = [f"{path.relative_to(ROOT)}: {label}" for path in _files("templates/**/*.html")
             for label in BUTTON.findall(path.read_text(encoding="utf-8")) if label in VAGUE]
    vague += [f"{path.relative_to(ROOT)}: {label}" for path in _files("app/**/*.py")
              for label in SUBMIT.findall(path.read_text(encoding="utf-8")) if label in VAGUE]
    assert vague == []


def test_the_answers_say_svar_ja_and_svar_nei():
    assert (MEMBERSHIP.spec("accept").label, MEMBERSHIP.spec("decline").label) == ("Svar ja", "Svar nei")


def test_the_contact_person_has_one_name():
    assert ROLE_LABELS[MUNICIPALITY_CONTACT] == "Kontaktperson"
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in _files("templates/**/*.html", "templates/**/*.txt", "app/**/*.py", "workflows/*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if OTHER_NAMES.search(line)]
    assert found == []


def test_the_english_catalog_says_contact_person():
    with open(ROOT / "app/translations/en/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    found = [m.string for m in catalog if m.id and "kontaktperson" in str(m.id).lower()
             and any(OTHER_ENGLISH.search(s) for s in (m.string if isinstance(m.string, tuple) else (m.string,)))]
    assert found == []
