"""The workflows' user-facing texts: marked with `N_` for extraction, translated when shown.

The texts stay bokmål in the definitions (they are the msgids). The app hands its gettext to `translate_with` at
start-up, and the workflows translate their state labels, guard messages and diagrams with it when asked for them;
whoever shows a step's `label`, `description` or `request_label`, or a role's name, translates it with gettext.
"""
from collections.abc import Callable

_translate: Callable[[str], str] | None = None


def N_(text: str) -> str:
    return text


def translate_with(gettext: Callable[[str], str]) -> None:
    global _translate
    _translate = gettext


def translated(text: str) -> str:
    """A marked text in the language of the moment (bokmål until the app hands over its gettext)."""
    return _translate(text) if _translate else text
