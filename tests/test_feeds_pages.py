"""My calendar and the coordinators' feed page, as people use them."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from planner.models import AuditEntry, Feed
from tests import factories
from tests.feedcheck import check_feed
from tests.test_feeds_plan import build_plan


def _links(html: str) -> dict[str, str]:
    """data-client -> href of the subscribe buttons on a page."""
    found = re.findall(r'data-client="([a-z-]+)" href="([^"]+)"', html)
    return {client: href.replace("&amp;", "&") for client, href in found}


def _plain_url(html: str) -> str:
    """The copyable feed URL on a page."""
    match = re.search(r'value="([^"]+)" class="feed-url"', html)
    assert match, "no plain feed URL on the page"
    return match.group(1)


def test_agenda_lists_upcoming_items_by_week_in_the_org_zone(
    client: FlaskClient, db: Session, login_as: Any
) -> None:
    from planner.db import utcnow

    plan = build_plan(db, now=utcnow())
    db.commit()
    login_as(person=plan.leader)
    html = client.get("/feeds/").get_data(as_text=True)
    assert "Times in Europe/Amsterdam" in html
    assert "Week of" in html
    assert "Skip-level; Support A" in html and "09:00–10:00" in html
    assert "Refresher training B" in html
    assert "Book the venue" not in html  # the coordinator's, not the leader's
    assert "Customer Service Week, kickoff" not in html  # over: past items are not "coming up"
    assert "Create my calendar feed" in html


def test_creating_a_feed_shows_a_button_per_client(
    client: FlaskClient, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    person = login_as("leader")
    assert client.post("/feeds/new").status_code == 302
    html = client.get("/feeds/").get_data(as_text=True)
    url = _plain_url(html)
    assert url.startswith("http://planner.test/calendars/swpf_") and url.endswith(".ics")
    links = _links(html)
    webcal = "webcal://" + url.removeprefix("http://")
    assert links["apple"] == webcal
    google = urlsplit(links["google"])
    assert google.netloc == "calendar.google.com" and parse_qs(google.query)["cid"] == [webcal]
    outlooks = (("outlook", "outlook.office.com"), ("outlook-live", "outlook.live.com"))
    for client_name, host in outlooks:
        outlook = urlsplit(links[client_name])
        assert outlook.netloc == host and outlook.path == "/calendar/0/addfromweb"
        assert parse_qs(outlook.query)["url"] == [url]
        assert parse_qs(outlook.query)["name"] == [f"{person.name} · Service Week"]
    assert "up to a day" in html
    feed = client.get(urlsplit(url).path)
    assert feed.status_code == 200 and check_feed(feed.data) == []


def test_a_person_adds_a_narrowed_feed_and_rotates_and_removes_it(
    client: FlaskClient, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    person = login_as("leader")
    client.post("/feeds/new")
    client.post("/feeds/new", data={"practices": ["P4"]})
    assert client.post("/feeds/new", data={"practices": ["P4"]}).status_code == 302  # duplicate
    assert "That feed exists already." in client.get("/feeds/").get_data(as_text=True)
    feeds = db.query(Feed).filter_by(person_id=person.id).order_by(Feed.id).all()
    assert [f.practices for f in feeds] == ["", "P4"]
    assert feeds[1].slug.endswith("-p4")
    old = urlsplit(_plain_url(client.get("/feeds/").get_data(as_text=True))).path
    assert client.post(f"/feeds/{feeds[0].id}/rotate").status_code == 302
    assert client.get(old).status_code == 404
    assert client.post(f"/feeds/{feeds[1].id}/delete").status_code == 302
    db.rollback()  # end the read snapshot: see what the app committed
    assert db.query(Feed).filter_by(person_id=person.id).count() == 1
    audit = db.query(AuditEntry).filter_by(action="feed.deleted").one()
    assert audit.actor_id == person.id and audit.detail.endswith("-p4")


def test_unknown_practice_is_refused_and_nothing_saved(
    client: FlaskClient, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    login_as("staff")
    response = client.post("/feeds/new", data={"practices": ["P9"]}, follow_redirects=True)
    assert response.status_code == 200
    assert "Choose practices from the list." in response.get_data(as_text=True)
    assert db.query(Feed).count() == 0


def test_nobody_rotates_or_removes_someone_elses_feed(
    client: FlaskClient, db: Session, login_as: Any
) -> None:
    plan = build_plan(db)
    from planner.feeds.tokens import create_feed
    from tests.conftest import SECRET

    theirs = create_feed(db, SECRET, scope="person", now=plan.events["skip"].created_at,
                         actor_id=None, person_id=plan.leader.id)  # fmt: skip
    team = create_feed(db, SECRET, scope="team", now=plan.events["skip"].created_at,
                       actor_id=None, team_id=plan.team_a.id)  # fmt: skip
    db.commit()
    login_as(person=plan.staff_a)
    for feed in (theirs, team):
        assert client.post(f"/feeds/{feed.id}/rotate").status_code == 404
        assert client.post(f"/feeds/{feed.id}/delete").status_code == 404
    assert client.post("/feeds/people/1/disable").status_code == 403
    db.rollback()  # end the read snapshot: see what the app committed
    assert db.query(Feed).count() == 2


def test_coordinator_manages_team_and_org_feeds(
    client: FlaskClient, db: Session, login_as: Any
) -> None:
    plan = build_plan(db)
    db.commit()
    login_as(person=plan.coordinator)
    assert client.post("/feeds/manage/new", data={"owner": "org"}).status_code == 302
    client.post("/feeds/manage/new", data={"owner": f"team-{plan.team_a.id}", "practices": ["P4"]})
    assert client.post("/feeds/manage/new", data={"owner": "team-99999"}).status_code == 302
    html = client.get("/feeds/manage").get_data(as_text=True)
    assert "Customer Service Week" in html and "Support A (P4) · Service Week" in html
    scopes = sorted((f.scope, f.practices) for f in db.query(Feed))
    assert scopes == [("org", ""), ("team", "P4")]
    team_feed = db.query(Feed).filter_by(scope="team").one()
    old = urlsplit(_plain_url(html.split("Support A (P4)")[1])).path
    assert client.get(old).status_code == 200
    client.post(f"/feeds/{team_feed.id}/rotate", data={"back": "manage"})
    assert client.get(old).status_code == 404
    assert unquote(old).endswith("team-support-a-p4.ics")


def test_manage_page_lists_people_with_feeds_and_disables_them(
    client: FlaskClient, db: Session, login_as: Any
) -> None:
    plan = build_plan(db)
    db.commit()
    login_as(person=plan.leader)
    client.post("/feeds/new")
    client.post("/sign-out")
    login_as(person=plan.coordinator)
    html = client.get("/feeds/manage").get_data(as_text=True)
    assert "Disable all feeds of Lea Léader" in html
    assert "swpf_" not in html.split("People")[1]  # people's URLs are shown only to them
    client.post(f"/feeds/people/{plan.leader.id}/disable")
    assert "Enable with new links" in client.get("/feeds/manage").get_data(as_text=True)
    assert client.post("/feeds/people/99999/disable").status_code == 404
