"""Builds the wheel with what the app reads beside its code: templates, migrations and compiled translations.

In a checkout `templates/` and `migrations/` sit beside the `app` package; the wheel carries them inside it, where
`app._resource_dir` finds them. An editable install reads them from the checkout.
"""
import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

CARRIED = ("templates", "migrations")


class BuildWithResources(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "app"
        for name in CARRIED:
            shutil.rmtree(package / name, ignore_errors=True)
            shutil.copytree(name, package / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for po_path in Path("app/translations").glob("*/LC_MESSAGES/*.po"):
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            mo_path = package / po_path.relative_to("app").with_suffix(".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=True)


setup(cmdclass={"build_py": BuildWithResources})
