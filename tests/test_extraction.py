"""Every user-facing text written in Python is marked for translation, and `pybabel extract` finds it."""
import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The demo's content (names, stories) and the `flask` commands' output are not translated.
SKIPPED = ("app/demo/", "app/commands/")
MARKERS = {"_", "_l", "N_", "gettext", "ngettext", "lazy_gettext", "lazy_ngettext", "pgettext", "npgettext"}
LOGGING = {"debug", "info", "warning", "error", "exception", "critical", "log"}
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|WITH|PRAGMA)\b")
ALLOWED_FILE = Path(__file__).with_name("extraction_allowed.txt")


def _allowed() -> set[tuple[str, str]]:
    """Reviewed exceptions, one `path: text` a line (text as in the source, implicit concatenation joined)."""
    entries = set()
    for line in ALLOWED_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path, text = line.split(": ", 1)
            entries.add((path, text))
    return entries


# A sentence may begin with what it names: "{actor} opprettet …", "%(name)s ble …".
LEADING_PLACEHOLDER = re.compile(r"^(\{[a-z_]+\}|%\([a-z_]+\)[sd]) (?=[a-zæøå]{2,} )")


def looks_user_facing(text: str) -> bool:
    """A Norwegian phrase or sentence: starts with a capital, « or a placeholder and a word, has a letter and a space
    or a Norwegian letter."""
    text = text.strip()
    if LEADING_PLACEHOLDER.match(text):
        return True
    if not text or not (text[0].isupper() or text[0] == "«") or SQL.match(text):
        return False
    return any(c.isalpha() for c in text) and (" " in text or any(c in "æøåÆØÅ" for c in text))


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _is_logging(call: ast.Call) -> bool:
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in LOGGING):
        return False
    owner = ast.unparse(func.value)
    return owner.endswith("logger") or owner in ("logging", "log", "_log", "LOG") or owner.startswith("logging.getLogger(")


# Keyword arguments whose strings are code: SQLAlchemy's joins, orderings and foreign-key actions.
CODE_KEYWORDS = {"primaryjoin", "secondaryjoin", "order_by", "ondelete", "onupdate", "foreign_keys", "server_default"}


def _not_texts(tree: ast.AST) -> set[int]:
    """Docstrings, type annotations and code passed as a string."""
    ids, code = set(), []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns:
            code.append(node.returns)
        elif isinstance(node, (ast.arg, ast.AnnAssign)) and node.annotation:
            code.append(node.annotation)
        elif isinstance(node, ast.keyword) and node.arg in CODE_KEYWORDS:
            code.append(node.value)
    ids.update(id(inner) for node in code for inner in ast.walk(node))
    return ids


def unmarked(source: str) -> list[tuple[int, str, ast.AST]]:
    """The user-facing literals of a module not inside a marking call: (line, text, node)."""
    tree = ast.parse(source)
    skip = _not_texts(tree)
    found = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Call) and (_called_name(node) in MARKERS or _is_logging(node)):
            return
        if isinstance(node, ast.Dict):
            for value in node.values:
                visit(value)
            return
        if isinstance(node, ast.Subscript):  # a key looked up: row["Navn"]
            visit(node.value)
            return
        if isinstance(node, ast.JoinedStr):
            text = "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
            if looks_user_facing(text):
                found.append((node.lineno, text, node))
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    visit(part)
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            if looks_user_facing(node.value):
                found.append((node.lineno, node.value, node))
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def python_files(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if not relative.startswith(SKIPPED):
                yield relative


def findings(paths) -> list[str]:
    allowed = _allowed()
    return [f"{path}:{line}: {text}" for path in paths
            for line, text, _ in unmarked((ROOT / path).read_text(encoding="utf-8"))
            if (path, text) not in allowed]


def test_the_workflows_and_the_top_level_modules_mark_every_user_facing_text():
    paths = [p for p in python_files("workflows", "app") if p.startswith("workflows/") or p.count("/") == 1]
    assert findings(paths) == []


def test_every_user_facing_text_in_python_is_marked():
    found = findings(python_files("app", "workflows"))
    assert not found, f"{len(found)} unmarked:\n" + "\n".join(found)


@pytest.mark.parametrize("source, expected", [
    ('x = "Svar ja"', ["Svar ja"]),
    ('x = f"Velkommen, {name}."', ["Velkommen, {}."]),
    ('x = _("Svar ja")', []),
    ('x = _l("Svar ja")', []),
    ('x = N_("Svar ja")', []),
    ('x = ngettext("%(num)d kommune", "%(num)d kommuner", n)', []),
    ('def f():\n    """Svar ja eller nei."""', []),
    ('log.warning("Mail failed for %s", x)', []),
    ('current_app.logger.info("Sign in refused")', []),
    ('x = {"Navn på kolonne": 1}', []),
    ('x = row["Navn på kolonne"]', []),
    ('x = "SELECT id FROM user"', []),
    ('x = "membership_case"', []),
    ('x = "Ålesund"', ["Ålesund"]),
    ('x = "«Sitat» her"', ["«Sitat» her"]),
    ('x = "ikke stor forbokstav"', []),
    ('x = "{actor} opprettet runden"', ["{actor} opprettet runden"]),
    ('x = "{actor}: {count}"', []),
    ('x = {"key": "Takket ja"}', ["Takket ja"]),
    ('x: "Agreement | None" = None', []),
    ('def f(a: "Signature | None") -> "Møte | None": pass', []),
    ('x = relationship(primaryjoin="Agreement.case_id == Case.id", order_by="Møte.dato")', []),
])
def test_the_scan_tells_user_facing_texts_from_the_rest(source, expected):
    assert [text for _, text, _ in unmarked(source)] == expected


def test_pybabel_extract_finds_texts_written_in_python(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "-q", "extract", "-F", "babel.cfg",
                    "-o", str(pot), "."], cwd=ROOT, check=True)
    text = pot.read_text(encoding="utf-8")
    for msgid in ("Avtale til signering",  # a workflow state (workflows/membership.py)
                  "Medlem av styringsgruppen",  # a role (workflows/roles.py)
                  "Svarfristen har gått ut.",  # a guard's message
                  "Feltet må fylles ut.",  # a form validator's message (app/forms.py)
                  "«%(step)s» gjøres på denne siden. Ingenting er endret ennå.",  # a flash message (app/views.py)
                  "{actor} opprettet invitasjonsrunden «{subject}»"):  # a log sentence (app/sentences.py)
        assert f'msgid "{msgid}"' in text, msgid
