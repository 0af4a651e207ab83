"""The interface languages, which one a request is shown in, and the person's choice of one."""
import os
from functools import lru_cache

from babel import support
from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, gettext, refresh
from flask_login import current_user
from wtforms.i18n import messages_path

from workflows import i18n as workflow_texts

# Each language's name written in that language, as the chooser offers it.
NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}

# English dates in the European order (23/11/2026), so Norwegian readers do not misread them.
REGIONS = {"en": "en_GB"}

# "no" is what browsers send for Norwegian without a written standard: bokmål.
_BROWSER_CHOICES = ("nb", "nn", "en", "no")

# WTForms ships bokmål and English but no nynorsk; ours is beside the app's catalogs (app/translations/nn).
_OWN = os.path.join(os.path.dirname(__file__), "translations")


def from_address(otherwise: str | None = None) -> None:
    """This request is a public page: its language is the address's (?lang=), else `otherwise`, else bokmål (a
    cacheable page passes no `otherwise`, so that it is the same for everyone whatever the browser says)."""
    languages = current_app.config["LANGUAGES"]
    for language in (request.args.get("lang"), otherwise):
        if language in languages:
            g.public_lang = language
            break
    else:
        g.public_lang = current_app.config["BABEL_DEFAULT_LOCALE"]
    refresh()  # the app's earlier hooks may have asked for the locale already


def chosen() -> str:
    """The language of this request: a public page's from its address; the person's stored one when signed in, else the one chosen in this browser
    session, else the browser's preference among nb/nn/en, else bokmål (always bokmål outside a request)."""
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    if g.get("public_lang") in languages:  # a public page's language is in its address, the same for everyone
        return g.public_lang
    stored = current_user.language if current_user and current_user.is_authenticated else None
    for language in (stored, session.get("lang")):
        if language in languages:
            return language
    browser = request.accept_languages.best_match(_BROWSER_CHOICES)
    return browser if browser in languages else default


def select_locale() -> str:
    language = chosen()
    return REGIONS.get(language, language)


def choose(language: str) -> None:
    """Remember a choice: on the account when signed in (the caller commits), in the browser session before."""
    session["lang"] = language
    if current_user.is_authenticated:
        current_user.language = language


def keep_on_account(user, language: str | None) -> None:
    """At sign-in: a language chosen before signing in becomes the account's (the caller commits)."""
    if language in current_app.config["LANGUAGES"]:
        user.language = language


@lru_cache(maxsize=8)
def _wtforms_translations(language: str) -> support.Translations:
    """The catalog read from its file once per process. A/B at 500 municipalities (in-process probe, 30.11.2026),
    read on each request instead: an empty page in the layout +19 %, the home page +10 %."""
    own = os.path.exists(os.path.join(_OWN, language, "LC_MESSAGES", "wtforms.mo"))
    directory = _OWN if own else messages_path()
    return support.Translations.load(directory, [language], domain="wtforms")


def translate_wtforms() -> None:
    """WTForms' own messages ("This field is required.") in this request's language: Flask-WTF looks them up in
    `request.wtforms_translations` first, and finds no nynorsk among WTForms' catalogs."""
    request.wtforms_translations = _wtforms_translations(get_locale().language)


def register(app) -> None:
    workflow_texts.translate_with(gettext)
    app.before_request(translate_wtforms)
    app.jinja_env.globals.update(language_names=NAMES)
