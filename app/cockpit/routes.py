"""The adviser's cockpit: the overview of all municipalities (also as CSV), state counts and the timeline."""
from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from app import clock, downloads, formatting
from app.models.organisation import REGIONS
from app.security import role_required
from app.views import query_as_read, stored
from app.services import overview as overview_service
from app.services import representatives
from app.services import timeline as timeline_service
from workflows import MEMBERSHIP
from workflows.roles import ADMIN, ADVISER

bp = Blueprint("cockpit", __name__)
TIMELINE_PER_PAGE = 20


def _filters() -> dict:
    """The search, filters and sort from the query string; anything unknown falls back to "all"."""
    state = request.args.get("status", "")
    region = request.args.get("region", "")
    sort = request.args.get("sort", "name")
    return {
        "query": request.args.get("q", "").strip()[:100],
        "state": state if state in MEMBERSHIP.states else "",
        "region": region if region in REGIONS else "",
        "sort": sort if sort.lstrip("-") in overview_service.SORTS else "name",
    }


@bp.route("/oversikt")
@role_required(ADVISER, ADMIN)
def overview():
    """A page of the overview is the same for everyone who may see it: rendered once per content version and query
    string and stored (views.stored; in-process probe ~3.5x -> ~2.2x with the rows stored, -> ~1.2-1.5x with the page,
    01.12.2026). The sorting, CSV and paging links keep the query string: with a search (free text would store a
    copy for each) or anything else in it but the filters, sort and page as read, rendered each time."""
    filters = _filters()
    counts = overview_service.state_counts()
    requested = overview_service.page_of(sum(n for _, _, n in counts), request.args.get("page", 1, type=int)).page

    def content() -> str:
        listed = _overview_page(requested, counts, filters)
        page = overview_service.ListPage(listed["rows"], listed["page"], overview_service.PER_PAGE, listed["total"])
        return render_template(
            "cockpit/_overview.html", page=page, counts=counts, most=max((n for _, _, n in counts), default=1),
            states=MEMBERSHIP.labels(), regions=[r for r in REGIONS if r != "Vertskommune"],
            sorts=overview_service.SORTS, total_seats=representatives.TOTAL_SEATS, **filters)

    key = None if filters["query"] else query_as_read(
        q="", status=filters["state"], region=filters["region"], sort=filters["sort"], page=requested)
    return render_template("cockpit/overview.html", content=Markup(
        content() if key is None else stored("overview_page", key, content)))


def _overview_page(requested: int, counts: list, filters: dict) -> dict:
    """What a page of the overview shows, as plain data (dates and sums written out in this request's language: a
    stored copy is per language and day)."""
    page = overview_service.page_of_rows(requested, counts, **filters)
    return {"page": page.page, "total": page.total, "rows": [{
        "case": {"id": row.case.id, "state": row.case.state},
        "organisation": {"name": row.organisation.name, "region": row.organisation.region},
        "predecessors": row.predecessors, "successors": row.successors,
        "since": formatting.short_date(row.case.state_since), "next": formatting.short_date(row.next_date),
        "next_label": row.next_label, "round": row.case.round.title, "seats_filled": row.seats_filled,
        "outstanding": None if row.outstanding is None else formatting.money(row.outstanding)}
        for row in page.items]}


@bp.route("/oversikt.csv")
@role_required(ADVISER, ADMIN)
def overview_csv():
    filters = _filters()
    filename = _("kommuneoversikt-%(date)s.csv", date=clock.today().isoformat())
    return downloads.made("overview", sorted(filters.items()), lambda: overview_service.to_csv(
        overview_service.rows(**filters)), "text/csv", filename)


@bp.route("/tidslinje")
@role_required(ADVISER, ADMIN)
def timeline():
    today = clock.today()
    # The order of every organisation drawn, read once per content version (1.25 → 0.3 ms of a ~6.5 ms page,
    # 01.12.2026): the same for everyone who may see the timeline.
    order = stored("timeline_order", "", lambda: timeline_service.organisation_ids(today))
    page = overview_service.paginate(order, request.args.get("page", 1, type=int), TIMELINE_PER_PAGE)

    def body() -> str:
        chart = timeline_service.chart(today, organisations=page.items)
        # Each label translated once, not for each of the hundreds of periods on the page.
        categories = {key: str(label) for key, label in timeline_service.CATEGORIES.items()}
        return render_template("cockpit/_timeline.html", chart=chart, page=page, categories=categories,
                               shapes=timeline_service.SHAPES, quiet=timeline_service.QUIET)

    # A page rendered once per content version and stored (CPU time against /_bench/rows ~2.5x -> ~1.2x,
    # 01.12.2026); with other query arguments (which the paging links keep) it is rendered each time.
    html = stored("timeline_page", page.page, body) if request.args.keys() <= {"page"} else body()
    return render_template("cockpit/timeline.html", body=Markup(html))
