"""The app as served in the benchmark, plus two reference routes that exist only here."""
from flask import render_template_string
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import MembershipCase

app = create_app()
# The benchmark measures what fetching documents costs the server, not the per-user limit on fetching them.
app.config["RENDER_LIMIT"] = 1_000_000


@app.route("/_bench/hello")
def hello():
    """The floor: routing, session, login check and headers, no database."""
    return "hello"


@app.route("/_bench/rows")
def rows():
    """The floor cost of a list page: one ORM query for 50 rows and a one-line template."""
    cases = db.session.scalars(select(MembershipCase).order_by(MembershipCase.id).limit(50)).all()
    return render_template_string("{% for c in cases %}{{ c.id }} {{ c.state }} {% endfor %}", cases=cases)
