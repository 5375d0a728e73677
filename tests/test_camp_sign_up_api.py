"""API: a camp sign-up takes the emergency contact as one text (older clients) or as name and phone,
and names the child outside the camp's ages."""

from datetime import date

import pytest
from events_factories import ahead, published


@pytest.fixture
def camp(make_user):
    return published(
        make_user(role="organiser", district="liwan"), kind="youth_camp", min_age=10, max_age=15, capacity=5
    )


def born(years: int) -> str:
    first_day = date.fromisoformat(ahead(7)[:10])
    return first_day.replace(year=first_day.year - years).isoformat()


def test_the_contact_as_one_text_still_works(api_as, make_user, camp):
    child = {"name": "小明", "birth_date": born(12), "guardian_relation": "父亲", "emergency_contact": "王芳 138"}
    made = api_as(make_user()).post(
        f"/api/v1/events/{camp.id}/registrations", json={"consent": True, "participant": child}
    )
    assert made.status_code == 201
    shown = made.get_json()["participants"][0]
    assert (shown["guardian_relation"], shown["emergency_contact"], shown["emergency_contact_phone"]) == (
        "父亲",
        "王芳 138",
        None,
    )


def test_the_contact_as_name_and_phone_is_checked(api_as, make_user, camp):
    talent = api_as(make_user())
    child = {
        "name": "小明",
        "birth_date": born(12),
        "guardian_relation": "mother",
        "emergency_contact_name": "王芳",
        "emergency_contact_phone": "2345",
    }
    path = f"/api/v1/events/{camp.id}/registrations"
    refused = talent.post(path, json={"consent": True, "participants": [child]})
    assert refused.status_code == 422
    assert "participants.0.emergency_contact_phone" in refused.get_json()["error"]["fields"]
    made = talent.post(
        path, json={"consent": True, "participants": [{**child, "emergency_contact_phone": "139 0000 1111"}]}
    )
    assert made.status_code == 201
    shown = made.get_json()["participants"][0]
    assert (shown["emergency_contact_name"], shown["emergency_contact_phone"], shown["emergency_contact"]) == (
        "王芳",
        "13900001111",
        "王芳 13900001111",
    )


def test_a_child_outside_the_ages_is_named(api_as, make_user, camp):
    children = [
        {"name": name, "birth_date": birth, "guardian_relation": "father", "emergency_contact": "王芳 13800138000"}
        for name, birth in (("李小红", born(11)), ("王小明", born(16)))
    ]
    refused = api_as(make_user()).post(
        f"/api/v1/events/{camp.id}/registrations", json={"consent": True, "participants": children}
    )
    error = refused.get_json()["error"]
    assert refused.status_code == 422 and error["code"] == "age_out_of_range"
    expected = f"孩子 2：王小明 出生于 {born(16)}，年满 16 岁，超出 10–15 岁"
    assert error["fields"] == {"participants.1.birth_date": expected} and error["message"] == expected
