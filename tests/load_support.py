"""A real gunicorn on loopback with file-based SQLite, and signed-in HTTP clients for load tests."""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.conftest import TEST_AUDIT_KEY
from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


class Gunicorn:
    """gunicorn serving wsgi:app from the project, on its own SQLite file (or on what `env` sets, e.g. DATABASE_URL
    and INSTANCE_PATH for one of several servers on one PostgreSQL)."""

    def __init__(self, database: Path, workers: int = 3, app: str = "wsgi:app", env: dict[str, str] | None = None):
        self.app = app
        self.database, self.log = database, database.with_suffix(".gunicorn.log")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "load-test",
                    "AUDIT_KEY": TEST_AUDIT_KEY, "KK_TODAY": "2026-11-23", **(env or {})}
        self.workers = workers
        self.process = None

    def __enter__(self):
        self.log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}", "--timeout", "60",
             "--graceful-timeout", "5", self.app],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log_file)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not start: " + self.log.read_text())

    def worker_pids(self) -> list[int]:
        output = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True,
                                text=True).stdout
        return [int(pid) for pid in output.split()]

    def kill_a_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()


class Client:
    """A person in a browser: a cookie session that signs in and posts forms with their CSRF token."""

    TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()
        self.statuses: list[int] = []

    def get(self, path: str) -> requests.Response:
        response = self.http.get(self.base + path, timeout=30, allow_redirects=False)
        self.statuses.append(response.status_code)
        return response

    def post(self, path: str, data: dict, form_page: str) -> requests.Response:
        page = self.get(form_page)
        token = self.TOKEN.search(page.text)
        response = self.http.post(self.base + path, data={**data, "csrf_token": token.group(1) if token else ""},
                                  timeout=30, allow_redirects=False)
        self.statuses.append(response.status_code)
        return response

    def login(self, email: str, password: str) -> None:
        response = self.post("/login", {"email": email, "password": password}, "/login")
        assert response.status_code == 302, response.text[:500]
