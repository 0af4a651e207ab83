"""Every GET page of the app as the benchmark opens it: the path with real ids, who is signed in, what the session
holds. Who opens a page and which object it shows are the visits of tests/test_query_counts.py, which every GET
route must have, in the world of tests/query_world.py; a parameter the visit does not name takes the world's id of
that name."""
from dataclasses import dataclass, field

from tests.query_world import World
from tests.test_query_counts import NOT_PAGES, VISITS


class Unresolved(Exception):
    """Routes the benchmark cannot open, each named with what is missing."""


@dataclass(frozen=True)
class Page:
    endpoint: str
    path: str
    who: str | None  # the e-mail address of the user signed in; None for nobody
    session: dict = field(default_factory=dict)


def every_page(app, world: World) -> list[Page]:
    """A Page for every GET route, or Unresolved naming each route without a visit or a value for a parameter."""
    pages, missing = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        visit = VISITS.get(rule.endpoint)
        if visit is None:
            missing.append(f"{rule.endpoint} ({rule.rule}): no visit in VISITS of tests/test_query_counts.py")
            continue
        values, unknown = dict(visit.values), []
        for name in sorted(rule.arguments - set(values)):
            key = visit.ids.get(name, name)
            if key in world.ids:
                values[name] = world.ids[key]
            else:
                unknown.append(f"<{name}> (world id {key!r})")
        session = {name: world.ids.get(key) for name, key in visit.session.items()}
        unknown += [f"session {name!r} (world id {visit.session[name]!r})" for name, value in session.items()
                    if value is None]
        if visit.who is not None and visit.who not in world.users:
            unknown.append(f"user {visit.who!r}")
        if unknown:
            missing.append(f"{rule.endpoint} ({rule.rule}): no value for {', '.join(unknown)}")
            continue
        who = world.users[visit.who].email if visit.who is not None else None
        pages.append(Page(rule.endpoint, rule.build(values, append_unknown=False)[1], who, session))
    if missing:
        raise Unresolved("The benchmark cannot open these GET routes:\n  " + "\n  ".join(missing))
    return pages
