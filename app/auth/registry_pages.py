"""Pages for administrators: import the registry, download its template, browse what it holds."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import queries
from app.auth.forms import RegistryUploadForm
from app.auth.registry import ImportReport, import_registry
from app.auth.registry_files import HEADER_EN, HEADER_ZH, UnreadableFile, read_rows, template_csv, template_xlsx
from app.auth.routes import bp
from app.models.user import ISSUERS
from app.refusals import keeps_typed, refused_status
from app.timezones import local_today

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATES = {"csv": ("text/csv; charset=utf-8", template_csv), "xlsx": (XLSX_TYPE, template_xlsx)}


def _require_admin() -> None:
    if not current_user.is_admin:
        abort(403)


@bp.route("/admin/registry", methods=["GET", "POST"])
@login_required
@keeps_typed
def registry_upload():
    _require_admin()
    form = RegistryUploadForm()
    report = None
    if form.validate_on_submit():
        try:
            rows = read_rows(form.file.data.read())
        except UnreadableFile as error:
            form.file.errors = [*form.file.errors, str(error)]
        else:
            report = import_registry(rows, current_user._get_current_object())
            _flash_summary(report)
    status = refused_status(form) if report is None else 200
    # The file's two headers and the issuers' codes, from where the import reads them.
    headers = [",".join(HEADER_ZH), ",".join(HEADER_EN)]
    page = render_template("auth/registry.html", form=form, report=report, headers=headers, issuers=ISSUERS)
    return page, status


def _flash_summary(report: ImportReport) -> None:
    if not report.imported:
        flash(_("Nothing was imported: no line of the file could be used."), "error")
        return
    message = _(
        "Imported: %(added)s new, %(updated)s updated, %(verified)s talents verified, %(expired)s expired.",
        added=report.added,
        updated=report.updated,
        verified=report.verified,
        expired=report.expired,
    )
    if report.errors:
        flash(message + " " + _("%(count)s lines were skipped (see below).", count=len(report.errors)), "info")
    else:
        flash(message, "success")


@bp.get("/admin/registry/template.<fmt>")
@login_required
def registry_template(fmt: str):
    _require_admin()
    if fmt not in TEMPLATES:
        abort(404)
    mimetype, build = TEMPLATES[fmt]
    response = Response(build(), content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="registry-template.{fmt}"'
    return response


@bp.get("/admin/registry/entries")
@login_required
def registry_entries():
    _require_admin()
    search = request.args.get("q", "")[:100]
    page = request.args.get("page", 1, type=int) or 1
    entries, total, page, accounts = queries.registry_page(search, page)
    pages = max(1, -(-total // queries.REGISTRY_PAGE_SIZE))
    return render_template(
        "auth/registry_entries.html",
        entries=entries,
        accounts=accounts,
        total=total,
        page=page,
        pages=pages,
        q=search,
        today=local_today(),
    )
