"""`make bench`: scaled demo data, gunicorn, wrk; pages measured next to two reference routes.

Writes benchmarks/RESULTS.md. Not part of `make test`.
"""
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from pathlib import Path

import requests
from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Agreement
from app.services import tick
from benchmarks import scale
from tests.load_support import Client, Gunicorn

ROOT = Path(__file__).resolve().parent.parent
MUNICIPALITIES, EVENTS = 500, 10_000
ARCHIVE_CLIENTS, ARCHIVE_SECONDS, HEALTHZ_P99_MS = 4, 20, 200


def arrange(database: Path) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "bench",
                      "TODAY": "2026-11-23"})
    with app.app_context():
        upgrade()
        facts = scale.history(EVENTS, MUNICIPALITIES)
        facts["archive_cases"] = list(db.session.scalars(select(Agreement.case_id).order_by(Agreement.case_id)
                                                         .limit(ARCHIVE_CLIENTS)))
        tick.refresh_statistics()  # as the nightly tick leaves the database for the next day
        db.engine.dispose()
    return facts


def wrk(url: str, cookie: str, seconds: int = 8, threads: int = 2, connections: int = 8) -> dict:
    output = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-H",
                             f"Cookie: {cookie}", url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {p: _ms(re.search(rf"\s{p}%\s+([\d.]+\w+)", output).group(1)) for p in ("50", "99")}
    # A request without an answer within wrk's 2 s is left out of the latencies: it counts as an error.
    errors = sum(int(found.group(1)) for found in (re.search(r"Non-2xx or 3xx responses: (\d+)", output),
                                                   re.search(r"timeout (\d+)", output)) if found)
    return {"rps": rps, "p50": latency["50"], "p99": latency["99"], "errors": errors}


def _ms(text: str) -> float:
    value, unit = float(re.match(r"[\d.]+", text).group()), re.search(r"[a-z]+", text).group()
    return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def healthz_under_archive_load(base: str, cookie: str, case_ids: list[int]) -> dict:
    """/healthz (one connection, wrk) while each of ARCHIVE_CLIENTS clients fetches the archive ZIP of its own case
    over and over. Each ZIP is fetched once before, so its documents are made: what is measured is serving them."""
    def fetch(case_id: int) -> requests.Response:
        return requests.get(f"{base}/saker/{case_id}/arkiv.zip", headers={"Cookie": cookie}, timeout=120)

    for case_id in case_ids:
        fetch(case_id).raise_for_status()
    statuses, seconds = [], []
    deadline = time.monotonic() + ARCHIVE_SECONDS

    def client(case_id: int) -> None:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            statuses.append(fetch(case_id).status_code)
            seconds.append(time.perf_counter() - started)

    clients = [threading.Thread(target=client, args=(case_id,)) for case_id in case_ids]
    for thread in clients:
        thread.start()
    healthz = wrk(f"{base}/healthz", cookie, seconds=ARCHIVE_SECONDS, threads=1, connections=1)
    for thread in clients:
        thread.join()
    return {**healthz, "zips": statuses.count(200), "zip_errors": sum(s != 200 for s in statuses),
            "zip_p50": sorted(seconds)[len(seconds) // 2] * 1000}


def tick_seconds(count: int, workdir: Path) -> float:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / f'tick{count}.db'}", "SECRET_KEY": "bench",
                      "TODAY": "2026-11-23"})
    with app.app_context():
        upgrade()
        scale.people()
        scale.due_cases(count)
        started = time.perf_counter()
        applied = len(tick.run(date(2026, 11, 23)))
        elapsed = time.perf_counter() - started
        db.engine.dispose()
    assert applied == count, applied
    return elapsed


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="kk-bench-"))
    database = workdir / "bench.db"
    facts = arrange(database)
    pages = {
        "overview": "/oversikt",
        "case page": f"/saker/{facts['cases'][0]}",
        "approval inbox": "/godkjenninger/",
    }
    if os.environ.get("BENCH_PAGES"):
        pages.update(dict(item.split("=", 1) for item in os.environ["BENCH_PAGES"].split(",")))
    results = {}
    with Gunicorn(database, workers=2, app="benchmarks.wsgi_bench:app") as server:
        client = Client(server.url)
        client.login("radgiver@bench.no", scale.PASSWORD)
        cookie = "; ".join(f"{k}={v}" for k, v in client.http.cookies.items())
        for name, path in {"hello (reference)": "/_bench/hello", "50 rows (reference)": "/_bench/rows",
                           **pages}.items():
            wrk(server.url + path, cookie, seconds=2)  # warm up
            results[name] = wrk(server.url + path, cookie)
        archive_load = healthz_under_archive_load(server.url, cookie, facts["archive_cases"])
    ticks = {n: tick_seconds(n, workdir) for n in (1_000, 10_000)}
    report = render(results, archive_load, ticks)
    (ROOT / "benchmarks" / "RESULTS.md").write_text(report)
    print(report)
    floor = results["50 rows (reference)"]["rps"]
    failed = [name for name in pages if results[name]["rps"] < 0.5 * floor or results[name]["errors"]]
    failed += ["tick"] if ticks[10_000] >= 5 else []
    failed += ["healthz"] if archive_load["p99"] >= HEALTHZ_P99_MS or archive_load["errors"] \
        or archive_load["zip_errors"] else []
    return 1 if failed else 0


def render(results: dict, archive_load: dict, ticks: dict) -> str:
    hello, floor = results["hello (reference)"]["rps"], results["50 rows (reference)"]["rps"]
    lines = [
        "# Benchmark results", "",
        f"Run {datetime.now():%d.%m.%Y %H:%M} on {platform.node()}: {os.cpu_count()} cores, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, SQLite (WAL), "
        f"gunicorn with 2 workers, wrk -t2 -c8 -d8s, signed in as the adviser.",
        f"Data: {MUNICIPALITIES} municipalities, {EVENTS} audit events; SQLite's planner statistics refreshed as the "
        "nightly tick leaves them.", "",
        "| page | req/s | p50 ms | p99 ms | vs hello | vs 50-row floor |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        lines.append(f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['rps'] / hello:.0%} "
                     f"| {r['rps'] / floor:.0%} |")
    lines += ["", "Target: every page at least 50 % of the 50-row floor.", "",
              f"| /healthz while {ARCHIVE_CLIENTS} clients fetch archive ZIPs for {ARCHIVE_SECONDS} s | p50 ms "
              "| p99 ms | errors (2 s timeout, non-2xx) | ZIPs served | other answers | ZIP p50 ms |",
              "|---|---:|---:|---:|---:|---:|---:|",
              f"| one connection, each client its own case (an agreement, replies, history) "
              f"| {archive_load['p50']:.1f} | {archive_load['p99']:.1f} | {archive_load['errors']} "
              f"| {archive_load['zips']} | {archive_load['zip_errors']} | {archive_load['zip_p50']:.0f} |", "",
              f"Target: /healthz p99 under {HEALTHZ_P99_MS} ms; each document's PDF is made once per version "
              "(fetched once before), then served from the database.", "",
              "| tick over due cases | seconds |", "|---:|---:|"]
    lines += [f"| {n:,} | {s:.2f} |".replace(",", " ") for n, s in ticks.items()]
    lines += ["", "Target: 10 000 cases in under 5 s, growing linearly.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
