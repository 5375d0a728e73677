"""Registration questions: organisers ask them (API and page), sign-ups answer them, the answers are
checked, shown, exported, and erased with the participant's personal data."""

from datetime import timedelta

import pytest
from events_factories import event_body, published, sign

from app.account.erase import erase_account
from app.errors.domain import RuleViolation, ValidationFailed
from app.events import questions
from app.events.answers import answer_columns, answers_of
from app.extensions import db
from app.models import Answer, Event, Question, Registration
from app.timezones import now_utc

QUESTIONS = [
    {"label_zh": "单位名称", "label_en": "Employer", "kind": "text", "required": True},
    {"label": "饮食", "kind": "choice", "options": ["普通", "清真", "素食"], "required": True},
    {"label": "感兴趣的主题", "kind": "multi", "options": ["人工智能", "新材料", "生物医药"]},
    {"label": "是否需要停车位", "kind": "yes_no"},
    {"label": "想对主办方说的话", "kind": "long_text"},
]


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", district="liwan")


@pytest.fixture
def event(api_as, organiser):
    body = api_as(organiser).post("/api/v1/events", json=event_body(questions=QUESTIONS))
    assert body.status_code == 201, body.get_json()
    assert api_as(organiser).post(f"/api/v1/events/{body.get_json()['id']}/publish").status_code == 200
    return db.session.get(Event, body.get_json()["id"])


def ids(event) -> list[str]:
    return [str(q.id) for q in questions.questions_of(event)]


def good_answers(event) -> dict:
    text, choice, multi, yes_no, long_text = ids(event)
    return {text: "岭南V谷", choice: "清真", multi: ["新材料", "人工智能"], yes_no: False, long_text: "谢谢\n再见"}


def test_questions_come_back_on_the_event_in_the_request_language(api, event):
    shown = api.get(f"/api/v1/events/{event.id}").get_json()["questions"]
    assert [q["kind"] for q in shown] == ["text", "choice", "multi", "yes_no", "long_text"]
    assert shown[0]["label"] == "单位名称" and shown[1]["options"] == ["普通", "清真", "素食"]
    assert shown[0]["required"] is True and shown[2]["required"] is False
    english = api.client.get(f"/api/v1/events/{event.id}", headers={"Accept-Language": "en"}).get_json()["questions"]
    assert english[0]["label"] == "Employer" and english[1]["label"] == "饮食"


def test_answers_are_kept_and_come_back_on_the_registration(api_as, event, make_user):
    talent = api_as(make_user())
    made = talent.post(
        f"/api/v1/events/{event.id}/registrations", json={"consent": True, "answers": good_answers(event)}
    )
    assert made.status_code == 201, made.get_json()
    text, choice, multi, yes_no, long_text = ids(event)
    answers = made.get_json()["answers"]
    # A multi answer is kept in the options' order.
    expected = {text: "岭南V谷", choice: "清真", multi: ["人工智能", "新材料"], yes_no: False, long_text: "谢谢\n再见"}
    assert answers == expected
    assert talent.get(f"/api/v1/registrations/{made.get_json()['id']}").get_json()["answers"] == answers


@pytest.mark.parametrize(
    "change, position, problem",
    [
        ("drop", 0, "needs an answer"),
        ("drop", 1, "needs an answer"),
        ("blank", 0, "needs an answer"),
        ("value", 1, "options"),
        ("value", 2, "options"),
        ("type", 3, "yes or no"),
        ("type", 2, "options"),
    ],
)
def test_a_missing_or_wrong_answer_is_422_naming_it(api_as, event, make_user, change, position, problem):
    answers = good_answers(event)
    key = ids(event)[position]
    if change == "drop":
        del answers[key]
    elif change == "blank":
        answers[key] = "  "
    elif change == "value":
        answers[key] = "海鲜" if position == 1 else ["人工智能", "海鲜"]
    else:
        answers[key] = "yes" if position == 3 else "人工智能"
    talent = api_as(make_user())
    refused = talent.client.post(
        f"/api/v1/events/{event.id}/registrations",
        json={"consent": True, "answers": answers},
        headers={**talent.headers, "Accept-Language": "en"},
    )
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "invalid" and problem in error["fields"][f"answers.{key}"]
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_an_unknown_question_is_refused(api_as, event, make_user):
    answers = {**good_answers(event), "999999": "x"}
    refused = api_as(make_user()).post(
        f"/api/v1/events/{event.id}/registrations", json={"consent": True, "answers": answers}
    )
    assert refused.status_code == 422 and "answers.999999" in refused.get_json()["error"]["fields"]


def test_only_its_organisers_change_the_questions(api_as, event, make_user, organiser):
    other = api_as(make_user(role="organiser", district="nanhai"))
    assert other.patch(f"/api/v1/events/{event.id}", json={"questions": []}).status_code == 403
    bad = api_as(organiser).patch(f"/api/v1/events/{event.id}", json={"questions": [{"label": "x", "kind": "essay"}]})
    assert bad.status_code == 422 and "questions.0.kind" in bad.get_json()["error"]["fields"]
    one_option = [{"label": "饮食", "kind": "choice", "options": ["普通"]}]
    bad = api_as(organiser).patch(f"/api/v1/events/{event.id}", json={"questions": one_option})
    assert bad.status_code == 422 and "questions.0.options" in bad.get_json()["error"]["fields"]
    assert len(ids(event)) == 5


def test_after_sign_ups_only_optional_questions_are_added(api_as, event, make_user, organiser):
    sign(make_user(), event, answers=good_answers(event))
    kept = api_as(organiser).get(f"/api/v1/events/{event.id}").get_json()["questions"]
    required = api_as(organiser).patch(
        f"/api/v1/events/{event.id}", json={"questions": [*kept, {"label": "职称", "kind": "text", "required": True}]}
    )
    assert required.status_code == 422
    error = required.get_json()["error"]
    assert error["code"] == "required_after_sign_up" and "questions.5.required" in error["fields"]
    made_required = [{**kept[2], "required": True}]
    assert api_as(organiser).patch(f"/api/v1/events/{event.id}", json={"questions": made_required}).status_code == 422
    optional = api_as(organiser).patch(
        f"/api/v1/events/{event.id}", json={"questions": [*kept, {"label": "职称", "kind": "text"}]}
    )
    assert optional.status_code == 200 and len(optional.get_json()["questions"]) == 6
    # The questions kept their ids, so the answers given stay theirs.
    assert [q["id"] for q in optional.get_json()["questions"][:5]] == [q["id"] for q in kept]
    assert db.session.scalar(db.select(db.func.count(Answer.id))) == 5


def test_the_page_refuses_a_required_question_after_sign_ups(client, login, event, make_user, organiser):
    sign(make_user(), event, answers=good_answers(event))
    login(organiser)
    page = client.post(f"/events/{event.id}/questions", data={"label_zh": "职称", "kind": "text", "required": "y"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "只能是选答题" in html and 'aria-invalid="true"' in html
    assert 'value="职称"' in html  # what was typed is kept
    assert len(ids(event)) == 5
    added = client.post(f"/events/{event.id}/questions", data={"label_zh": "职称", "kind": "text"})
    assert added.status_code == 302 and len(ids(event)) == 6


def test_answers_are_in_the_roster_export_and_own_data(api_as, client, login, event, make_user, organiser):
    talent = make_user()
    registration = sign(talent, event, answers=good_answers(event))
    columns = answer_columns(event)
    assert [label for label, _cell in columns][:2] == ["单位名称", "饮食"]
    cells = [cell(registration) for _label, cell in columns]
    assert cells == ["岭南V谷", "清真", "人工智能、新材料", "否", "谢谢\n再见"]
    export = api_as(talent).get("/api/v1/me/export").get_json()
    given = export["registrations"][0]["answers"]
    assert [(a["question"], a["answer"]) for a in given][:2] == [("单位名称", "岭南V谷"), ("饮食", "清真")]
    login(organiser)
    assert "岭南V谷" in client.get(f"/events/{event.id}/roster").get_data(as_text=True)
    sheet = client.get(f"/events/{event.id}/attendance.csv").get_data(as_text=True)
    assert "单位名称" in sheet and "岭南V谷" in sheet


def test_purge_erases_answers_of_old_events(runner, event, make_user):
    registration = sign(make_user(), event, answers=good_answers(event))
    recent = published(make_user(role="organiser", district="liwan"))
    question = Question(event_id=recent.id, kind="text", label_zh="单位", label_en="Employer", options=[])
    db.session.add(question)
    db.session.flush()
    other = sign(make_user(), recent, answers={str(question.id): "南海"})
    event.starts_at -= timedelta(days=400)
    event.ends_at = now_utc() - timedelta(days=200)
    for session in event.sessions:
        session.starts_at, session.ends_at = event.starts_at, event.ends_at
    db.session.commit()
    assert runner.invoke(args=["purge-personal-data"]).exit_code == 0
    db.session.expire_all()
    assert answers_of(registration) == {} and answers_of(other) == {str(question.id): "南海"}


def test_account_deletion_erases_answers(event, make_user):
    talent = make_user()
    registration = sign(talent, event, answers=good_answers(event))
    erase_account(talent, "Passw0rd123")
    db.session.commit()
    assert answers_of(registration) == {}


def test_service_refusals_name_the_fields(event, organiser):
    with pytest.raises(ValidationFailed) as refused:
        questions.replace_questions(organiser, event, [{"kind": "text"}])
    assert "questions.0.label" in refused.value.fields
    sign_up_exists = Registration(event_id=event.id, status="confirmed", check_in_code="QQQQ1111", places=1)
    db.session.add(sign_up_exists)
    db.session.flush()
    with pytest.raises(RuleViolation):
        questions.add_question(organiser, event, {"label_zh": "职称", "kind": "text", "required": True})


def test_the_roster_export_reads_all_answers_in_one_statement(client, login, event, make_user, organiser):
    """Each sign-up's answers land on its own line, and the export reads them together: the number
    of statements does not grow with the sign-ups (seven sign-ups, five questions)."""
    from sqlalchemy import event as sa_event

    text, choice = ids(event)[:2]
    for n in range(6):
        sign(make_user(), event, answers=good_answers(event) | {text: f"单位{n}", choice: "素食" if n % 2 else "普通"})
    login(organiser)
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listen)
    try:
        sheet = client.get(f"/events/{event.id}/attendance.csv").get_data(as_text=True)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listen)
    lines = [line for line in sheet.splitlines() if "单位" in line and "单位名称" not in line]
    assert sorted(line.split(",")[-5] for line in lines) == [f"单位{n}" for n in range(6)]
    assert all(("素食" in line) == (int(line.split(",")[-5][-1]) % 2 == 1) for line in lines)
    assert sum("registration_answers" in s for s in statements) <= 2  # not one per sign-up and question


def test_a_sign_up_reads_the_questions_with_its_event(api_as, event, make_user):
    """The answers are checked against the questions read in the event's own statement, in their
    order: no statement of the sign-up reads the questions alone."""
    from sqlalchemy import event as sa_event

    answers, talent = good_answers(event), api_as(make_user())
    db.session.expire_all()
    statements = []
    listen = lambda *args: statements.append(" ".join(args[2].split()))  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listen)
    try:
        made = talent.post(f"/api/v1/events/{event.id}/registrations", json={"consent": True, "answers": answers})
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listen)
    assert made.status_code == 201, made.get_json()
    assert len(made.get_json()["answers"]) == len(QUESTIONS)
    reading = [s for s in statements if "FROM event_questions" in s or "JOIN event_questions" in s]
    assert len(reading) == 1 and "FROM events" in reading[0], [s[:300] for s in reading]
    assert sorted(made.get_json()["answers"]) == sorted(ids(event))
