"""The lock files pin what pyproject.toml asks for, and the wheel carries everything the app reads."""
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent

# Runs inside the installed wheel's venv, from an empty folder, so nothing can come from the checkout.
SERVE = """
import json, sys
import app, wsgi
from flask_babel import force_locale, gettext
client = wsgi.app.test_client()
health = client.get("/healthz")
with wsgi.app.test_request_context(), force_locale("en"):
    translated = gettext(sys.argv[1])
print(json.dumps({"package": app.__file__, "health": [health.status_code, health.get_json()],
                  "login": client.get("/login").status_code, "css": client.get("/static/css/app.css").status_code,
                  "translated": translated}))
"""


def _pins(lock: str) -> dict[str, Version]:
    pins = {}
    for line in (ROOT / lock).read_text().splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, version = line.split(" ")[0].split("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_lock_files_pin_what_pyproject_asks_for():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, with_tests = _pins("requirements.lock"), _pins("requirements-test.lock")
    with_mutation = _pins("requirements-mutation.lock")
    extras = project["optional-dependencies"]
    for pins, requirements in ((runtime, project["dependencies"]),
                               (with_tests, project["dependencies"] + extras["test"]),
                               (with_mutation, project["dependencies"] + extras["test"] + extras["mutation"])):
        for requirement in map(Requirement, requirements):
            pinned = pins.get(canonicalize_name(requirement.name))
            assert pinned is not None and pinned in requirement.specifier, f"{requirement} er låst til {pinned}: kjør make lock"
    assert {name: with_tests.get(name) for name in runtime} == runtime
    assert {name: with_mutation.get(name) for name in with_tests} == with_tests


def _run(*command, **kwargs) -> str:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _copy_checkout(target: Path) -> None:
    """The files git would commit, as they are now: no build/ or egg-info left over from another build."""
    listed = _run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)


def _translated_message() -> tuple[str, str]:
    with (ROOT / "app/translations/en/LC_MESSAGES/messages.po").open("rb") as po_file:
        return next((m.id, m.string) for m in read_po(po_file) if m.id and m.string and not m.fuzzy)


@pytest.mark.packaging
def test_installed_wheel_migrates_and_serves(tmp_path):
    source, wheels, venv, workdir = (tmp_path / name for name in ("source", "wheels", "venv", "run"))
    workdir.mkdir()
    _copy_checkout(source)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", wheels, source)
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    pip = (sys.executable, "-m", "pip", "--python", python, "install", "--quiet")
    _run(*pip, "--require-hashes", "--requirement", ROOT / "requirements.lock")
    _run(*pip, "--no-deps", *wheels.glob("*.whl"))
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "FLASK_"))}
    environment.update(DATABASE_URL=f"sqlite:///{workdir / 'kk.db'}", SECRET_KEY="packaging-test")
    flask = (venv / "bin" / "flask", "--app", "wsgi")

    _run(*flask, "db", "upgrade", cwd=workdir, env=environment)
    assert _run(*flask, "audit", "verify", cwd=workdir, env=environment).splitlines()[0] == "OK, 0 events"
    message, translation = _translated_message()
    served = json.loads(_run(python, "-c", SERVE, message, cwd=workdir, env=environment))

    assert Path(served["package"]).is_relative_to(venv)
    assert served["health"] == [200, {"status": "ok", "database": "ok"}]
    assert (served["login"], served["css"]) == (200, 200)
    assert served["translated"] == translation
