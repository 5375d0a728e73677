"""The message centre: each notice opens to its own page, only for its recipient, and is read from then on."""

from __future__ import annotations

from events_factories import ahead, published, sign

from app.events import services
from app.extensions import db
from app.models import Notification
from app.notifications import queries
from app.notifications.outbox import notify


def _message(user, subject="预约已确认", **links) -> Notification:
    row_id = notify(user, "booking_confirmed", subject, "您好，\n\n第一段\n\n第二段", **links)
    db.session.commit()
    return db.session.get(Notification, row_id)


def test_a_message_opens_to_its_full_text_and_is_read_from_then_on(client, login, make_user):
    me = make_user()
    first, second = _message(me, "第一条"), _message(me, "第二条")
    login(me)
    listing = client.get("/me/notifications").get_data(as_text=True)
    assert "2 条未读消息" in listing and listing.count("unread-tag") == 2
    opened = client.get(f"/me/notifications/{first.id}")
    assert opened.status_code == 200 and "<p>第一段</p>" in opened.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Notification, first.id).is_read and not db.session.get(Notification, second.id).is_read
    assert queries.unread_count(me) == 1
    read_at = db.session.get(Notification, first.id).read_at
    client.get(f"/me/notifications/{first.id}")
    db.session.expire_all()
    assert db.session.get(Notification, first.id).read_at == read_at  # first opening counts
    assert "1 条未读消息" in client.get("/me/notifications").get_data(as_text=True)


def test_only_the_recipient_opens_a_message(client, login, make_user):
    mine = _message(make_user(), "私人消息")
    login(make_user())
    assert client.get(f"/me/notifications/{mine.id}").status_code == 404
    assert client.get("/me/notifications/999999").status_code == 404
    db.session.expire_all()
    assert not db.session.get(Notification, mine.id).is_read
    client.post("/logout")
    anonymous = client.get(f"/me/notifications/{mine.id}")
    assert anonymous.status_code in (302, 404)


def test_a_change_notice_opens_with_old_and_new_and_a_link_to_the_event(client, login, make_user):
    organiser = make_user(role="organiser", district="liwan")
    event = published(organiser, start=ahead(7, 9), end=ahead(7, 12))
    talent = make_user()
    sign(talent, event)
    services.update_event(organiser, event.id, {"start": ahead(7, 10), "end": ahead(7, 13)})
    db.session.commit()
    notice = db.session.scalar(db.select(Notification).where(Notification.kind == "event_changed"))
    login(talent)
    page = client.get(f"/me/notifications/{notice.id}").get_data(as_text=True)
    assert f"时间：{ahead(7, 9)[:10]} 09:00–12:00 → {ahead(7, 10)[:10]} 10:00–13:00" in page
    assert f'href="/events/{event.id}"' in page
