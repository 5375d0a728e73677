"""The attendance blueprint, which every module of app/attendance/routes/ adds its pages to; the
figures' labels are template globals, so every page (the event page too) names them alike."""

from flask import Blueprint

from app.attendance import labels

bp = Blueprint("attendance", __name__)
bp.add_app_template_global(labels.figure_labels)
bp.add_app_template_global(labels.figures_definition)
bp.add_app_template_global(labels.district_labels, "attendance_districts")
bp.add_app_template_global(labels.percent, "attendance_percent")
