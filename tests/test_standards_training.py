"""Refresher training as people use it: a coordinator builds a module, staff take the quiz
(answers hidden until submitted, submitted once), certificates expire, leaders see completion."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.db import make_engine
from planner.models import (
    AttemptAnswer,
    Certificate,
    Event,
    Person,
    QuizAttempt,
    TrainingModule,
    TrainingQuestion,
)
from planner.recognition import clock
from planner.standards import attempts, measures, training
from tests import factories

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SECRET_EXPLANATION = "Owning the hand-over means the customer never repeats themselves"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda _s: TODAY)


def build_module(db: Session, *, questions: int = 5, pass_mark: int = 80) -> TrainingModule:
    """A published module: question 1 single choice (with the secret explanation), the rest
    alternate single/multiple choice."""
    module = training.save_module(db, None, training.ModuleValues(title="Saying yes"), NOW)
    for n in range(1, questions + 1):
        multiple = n % 2 == 0
        choices = (
            (("Right A", True), ("Right B", True), ("Wrong C", False))
            if multiple
            else (("Wrong X", False), (f"Right answer {n}", True), ("Wrong Y", False))
        )
        training.save_question(
            db,
            module.id,
            None,
            training.QuestionValues(
                f"Question number {n}?",
                multiple,
                SECRET_EXPLANATION if n == 1 else f"Because {n}.",
                choices,
            ),
        )
    return training.save_module(
        db,
        module.id,
        training.ModuleValues(
            title="Saying yes", pass_mark=pass_mark, published=True, featured_from=TODAY
        ),
        NOW,
    )


def answers(module: TrainingModule, *, wrong: int = 0) -> dict[str, list[str]]:
    """Form data answering every question right, except the first `wrong` ones."""
    data: dict[str, list[str]] = {}
    for n, q in enumerate(module.questions):
        pick = [c for c in q.choices if c.correct != (n < wrong)]
        if not q.multiple:
            pick = pick[:1]
        data[f"q{q.id}"] = [str(c.id) for c in pick]
    return data


def start(client: Any, module_id: int) -> str:
    """Press Start; the URL of the attempt."""
    response = client.post(f"/standards/training/{module_id}/start")
    assert response.status_code == 302
    return response.headers["Location"]


def test_coordinator_builds_a_five_question_module_through_the_pages(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    login_as("coordinator")
    response = client.post(
        "/standards/training/new",
        data={
            "title": "Hand-overs",
            "lesson": "**Own it.**\n\n<script>x()</script>",
            "pass_mark": 80,
        },
    )
    module_id = int(response.headers["Location"].rsplit("/", 1)[1])
    for n in range(1, 6):
        data = {
            "prompt": f"Question {n}?",
            "explanation": "Why.",
            "choice_1": "Yes",
            "right_1": "y",
            "choice_2": "No",
        }
        if n % 2 == 0:
            data.update({"multiple": "y", "choice_3": "Also yes", "right_3": "y"})
        assert (
            client.post(f"/standards/training/{module_id}/questions/new", data=data).status_code
            == 302
        )
    bad = client.post(
        f"/standards/training/{module_id}/questions/new",
        data={
            "prompt": "Two right?",
            "choice_1": "A",
            "right_1": "y",
            "choice_2": "B",
            "right_2": "y",
        },
    )
    assert "exactly one right option" in bad.get_data(as_text=True)
    client.post(
        f"/standards/training/{module_id}/edit",
        data={"title": "Hand-overs", "pass_mark": 80, "published": "y", "featured_from": "2026-11"},
    )
    page = client.get(f"/standards/training/{module_id}").get_data(as_text=True)
    assert "<strong>Own it.</strong>" in page
    assert "<script>" not in page and "&lt;script&gt;" in page  # Markdown rendered safely
    assert page.count("Edit question") == 5
    module = db.get(TrainingModule, module_id)
    assert module is not None and module.published and len(module.questions) == 5


def test_staff_fail_once_then_pass_and_see_their_certificate(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    module = build_module(db)
    db.commit()
    person = login_as("staff")
    attempt_url = start(client, module.id)
    first = client.post(attempt_url, data=answers(module, wrong=2))
    assert first.status_code == 302
    result = client.get(attempt_url).get_data(as_text=True)
    assert "60%" in result and "not passed yet" in result
    assert SECRET_EXPLANATION in result  # explanations come after submitting
    assert db.scalar(select(func.count(Certificate.id))) == 0

    second_url = start(client, module.id)
    assert second_url != attempt_url
    client.post(second_url, data=answers(module))
    result = client.get(second_url).get_data(as_text=True)
    assert "100%" in result and "See your certificate" in result
    cert_url = re.search(r'href="(/standards/certificates/\d+)"', result)
    assert cert_url is not None
    cert = client.get(cert_url.group(1)).get_data(as_text=True)
    assert person.name in cert and "Valid until 23 Nov 2027" in cert
    db.rollback()  # end the test's read snapshot: see what the app wrote
    attempts = db.scalars(select(QuizAttempt).order_by(QuizAttempt.id)).all()
    assert [a.score for a in attempts] == [60.0, 100.0]
    assert all(a.seconds_taken is not None and a.seconds_taken >= 0 for a in attempts)
    assert len(attempts[0].answers) == 5


def test_answers_and_explanations_are_never_shown_before_submitting(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    module = build_module(db)
    db.commit()
    login_as("staff")
    for url in (f"/standards/training/{module.id}", start(client, module.id)):
        page = client.get(url).get_data(as_text=True)
        assert SECRET_EXPLANATION not in page
        assert "(right)" not in page and "correct" not in page.lower()
    quiz = client.get(start(client, module.id)).get_data(as_text=True)
    assert "Question number 1?" in quiz and "Right answer 1" in quiz
    assert 'type="radio"' in quiz and 'type="checkbox"' in quiz
    assert "<script" not in quiz  # a plain form: works without JavaScript


def test_a_submitted_attempt_cannot_be_replayed_or_edited(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    module = build_module(db)
    db.commit()
    login_as("staff")
    url = start(client, module.id)
    data = answers(module, wrong=5)
    client.post(url, data=data)
    # The same POST again (double submit, back button) and a "better" one: nothing changes.
    again = client.post(url, data=data, follow_redirects=True)
    assert "already submitted" in again.get_data(as_text=True)
    client.post(url, data=answers(module))
    db.rollback()
    attempt = db.scalars(select(QuizAttempt)).one()
    assert attempt.score == 0.0 and not attempt.passed
    assert db.scalar(select(func.count(AttemptAnswer.id))) == 5
    assert db.scalar(select(func.count(Certificate.id))) == 0


def test_a_double_submit_saves_once(db: Session) -> None:
    factories.organisation(db)
    module = build_module(db)
    person = factories.person(db)
    attempt = attempts.start_attempt(db, module.id, person, NOW)
    chosen = {q.id: frozenset(c.id for c in q.choices if c.correct) for q in module.questions}
    attempts.submit_attempt(db, attempt.id, person, chosen, now=NOW, today=TODAY)
    with pytest.raises(attempts.AlreadySubmitted):
        attempts.submit_attempt(db, attempt.id, person, chosen, now=NOW, today=TODAY)
    assert db.scalar(select(func.count(Certificate.id))) == 1
    assert db.scalar(select(func.count(AttemptAnswer.id))) == 5


def test_pressing_start_twice_opens_one_attempt(client: Any, db: Session, login_as: Any) -> None:
    factories.organisation(db)
    module = build_module(db)
    db.commit()
    login_as("staff")
    assert start(client, module.id) == start(client, module.id)


def test_someone_elses_attempt_is_not_found(client: Any, db: Session, login_as: Any) -> None:
    factories.organisation(db)
    module = build_module(db)
    other = factories.person(db)
    attempt = attempts.start_attempt(db, module.id, other, NOW)
    db.commit()
    login_as("staff")
    assert client.get(f"/standards/attempts/{attempt.id}").status_code == 404
    assert client.post(f"/standards/attempts/{attempt.id}", data=answers(module)).status_code == 404


def test_an_unanswered_question_keeps_the_other_answers(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    module = build_module(db)
    db.commit()
    login_as("staff")
    url = start(client, module.id)
    data = answers(module)
    del data[f"q{module.questions[2].id}"]
    response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "question 3 has no answer yet" in page
    assert page.count(" checked") == sum(len(v) for v in data.values())
    db.rollback()
    assert db.scalars(select(QuizAttempt)).one().submitted_at is None


def test_a_draft_is_hidden_from_staff_and_questions_lock_once_taken(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    draft = training.save_module(db, None, training.ModuleValues(title="Draft"), NOW)
    module = build_module(db)
    person = factories.person(db)
    attempt = attempts.start_attempt(db, module.id, person, NOW)
    chosen = {q.id: frozenset(c.id for c in q.choices if c.correct) for q in module.questions}
    attempts.submit_attempt(db, attempt.id, person, chosen, now=NOW, today=TODAY)
    db.commit()
    login_as("staff")
    assert client.get(f"/standards/training/{draft.id}").status_code == 404
    with pytest.raises(Exception, match="can no longer change"):
        training.save_question(
            db,
            module.id,
            module.questions[0].id,
            training.QuestionValues("Changed?", False, "", (("a", True), ("b", False))),
        )


def test_certification_expiry_reaches_home_page_and_calendar(
    client: Any, db: Session, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.organisation(db)
    module = build_module(db)
    person = login_as("staff")
    attempt = attempts.start_attempt(db, module.id, person, NOW)
    chosen = {q.id: frozenset(c.id for c in q.choices if c.correct) for q in module.questions}
    attempts.submit_attempt(db, attempt.id, person, chosen, now=NOW, today=TODAY)
    db.commit()
    reminder = db.scalars(select(Event).where(Event.source_kind == "certification")).one()
    assert reminder.start_date == date(2027, 10, 24) and reminder.all_day and reminder.transparent
    assert [p.id for p in reminder.attendees] == [person.id]
    assert "expires on 23 Nov 2027" in reminder.title
    db.commit()  # end this session's (writer) transaction before the app writes
    assert "expires on" not in client.get("/home").get_data(as_text=True)

    monkeypatch.setattr(clock, "today", lambda _s: date(2027, 11, 1))
    home = client.get("/home").get_data(as_text=True)
    assert "Your refresher certification expires on 23 Nov 2027" in home
    assert f"/standards/training/{module.id}" in home  # this month's module to renew it
    # My calendar runs the personal feed's query: the reminder is there (30 days ahead).
    agenda = client.get("/feeds/").get_data(as_text=True)
    assert "Your refresher certification expires on 23 Nov 2027" in agenda

    # Passing again moves the reminder (same UID, higher SEQUENCE).
    uid, sequence = reminder.uid, reminder.sequence
    later = datetime(2027, 11, 1, 9, tzinfo=UTC)
    again = attempts.start_attempt(db, module.id, person, later)
    attempts.submit_attempt(db, again.id, person, chosen, now=later, today=date(2027, 11, 1))
    db.commit()
    db.refresh(reminder)
    assert reminder.uid == uid and reminder.sequence == sequence + 1
    assert reminder.start_date == date(2028, 10, 2)


def test_completion_per_team_and_the_hardest_questions(db: Session) -> None:
    factories.organisation(db)
    module = build_module(db, pass_mark=80)
    north, south = factories.team(db, "North"), factories.team(db, "South")
    ann, bob, cy = (factories.person(db, team=north) for _ in range(3))
    factories.person(db, team=south)
    for person, wrong in ((ann, 0), (bob, 2), (cy, 1)):
        attempt = attempts.start_attempt(db, module.id, person, NOW)
        chosen = {
            q.id: frozenset(c.id for c in q.choices if c.correct != (n < wrong))
            for n, q in enumerate(module.questions)
        }
        attempts.submit_attempt(db, attempt.id, person, chosen, now=NOW, today=TODAY)
    done = measures.completion(db, north.id, TODAY)
    # ann 100 (pass), cy 80 (pass: inclusive), bob: question 1 wrong (single) and question 2
    # with the wrong option only -> 0 -> 60.
    assert (done.members, done.certified, done.share, done.median_score) == (3, 2, 66.7, 80.0)
    assert measures.completion(db, south.id, TODAY).share == 0.0
    by_team = {team.name: row for team, row in measures.completion_by_team(db, TODAY)}
    assert by_team == {"North": done, "South": measures.completion(db, south.id, TODAY)}
    troubles = measures.hardest_questions(db, module.id)
    assert [(t.question.prompt, t.wrong, t.answered) for t in troubles[:2]] == [
        ("Question number 1?", 2, 3),
        ("Question number 2?", 1, 3),
    ]


def test_leader_sees_team_completion_on_the_scorecard(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    module = build_module(db)
    team = factories.team(db, "North")
    member = factories.person(db, team=team)
    factories.person(db, team=team)
    attempt = attempts.start_attempt(db, module.id, member, NOW)
    chosen = {q.id: frozenset(c.id for c in q.choices if c.correct) for q in module.questions}
    attempts.submit_attempt(db, attempt.id, member, chosen, now=NOW, today=TODAY)
    db.commit()
    months = [date(2026, 10, 1), date(2026, 11, 1)]
    series = measures.monthly_values(db, team.id, months, TODAY)
    # No share before anyone was ever certified; then 1 of 2 members.
    assert series[measures.CERTIFIED] == [None, 50.0]
    assert series[measures.QUIZ_MEDIAN] == [None, 100.0]
    login_as("leader")
    page = client.get(f"/recognition/scorecards/team/{team.id}").get_data(as_text=True)
    assert "Refresher certified (%)" in page and "Median quiz score (%)" in page
    row = re.search(r"<th scope=\"row\">Nov 2026</th>(.*?)</tr>", page, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert "50" in cells and "100" in cells


def test_the_refresher_training_event_links_to_the_module_of_the_month(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    module = build_module(db)
    db.commit()
    login_as("staff")
    response = client.get("/standards/training/month/2026-12")
    assert response.headers["Location"].endswith(f"/standards/training/{module.id}")
    earlier = client.get("/standards/training/month/2026-10", follow_redirects=True)
    assert "No refresher module is set for October 2026" in earlier.get_data(as_text=True)
    assert client.get("/standards/training/month/nonsense").status_code == 404
    assert client.get("/standards/training/month/2026-13").status_code == 404


def test_question_ids_of_other_modules_are_ignored(db: Session) -> None:
    factories.organisation(db)
    module = build_module(db, questions=1)
    other = build_module_two(db)
    person = factories.person(db)
    attempt = attempts.start_attempt(db, module.id, person, NOW)
    wrong_ids = frozenset(c.id for c in other.questions[0].choices)
    with pytest.raises(Exception, match="no answer yet"):
        attempts.submit_attempt(
            db, attempt.id, person, {module.questions[0].id: wrong_ids}, now=NOW, today=TODAY
        )


def build_module_two(db: Session) -> TrainingModule:
    """Another module with one question."""
    module = training.save_module(db, None, training.ModuleValues(title="Other"), NOW)
    training.save_question(
        db,
        module.id,
        None,
        training.QuestionValues("Other?", False, "", (("a", True), ("b", False))),
    )
    db.refresh(module)
    return module


def test_deleting_the_last_question_unpublishes_the_module(db: Session) -> None:
    factories.organisation(db)
    module = build_module(db, questions=1)
    question = db.scalars(select(TrainingQuestion)).one()
    training.delete_question(db, module.id, question.id)
    db.refresh(module)
    assert not module.published


def test_a_true_race_of_two_submits_saves_once(database_url: str) -> None:
    """Two tabs loaded the open attempt before either submitted: the guarded UPDATE lets one in."""
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as setup:
        factories.organisation(setup)
        module = build_module(setup)
        person = factories.person(setup)
        attempt = attempts.start_attempt(setup, module.id, person, NOW)
        setup.commit()
        attempt_id, person_id = attempt.id, person.id
        right = {q.id: frozenset(c.id for c in q.choices if c.correct) for q in module.questions}
    one, two = Session(engine, expire_on_commit=False), Session(engine, expire_on_commit=False)
    stale, stale_person = two.get(QuizAttempt, attempt_id), two.get(Person, person_id)
    assert stale is not None and stale_person is not None
    _ = stale.module.questions
    two.commit()  # two keeps its copy of the open attempt (SQLite: let one write)
    winner = one.get(Person, person_id)
    assert winner is not None
    attempts.submit_attempt(one, attempt_id, winner, right, now=NOW, today=TODAY)
    one.commit()
    with pytest.raises(attempts.AlreadySubmitted):
        attempts.submit_attempt(two, attempt_id, stale_person, right, now=NOW, today=TODAY)
    two.rollback()
    with Session(engine) as check:
        assert check.scalar(select(func.count(Certificate.id))) == 1
        assert check.scalar(select(func.count(AttemptAnswer.id))) == 5
    one.close()
    two.close()
    engine.dispose()
