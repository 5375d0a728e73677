"""The predicates on Event and Registration that services, pages and the API read, and the one
listing of public events."""

from datetime import timedelta

import pytest
from events_factories import ahead, event_body, published, sign
from flask_login import AnonymousUserMixin

from app.errors.domain import Conflict, NotFound, RuleViolation
from app.events import queries, services
from app.events import registrations as regs
from app.extensions import db
from app.models import Event, Registration
from app.timezones import now_utc


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", district="liwan")


@pytest.fixture
def event(organiser):
    return published(organiser, capacity=1)


def test_a_sign_up_is_visible_to_its_owner_and_the_events_organisers_only(event, organiser, make_user):
    owner, other = make_user(), make_user()
    registration = sign(owner, event)
    outsider = make_user(role="organiser", district="nanhai")
    seen = {
        "owner": registration.visible_to(owner),
        "organiser": registration.visible_to(organiser),
        "other talent": registration.visible_to(other),
        "other district's organiser": registration.visible_to(outsider),
        "anonymous": registration.visible_to(AnonymousUserMixin()),
        "nobody": registration.visible_to(None),
    }
    assert seen == {
        "owner": True,
        "organiser": True,
        "other talent": False,
        "other district's organiser": False,
        "anonymous": False,
        "nobody": False,
    }
    with pytest.raises(NotFound):
        regs.visible_registration(other, registration.id)


def test_the_owner_cancels_until_the_event_ends_organisers_at_any_time(event, organiser, make_user):
    owner = make_user()
    registration = sign(owner, event)
    after = event.ends_at + timedelta(minutes=1)
    assert registration.can_cancel(owner, event.ends_at - timedelta(minutes=1))
    assert not registration.can_cancel(owner, after)
    assert registration.can_cancel(organiser, after)
    with pytest.raises(RuleViolation) as refused:
        regs.cancel_registration(registration, owner, now=after)
    assert refused.value.code == "event_over"
    regs.cancel_registration(registration, organiser, now=after)
    assert not registration.is_active and not registration.can_cancel(organiser, after)
    with pytest.raises(Conflict):
        regs.cancel_registration(registration, organiser, now=after)


def test_only_a_waiting_entry_can_be_moved_up_by_an_organiser(event, organiser, make_user):
    first, second = sign(make_user(), event), sign(make_user(), event)
    assert first.has_place and not first.is_waiting and second.is_waiting
    assert not first.can_promote(organiser)
    assert second.can_promote(organiser) and not second.can_promote(second.user)


def test_what_organisers_may_do_with_an_event_follows_its_status(organiser, make_user):
    draft = services.create_event(organiser, event_body())
    assert draft.can_publish(organiser) and draft.can_edit(organiser) and draft.can_cancel(organiser)
    assert not draft.can_publish(make_user(role="organiser", district="nanhai"))
    services.publish_event(organiser, draft.id)
    assert not draft.can_publish(organiser) and draft.can_cancel(organiser) and draft.takes_attendance
    assert draft.display_status(draft.ends_at) == "completed" and draft.display_status(draft.starts_at) == "published"
    services.cancel_event(organiser, draft.id)
    assert draft.is_cancelled and not draft.can_edit(organiser) and not draft.can_cancel(organiser)
    assert not draft.takes_attendance
    assert db.session.scalar(db.select(db.func.count(Event.id)).where(Event.takes_attendance)) == 0


def test_the_public_listing_filters_and_keeps_drafts_out(organiser, make_user):
    liwan = published(organiser, title="荔湾交流", start=ahead(3, 9), end=ahead(3, 11))
    joint = published(organiser, title="联合研学", host="joint", kind="study_tour", theme="industry")
    services.create_event(organiser, event_body(title="草稿"))
    gone = published(organiser, title="已取消")
    services.cancel_event(organiser, gone.id)
    db.session.commit()
    titles = lambda **filters: [e.title for e in queries.public_events(**filters)]  # noqa: E731
    assert titles() == ["荔湾交流", "联合研学"]
    assert titles(district="nanhai") == ["联合研学"] and titles(host="liwan") == ["荔湾交流"]
    assert titles(kind="study_tour", theme="industry") == ["联合研学"]
    assert titles(start=liwan.ends_at) == ["联合研学"] and titles(end=liwan.ends_at) == ["荔湾交流"]
    assert "已取消" in titles(statuses=("published", "cancelled"))
    assert "已取消" not in titles(statuses=("published", "cancelled"), cancelled_since=now_utc() + timedelta(seconds=1))
    assert joint.id in [e.id for e in queries.public_events(limit=5)] and len(queries.public_events(limit=1)) == 1


@pytest.mark.parametrize(
    ("opens_in_days", "closes_in_days", "open_now"),
    [(None, None, True), (2, None, False), (-1, 1, True), (-2, -1, False)],
)
def test_sign_up_opens_and_closes_on_the_page_as_in_the_service(
    client, login, organiser, make_user, opens_in_days, closes_in_days, open_now
):
    window = {}
    if opens_in_days is not None:
        window["registration_opens_at"] = ahead(opens_in_days, 0 if opens_in_days < 0 else 23)
    if closes_in_days is not None:
        window["registration_closes_at"] = ahead(closes_in_days, 0 if closes_in_days < 0 else 23)
    event = published(organiser, **window)
    assert event.sign_up_open() is open_now
    talent = make_user()
    login(talent)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert (f"/events/{event.id}/register" in page) is open_now
    client.post(f"/events/{event.id}/register", data={"consent": "y"})
    assert (db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 1) is open_now
