"""A case's documents: read them in the app, download each as PDF, or the whole case as a ZIP for the archive."""
from flask import Blueprint, Response, abort, render_template

from app.cases.routes import get_case
from app.services import archive

bp = Blueprint("archive", __name__, url_prefix="/saker")


@bp.app_template_global("case_documents")
def case_documents(case):
    """The documents of a case, for the "Dokumenter" list on the case page."""
    return archive.documents(case)


@bp.route("/<int:case_id>/dokumenter/invitasjon")
def invitation_letter(case_id: int):
    return render_template("archive/letter.html", case=get_case(case_id))


@bp.route("/<int:case_id>/dokumenter/<key>.pdf")
def document_pdf(case_id: int, key: str):
    case = get_case(case_id)
    doc = next((d for d in archive.documents(case) if d.key == key), None)
    if doc is None:
        abort(404)
    return Response(doc.render(), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{key}-{case.id}.pdf"'})


@bp.route("/<int:case_id>/arkiv.zip")
def export(case_id: int):
    case = get_case(case_id)
    filename = f"sak-{archive.case_number(case).replace('/', '-')}.zip"
    return Response(archive.export(case), mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
