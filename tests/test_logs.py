"""The logs: what a user typed never starts a new line, and the secret links are masked in every request log."""
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

from app import logs
from tests.conftest import csrf_token

FEED = "/kalender/Zm9vYmFyLXRva2VuLXNvbS1lci1oZW1tZWxpZw.ics"
PASSWORD_LINK = "/invitasjon/eyJ1IjoxLCJuIjoiYWJjIn0.Z3x1YQ.c2lnbmF0dXJl"


def test_a_login_address_with_line_breaks_stays_on_one_log_line(app, client, caplog):
    forged = "ukjent@test.no\nCRITICAL innbrudd\r\u2028\x85x"
    with caplog.at_level("WARNING", logger=app.logger.name):
        response = client.post("/login", data={"email": forged, "password": "feil-passord-123",
                                               "csrf_token": csrf_token(client)})
    assert response.status_code == 401
    [message] = [r.getMessage() for r in caplog.records if r.name == app.logger.name]
    assert message.startswith("failed login for ukjent@test.no\\ncritical innbrudd\\r\\u2028\\x85x from ")
    assert message.splitlines() == [message]


@pytest.mark.parametrize("name", ["app", "werkzeug", "gunicorn.access", "gunicorn.error"])
def test_every_request_log_masks_the_secret_links(app, caplog, name):
    logger = app.logger if name == "app" else logging.getLogger(name)
    with caplog.at_level("INFO", logger=logger.name):
        logger.warning('"GET %s HTTP/1.1" 200 "%s"', FEED, f"https://kk.example{PASSWORD_LINK}")
        logger.warning("GET /min-kommune/invitasjon/12 and /invitasjoner/3 and /kalender/ny")
    masked, kept = [r.getMessage() for r in caplog.records]
    assert masked == '"GET /kalender/[skjult].ics HTTP/1.1" 200 "https://kk.example/invitasjon/[skjult]"'
    assert kept == "GET /min-kommune/invitasjon/12 and /invitasjoner/3 and /kalender/ny"


def test_gunicorn_access_log_in_the_recommended_format_has_no_token(app, tmp_path):
    """gunicorn's own access logger, as `--access-logfile` sets it up, with its default (combined) format."""
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    gunicorn_logger = Logger(config)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": FEED, "PATH_INFO": FEED, "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.7",
               "HTTP_REFERER": f"https://kk.example{PASSWORD_LINK}", "HTTP_USER_AGENT": "Kalender/1.0"}
    try:
        gunicorn_logger.access(SimpleNamespace(status="200 OK", sent=512, headers=[]), SimpleNamespace(headers=[]),
                               environ, timedelta(milliseconds=20))
    finally:
        for logger in (gunicorn_logger.access_log, gunicorn_logger.error_log):
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
                handler.close()
    line = (tmp_path / "access.log").read_text()
    assert '"GET /kalender/[skjult].ics HTTP/1.1" 200 512 "https://kk.example/invitasjon/[skjult]"' in line
    assert "Zm9v" not in line and "eyJ1" not in line


def test_arguments_that_do_not_fit_are_left_to_the_handler():
    record = logging.LogRecord("app", logging.WARNING, __file__, 1, "%d items", ("mange",), None)
    assert logs.ONE_LINE.filter(record) and record.args == ("mange",)
