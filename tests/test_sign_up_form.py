"""The sign-up form: a refusal shows the form again with every value typed, each problem beside its
field (aria-invalid, named in a summary linking to it), and a child outside the ages named."""

from datetime import date

import pytest
from events_factories import ahead, published

from app.events import questions
from app.extensions import db
from app.models import Participant, Registration


@pytest.fixture
def camp(make_user):
    return published(
        make_user(role="organiser", district="liwan"), kind="youth_camp", min_age=10, max_age=15, capacity=10
    )


def born(years: int) -> str:
    first_day = date.fromisoformat(ahead(7)[:10])
    return first_day.replace(year=first_day.year - years).isoformat()


def child(index: int, name: str, birth: str, phone: str = "13800138000", contact: str = "王芳") -> dict:
    return {
        f"children-{index}-name": name,
        f"children-{index}-birth_date": birth,
        f"children-{index}-guardian_relation": "mother",
        f"children-{index}-emergency_contact_name": contact,
        f"children-{index}-emergency_contact_phone": phone,
        f"children-{index}-health_notes": "花粉过敏",
    }


def count() -> int:
    return db.session.scalar(db.select(db.func.count(Registration.id)))


def test_a_missing_contact_keeps_every_value_and_marks_the_field(client, login, make_user, camp):
    login(make_user())
    data = {"consent": "y", **child(0, "王小明", born(12), phone="", contact="")}
    page = client.post(f"/events/{camp.id}/register", data=data)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and count() == 0
    for value in ("王小明", born(12), "花粉过敏"):
        assert value in html
    assert '<option selected value="mother">' in html
    assert 'id="children-0-emergency_contact_phone"' in html and 'href="#children-0-emergency_contact_phone"' in html
    assert 'aria-describedby="children-0-emergency_contact_phone-hint children-0-emergency_contact_phone-error"' in html
    assert html.count('aria-invalid="true"') == 2  # the contact's name and phone
    assert "请填写紧急联系人的电话" in html and "孩子 1 · 紧急联系人电话" in html


def test_a_phone_that_is_not_a_mainland_number_is_refused(client, login, make_user, camp):
    login(make_user())
    page = client.post(f"/events/{camp.id}/register", data={"consent": "y", **child(0, "王小明", born(12), "12345")})
    assert page.status_code == 422 and "020-81234567" in page.get_data(as_text=True) and count() == 0
    landline = client.post(
        f"/events/{camp.id}/register", data={"consent": "y", **child(0, "王小明", born(12), "020-81234567")}
    )
    assert (
        landline.status_code == 302
        and db.session.scalar(db.select(Participant.emergency_contact_phone)) == "020-81234567"
    )


def test_a_child_too_old_is_named_with_birth_date_and_age(client, login, make_user, camp):
    login(make_user())
    old = born(16)
    data = {"consent": "y", **child(0, "李小红", born(11)), **child(1, "王小明", old)}
    page = client.post(f"/events/{camp.id}/register", data=data)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and count() == 0
    assert f"孩子 2：王小明 出生于 {old}，年满 16 岁，超出 10–15 岁" in html
    # The summary names the child once: the rule's own words, without the field's "孩子 2 · 出生日期".
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert f'<a href="#children-1-birth_date">孩子 2：王小明 出生于 {old}，年满 16 岁，超出 10–15 岁</a>' in summary
    assert summary.count("孩子 2") == 1
    assert "李小红" in html and 'id="child-2"' in html and 'id="child-2" data-child hidden' not in html
    client.set_cookie("lang", "en")
    english = client.post(f"/events/{camp.id}/register", data=data)
    english_summary = english.get_data(as_text=True).split('class="error-summary"')[1].split("</div>")[0]
    assert f">Child 2: 王小明, born {old}, is 16, outside 10–15</a>" in english_summary
    assert english_summary.count("Child 2") == 1


def test_without_consent_the_children_stay(client, login, make_user, camp):
    login(make_user())
    page = client.post(f"/events/{camp.id}/register", data=child(0, "王小明", born(12)))
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "王小明" in html and 'id="consent"' in html
    assert '<input aria-describedby="consent-error" aria-invalid="true" id="consent"' in html
    assert 'href="#consent"' in html


def test_an_expired_page_keeps_what_was_typed_and_changes_nothing(app, client, login, make_user, camp):
    login(make_user())
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.post(
            f"/events/{camp.id}/register", data={"consent": "y", "csrf_token": "stale", **child(0, "王小明", born(12))}
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and count() == 0
    assert "页面已过期" in html and "王小明" in html and "13800138000" in html


def test_one_child_block_then_add_another_without_script(client, login, make_user, camp):
    login(make_user())
    html = client.get(f"/events/{camp.id}").get_data(as_text=True)
    assert 'id="child-1" data-child>' in html and 'id="child-2" data-child hidden' in html
    more = client.post(f"/events/{camp.id}/register", data={"add_child": "1", **child(0, "王小明", born(12))})
    html = more.get_data(as_text=True)
    assert more.status_code == 200 and count() == 0 and "王小明" in html
    assert 'id="child-2" data-child>' in html and 'id="child-3" data-child hidden' in html
    assert "problems" not in html.split('id="sign-up"')[1].split("<form")[0]


def test_a_full_event_or_closed_sign_up_is_told_in_the_summary(client, login, make_user, camp):
    talent = make_user()
    login(talent)
    data = {"consent": "y", **child(0, "王小明", born(12))}
    assert client.post(f"/events/{camp.id}/register", data=data).status_code == 302
    again = client.post(f"/events/{camp.id}/register", data=data)
    html = again.get_data(as_text=True)
    assert again.status_code == 409 and 'class="error-summary"' in html and "王小明" in html


def test_questions_are_fields_of_the_form_and_their_answers_kept(client, login, make_user):
    organiser = make_user(role="organiser", district="liwan")
    event = published(organiser)
    questions.replace_questions(
        organiser,
        event,
        [
            {"label": "单位名称", "kind": "text", "required": True},
            {"label": "饮食", "kind": "choice", "options": ["普通", "清真"], "required": True},
            {"label": "主题", "kind": "multi", "options": ["人工智能", "新材料"]},
            {"label": "停车", "kind": "yes_no"},
        ],
    )
    db.session.commit()
    text, choice, multi, yes_no = (q.id for q in questions.questions_of(event))
    login(make_user())
    data = {f"q_{choice}": "清真", f"q_{multi}": ["新材料"], f"q_{yes_no}": "no", "consent": "y"}
    page = client.post(f"/events/{event.id}/register", data=data)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and f'href="#q_{text}"' in html and "此问题必须回答" in html
    assert f'checked id="q_{choice}-1" name="q_{choice}" type="radio" value="清真"' in html
    assert f'checked id="q_{multi}-1"' in html and f'checked id="q_{yes_no}-1"' in html
    assert client.post(f"/events/{event.id}/register", data={**data, f"q_{text}": "岭南V谷"}).status_code == 302
    registration = db.session.scalar(db.select(Registration))
    answers = questions_and_answers(registration)
    assert answers == {text: "岭南V谷", choice: "清真", multi: ["新材料"], yes_no: False}


def questions_and_answers(registration) -> dict:
    from app.events.answers import answers_of

    return {int(k): v for k, v in answers_of(registration).items()}
