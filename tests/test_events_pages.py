"""Event pages: list, page, sign-up forms for self and children, my sign-ups, organisers' editing."""

from datetime import date, timedelta

from events_factories import ahead, event_body, published, sign

from app.events import services
from app.extensions import db
from app.models import Event, Registration
from app.timezones import now_utc


def test_list_filters_and_event_page(client, make_user):
    organiser = make_user(role="organiser", district="liwan")
    hike = published(organiser, title="徒步")
    tour = published(
        make_user(role="organiser", district="nanhai"),
        title="红色研学",
        kind="study_tour",
        theme="red_culture",
        host="nanhai",
        itinerary=[{"time": "09:00", "place": "三元里"}],
    )
    page = client.get("/events?district=liwan").get_data(as_text=True)
    assert "徒步" in page and "红色研学" not in page
    assert "红色研学" in client.get("/events?theme=red_culture").get_data(as_text=True)
    shown = client.get(f"/events/{tour.id}").get_data(as_text=True)
    assert "三元里" in shown and "20" in shown
    assert client.get(f"/events/{hike.id}").status_code == 200


def test_draft_page_is_404_for_talents(client, login, make_user):
    organiser = make_user(role="organiser", district="liwan")
    draft = services.create_event(organiser, event_body())
    db.session.commit()
    login(make_user())
    assert client.get(f"/events/{draft.id}").status_code == 404


def test_sign_up_and_cancel_through_pages(client, login, make_user):
    event = published(make_user(role="organiser", district="liwan"), capacity=5)
    talent = make_user()
    login(talent)
    refused = client.post(f"/events/{event.id}/register", data={}, follow_redirects=True)
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0
    assert "privacy" in refused.get_data(as_text=True).lower() or "隐私" in refused.get_data(as_text=True)
    assert client.post(f"/events/{event.id}/register", data={"consent": "y"}).status_code == 302
    registration = db.session.scalar(db.select(Registration))
    assert registration.status == "confirmed"
    assert "徒步" in client.get("/me/registrations").get_data(as_text=True)
    client.post(f"/registrations/{registration.id}/cancel")
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "cancelled"


def test_guardian_signs_up_two_children_on_the_page(client, login, make_user):
    event = published(
        make_user(role="organiser", district="liwan"), kind="youth_camp", min_age=8, max_age=14, capacity=10
    )
    first_day = date.fromisoformat(ahead(7)[:10])
    born = first_day.replace(year=first_day.year - 10).isoformat()
    login(make_user())
    data = {"consent": "y"}
    for index, name in enumerate(("小明", "小红")):
        data.update(
            {
                f"children-{index}-name": name,
                f"children-{index}-birth_date": born,
                f"children-{index}-guardian_relation": "father",
                f"children-{index}-emergency_contact_name": "王芳",
                f"children-{index}-emergency_contact_phone": "13800138000",
            }
        )
    assert client.post(f"/events/{event.id}/register", data=data).status_code == 302
    registration = db.session.scalar(db.select(Registration))
    assert registration.places == 2 and sorted(p.name for p in registration.participants) == ["小明", "小红"]
    assert {(p.guardian_relation, p.emergency_contact_phone) for p in registration.participants} == {
        ("father", "13800138000")
    }


def test_organiser_creates_publishes_and_sees_roster(client, login, make_user):
    organiser = make_user(role="organiser", district="nanhai")
    login(organiser)
    assert client.get("/events/new").status_code == 200
    response = client.post(
        "/events/new",
        data={
            "title": "羽毛球友谊赛",
            "kind": "exchange",
            "subtype": "badminton",
            "host": "nanhai",
            "start": ahead(6, 14)[:16],
            "end": ahead(6, 17)[:16],
            "room_id": "0",
            "address": "南海区体育馆",
            "capacity": "16",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    event = db.session.scalar(db.select(Event))
    assert event.status == "draft" and event.address == "南海区体育馆"
    client.post(f"/events/{event.id}/publish")
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == "published"
    assert client.get(f"/events/{event.id}/roster").status_code == 200
    login(make_user(role="organiser", district="liwan"))
    assert client.get(f"/events/{event.id}/roster").status_code == 403
    assert client.get(f"/events/{event.id}/edit").status_code == 403


def test_fields_of_another_kind_are_not_checked_nor_saved(client, login, make_user):
    """A camp's ages typed wrong, then the kind changed to an exchange: the hidden ages are neither
    reported nor saved; for a camp the same ages are refused beside their field."""
    login(make_user(role="organiser", district="liwan"))
    day = ahead(8)[:10]
    data = {
        "title": "交流会",
        "host": "liwan",
        "start": f"{day}T09:00",
        "end": f"{day}T12:00",
        "room_id": "0",
        "address": "园区",
        "capacity": "20",
        "min_age": "abc",
        "max_age": "99",
        "subtype": "salon",
    }
    camp = client.post("/events/new", data={**data, "kind": "youth_camp"})
    html = camp.get_data(as_text=True)
    assert camp.status_code == 422 and db.session.scalar(db.select(db.func.count(Event.id))) == 0
    assert 'id="min_age-error"' in html and 'id="max_age-error"' in html
    exchange = client.post("/events/new", data={**data, "kind": "exchange"})
    assert exchange.status_code == 302, exchange.get_data(as_text=True)[:3000]
    event = db.session.scalar(db.select(Event))
    assert (event.kind, event.subtype, event.min_age, event.max_age) == ("exchange", "salon", None, None)


def test_multi_day_sessions_from_the_form(client, login, make_user):
    login(make_user(role="organiser", district="liwan"))
    day1, day2 = ahead(8)[:10], ahead(9)[:10]
    response = client.post(
        "/events/new",
        data={
            "title": "研学营",
            "kind": "youth_camp",
            "host": "liwan",
            "start": f"{day1}T09:00",
            "end": f"{day2}T16:00",
            "sessions": f"{day1} 09:00-16:00 第一天\n{day2} 09:00-16:00 第二天",
            "room_id": "0",
            "address": "园区",
            "capacity": "20",
            "min_age": "8",
            "max_age": "14",
        },
    )
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event))
    assert [s.title for s in event.sessions] == ["第一天", "第二天"]
    bad = client.post(
        "/events/new",
        data={
            "title": "x",
            "kind": "exchange",
            "host": "liwan",
            "start": f"{day1}T09:00",
            "end": f"{day1}T10:00",
            "sessions": "tomorrow morning",
            "room_id": "0",
            "address": "a",
            "capacity": "5",
        },
    )
    assert bad.status_code == 422 and db.session.scalar(db.select(db.func.count(Event.id))) == 1


def test_my_sign_ups_offer_cancel_only_until_the_event_is_over(client, login, make_user):
    event = published(make_user(role="organiser", district="liwan"), capacity=5)
    talent = make_user()
    registration = sign(talent, event)
    login(talent)
    assert f"/registrations/{registration.id}/cancel" in client.get("/me/registrations").get_data(as_text=True)
    event.starts_at, event.ends_at = now_utc() - timedelta(hours=3), now_utc() - timedelta(hours=1)
    db.session.commit()
    assert f"/registrations/{registration.id}/cancel" not in client.get("/me/registrations").get_data(as_text=True)
    refused = client.post(f"/registrations/{registration.id}/cancel", follow_redirects=True)
    assert "This event is over." in refused.get_data(as_text=True) or "本活动已结束。" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "confirmed"
