"""The adviser's cockpit: the overview of all municipalities (also as CSV), state counts and the timeline."""
from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from app import clock, downloads
from app.models.organisation import REGIONS
from app.security import role_required
from app.views import stored
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
    filters = _filters()
    counts = overview_service.state_counts()
    page = overview_service.page_of_rows(request.args.get("page", 1, type=int), counts, **filters)
    return render_template("cockpit/overview.html", page=page, counts=counts,
                           most=max((n for _, _, n in counts), default=1), states=MEMBERSHIP.labels(),
                           regions=[r for r in REGIONS if r != "Vertskommune"], sorts=overview_service.SORTS,
                           total_seats=representatives.TOTAL_SEATS, **filters)


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
    chart = timeline_service.chart(today, organisations=page.items)
    # Each label translated once, not for each of the hundreds of periods on the page.
    categories = {key: str(label) for key, label in timeline_service.CATEGORIES.items()}
    return render_template("cockpit/timeline.html", chart=chart, page=page, categories=categories,
                           shapes=timeline_service.SHAPES, quiet=timeline_service.QUIET)
