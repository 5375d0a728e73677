"""More sign-up rules: who may sign up, default window, quota edges, strict first come first served, codes."""

import re
from datetime import date, timedelta

import pytest
from events_factories import ahead, event_body, published, sign

from app.errors.domain import Conflict, NotFound, NotPermitted, RuleViolation
from app.events import places, services
from app.events import registrations as regs
from app.events.codes import ALPHABET, new_code, normalise_code
from app.extensions import db
from app.models import Notification, Participant, Registration


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", district="liwan")


def child(name: str, years: int = 10, **fields) -> dict:
    first_day = date.fromisoformat(ahead(7)[:10])
    born = first_day - timedelta(days=int(365.25 * years) + 30)
    return {
        "name": name,
        "birth_date": born.isoformat(),
        "guardian_relation": "母亲",
        "emergency_contact": "139",
        **fields,
    }


def camp(organiser, capacity: int = 10, **fields):
    return published(organiser, kind="youth_camp", min_age=6, max_age=15, capacity=capacity, **fields)


def count_rows() -> int:
    return db.session.scalar(db.select(db.func.count(Registration.id)))


def test_unverified_talents_cannot_sign_up(make_user, organiser):
    event = published(organiser)
    with pytest.raises(NotPermitted) as caught:
        regs.register(make_user(verified=False), event.id, {"consent": True})
    assert caught.value.code == "not_verified" and count_rows() == 0


@pytest.mark.parametrize("consent", [None, False, "yes", 1])
def test_consent_must_be_true(make_user, organiser, consent):
    event = published(organiser)
    data = {} if consent is None else {"consent": consent}
    with pytest.raises(RuleViolation) as caught:
        regs.register(make_user(), event.id, data)
    assert caught.value.code == "consent_required" and "consent" in caught.value.fields
    assert count_rows() == 0


def test_window_defaults_to_publication_until_the_start(make_user, organiser):
    event = published(organiser)
    assert event.registration_opens_at == event.published_at
    assert event.registration_closes_at == event.starts_at
    with pytest.raises(RuleViolation) as caught:
        regs.register(make_user(), event.id, {"consent": True}, now=event.published_at - timedelta(seconds=1))
    assert caught.value.code == "registration_closed"
    late = event.starts_at - timedelta(microseconds=1)
    assert regs.register(make_user(), event.id, {"consent": True}, now=late).status == "confirmed"


def test_drafts_are_not_found_for_talents(make_user, organiser):
    draft = services.create_event(organiser, event_body())
    db.session.commit()
    with pytest.raises(NotFound):
        regs.register(make_user(), draft.id, {"consent": True})


def test_once_per_person_but_again_after_cancelling(make_user, organiser):
    event = published(organiser)
    talent = make_user()
    first = sign(talent, event)
    with pytest.raises(Conflict) as caught:
        regs.register(talent, event.id, {"consent": True})
    assert caught.value.code == "already_registered"
    db.session.rollback()
    regs.cancel_registration(first, talent)
    db.session.commit()
    assert sign(talent, event).status == "confirmed"
    assert count_rows() == 2


@pytest.mark.parametrize(
    "quota, liwan_signups, expected",
    [
        (0, 1, ["waitlisted"]),
        (1, 2, ["confirmed", "waitlisted"]),
        (2, 2, ["confirmed", "confirmed"]),
        (2, 3, ["confirmed", "confirmed", "waitlisted"]),
        (None, 3, ["confirmed", "confirmed", "confirmed"]),
    ],
)
def test_quota_edges(make_user, organiser, quota, liwan_signups, expected):
    event = published(organiser, host="joint", capacity=4, quota={"liwan": quota, "nanhai": 1})
    statuses = [sign(make_user(district="liwan"), event).status for _ in range(liwan_signups)]
    assert statuses == expected
    assert sign(make_user(district="nanhai"), event).status == "confirmed"
    assert sign(make_user(district="nanhai"), event).status == "waitlisted"


def test_capacity_binds_even_when_a_quota_has_room(make_user, organiser):
    event = published(organiser, host="joint", capacity=3, quota={"liwan": 2, "nanhai": None})
    assert [sign(make_user(district="liwan"), event).status for _ in range(2)] == ["confirmed"] * 2
    assert sign(make_user(district="nanhai"), event).status == "confirmed"
    late = sign(make_user(district="nanhai"), event)
    assert late.status == "waitlisted" and places.confirmed_places(event.id) == 3


def test_credential_district_counts_not_the_home_district(make_user, organiser):
    event = published(organiser, host="joint", capacity=4, quota={"liwan": 1, "nanhai": 3})
    sign(make_user(district="liwan"), event)
    # Lives in Nanhai's records but holds a Liwan Yingcai card: counts against Liwan.
    holder = make_user(district="nanhai", credential_issuer="liwan_yingcai", credential_number="X1")
    entry = sign(holder, event)
    assert entry.district == "liwan" and entry.status == "waitlisted"


def test_a_district_waiting_does_not_hold_up_the_other(make_user, organiser):
    event = published(organiser, host="joint", capacity=4, quota={"liwan": 1, "nanhai": 3})
    sign(make_user(district="liwan"), event)
    assert sign(make_user(district="liwan"), event).status == "waitlisted"
    assert sign(make_user(district="nanhai"), event).status == "confirmed"


def test_a_family_over_its_district_quota_waits_whole(make_user, organiser):
    event = camp(organiser, host="joint", capacity=6, quota={"liwan": 2, "nanhai": 4})
    sign(make_user(district="liwan"), event, participant=child("甲"))
    family = sign(make_user(district="liwan"), event, participants=[child("乙"), child("丙")])
    assert family.status == "waitlisted" and family.places == 2
    assert places.confirmed_places(event.id, "liwan") == 1


def test_guardian_signs_up_two_siblings_in_one_entry(make_user, organiser):
    event = camp(organiser, capacity=3)
    guardian = make_user()
    family = sign(guardian, event, participants=[child("小明", 9), child("小红", 12, health_notes="花生过敏")])
    assert (family.status, family.places, family.for_children) == ("confirmed", 2, True)
    assert [(p.name, p.health_notes) for p in family.participants] == [("小明", None), ("小红", "花生过敏")]
    assert places.confirmed_places(event.id) == 2
    # A third child later is a new entry of the same guardian; the same child again is refused.
    assert sign(guardian, event, participant=child("小刚", 7)).status == "confirmed"
    with pytest.raises(Conflict) as caught:
        regs.register(make_user(), event.id, {"consent": True, "participant": child("小红", 12)})
    assert caught.value.code == "already_registered"


def test_the_same_child_twice_in_one_family_is_refused(make_user, organiser):
    event = camp(organiser)
    with pytest.raises(Conflict):
        regs.register(make_user(), event.id, {"consent": True, "participants": [child("甲"), child("甲")]})
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0


def test_age_error_names_the_child_and_stores_nothing(make_user, organiser):
    event = camp(organiser)
    with pytest.raises(RuleViolation) as caught:
        regs.register(make_user(), event.id, {"consent": True, "participants": [child("甲"), child("乙", 3)]})
    assert caught.value.code == "age_out_of_range"
    assert (
        list(caught.value.fields) == ["participants.1.birth_date"]
        and "乙" in caught.value.fields["participants.1.birth_date"]
    )
    db.session.rollback()
    assert count_rows() == 0


@pytest.mark.parametrize("missing", ["name", "birth_date", "guardian_relation", "emergency_contact"])
def test_each_child_needs_the_four_fields(make_user, organiser, missing):
    event = camp(organiser)
    data = child("甲")
    del data[missing]
    with pytest.raises(RuleViolation) as caught:
        regs.register(make_user(), event.id, {"consent": True, "participant": data})
    assert caught.value.code == "invalid" and f"participant.{missing}" in caught.value.fields


def test_strict_order_a_family_that_does_not_fit_is_not_passed(make_user, organiser):
    event = camp(organiser, capacity=3)
    a, b, _c = (sign(make_user(), event, participant=child(n)) for n in ("甲", "乙", "丙"))
    family = sign(make_user(), event, participants=[child("丁"), child("戊")])
    single = sign(make_user(), event, participant=child("己"))
    regs.cancel_registration(a, a.user)
    db.session.commit()
    assert (family.status, single.status) == ("waitlisted", "waitlisted")
    newcomer = sign(make_user(), event, participant=child("庚"))
    assert newcomer.status == "waitlisted"  # a free place does not let a newcomer pass the family
    assert [places.waitlist_position(r) for r in (family, single, newcomer)] == [1, 2, 3]
    regs.cancel_registration(b, b.user)
    db.session.commit()
    assert (family.status, single.status, newcomer.status) == ("confirmed", "waitlisted", "waitlisted")
    assert places.waitlist_position(single) == 1


def test_several_freed_places_promote_several_in_order(make_user, organiser):
    event = published(organiser, capacity=2)
    holders = [sign(make_user(), event) for _ in range(2)]
    waiting = [sign(make_user(), event) for _ in range(3)]
    services.update_event(organiser, event.id, {"capacity": 4})
    db.session.commit()
    assert [r.status for r in waiting] == ["confirmed", "confirmed", "waitlisted"]
    regs.cancel_registration(holders[0], organiser)
    db.session.commit()
    assert waiting[2].status == "confirmed"
    promoted = db.session.scalars(db.select(Notification.user_id).where(Notification.kind == "registration_promoted"))
    assert sorted(promoted) == sorted(r.user_id for r in waiting)


def test_cancelling_a_waiting_entry_moves_the_others_up_and_promotes_nobody(make_user, organiser):
    event = published(organiser, capacity=1)
    sign(make_user(), event)
    first, second = sign(make_user(), event), sign(make_user(), event)
    regs.cancel_registration(first, first.user)
    db.session.commit()
    assert second.status == "waitlisted" and places.waitlist_position(second) == 1
    with pytest.raises(Conflict) as caught:
        regs.cancel_registration(first, first.user)
    assert caught.value.code == "already_cancelled"


def test_promote_by_hand_passes_a_family_that_does_not_fit(make_user, organiser):
    event = camp(organiser, capacity=2)
    first = sign(make_user(), event, participant=child("甲"))
    sign(make_user(), event, participant=child("乙"))
    family = sign(make_user(), event, participants=[child("丙"), child("丁")])
    single = sign(make_user(), event, participant=child("戊"))
    regs.cancel_registration(first, first.user)
    db.session.commit()
    assert single.status == "waitlisted"
    assert regs.promote_by_hand(organiser, single.id).status == "confirmed"
    assert family.status == "waitlisted"
    with pytest.raises(Conflict) as caught:
        regs.promote_by_hand(organiser, single.id)
    assert caught.value.code == "not_waitlisted"
    with pytest.raises(NotFound):
        regs.promote_by_hand(make_user(role="organiser", district="nanhai"), family.id)


def test_cancelling_the_event_tells_registrants_and_frees_nobody_into_it(make_user, organiser):
    event = published(organiser, capacity=1)
    holder, waiting = sign(make_user(), event), sign(make_user(), event)
    services.cancel_event(organiser, event.id, reason="台风")
    db.session.commit()
    told = set(db.session.scalars(db.select(Notification.user_id).where(Notification.kind == "event_cancelled")))
    assert told == {holder.user_id, waiting.user_id}
    regs.cancel_registration(holder, holder.user)
    db.session.commit()
    assert waiting.status == "waitlisted"


def test_codes_are_short_typeable_unique_and_normalised(make_user, organiser):
    event = published(organiser)
    codes = [sign(make_user(), event).check_in_code for _ in range(5)]
    assert len(set(codes)) == 5
    assert all(re.fullmatch(f"[{ALPHABET}]{{8}}", code) for code in codes + [new_code() for _ in range(200)])
    assert not set("01OIL") & set(ALPHABET)
    assert normalise_code(" abcd-efgh ") == "ABCDEFGH" and normalise_code("ab cd\tef-gh") == "ABCDEFGH"
    assert normalise_code(None) == ""
