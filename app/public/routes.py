"""The public website (agreement §7, §9): about the collaboration, its members and parties, who sits in the groups,
the subgroups at work and the adviser's news. No account, no session cookie, the same page for everyone: the
language is in the address (?lang=en), and every page may be cached for PUBLIC_MAX_AGE seconds."""
from dataclasses import astuple
from functools import wraps

from flask import Blueprint, abort, current_app, make_response, render_template, request, url_for
from flask_babel import get_locale

from app import clock, languages
from app.models.representative import GROUPS, PROJECT_GROUP, STEERING_GROUP
from app.public import facts
from app.security import public
from app.services import news
from app.services.overview import paginate
from app.views import stored

bp = Blueprint("public", __name__, url_prefix="/offentlig")
sitemap_bp = Blueprint("sitemap", __name__)

# The pages the sitemap lists, beside each published news item.
PAGES = ("public.home", "public.about", "public.members", "public.groups", "public.subgroups", "public.news_list")

PER_PAGE = 50  # people per group on a page of the groups
PAGE_PARAMS = {STEERING_GROUP: "styringsgruppe", PROJECT_GROUP: "prosjektgruppe"}  # each group's page number

bp.before_request(languages.from_address)

@bp.app_template_global()
def public_url(endpoint: str, **values) -> str:
    """A public page's address in the language of this page, public or not (bokmål needs no ?lang=)."""
    lang = get_locale().language
    if lang and lang != current_app.config["BABEL_DEFAULT_LOCALE"]:
        values["lang"] = lang
    return url_for(endpoint, **values)

def cacheable(view):
    """Public, the same for everyone: cached for a short while, and revalidated by its ETag."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.cache_control.public = True
        response.cache_control.max_age = current_app.config["PUBLIC_MAX_AGE"]
        response.add_etag()
        return response.make_conditional(request)

    return public(wrapped)

@bp.route("")
@cacheable
def home():
    return render_template("public/home.html", latest=news.published(limit=3))

@bp.route("/om")
@cacheable
def about():
    return render_template("public/about.html", sections=facts.agreement_sections())

@bp.route("/medlemmer")
@cacheable
def members():
    today = clock.today()
    parties = facts.parties(today)
    return render_template("public/members.html",
                           municipalities=stored("public_members", "", lambda: facts.member_municipalities(today)),
                           parties=parties, party_names=facts.party_names(parties, today))

@bp.route("/grupper")
@cacheable
def groups():
    people = {group: [facts.Person(*person) for person in found] for group, found in stored(
        "public_groups", "", lambda: {group: [astuple(person) for person in found]
                                  for group, found in facts.group_members(clock.today()).items()}).items()}
    pages = {group: paginate(people[group], request.args.get(param, 1, type=int), PER_PAGE)
             for group, param in PAGE_PARAMS.items()}
    return render_template("public/groups.html", groups=GROUPS, pages=pages, params=PAGE_PARAMS)

@bp.route("/undergrupper")
@cacheable
def subgroups():
    return render_template("public/subgroups.html", subgroups=facts.active_subgroups())

@bp.route("/nyheter")
@cacheable
def news_list():
    return render_template("public/news_list.html", items=news.published())

@bp.route("/nyheter/<int:item_id>")
@cacheable
def news_item(item_id: int):
    item = news.published_item(item_id)
    if item is None:
        abort(404)
    return render_template("public/news_item.html", item=item)

@sitemap_bp.route("/sitemap.xml")
@cacheable
def sitemap():
    pages = [url_for(endpoint, _external=True) for endpoint in PAGES]
    pages += [url_for("public.news_item", item_id=item.id, _external=True) for item in news.published()]
    response = make_response(render_template("public/sitemap.xml", pages=pages))
    response.mimetype = "application/xml"
    return response
