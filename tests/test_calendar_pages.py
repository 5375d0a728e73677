"""The web calendar: month and list views with filters, today marked, the subscribe page."""

from datetime import timedelta

from events_factories import ahead, published

from app.extensions import db
from app.models import User
from app.timezones import local_today


def test_month_marks_today_and_shows_events_with_filters(client, make_user):
    organiser = make_user(role="organiser", district="liwan")
    hike = published(organiser, title="荔南徒步", start=ahead(2, 9), end=ahead(2, 12))
    published(
        make_user(role="organiser", district="nanhai"),
        title="南海研学",
        host="nanhai",
        kind="study_tour",
        theme="industry",
        start=ahead(2, 14),
        end=ahead(2, 16),
    )
    day = local_today() + timedelta(days=2)
    page = client.get(f"/calendar?year={day.year}&month={day.month}").get_data(as_text=True)
    assert "荔南徒步" in page and "南海研学" in page and f"/events/{hike.id}" in page
    if day.month == local_today().month:
        assert 'aria-current="date"' in page
    filtered = client.get(f"/calendar?year={day.year}&month={day.month}&district=liwan").get_data(as_text=True)
    assert "荔南徒步" in filtered and "南海研学" not in filtered
    themed = client.get("/calendar/list?theme=industry").get_data(as_text=True)
    assert "南海研学" in themed and "荔南徒步" not in themed


def test_bad_month_arguments_fall_back_to_this_month(client):
    response = client.get("/calendar?year=abc&month=13")
    assert response.status_code == 200 and str(local_today().year) in response.get_data(as_text=True)


def test_subscribe_page_has_webcal_links_and_personal_feed(client, login, make_user):
    anonymous = client.get("/calendar/subscribe").get_data(as_text=True)
    assert "webcal://localhost/calendar.ics" in anonymous and "<svg" in anonymous
    user = make_user()
    login(user)
    page = client.get("/calendar/subscribe").get_data(as_text=True)
    assert f"/calendar/{user.calendar_token}.ics" in page
    old = user.calendar_token
    assert client.post("/calendar/token").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).calendar_token != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
