"""QuickSelect (app.fields) writes the same HTML as WTForms' own select, option by option."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import SelectField

from app.fields import TimeSelectField

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


def _pair(choices, picked, **render):
    class Plain(FlaskForm):
        class Meta:
            csrf = False

        pick = SelectField(choices=choices)

    class Quick(Plain):
        pick = TimeSelectField(choices=choices)

    data = MultiDict({"pick": picked})
    return str(Plain(data).pick(**render)), str(Quick(data).pick(**render))


@settings(max_examples=60, deadline=None)
@given(
    choices=st.lists(st.tuples(text, text), min_size=1, max_size=6, unique_by=lambda c: c[0]),
    pick=st.integers(0, 6),
)
def test_quick_select_writes_what_wtforms_writes(app, choices, pick):
    picked = choices[pick][0] if pick < len(choices) else "not offered"
    with app.test_request_context("/"):
        plain, quick = _pair(choices, picked)
        assert quick == plain
        assert quick.count("<option") == len(choices)


@pytest.mark.parametrize(
    "choices",
    [
        [("", "–"), ("09:00", "09:00"), ("09:30", "09:30")],
        [("a&b", '<"x">'), ("c", "")],  # escaped; an empty label shows its value
        [(1, "one"), (True, "yes")],  # values that are not text go the library's way
        [("x", "x", {"disabled": True})],  # so does an option with attributes of its own
    ],
)
def test_quick_select_keeps_the_selected_option_and_the_fields_attributes(app, choices):
    with app.test_request_context("/"):
        plain, quick = _pair(choices, str(choices[-1][0]), **{"aria-invalid": "true", "class": "t"})
        assert quick == plain and "selected" in quick and 'aria-invalid="true"' in quick
