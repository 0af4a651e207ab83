"""The `flask --app wsgi ...` commands operators and scripts use."""


def register(app) -> None:
    from app.commands import agreements, audit, backup, mail, seed, users, workflows

    for group in (users.cli, audit.cli, mail.cli, workflows.cli, agreements.cli):
        app.cli.add_command(group)
    app.cli.add_command(seed.seed_demo)
    app.cli.add_command(backup.backup)
