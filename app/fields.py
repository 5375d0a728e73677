"""Form fields shared by the features' forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, ValidationError

from app.timezones import MAX_YEAR, MIN_YEAR


class SupportedDateField(DateField):
    """A date within the years the service supports (a mistyped 0001 or 9999 is a form message)."""

    def pre_validate(self, form) -> None:
        if self.data is not None and not MIN_YEAR <= self.data.year <= MAX_YEAR:
            self.data = None
            raise ValidationError(_l("Choose a date between %(low)s and %(high)s.", low=MIN_YEAR, high=MAX_YEAR))
