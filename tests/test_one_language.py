"""Screens named in the issue: the log-in message, page titles and holiday names in the page's language."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask_babel import force_locale

from app.homes.opening import public_holiday_name


@pytest.mark.parametrize(
    ("language", "says"), [("zh", "请先登录后再访问此页面。"), ("en", "Please log in to access this page.")]
)
def test_the_log_in_message_is_in_the_page_language(client, language, says):
    client.set_cookie("lang", language)
    page = client.get("/me/data", follow_redirects=True).get_data(as_text=True)
    assert says in page
    if language == "zh":
        assert "Please log in" not in page


@pytest.mark.parametrize(("path", "title"), [("/", "荔南人才之家"), ("/login", "登录 · 荔南人才之家")])
def test_page_titles_name_the_site_once(client, path, title):
    page = client.get(path).get_data(as_text=True)
    assert re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip() == title


@pytest.mark.parametrize(("language", "name"), [("zh", "元旦"), ("en", "New Year's Day")])
def test_holiday_names_follow_the_page_language(app, language, name):
    with app.test_request_context(), force_locale(language):
        assert public_holiday_name(date(2027, 1, 1)) == name
