import os, re
from tests.test_languages_crawl import *  # noqa
from tests.test_languages_crawl import _WORD, FOREIGN
from tests.browser.demo_world import DEMO_ACCOUNTS


def test_diag(demo):
    lang = os.environ["DLANG"]
    out = open(f"/tmp/diag_{lang}.txt", "w")
    seen = Counter()
    for role, email in DEMO_ACCOUNTS.items():
        client = demo.test_client()
        client.post("/sprak", data={"lang": lang, "csrf_token": csrf_token(client)})
        if email:
            client.post("/login", data={"email": email, "password": factories.PASSWORD, "csrf_token": csrf_token(client)})
        for path, words in visit(client, lang, "/" if email else "/login"):
            if not words:
                continue
            html = client.get(path).get_data(as_text=True)
            text = " ".join(read(html).text)
            text = re.sub(r"\s+", " ", text)
            for m in _WORD.finditer(text.lower()):
                if m.group() in FOREIGN[lang]:
                    snip = text[max(0, m.start() - 60):m.end() + 60]
                    key = snip
                    if seen[key] == 0:
                        out.write(f"{role} {path} [{m.group()}]: {snip}\n")
                    seen[key] += 1
    out.close()
