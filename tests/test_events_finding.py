"""Finding events: search by substring (Chinese too), filters in the URL, pages, the past-events
archive, and the calendar views with kinds by colour, symbol and name."""

from __future__ import annotations

from datetime import timedelta

from attendance_factories import make_event
from events_factories import ahead, published, sign

from app.events import queries
from app.extensions import db
from app.timezones import local_today, now_utc


def _titles(**filters) -> list[str]:
    return [e.title for e in queries.public_events(**filters)]


def test_search_finds_chinese_substrings_in_title_description_and_place(make_user):
    organiser = make_user(role="organiser", district="liwan")
    elsewhere = {"address": "荔湾区文化公园"}
    published(organiser, title="荔湾醒狮文化研学", venue=elsewhere, start=ahead(3, 9), end=ahead(3, 12))
    published(
        organiser,
        title="科技人才交流",
        description="参观粤剧艺术博物馆",
        venue=elsewhere,
        start=ahead(4, 9),
        end=ahead(4, 12),
    )
    published(organiser, title="徒步", venue={"address": "白云山南门"}, start=ahead(5, 9), end=ahead(5, 12))
    assert _titles(q="醒狮") == ["荔湾醒狮文化研学"]
    assert _titles(q="粤剧") == ["科技人才交流"]  # inside the description, no word break around it
    assert _titles(q="云山") == ["徒步"]  # the middle of an address
    assert _titles(q="  ") == ["荔湾醒狮文化研学", "科技人才交流", "徒步"]


def test_search_treats_like_wildcards_as_plain_text(make_user):
    organiser = make_user(role="organiser", district="liwan")
    published(organiser, title="满额100%活动", start=ahead(3, 9), end=ahead(3, 12))
    published(organiser, title="满额1000活动", start=ahead(4, 9), end=ahead(4, 12))
    published(organiser, title="a_b 沙龙", start=ahead(5, 9), end=ahead(5, 12))
    published(organiser, title="axb 沙龙", start=ahead(6, 9), end=ahead(6, 12))
    assert _titles(q="100%") == ["满额100%活动"]
    assert _titles(q="a_b") == ["a_b 沙龙"]


def test_search_finds_the_room_a_event_is_held_in(make_user, room):
    organiser = make_user(role="organiser", district="liwan")
    published(
        organiser,
        title="读书会",
        venue={"room_id": room.id},
        capacity=room.capacity,
        start=ahead(3, 9),
        end=ahead(3, 11),
    )
    assert _titles(q=room.name[1:]) == ["读书会"]


def test_pagination_counts_and_clamps(make_user):
    organiser = make_user(role="organiser", district="liwan")
    for n in range(5):
        published(organiser, title=f"交流会{n}", start=ahead(3 + n, 9), end=ahead(3 + n, 10))
    query = queries.public_events_query(q="交流会")
    first, last = queries.paginate(query, 1, per_page=2), queries.paginate(query, 99, per_page=2)
    assert (first.total, first.pages, [e.title for e in first.items]) == (5, 3, ["交流会0", "交流会1"])
    assert first.has_next and not first.has_previous
    assert (last.number, [e.title for e in last.items]) == (3, ["交流会4"])


def test_events_page_searches_and_keeps_filters_in_page_links(client, make_user):
    organiser = make_user(role="organiser", district="liwan")
    for n in range(14):
        published(organiser, title=f"醒狮研学{n:02d}", start=ahead(3, 9 + n % 8), end=ahead(3, 18))
    published(organiser, title="羽毛球", start=ahead(3, 9), end=ahead(3, 10))
    page = client.get("/events?q=醒狮&kind=exchange").get_data(as_text=True)
    assert "醒狮研学" in page and "羽毛球" not in page
    assert 'value="醒狮"' in page and "page=2" in page and "q=%E9%86%92%E7%8B%AE" in page
    second = client.get("/events?q=醒狮&kind=exchange&page=2").get_data(as_text=True)
    assert second.count("醒狮研学") == 2 and "第 2 页，共 2 页" in second
    assert client.get("/events?page=abc").status_code == 200


def test_archive_lists_past_events_with_their_published_attendance(client, make_user):
    past = make_event(title="往期交流会", start=now_utc() - timedelta(days=3))
    past.attendance_published_at = now_utc()
    make_event(title="没有记录的往期活动", start=now_utc() - timedelta(days=5))
    make_event(title="未来活动", start=now_utc() + timedelta(days=3))
    db.session.commit()
    page = client.get("/events/past").get_data(as_text=True)
    assert "往期交流会" in page and "没有记录的往期活动" in page and "未来活动" not in page
    assert page.index("往期交流会") < page.index("没有记录的往期活动")  # most recent first
    assert f"/events/{past.id}#attendance-record-title" in page and "尚未公布出席记录。" in page
    assert "未来活动" in client.get("/events").get_data(as_text=True)
    assert "往期交流会" not in client.get("/events").get_data(as_text=True)


def test_every_calendar_view_has_the_kind_legend_and_marks_kinds(client, make_user):
    organiser = make_user(role="organiser", district="liwan")
    published(organiser, title="研学营", kind="youth_camp", min_age=8, max_age=12, start=ahead(2, 9), end=ahead(2, 17))
    day = local_today() + timedelta(days=2)
    for url in (f"/calendar?year={day.year}&month={day.month}", f"/calendar/week?date={day}", "/calendar/list"):
        page = client.get(url).get_data(as_text=True)
        assert 'class="kind-legend"' in page, url
        assert all(name in page for name in ("交流活动", "研学活动", "青少年研学营")), url
        assert "kind-youth_camp" in page, url


def test_month_view_shows_start_times_and_list_view_venue_and_places(client, make_user):
    organiser = make_user(role="organiser", district="liwan")
    event = published(
        organiser, title="徒步", capacity=5, venue={"address": "白云山南门"}, start=ahead(2, 9), end=ahead(2, 12)
    )
    sign(make_user(), event)
    day = local_today() + timedelta(days=2)
    month = client.get(f"/calendar?year={day.year}&month={day.month}").get_data(as_text=True)
    assert ">09:00</time> 徒步" in month
    listing = client.get("/calendar/list").get_data(as_text=True)
    assert "白云山南门" in listing and "剩余 4 个名额" in listing


def test_api_events_take_a_search_text(api, make_user):
    organiser = make_user(role="organiser", district="liwan")
    published(organiser, title="醒狮研学", start=ahead(3, 9), end=ahead(3, 12))
    published(organiser, title="羽毛球", start=ahead(4, 9), end=ahead(4, 12))
    found = api.get("/api/v1/events?q=醒狮").get_json()["items"]
    assert [e["title"] for e in found] == ["醒狮研学"]
    too_long = api.get("/api/v1/events?q=" + "字" * 101)
    assert too_long.status_code == 422 and "q" in too_long.get_json()["error"]["fields"]


def test_my_sign_ups_offer_the_event_ics_and_the_personal_feed(client, login, make_user):
    event = published(make_user(role="organiser", district="liwan"))
    talent = make_user()
    sign(talent, event)
    login(talent)
    page = client.get("/me/registrations").get_data(as_text=True)
    assert f"/events/{event.id}.ics" in page
    assert "webcal://" in page and f"/calendar/{talent.calendar_token}.ics" in page
