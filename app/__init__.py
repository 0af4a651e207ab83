"""The Kunnskapskommunen intranet: the application factory."""
from flask import Flask

from app import commands, config, errors, formatting, navigation, security
from app.extensions import babel, csrf, db, login_manager, migrate


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error pages, commands."""
    app = Flask(__name__, instance_relative_config=True, template_folder="../templates")
    config.load(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    errors.register(app)
    security.register(app)
    formatting.register(app)
    navigation.register(app)
    commands.register(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR", _project_path(app, "migrations"))))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=formatting.select_locale)
    login_manager.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from app import sqlite

        with app.app_context():
            sqlite.configure(db.engine)


def register_blueprints(app: Flask) -> None:
    from app.admin.routes import bp as admin_bp
    from app.auth.routes import bp as auth_bp
    from app.main.routes import bp as main_bp

    for blueprint in (main_bp, auth_bp, admin_bp):
        app.register_blueprint(blueprint)


def _project_path(app: Flask, name: str) -> str:
    from pathlib import Path

    return str(Path(app.root_path).parent / name)
