"""The nn and en catalogs are complete, and the Norwegian texts are spelt as Debian's dictionaries spell them."""
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
ALLOWED_WORDS = Path(__file__).with_name("i18n_allowed_words.txt")

# What is not a word of the language: placeholders, markup, addresses and numbers.
_NOT_WORDS = re.compile(r"""
    %\([a-z_]+\)[-+ #0]*\d*(?:\.\d+)?[sdfir] | %[sd%] | \{[^}]*\}     # placeholders
  | <[^>]+> | &[a-z]+; | &\#\d+;                                     # HTML
  | https?://\S+ | www\.\S+ | [\w.+-]+@[\w-]+(?:\.[\w-]+)+           # URLs and e-mail addresses
  | \S*\d\S*                                                         # numbers, dates, codes
""", re.VERBOSE)
_WORD = re.compile(r"[^\W\d_]{2,}(?:[-'’][^\W\d_]+)*")


def catalog(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def texts(message, side: str) -> list[str]:
    value = message.id if side == "id" else message.string
    return [text for text in (value if isinstance(value, (tuple, list)) else (value,)) if text]


def words(text: str) -> set[str]:
    return set(_WORD.findall(_NOT_WORDS.sub(" ", text)))


def allowed_words() -> set[str]:
    return {line.strip() for line in ALLOWED_WORDS.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def misspelt(dictionary: str, candidates: set[str]) -> list[str]:
    """The words hunspell does not know (`-l` lists them), apart from the reviewed list."""
    result = subprocess.run(["hunspell", "-d", dictionary, "-l", "-i", "utf-8"], input="\n".join(sorted(candidates)),
                            capture_output=True, text=True, check=True)
    return sorted(set(result.stdout.split()) - allowed_words())


def test_the_norwegian_dictionaries_are_installed():
    for dictionary in ("nb_NO", "nn_NO"):
        assert (Path("/usr/share/hunspell") / f"{dictionary}.dic").is_file()
    # hunspell flags a bokmål-only word in nynorsk and the other way round: the dictionaries are the right ones.
    assert misspelt("nn_NO", {"ikkje", "kommunane", "ikke"}) == ["ikke"]
    assert misspelt("nb_NO", {"ikkje", "kommunene", "ikke"}) == ["ikkje"]


def untranslated(message) -> bool:
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return not all(strings)


@pytest.mark.parametrize("language", ["nn", "en"])
def test_every_message_is_translated_and_none_is_fuzzy(language):
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"no {language} catalog yet"
    translated = catalog(language)
    missing = [message.id for message in translated if message.id and untranslated(message)]
    missing += [message.id for message in catalog("en")
                if message.id and translated.get(message.id, message.context) is None]
    fuzzy = [message.id for message in translated if message.id and message.fuzzy]
    assert (len(missing), len(fuzzy)) == (0, 0), f"untranslated: {missing[:20]}, fuzzy: {fuzzy[:20]}"


def test_every_bokmal_message_passes_the_bokmal_dictionary():
    found = set().union(*(words(text) for message in catalog("en") if message.id for text in texts(message, "id")))
    assert misspelt("nb_NO", found) == []


def test_every_nynorsk_message_passes_the_nynorsk_dictionary():
    path = TRANSLATIONS / "nn" / "LC_MESSAGES" / "messages.po"
    assert path.exists(), "no nynorsk catalog yet"
    found = set().union(*(words(text) for message in catalog("nn") if message.id for text in texts(message, "string")))
    assert misspelt("nn_NO", found) == []


def test_the_words_are_told_from_placeholders_markup_and_addresses():
    assert words('Svar innen %(date)s på <a href="https://x.no/a">siden</a>, post@bergen.kommune.no, 2026 – «FoU»') \
        == {"Svar", "innen", "på", "siden", "FoU"}
