"""The event form shaped by kind, sessions driving the times, itinerary days, drafts, and the
change-warning step before a published event is changed, with a notice that says old → new."""

from __future__ import annotations

import pytest
from events_factories import ahead, event_body, published, sign

from app.errors.domain import ValidationFailed
from app.events import services
from app.extensions import db
from app.models import Event, Notification
from app.timezones import to_local


def _form(**fields) -> dict:
    form = {"title": "研学营", "kind": "youth_camp", "host": "liwan", "room_id": "0", "address": "岭南V谷"}
    form.update(capacity="20", min_age="8", max_age="14")
    return form | fields


def _camp_days() -> tuple[str, str, str]:
    return ahead(10)[:10], ahead(11)[:10], ahead(12)[:10]


def test_form_shows_fieldsets_per_kind_named_in_their_legends(client, login, make_user):
    login(make_user(role="organiser", district="liwan"))
    page = client.get("/events/new").get_data(as_text=True)
    assert 'data-kinds="exchange"' in page and 'data-kinds="youth_camp"' in page
    assert "仅青少年研学营：按第一天计算的年龄" in page and "js/event-form.js" in page
    assert "公众将看到的内容" in page


def test_sessions_drive_the_times_and_itinerary_stops_belong_to_days(client, login, make_user):
    login(make_user(role="organiser", district="liwan"))
    day1, day2, day3 = _camp_days()
    response = client.post(
        "/events/new",
        data=_form(
            sessions=f"{day1} 09:00-17:00 第一天\n{day2} 09:00-17:00 第二天\n{day3} 09:00-12:00 第三天",
            itinerary=f"{day2} 09:30 粤剧艺术博物馆\n{day1} 14:00 醒狮馆\n{day1} 09:00 集合",
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    event = db.session.scalar(db.select(Event))
    assert [s.title for s in event.sessions] == ["第一天", "第二天", "第三天"]
    assert event.starts_at == event.sessions[0].starts_at and event.ends_at == event.sessions[-1].ends_at
    assert [(s["day"], s["time"], s["place"]) for s in event.itinerary] == [
        (1, "09:00", "集合"),
        (1, "14:00", "醒狮馆"),
        (2, "09:30", "粤剧艺术博物馆"),
    ]
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert page.index("醒狮馆") < page.index("粤剧艺术博物馆") and "第 2 天" in page


def test_form_refuses_an_itinerary_day_without_a_session_and_missing_times(client, login, make_user):
    login(make_user(role="organiser", district="liwan"))
    day1, _day2, day3 = _camp_days()
    bad_day = client.post("/events/new", data=_form(sessions=f"{day1} 09:00-17:00", itinerary=f"{day3} 09:30 陈家祠"))
    assert bad_day.status_code == 422 and f"{day3} 没有场次" in bad_day.get_data(as_text=True)
    no_time = client.post("/events/new", data=_form())
    assert no_time.status_code == 422 and "请填写场次，或填写开始和结束时间。" in no_time.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


def test_form_drops_the_fields_of_other_kinds(client, login, make_user):
    login(make_user(role="organiser", district="liwan"))
    day1 = _camp_days()[0]
    client.post(
        "/events/new",
        data=_form(kind="exchange", subtype="salon", theme="industry", start=f"{day1}T09:00", end=f"{day1}T11:00"),
    )
    event = db.session.scalar(db.select(Event))
    assert (event.subtype, event.theme, event.min_age, event.max_age) == ("salon", None, None, None)


def test_a_draft_page_says_it_is_a_draft(client, login, make_user):
    organiser = make_user(role="organiser", district="liwan")
    draft = services.create_event(organiser, event_body())
    db.session.commit()
    login(organiser)
    page = client.get(f"/events/{draft.id}").get_data(as_text=True)
    assert "本活动是草稿" in page and "报名已截止。" not in page


def test_an_event_whose_time_has_passed_is_not_saved_as_a_draft(client, login, make_user):
    organiser = make_user(role="organiser", district="liwan")
    with pytest.raises(ValidationFailed) as refused:
        services.create_event(organiser, event_body(start=ahead(-2, 9), end=ahead(-2, 12)))
    assert "end" in refused.value.fields
    db.session.rollback()
    login(organiser)
    day = ahead(-2)[:10]
    page = client.post("/events/new", data=_form(kind="exchange", start=f"{day}T09:00", end=f"{day}T11:00"))
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "新活动的结束时间必须在将来" in text and 'id="end-error"' in text
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


def _edit_form(event, **fields) -> dict:
    """The form as the edit page fills it for `event`, with `fields` changed."""
    form = _form(kind="exchange", title=event.title, address="白云山南门", capacity=str(event.capacity))
    for name, value in (
        ("start", event.starts_at),
        ("end", event.ends_at),
        ("registration_opens_at", event.registration_opens_at),
        ("registration_closes_at", event.registration_closes_at),
    ):
        form[name] = f"{to_local(value):%Y-%m-%dT%H:%M}"
    return form | fields


def test_changing_a_published_event_warns_first_then_saves_anyway(client, login, make_user):
    organiser = make_user(role="organiser", district="liwan")
    event = published(organiser, start=ahead(7, 9), end=ahead(7, 12))
    for _n in range(3):
        sign(make_user(), event)
    login(organiser)
    moved = _edit_form(event, start=ahead(7, 10)[:16], end=ahead(7, 13)[:16])
    first = client.post(f"/events/{event.id}/edit", data=moved)
    text = first.get_data(as_text=True)
    assert first.status_code == 200 and "将向 3 位报名者发送邮件" in text
    assert "报名将于" in text and "早于新的开始时间" in text and 'name="confirmed"' in text
    db.session.expire_all()
    assert db.session.get(Event, event.id).starts_at.hour == 1  # 09:00 in Shanghai, nothing saved yet
    assert db.session.scalar(db.select(db.func.count(Notification.id)).where(Notification.kind == "event_changed")) == 0
    saved = client.post(f"/events/{event.id}/edit", data=moved | {"confirmed": "1"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).starts_at.hour == 2
    assert db.session.scalar(db.select(db.func.count(Notification.id)).where(Notification.kind == "event_changed")) == 3


def test_a_change_with_nothing_to_tell_saves_at_once(client, login, make_user):
    organiser = make_user(role="organiser", district="liwan")
    event = published(organiser)
    login(organiser)
    assert client.post(f"/events/{event.id}/edit", data=_edit_form(event, capacity="30")).status_code == 302


def test_warnings_name_itinerary_stops_outside_the_new_sessions(make_user):
    organiser = make_user(role="organiser", district="liwan")
    itinerary = [{"time": "09:00", "place": "集合", "day": 1}, {"time": "11:00", "place": "陈家祠", "day": 1}]
    event = published(organiser, kind="study_tour", theme="industry", itinerary=itinerary)
    warnings = services.change_warnings(organiser, event.id, {"start": ahead(7, 10), "end": ahead(7, 12)})
    assert any("集合" in w and "陈家祠" not in w for w in warnings)
    db.session.expire_all()
    assert db.session.get(Event, event.id).sequence == 0  # the trial left nothing behind


def test_the_change_notice_says_old_and_new(make_user):
    organiser = make_user(role="organiser", district="liwan")
    event = published(organiser, title="徒步", start=ahead(7, 9), end=ahead(7, 12))
    talent = make_user(locale="en")
    sign(talent, event)
    services.update_event(
        organiser,
        event.id,
        {"title": "白云山徒步", "start": ahead(7, 10), "end": ahead(7, 13), "venue": {"address": "南门"}},
    )
    db.session.commit()
    notice = db.session.scalar(db.select(Notification).where(Notification.kind == "event_changed"))
    body = notice.body_text
    assert f"Time: {ahead(7, 9)[:10]} 09:00–12:00 → {ahead(7, 10)[:10]} 10:00–13:00" in body
    assert "Venue: 白云山南门 → 南门" in body and "Title: 徒步 → 白云山徒步" in body
    assert notice.event_id == event.id


def test_every_registrant_gets_the_changed_and_the_cancelled_event_as_a_calendar_file(make_user):
    organiser = make_user(role="organiser", district="liwan")
    event = published(organiser, title="徒步", start=ahead(7, 9), end=ahead(7, 12))
    first, second = make_user(locale="en"), make_user(locale="zh")
    sign(first, event)
    sign(second, event)

    def files(kind: str) -> list[str]:
        db.session.expire_all()
        return list(db.session.scalars(db.select(Notification.ics).where(Notification.kind == kind)))

    services.update_event(organiser, event.id, {"title": "白云山徒步", "start": ahead(7, 10), "end": ahead(7, 13)})
    db.session.commit()
    changed = files("event_changed")
    # One file, whatever the registrant's language: the event as it now stands.
    assert len(changed) == 2 and changed[0] == changed[1]
    assert "SUMMARY:白云山徒步" in changed[0] and "STATUS:CONFIRMED" in changed[0]

    services.cancel_event(organiser, event.id, reason="暴雨")
    db.session.commit()
    cancelled = files("event_cancelled")
    assert len(cancelled) == 2 and cancelled[0] == cancelled[1] and "STATUS:CANCELLED" in cancelled[0]
