"""Demo events: every kind from the brief, published, in the coming weeks, loaded once however often seeded
(the demo's past is in test_demo_history.py)."""

from app.demo import seed_demo
from app.extensions import db
from app.models import Booking, Event
from app.models.event import THEMES
from app.timezones import now_utc


def test_demo_events_cover_the_brief_and_seed_once():
    seed_demo()
    db.session.commit()
    seed_demo()
    db.session.commit()
    events = db.session.scalars(db.select(Event).where(Event.ends_at > now_utc())).all()
    titles = [e.title for e in events]
    assert len(titles) == len(set(titles)) == 10
    assert all(e.status == "published" and e.starts_at > now_utc() for e in events)
    exchanges = {e.subtype for e in events if e.kind == "exchange"}
    assert exchanges == {"hiking", "badminton", "tech_exchange", "round_table"}
    assert sorted(e.theme for e in events if e.kind == "study_tour") == sorted(THEMES)
    assert all(len(e.itinerary) >= 2 for e in events if e.kind == "study_tour")
    camp = next(e for e in events if e.kind == "youth_camp")
    assert "同心逐梦·点亮未来" in camp.title and len(camp.sessions) == 3 and (camp.min_age, camp.max_age) == (8, 14)
    in_rooms = [e for e in events if e.room_id is not None]
    held = db.session.scalar(
        db.select(db.func.count(Booking.id)).where(Booking.event_session_id.is_not(None), Booking.starts_at > now_utc())
    )
    assert in_rooms and held == sum(len(e.sessions) for e in in_rooms)
