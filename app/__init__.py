"""The Kunnskapskommunen intranet: the application factory."""
import os
from pathlib import Path

from flask import Flask

from app import commands, config, errors, formatting, history, languages, logs, navigation, safe_input, security, tags, wiring
from app.extensions import babel, csrf, db, login_manager, migrate


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error pages, commands."""
    app = Flask(__name__, instance_path=os.environ.get("INSTANCE_PATH") or None, instance_relative_config=True,
                template_folder=_resource_dir("templates"))
    config.load(app, test_config)
    logs.register(app)
    register_extensions(app)
    wiring.install(app)
    safe_input.register(app)
    register_blueprints(app)
    errors.register(app)
    security.register(app)
    formatting.register(app)
    languages.register(app)
    navigation.register(app)
    history.register(app)
    tags.register(app)
    commands.register(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR", _resource_dir("migrations"))))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=languages.select_locale)
    login_manager.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from app import sqlite

        with app.app_context():
            sqlite.configure(db.engine)


def register_blueprints(app: Flask) -> None:
    from app.admin.routes import bp as admin_bp
    from app.agreements.routes import bp as agreements_bp
    from app.approvals.routes import bp as approvals_bp
    from app.auth.identity_routes import bp as identity_bp
    from app.auth.routes import bp as auth_bp
    from app.calendar.routes import bp as calendar_bp
    from app.cases.routes import bp as cases_bp
    from app.cockpit.routes import bp as cockpit_bp
    from app.conference.routes import bp as conference_bp
    from app.contributions.key_routes import bp as cost_keys_bp
    from app.contributions.routes import bp as contributions_bp
    from app.evaluations.routes import bp as evaluations_bp
    from app.invitations.routes import bp as invitations_bp
    from app.mailbox.routes import bp as mailbox_bp
    from app.main.routes import bp as main_bp
    from app.meetings.item_routes import bp as meeting_items_bp
    from app.meetings.routes import bp as meetings_bp
    from app.members.routes import bp as members_bp
    from app.municipality.routes import bp as municipality_bp
    from app.news.routes import bp as news_bp
    from app.organisations.routes import bp as organisations_bp
    from app.public.routes import bp as public_bp, sitemap_bp
    from app.subgroups.routes import bp as subgroups_bp

    for blueprint in (main_bp, auth_bp, identity_bp, admin_bp, cases_bp, approvals_bp, subgroups_bp, cockpit_bp,
                      calendar_bp, meetings_bp, invitations_bp, municipality_bp, agreements_bp,
                      members_bp, contributions_bp, cost_keys_bp, evaluations_bp, organisations_bp, mailbox_bp,
                      public_bp, sitemap_bp, news_bp, conference_bp, meeting_items_bp):
        app.register_blueprint(blueprint)


def _resource_dir(name: str) -> str:
    """A folder beside the package in a checkout, inside it in an installed wheel (see setup.py)."""
    package = Path(__file__).resolve().parent
    installed = package / name
    return str(installed if installed.is_dir() else package.parent / name)
