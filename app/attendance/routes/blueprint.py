"""The attendance blueprint, which every module of app/attendance/routes/ adds its pages to."""

from flask import Blueprint

bp = Blueprint("attendance", __name__)
