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
    assert "webcal://talent-home.example/calendar.ics" in anonymous and "<svg" in anonymous
    user = make_user()
    login(user)
    page = client.get("/calendar/subscribe").get_data(as_text=True)
    assert f"/calendar/{user.calendar_token}.ics" in page
    old = user.calendar_token
    assert client.post("/calendar/token").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).calendar_token != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404


def test_week_shows_each_session_on_its_day_and_filters(client, make_user):
    organiser = make_user(role="organiser", district="liwan")
    day = local_today() + timedelta(days=8)
    monday = day - timedelta(days=day.weekday())
    camp_sessions = [
        {
            "start": f"{(monday + timedelta(days=n)).isoformat()}T09:00+08:00",
            "end": f"{(monday + timedelta(days=n)).isoformat()}T16:00+08:00",
        }
        for n in (1, 2)
    ]
    camp = published(
        organiser,
        title="两日研学营",
        sessions=camp_sessions,
        start=camp_sessions[0]["start"],
        end=camp_sessions[1]["end"],
    )
    published(
        make_user(role="organiser", district="nanhai"),
        title="南海沙龙",
        host="nanhai",
        start=ahead(8, 19),
        end=ahead(8, 21),
    )
    page = client.get(f"/calendar/week?date={day.isoformat()}").get_data(as_text=True)
    assert page.count(f'href="/events/{camp.id}"') == 2 and "09:00–16:00" in page
    assert "南海沙龙" in page
    assert "两日研学营" not in client.get(f"/calendar/week?date={(monday + timedelta(days=7)).isoformat()}").get_data(
        as_text=True
    )
    filtered = client.get(f"/calendar/week?date={day.isoformat()}&district=liwan").get_data(as_text=True)
    assert "两日研学营" in filtered and "南海沙龙" not in filtered
    this_week = client.get("/calendar/week?date=not-a-date")
    assert this_week.status_code == 200 and 'aria-current="date"' in this_week.get_data(as_text=True)


def test_subscribe_page_builds_a_filtered_address(client):
    page = client.get("/calendar/subscribe?district=nanhai&kind=study_tour&theme=industry").get_data(as_text=True)
    assert "webcal://talent-home.example/calendar.ics?district=nanhai&amp;kind=study_tour" in page
    assert "theme=" not in page.split('id="public-url"')[1].split(">")[0]  # the feed has no theme filter
    month = client.get("/calendar?district=liwan").get_data(as_text=True)
    assert "/calendar/subscribe?district=liwan" in month
