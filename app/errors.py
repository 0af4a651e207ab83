"""Error pages in Norwegian; a 500 shows a reference id, never a traceback."""
import uuid

from flask import render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

MESSAGES = {
    400: ("Ugyldig forespørsel", "Forespørselen kunne ikke behandles. Gå tilbake og prøv igjen."),
    403: ("Ingen tilgang", "Du har ikke tilgang til denne siden."),
    404: ("Fant ikke siden", "Siden finnes ikke, eller du har ikke tilgang til den."),
    405: ("Ikke tillatt", "Denne handlingen er ikke tillatt her."),
    409: ("Noen andre kom deg i forkjøpet",
          "Saken ble endret av noen andre samtidig. Last siden på nytt og se hva som gjelder nå."),
    413: ("Filen er for stor", "Filen du prøvde å laste opp, er for stor. Den kan være på høyst 10 MB."),
    429: ("For mange forsøk", "Du har prøvd for mange ganger. Vent litt og prøv igjen."),
}
# Any other code (416 for a download with a bad range, say): still Norwegian.
OTHER = ("Noe gikk galt", "Forespørselen kunne ikke behandles. Gå tilbake og prøv igjen.")


def register(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/error.html", code=400, title="Skjemaet er utløpt",
                               message="Skjemaet var utløpt eller ugyldig. Last siden på nytt og prøv igjen."), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        title, message = MESSAGES.get(error.code, OTHER)
        if error.description and error.description != type(error).description:
            message = error.description  # a specific message from abort(code, message)
        # The headers the status asks for (Retry-After on a 429, Allow on a 405), with the page's own content type.
        headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
        return render_template("errors/error.html", code=error.code, title=title, message=message), error.code, headers

    @app.errorhandler(Exception)
    def server_error(error):
        db.session.rollback()
        reference = uuid.uuid4().hex[:10]
        app.logger.exception("unhandled error, reference %s", reference)
        return render_template("errors/error.html", code=500, title="Noe gikk galt",
                               message="En feil oppstod hos oss. Prøv igjen senere. Oppgi referansen hvis du kontakter brukerstøtte.",
                               reference=reference), 500
