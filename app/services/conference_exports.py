"""The participant list of a conference, for the adviser only (it holds dietary needs): CSV and Excel, every text
cell safe from being read as a formula."""
import csv
import io

from flask_babel import gettext as _
from openpyxl import Workbook

from app.models import ConferenceRegistration
from app.spreadsheets import safe_cell

# The kinds of their stored copies (app/services/stored_documents.py), per conference
CSV_KIND, XLSX_KIND = "conference_participants_csv", "conference_participants_xlsx"


def _header() -> list[str]:
    return [_("Nr."), _("Navn"), _("E-post"), _("Organisasjon"), _("Status"), _("Behov for mat"), _("Påmeldt")]


def _values(registration: ConferenceRegistration) -> list:
    return [registration.id, registration.name or "", registration.email or "", registration.organisation_label,
            _(registration.workflow.label(registration.state)), registration.dietary_needs or "",
            registration.created_at.strftime("%d.%m.%Y %H:%M")]


def to_csv(registrations: list[ConferenceRegistration]) -> bytes:
    """As CSV that Excel in Norwegian opens directly: semicolons, UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(_header())
    for registration in registrations:
        writer.writerow([safe_cell(value) if isinstance(value, str) else value for value in _values(registration)])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(registrations: list[ConferenceRegistration]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Deltakere")
    sheet.append(_header())
    for registration in registrations:
        sheet.append([safe_cell(value) if isinstance(value, str) else value for value in _values(registration)])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
