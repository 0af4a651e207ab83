"""What goes into the logs: nothing a user typed starts a new line, and no secret link is written out.

One filter on the loggers that carry request data: the app's own (a login's e-mail address, a request's path), the
development server's and gunicorn's access and error logs. It masks the token of a calendar feed and of a link that
sets a password, answers from an official mailbox or cancels a conference registration, and the code and state a
provider's answer to a sign-in carries (the only secrets that travel in a URL), and writes line breaks as escapes
(\\n, \\u2028).
"""
import logging
import re

from flask import Flask

# What str.splitlines() breaks a line at.
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
SECRET_PATHS = (
    (re.compile(r"/kalender/[^/\s?#\"']+\.ics"), "/kalender/[skjult].ics"),
    # The personal links to an invitation to join (/min-kommune/invitasjon/<case id>) hold no secret.
    (re.compile(r"(?<!/min-kommune)/invitasjon/[^/\s?#\"']+"), "/invitasjon/[skjult]"),
    (re.compile(r"/postmottak/svar/[^/\s?#\"']+"), "/postmottak/svar/[skjult]"),
    (re.compile(r"/bli-med/bekreft/[^/\s?#\"']+"), "/bli-med/bekreft/[skjult]"),
    (re.compile(r"/konferanse/avmelding/[^/\s?#\"']+"), "/konferanse/avmelding/[skjult]"),
    # A provider's answer to a sign-in carries its code and state in the query (OpenID Connect).
    (re.compile(r"(/login/ekstern/[^/\s?#\"']+/svar)\?[^\s#\"']*"), r"\1?[skjult]"),
)
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def clean(message: str) -> str:
    """The message with secret links masked and line breaks escaped."""
    for pattern, replacement in SECRET_PATHS:
        message = pattern.sub(replacement, message)
    return LINE_BREAKS.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), message)


class OneLine(logging.Filter):
    """Formats the record's message once, cleaned; the handlers then write it as it is."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # arguments that do not fit the message: the handler reports that as it always does
        record.msg, record.args = clean(message), None
        return True


ONE_LINE = OneLine()


def register(app: Flask) -> None:
    for logger in (app.logger, *map(logging.getLogger, REQUEST_LOGGERS)):
        logger.addFilter(ONE_LINE)
