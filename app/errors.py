"""Error pages in the language of the page; a 500 shows a reference id, never a traceback."""
import uuid

from flask import render_template
from flask_babel import gettext
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db
from workflows.i18n import N_

MESSAGES = {
    400: (N_("Ugyldig forespørsel"), N_("Forespørselen kunne ikke behandles. Gå tilbake og prøv igjen.")),
    403: (N_("Ingen tilgang"), N_("Du har ikke tilgang til denne siden.")),
    404: (N_("Fant ikke siden"), N_("Siden finnes ikke, eller du har ikke tilgang til den.")),
    405: (N_("Ikke tillatt"), N_("Denne handlingen er ikke tillatt her.")),
    409: (N_("Noen andre kom deg i forkjøpet"),
          N_("Saken ble endret av noen andre samtidig. Last siden på nytt og se hva som gjelder nå.")),
    413: (N_("Filen er for stor"), N_("Filen du prøvde å laste opp, er for stor. Den kan være på høyst 10 MB.")),
    429: (N_("For mange forsøk"), N_("Du har prøvd for mange ganger. Vent litt og prøv igjen.")),
}
# Any other code (416 for a download with a bad range, say): still a message of ours.
OTHER = (N_("Noe gikk galt"), N_("Forespørselen kunne ikke behandles. Gå tilbake og prøv igjen."))


def register(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/error.html", code=400, title=_("Skjemaet er utløpt"),
                               message=_("Skjemaet var utløpt eller ugyldig. Last siden på nytt og prøv igjen.")), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        title, message = (gettext(text) for text in MESSAGES.get(error.code, OTHER))
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
        return render_template("errors/error.html", code=500, title=_("Noe gikk galt"),
                               message=_("En feil oppstod hos oss. Prøv igjen senere. Oppgi referansen hvis du kontakter "
                                         "brukerstøtte."),
                               reference=reference), 500
