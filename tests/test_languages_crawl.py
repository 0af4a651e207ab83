"""Every page each demo role reaches by links, in each language, holds no word of another language in its interface
(text inside an element marked `translate="no"` or with a `lang` of its own is data or a quoted document, not the
interface, and is left out)."""
import re
from collections import Counter
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest

from tests import factories
from tests.browser.demo_world import DEMO_ACCOUNTS, SKIP, load, pattern
from tests.conftest import csrf_token

MAX_PAGES = 60
_ENGLISH = {"the", "and", "with", "from", "your", "you", "this", "are", "has", "have", "will", "which", "been",
            "should", "when", "where", "what", "who", "not", "there", "their"}
_NYNORSK = {"ikkje", "frå", "kva", "kven", "nokon", "noko", "kommunane", "korleis", "berre", "eg", "vere", "vert",
            "dei", "sjå", "heile", "fleire", "styringsgruppa", "prosjektgruppa", "oppseiing"}
_BOKMAL = {"ikke", "hvis", "hva", "hvem", "fra", "noen", "noe", "kommunene", "oppsigelse", "styringsgruppen",
           "prosjektgruppen", "hvordan", "bare", "jeg", "være", "flere", "hele"}
_NORWEGIAN = {"ikke", "ikkje", "og", "er", "som", "med", "til", "fra", "frå", "på", "av", "det", "har", "kan",
              "skal", "eller", "ved", "denne", "dette", "hvis", "ble", "blir", "vert", "må", "ingen", "ny",
              "nytt", "lagre", "svar", "side", "sider", "kommunen", "kommunane", "kommunene"}
FOREIGN = {"nb": _NYNORSK | _ENGLISH, "nn": _BOKMAL | _ENGLISH, "en": _NORWEGIAN}
_WORD = re.compile(r"[^\W\d_]+")
_SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Interface(HTMLParser):
    """The interface's text of a page and its same-site links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._skipping: list[str] = []  # the open elements whose content is left out

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href") and not attributes.get("hreflang"):  # hreflang: the chooser
            self.links.append(attributes["href"])
        if self._skipping:
            if tag not in _VOID:
                self._skipping.append(tag)
            return
        if tag != "html" and tag not in _VOID and (
                tag in ("script", "style") or attributes.get("translate") == "no" or "lang" in attributes):
            self._skipping.append(tag)
            return
        self.text += [attributes[name] for name in _SHOWN_ATTRIBUTES if attributes.get(name)]

    def handle_endtag(self, tag):
        if self._skipping and tag not in _VOID:
            self._skipping.pop()

    def handle_data(self, data):
        if not self._skipping:
            self.text.append(data)


def read(html: str) -> _Interface:
    parser = _Interface()
    parser.feed(html)
    return parser


def foreign_words(text: str, language: str) -> Counter:
    return Counter(word for word in _WORD.findall(text.lower()) if word in FOREIGN[language])


def visit(client, language: str, start: str):
    """The pages reachable by links from `start`, one per route pattern: (path, foreign words on it)."""
    seen, queue, visited = {pattern(start)}, [start], 0
    while queue and visited < MAX_PAGES:
        path = queue.pop(0)
        response = client.get(path)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        visited += 1
        html = response.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, path
        page = read(html)
        yield path, foreign_words(" ".join(page.text), language)
        for href in page.links:
            parts = urlsplit(urljoin("http://localhost" + path, href))
            if parts.netloc != "localhost" or href.startswith("#") or SKIP.search(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else "")
            if pattern(target) not in seen:
                seen.add(pattern(target))
                queue.append(target)


def crawl(app, language: str) -> tuple[dict[str, Counter], int]:
    """Each demo role's pages in `language`, chosen on the login page before signing in: path → foreign words, and
    how many pages were read."""
    found, pages = {}, 0
    for role, email in DEMO_ACCOUNTS.items():
        client = app.test_client()
        client.post("/sprak", data={"lang": language, "csrf_token": csrf_token(client)})
        if email:
            response = client.post("/login", data={"email": email, "password": factories.PASSWORD,
                                                   "csrf_token": csrf_token(client)})
            assert response.status_code == 302, role
        for path, words in visit(client, language, "/" if email else "/login"):
            pages += 1
            if words:
                found[f"{role} {path}"] = words
    return found, pages


@pytest.fixture
def demo(app):
    load(SimpleNamespace(app=app))
    return app


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_no_page_mixes_in_another_language(demo, language):
    found, pages = crawl(demo, language)
    assert pages > 100  # every role reached its pages
    total = sum(found.values(), Counter())
    assert not found, (f"{len(found)} pages, {sum(total.values())} words: {total.most_common(30)}\n"
                       + "\n".join(f"{page}: {dict(words)}" for page, words in sorted(found.items())[:40]))


def test_the_interface_text_leaves_out_scripts_data_and_quotes():
    page = read('<html lang="nn"><p title="Ikkje">Kva <span translate="no">ikke hvis</span> <br> vert'
                '<blockquote lang="nb">Hva <b>fra</b></blockquote><script>var the;</script> frå</p></html>')
    assert foreign_words(" ".join(page.text), "nn") == Counter()
    assert foreign_words(" ".join(page.text), "nb") == Counter({"ikkje": 1, "kva": 1, "vert": 1, "frå": 1})
