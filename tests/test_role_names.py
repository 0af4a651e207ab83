"""Role names come from one place (workflows/roles.py): the code and the templates name them, never spell them."""
import pathlib
import re

from workflows import roles

ROOT = pathlib.Path(__file__).resolve().parent.parent
SPELLED = re.compile(r"""(["'])(%s)\1""" % "|".join(roles.USER_ROLES))
# Blueprint and endpoint names that happen to equal a role's name ("admin").
ENDPOINT = re.compile(r"""Blueprint\(|url_for\(|url_prefix""")


def test_no_role_is_spelled_out_in_the_app_or_its_templates():
    spelled = []
    for path in [*(ROOT / "app").rglob("*.py"), *(ROOT / "templates").rglob("*.html")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SPELLED.search(line) and not ENDPOINT.search(line):
                spelled.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert spelled == []


def test_the_roles_a_person_can_be_given_are_the_labelled_ones():
    assert roles.USER_ROLES == tuple(roles.ROLE_LABELS)
    assert roles.ROLES == {*roles.USER_ROLES, roles.SYSTEM, roles.PROPOSER, roles.CHAIR}
