"""The scheme in the API: calls and results for everyone; submissions, assignments, scores and
the consolidation by role, blind where the pages are; bad input, languages, query counts."""

import datetime

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from civhub.accounts.services import create_token
from civhub.awards.choices import AssignmentStatus, CallState, SubmissionState
from civhub.awards.models import Assignment, Call, Decision, Score, StageNote, Submission
from civhub.awards.services import decisions
from civhub.awards.tests.conftest import assign, make_call, make_evaluators, make_submission
from civhub.testing import make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/awards"
S = SubmissionState
TODAY = timezone.localdate()


class Caller:
    """A client that calls the API with a user's token (none for a visitor)."""

    def __init__(self, user=None):
        self.user = user
        self.headers = {}
        if user is not None:
            _token, secret = create_token(user, "tests")
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        self.client = Client()

    @classmethod
    def of(cls, persona):
        return cls(persona.user)

    def get(self, path, params=None):
        return self.client.get(f"{API}{path}", params or {}, **self.headers)

    def items(self, path, params=None) -> list[dict]:
        response = self.get(path, {"limit": 100, **(params or {})})
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["count"] == len(body["items"])
        return body["items"]


def same_moment(text: str, moment: datetime.datetime) -> bool:
    """JSON gives times to the millisecond."""
    return datetime.datetime.fromisoformat(text) == moment.replace(
        microsecond=moment.microsecond // 1000 * 1000
    )


def titles(items) -> set[str]:
    return {item["title"] for item in items}


def score_all(assignment, value, comment=""):
    for criterion in assignment.submission.call.criteria.all():
        Score.objects.create(
            assignment=assignment, criterion=criterion, value=value, comment=comment
        )


def complete(assignment):
    Assignment.objects.filter(pk=assignment.pk).update(
        status=AssignmentStatus.COMPLETED, completed_at=timezone.now()
    )
    assignment.refresh_from_db()


@pytest.fixture
def other(db):
    return make_user("other@test.example", "member")


@pytest.fixture
def world(db, member, evaluator, other):
    """An open call scored blind: the member's draft and its submission being scored (not
    by the evaluator persona), another applicant's draft, and another applicant's submission
    being scored by the evaluator persona and two more evaluators."""
    call = make_call("open-call", title_ru="Открытый конкурс")
    category = call.categories.get()
    category.title_ru = "Цифровое правительство"
    category.save()
    mine_draft = make_submission(call, member.user, S.DRAFT, title="My draft")
    mine = make_submission(
        call, member.user, S.SCORING, title="My portal", organization_name="Member Agency"
    )
    others_draft = make_submission(call, other, S.DRAFT, title="Other draft")
    blind = make_submission(
        call,
        other,
        S.SCORING,
        title="Blind portal",
        organization_name="Hidden Agency",
        partners="Hidden Partner",
    )
    panel = make_evaluators(3, prefix="panel")
    persona_assignment, *rest = assign(blind, [evaluator.user, *panel[:2]])
    assign(mine, panel)
    StageNote.objects.create(submission=mine, kind="request", text="Send the statistics.")
    StageNote.objects.create(
        submission=mine, kind="note", text="Internal: looks strong.", visible_to_applicant=False
    )
    return {
        "call": call,
        "mine_draft": mine_draft,
        "mine": mine,
        "others_draft": others_draft,
        "blind": blind,
        "panel": panel,
        "assignment": persona_assignment,
        "others": rest,
    }


@pytest.fixture
def decided(db, steering, editor):
    """A call whose results are out: a prize winner with a certificate and a good practice,
    an honourable mention, one not selected; every one scored by three evaluators."""
    call = make_call(
        "decided",
        opens_at=timezone.now() - datetime.timedelta(days=300),
        closes_at=timezone.now() - datetime.timedelta(days=200),
    )
    call.title_ru = "Конкурс 2019"
    call.save()
    prize = call.prizes.get()
    prize.title_ru = "Первая премия"
    prize.save()
    evaluators = make_evaluators(3, prefix="pub")
    made = {}
    for key, outcome, value in (
        ("winner", S.AWARDED, 9),
        ("mention", S.HONOURABLE_MENTION, 7),
        ("loser", S.NOT_SELECTED, 3),
    ):
        submission = make_submission(
            call,
            make_user(f"{key}@test.example", "member"),
            S.DECISION,
            title=f"{key.title()} solution",
            organization_name=f"{key.title()} Agency",
        )
        for a in assign(submission, evaluators, AssignmentStatus.COMPLETED):
            score_all(a, value)
        decisions.record_decision(
            steering.user,
            submission,
            outcome,
            "Minutes.",
            prize=prize if outcome == S.AWARDED else None,
        )
        made[key] = submission
    decisions.publish_results(editor.user, call, on=TODAY - datetime.timedelta(days=1))
    for submission in made.values():
        submission.refresh_from_db()
    decisions.issue_certificate(editor.user, made["winner"])
    decisions.publish_as_practice(editor.user, made["winner"])
    return {"call": call, "evaluators": evaluators, **made}


# --- Calls: everyone ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["visitor", "member", "evaluator"], indirect=True)
def test_everyone_reads_the_announced_calls_but_not_a_draft(persona, world, decided):
    hidden = make_call("hidden-call")
    Call.objects.filter(pk=hidden.pk).update(state=CallState.DRAFT)
    caller = Caller(persona.user)
    slugs = [c["slug"] for c in caller.items("/calls")]
    assert slugs == ["decided", "open-call"]
    assert caller.get("/calls/hidden-call").status_code == 404
    assert caller.get("/calls/hidden-call/results").status_code == 404


def test_editors_see_a_draft_call(editor, world):
    hidden = make_call("hidden-call")
    Call.objects.filter(pk=hidden.pk).update(state=CallState.DRAFT)
    caller = Caller.of(editor)
    assert "hidden-call" in {c["slug"] for c in caller.items("/calls")}
    body = caller.get("/calls/hidden-call").json()
    assert body["state"] == "draft" and body["is_open"] is False


def test_a_call_in_full(world):
    body = Caller().get("/calls/open-call").json()
    call = world["call"]
    assert body["slug"] == "open-call" and body["year"] == 2026 and body["title"] == "Test call"
    assert body["state"] == "announced" and body["is_open"] is True
    assert body["eligible_kinds"] == ["public_body", "ngo"]
    assert body["min_months_in_operation"] == 12 and body["evaluators_per_submission"] == 3
    # the fixture's applicant has two open submissions here, so its call accepts two
    call.refresh_from_db()
    assert body["submissions_per_applicant"] == call.submissions_per_applicant == 2
    assert body["blind_identity"] is True and body["tie_break"] == "earlier"
    assert body["tie_break_criterion"] is None
    assert same_moment(body["timeline"]["closes_at"], call.closes_at)
    assert body["timeline"]["results_published_on"] is None
    assert body["categories"] == [
        {"slug": "digital", "title": "Digital government", "description": ""}
    ]
    assert [(c["slug"], c["weight"], c["scale_min"], c["scale_max"]) for c in body["criteria"]] == [
        ("innovation", 2.0, 0, 10),
        ("results", 1.0, 0, 10),
        ("replicability", 1.0, 0, 10),
    ]
    assert body["prizes"] == [
        {"kind": "prize", "title": "First prize", "count": 1, "description": ""}
    ]
    assert body["html_url"] == "http://testserver/en/awards/open-call/"
    # Before the results: no figures, no winners, and no results list.
    assert body["results_out"] is False
    assert body["transparency"] is None and body["winners"] is None
    response = Caller().get("/calls/open-call/results")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_the_results_and_the_figures_once_out(decided):
    winner, mention = decided["winner"], decided["mention"]
    body = Caller().get("/calls/decided").json()
    assert body["results_out"] is True
    assert [w["title"] for w in body["winners"]] == ["Winner solution", "Mention solution"]
    figures = body["transparency"]
    assert figures["total"] == 3
    assert figures["by_country"] == [{"name": "Georgia", "count": 3}]
    assert figures["by_category"] == [{"name": "Digital government", "count": 3}]
    assert [f["count"] for f in figures["funnel"]] == [3, 3, 3, 2]
    innovation = figures["distributions"][0]
    assert innovation["criterion"] == "innovation" and innovation["count"] == 9
    assert (innovation["minimum"], innovation["median"], innovation["maximum"]) == (3, 7, 9)
    # Never who applied unless it won, never an evaluator.
    text = str(body)
    assert "Loser" not in text and "loser@test.example" not in text
    for evaluator in decided["evaluators"]:
        assert evaluator.email not in text and evaluator.person.name not in text

    results = Caller().items("/calls/decided/results")
    assert results == body["winners"]
    first, second = results
    assert first["id"] == winner.pk and first["outcome"] == "awarded"
    assert first["prize"] == "First prize" and second["prize"] is None
    assert second["outcome"] == "honourable_mention"
    assert first["country"] == "GE" and first["country_name"] == "Georgia"
    assert first["organization"] is None and first["organization_name"] == "Winner Agency"
    assert first["category"] == "digital"
    assert first["html_url"] == f"http://testserver/en/awards/decided/winners/{winner.pk}/"
    assert Client().get(first["html_url"]).status_code == 200
    winner.refresh_from_db()
    assert first["practice_url"] == f"http://testserver{winner.practice.get_absolute_url()}"
    assert second["practice_url"] is None and second["certificate_url"] is None
    try:
        expected = "http://testserver" + reverse(
            "awards:certificate_verify", kwargs={"code": winner.certificate.code}
        )
    except NoReverseMatch:  # the verification page is not in this build
        expected = None
    assert first["certificate_url"] == expected
    assert mention.pk == second["id"]


def test_no_certificate_link_without_the_verification_page(decided, monkeypatch):
    from civhub.awards import api

    def no_such_page(name, *args, **kwargs):
        if name == "awards:certificate_verify":
            raise NoReverseMatch(name)
        return reverse(name, *args, **kwargs)

    monkeypatch.setattr(api, "reverse", no_such_page)
    first = Caller().items("/calls/decided/results")[0]
    assert first["title"] == "Winner solution" and first["certificate_url"] is None


def test_results_wait_for_their_day(decided):
    Call.objects.filter(pk=decided["call"].pk).update(
        results_published_on=TODAY + datetime.timedelta(days=3)
    )
    assert Caller().get("/calls/decided/results").status_code == 404
    body = Caller().get("/calls/decided").json()
    assert body["transparency"] is None and body["winners"] is None


def test_titles_in_the_language_asked(world, decided):
    caller = Caller()
    listed = {c["slug"]: c for c in caller.items("/calls", {"lang": "ru"})}
    assert listed["open-call"]["title"] == "Открытый конкурс"
    assert listed["open-call"]["html_url"] == "http://testserver/ru/awards/open-call/"
    response = caller.get("/calls/open-call", {"lang": "ru"})
    assert response["Content-Language"] == "ru"
    body = response.json()
    assert body["categories"][0]["title"] == "Цифровое правительство"
    # Not translated: the English title.
    assert body["criteria"][0]["title"] == "Innovation"
    results = caller.items("/calls/decided/results", {"lang": "ru"})
    assert results[0]["prize"] == "Первая премия"
    assert caller.get("/calls/decided", {"lang": "kk"}).json()["title"] == "Test call"
    assert caller.get("/calls", {"lang": "fr"}).status_code == 422


def test_unknown_slugs_are_json_404s(editor, world):
    for caller in (Caller(), Caller.of(editor)):
        for path in ("/calls/nope", "/calls/nope/results"):
            response = caller.get(path)
            assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert Caller.of(editor).get("/calls/nope/consolidation").status_code == 404


def test_limit_over_100_is_refused(world, editor):
    assert Caller().get("/calls", {"limit": 101}).status_code == 422
    assert Caller().get("/calls", {"limit": 0}).status_code == 422
    caller = Caller.of(editor)
    for path in ("/submissions", "/assignments", f"/submissions/{world['mine'].pk}/scores"):
        response = caller.get(path, {"limit": 101})
        assert response.status_code == 422, path
        assert response.json()["detail"][0]["loc"] == ["query", "limit"]


def test_pagination_is_stable(world, editor):
    caller = Caller.of(editor)
    everything = caller.items("/submissions")
    assert len(everything) == 4
    pages = [caller.get("/submissions", {"limit": 1, "offset": i}).json() for i in range(4)]
    assert [p["items"][0]["id"] for p in pages] == [s["id"] for s in everything]
    assert all(p["count"] == 4 for p in pages)


# --- Who may read what needs a token --------------------------------------------------------


PRIVATE = [
    "/submissions",
    "/submissions/{id}",
    "/submissions/{id}/scores",
    "/assignments",
    "/calls/open-call/consolidation",
]


@pytest.mark.parametrize("path", PRIVATE)
def test_a_visitor_is_asked_for_a_token(world, path):
    response = Caller().get(path.format(id=world["mine"].pk))
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Authorization: Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"] == 'Bearer realm="civhub"'


def test_a_bad_token_is_refused_not_anonymous(world):
    response = Client().get(f"{API}/calls", HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("member", {"My draft", "My portal"}),
        ("evaluator", {"Blind portal"}),
        ("steering", {"My portal", "Blind portal"}),
        ("editor", {"My draft", "My portal", "Other draft", "Blind portal"}),
        ("focal_point", set()),
    ],
    indirect=["persona"],
)
def test_who_sees_which_submission(persona, visible, world):
    caller = Caller.of(persona)
    assert titles(caller.items("/submissions")) == visible
    for key in ("mine_draft", "mine", "others_draft", "blind"):
        submission = world[key]
        response = caller.get(f"/submissions/{submission.pk}")
        assert response.status_code == (200 if submission.title in visible else 404), key
        # The model's rule decides, as on the pages.
        assert (response.status_code == 200) == submission.can_view(persona.user)


def test_unknown_submission_is_404(world, editor):
    caller = Caller.of(editor)
    assert caller.get("/submissions/999999").status_code == 404
    assert caller.get("/submissions/999999/scores").status_code == 404
    assert caller.get("/submissions/abc").status_code == 422


def test_published_winners_are_listed_for_every_token(decided, other):
    assert titles(Caller(other).items("/submissions")) == {"Winner solution", "Mention solution"}
    body = Caller(other).get(f"/submissions/{decided['winner'].pk}").json()
    assert body["identity_visible"] is True and body["organization_name"] == "Winner Agency"
    assert body["notes"] == [] and body["decision"]["outcome"] == "awarded"
    assert Caller(other).get(f"/submissions/{decided['loser'].pk}").status_code == 404


# --- The applicant --------------------------------------------------------------------------


def test_the_applicant_reads_its_submission_and_the_notes_for_it(member, world):
    mine = world["mine"]
    body = Caller.of(member).get(f"/submissions/{mine.pk}").json()
    assert body["title"] == "My portal" and body["state"] == "scoring"
    assert body["state_label"] == "Being scored" and body["is_mine"] is True
    assert body["identity_visible"] is True and body["organization_name"] == "Member Agency"
    assert body["country"] == "GE" and body["applicant_kind"] == "public_body"
    assert body["summary"] == "All vacancies on one portal." and body["topics"]
    assert body["html_url"] == f"http://testserver/en/awards/my/{mine.pk}/"
    # Only the notes addressed to the applicant.
    assert [n["text"] for n in body["notes"]] == ["Send the statistics."]
    assert body["notes"][0]["kind_label"] == "Question to the applicant"
    assert body["decision"] is None


@pytest.fixture
def held(db, member, steering):
    """The member's submission, awarded, in a call whose results are not published yet."""
    call = make_call("held")
    submission = make_submission(call, member.user, S.DECISION, title="Held back")
    evaluators = make_evaluators(3, prefix="held")
    for a in assign(submission, evaluators, AssignmentStatus.COMPLETED):
        score_all(a, 8, "SECRET COMMENT")
    decisions.record_decision(
        steering.user, submission, S.AWARDED, "Minutes.", prize=call.prizes.get()
    )
    submission.refresh_from_db()
    assert submission.state == S.AWARDED
    return submission


def test_the_applicant_learns_the_outcome_only_with_the_results(member, steering, held):
    caller = Caller.of(member)
    body = caller.get(f"/submissions/{held.pk}").json()
    assert body["state"] == "decision" and body["state_label"] == "Awaiting the decision"
    assert body["decision"] is None
    assert all(n["kind"] != "minutes" for n in body["notes"])
    assert "awarded" not in str(body)
    listed = {s["id"]: s for s in caller.items("/submissions")}
    assert listed[held.pk]["state"] == "decision"
    # Filtering by the hidden outcome gives nothing away.
    assert caller.items("/submissions", {"state": "awarded"}) == []
    assert [s["id"] for s in caller.items("/submissions", {"state": "decision"})] == [held.pk]
    # No score before the results.
    assert caller.items(f"/submissions/{held.pk}/scores") == []
    # The steering committee is told the truth.
    assert Caller.of(steering).get(f"/submissions/{held.pk}").json()["state"] == "awarded"
    # Once the results are out, the applicant learns it all.
    Call.objects.filter(pk=held.call_id).update(results_published_on=TODAY)
    body = caller.get(f"/submissions/{held.pk}").json()
    assert body["state"] == "awarded" and body["decision"] == {
        "outcome": "awarded",
        "prize": "First prize",
    }
    assert [s["id"] for s in caller.items("/submissions", {"state": "awarded"})] == [held.pk]
    scores = caller.items(f"/submissions/{held.pk}/scores")
    assert len(scores) == 9 and {s["value"] for s in scores} == {8}
    assert all(s["evaluator_name"] is None and not s["mine"] for s in scores)
    assert "held0@test.example" not in str(scores)


# --- Evaluators -----------------------------------------------------------------------------


def test_an_evaluator_of_a_blind_call_does_not_see_who_applied(evaluator, world):
    body = Caller.of(evaluator).get(f"/submissions/{world['blind'].pk}").json()
    assert body["title"] == "Blind portal" and body["solution"] == "Competitive online tests."
    assert body["identity_visible"] is False
    for field in ("organization", "organization_name", "country", "applicant_kind", "partners"):
        assert body[field] is None, field
    assert body["is_mine"] is False and body["notes"] == [] and body["html_url"] is None
    text = str(body)
    assert "Hidden Agency" not in text and "other@test.example" not in text
    assert "Hidden Partner" not in text and "Georgia" not in text and "GE" not in text
    listed = Caller.of(evaluator).items("/submissions")
    assert "Hidden Agency" not in str(listed)


def test_an_evaluator_of_an_open_call_sees_who_applied(evaluator, other):
    call = make_call("seen", blind_identity=False)
    submission = make_submission(call, other, S.SCORING, organization_name="Seen Agency")
    assign(submission, [evaluator.user, *make_evaluators(2, prefix="seen")])
    body = Caller.of(evaluator).get(f"/submissions/{submission.pk}").json()
    assert body["identity_visible"] is True and body["organization_name"] == "Seen Agency"


def test_an_evaluator_who_declined_no_longer_sees_it(evaluator, world):
    Assignment.objects.filter(pk=world["assignment"].pk).update(status=AssignmentStatus.DECLINED)
    caller = Caller.of(evaluator)
    assert caller.items("/submissions") == []
    assert caller.get(f"/submissions/{world['blind'].pk}").status_code == 404
    # Its assignment stays on its list, declined, as on its page.
    (row,) = caller.items("/assignments")
    assert row["status"] == "declined"


def test_scores_stay_hidden_until_the_evaluator_submits_its_own(evaluator, world):
    mine, (theirs, _third) = world["assignment"], world["others"]
    score_all(theirs, 2, "THEIRS")
    complete(theirs)
    caller = Caller.of(evaluator)
    path = f"/submissions/{world['blind'].pk}/scores"
    assert caller.items(path) == []
    score_all(mine, 6, "MINE")
    scores = caller.items(path)
    assert {s["comment"] for s in scores} == {"MINE"}
    assert all(s["mine"] and not s["submitted"] for s in scores)
    assert [s["criterion"] for s in scores] == ["innovation", "results", "replicability"]
    complete(mine)
    scores = caller.items(path)
    assert {s["comment"] for s in scores} == {"MINE", "THEIRS"}
    others = [s for s in scores if not s["mine"]]
    assert {s["evaluator"] for s in others} == {f"Evaluator #{theirs.pk}"}
    assert all(s["evaluator_name"] is None for s in scores)
    text = str(scores)
    assert theirs.evaluator.email not in text and theirs.evaluator.person.name not in text


def test_an_evaluator_not_assigned_sees_no_scores(world):
    outsider = make_evaluators(1, prefix="outsider")[0]
    caller = Caller(outsider)
    assert caller.get(f"/submissions/{world['blind'].pk}/scores").status_code == 404
    assert caller.get(f"/submissions/{world['blind'].pk}").status_code == 404
    assert caller.items("/submissions") == [] and caller.items("/assignments") == []


def test_the_evaluators_assignments(evaluator, world):
    (row,) = Caller.of(evaluator).items("/assignments")
    assignment, call = world["assignment"], world["call"]
    assert row["id"] == assignment.pk and row["submission"] == world["blind"].pk
    assert row["title"] == "Blind portal" and row["call"] == "open-call"
    assert row["status"] == "assigned" and row["status_label"] == "Assigned"
    assert same_moment(row["due"], call.scoring_ends_at)
    assert row["completed_at"] is None and row["evaluator"] is None
    assert row["html_url"] == f"http://testserver/en/awards/evaluate/{assignment.pk}/"
    complete(assignment)
    (row,) = Caller.of(evaluator).items("/assignments")
    assert row["status"] == "completed" and row["completed_at"]


def test_assignments_are_for_evaluators_and_editors(member, steering, world):
    for persona in (member, steering):
        response = Caller.of(persona).get("/assignments")
        assert response.status_code == 403
        assert response.json() == {"detail": "Only evaluators have assignments."}


# --- Steering committee and editors ---------------------------------------------------------


def test_the_steering_committee_reads_scores_from_consolidation_on(steering, world):
    blind, (theirs, _third) = world["blind"], world["others"]
    score_all(theirs, 4)
    complete(theirs)
    caller = Caller.of(steering)
    path = f"/submissions/{blind.pk}/scores"
    assert caller.items(path) == []
    Submission.objects.filter(pk=blind.pk).update(state=S.CONSOLIDATION)
    scores = caller.items(path)
    assert len(scores) == 3 and all(s["evaluator_name"] is None for s in scores)
    body = caller.get(f"/submissions/{blind.pk}").json()
    assert body["identity_visible"] is True and body["organization_name"] == "Hidden Agency"
    assert {n["text"] for n in caller.get(f"/submissions/{world['mine'].pk}").json()["notes"]} == {
        "Send the statistics.",
        "Internal: looks strong.",
    }


def test_editors_read_every_score_with_the_evaluators_names(editor, world):
    mine, (theirs, _third) = world["assignment"], world["others"]
    score_all(mine, 5)  # saved, not submitted
    score_all(theirs, 4)
    complete(theirs)
    scores = Caller.of(editor).items(f"/submissions/{world['blind'].pk}/scores")
    assert len(scores) == 6
    assert {s["evaluator_name"] for s in scores} == {"evaluator", str(theirs.evaluator)}
    assert {s["submitted"] for s in scores} == {True, False}


def test_editors_filter_submissions_by_call_and_state(editor, world, decided):
    caller = Caller.of(editor)
    assert len(caller.items("/submissions")) == 7
    assert titles(caller.items("/submissions", {"call": "open-call"})) == {
        "My draft",
        "My portal",
        "Other draft",
        "Blind portal",
    }
    assert titles(caller.items("/submissions", {"call": "open-call", "state": "scoring"})) == {
        "My portal",
        "Blind portal",
    }
    assert titles(caller.items("/submissions", {"state": "published"})) == {
        "Winner solution",
        "Mention solution",
    }
    assert caller.items("/submissions", {"state": "withdrawn"}) == []
    listed = caller.items("/submissions", {"call": "open-call"})
    assert all(s["html_url"].endswith(f"/awards/open-call/manage/#s{s['id']}") for s in listed)


@pytest.mark.parametrize(
    ("params", "field"),
    [({"call": "nope"}, "call"), ({"state": "won"}, "state")],
)
def test_an_unknown_filter_value_is_400_naming_it(editor, world, params, field):
    response = Caller.of(editor).get("/submissions", params)
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field] and field in body["detail"]
    response = Caller.of(editor).get("/assignments", {"call": "nope"})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["call"]


def test_a_draft_call_is_not_a_filter_value_for_others(member, world):
    hidden = make_call("hidden-call")
    Call.objects.filter(pk=hidden.pk).update(state=CallState.DRAFT)
    response = Caller.of(member).get("/submissions", {"call": "hidden-call"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"call": ["Unknown: hidden-call."]}


def test_editors_see_every_assignment_filtered_by_call(editor, world, decided):
    caller = Caller.of(editor)
    rows = caller.items("/assignments")
    assert len(rows) == 6 + 9
    open_rows = caller.items("/assignments", {"call": "open-call"})
    assert len(open_rows) == 6 and {r["call"] for r in open_rows} == {"open-call"}
    assert "evaluator" in {r["evaluator"] for r in open_rows}
    assert all(r["html_url"] is None for r in open_rows)


@pytest.mark.parametrize("persona", ["steering", "editor"], indirect=True)
def test_the_consolidation(persona, decided):
    body = Caller.of(persona).get("/calls/decided/consolidation").json()
    assert body["call"] == "decided" and body["disagreement_threshold"] == 25.0
    rows = body["results"]
    assert [r["title"] for r in rows] == ["Winner solution", "Mention solution", "Loser solution"]
    assert [r["rank"] for r in rows] == [1, 2, 3] and [r["rank_corrected"] for r in rows] == [
        1,
        2,
        3,
    ]
    assert rows[0]["mean"] == pytest.approx(90.0) and rows[2]["mean"] == pytest.approx(30.0)
    assert all(r["evaluators"] == 3 and r["flagged"] is False for r in rows)
    assert body["kendall_w"] == pytest.approx(1.0)
    assert body["icc"] == pytest.approx(1.0)
    for evaluator in decided["evaluators"]:
        assert evaluator.email not in str(body)


def test_disagreement_is_flagged(editor, world):
    blind = world["blind"]
    Submission.objects.filter(pk=blind.pk).update(state=S.CONSOLIDATION)
    for assignment, value in zip(
        Assignment.objects.filter(submission=blind).order_by("pk"), (1, 5, 10), strict=True
    ):
        score_all(assignment, value)
        complete(assignment)
    (row,) = Caller.of(editor).get("/calls/open-call/consolidation").json()["results"]
    assert row["submission"] == blind.pk and row["flagged"] is True and row["spread"] == 90.0


@pytest.mark.parametrize("persona", ["member", "evaluator", "focal_point"], indirect=True)
def test_the_consolidation_is_refused_to_others(persona, decided):
    response = Caller.of(persona).get("/calls/decided/consolidation")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only the secretariat and the steering committee see this."
    }


def test_the_consolidation_of_a_draft_call_is_hidden_from_steering(steering, editor):
    hidden = make_call("hidden-call")
    Call.objects.filter(pk=hidden.pk).update(state=CallState.DRAFT)
    assert Caller.of(steering).get("/calls/hidden-call/consolidation").status_code == 404
    body = Caller.of(editor).get("/calls/hidden-call/consolidation").json()
    assert body["results"] == [] and body["kendall_w"] is None and body["icc"] is None


# --- The schema -----------------------------------------------------------------------------


def test_the_schema_describes_the_awards_endpoints():
    schema = Client().get("/api/v1/openapi.json").json()
    awards = {path: ops for path, ops in schema["paths"].items() if "/awards/" in path}
    assert set(awards) == {
        "/api/v1/awards/calls",
        "/api/v1/awards/calls/{slug}",
        "/api/v1/awards/calls/{slug}/results",
        "/api/v1/awards/calls/{slug}/consolidation",
        "/api/v1/awards/submissions",
        "/api/v1/awards/submissions/{id}",
        "/api/v1/awards/submissions/{id}/scores",
        "/api/v1/awards/assignments",
    }
    public = {"/api/v1/awards/calls", "/api/v1/awards/calls/{slug}"}
    public.add("/api/v1/awards/calls/{slug}/results")
    for path, ops in awards.items():
        assert set(ops) == {"get"}, path
        security = ops["get"]["security"]
        if path in public:
            assert {} in security, path
        else:
            assert security == [{"ApiTokenAuth": []}], path
        parameters = {p["name"] for p in ops["get"]["parameters"]}
        assert "lang" in parameters, path
    lists = {
        "/api/v1/awards/calls": set(),
        "/api/v1/awards/calls/{slug}/results": {"slug"},
        "/api/v1/awards/submissions": {"call", "state"},
        "/api/v1/awards/submissions/{id}/scores": {"id"},
        "/api/v1/awards/assignments": {"call"},
    }
    for path, extra in lists.items():
        parameters = {p["name"] for p in awards[path]["get"]["parameters"]}
        assert parameters == extra | {"limit", "offset", "lang"}, path


# --- Query counts ---------------------------------------------------------------------------


@pytest.fixture
def many(world, decided, member, evaluator):
    """Twelve more submissions of the member's, each assigned to the evaluator persona, and
    twelve more published winners."""
    panel = world["panel"]
    call = decided["call"]
    for i in range(12):
        submission = make_submission(world["call"], member.user, S.SCORING, title=f"Extra {i}")
        assign(submission, [evaluator.user, *panel[:2]])
        winner = make_submission(call, member.user, S.PUBLISHED, title=f"Winner {i}")
        Decision.objects.create(submission=winner, outcome=S.HONOURABLE_MENTION, minutes="-")
    return world


@pytest.mark.parametrize(
    "persona", ["member", "evaluator", "steering", "editor"], indirect=["persona"]
)
def test_lists_take_a_fixed_number_of_queries(persona, many, django_assert_max_num_queries):
    caller = Caller.of(persona)
    caller.get("/calls")  # a token is marked as used once
    # Each: the token and the caller's roles, then the count and the page; the results also
    # the call and whether the caller may see it; a call filter its call; a state filter
    # is asked in the database (SubmissionQuerySet.shown_in_state), so it too counts and
    # reads one page. The call's page adds its figures.
    lists = [
        ("/calls", {}, 4),
        ("/calls/decided/results", {}, 6),
        ("/calls/decided", {}, 16),
        ("/submissions", {}, 4),
        ("/submissions", {"state": "scoring"}, 4),
        ("/submissions", {"call": "open-call"}, 5),
    ]
    if persona.role in ("evaluator", "editor"):
        lists.append(("/assignments", {}, 4))
        lists.append(("/assignments", {"call": "open-call"}, 5))
    # A staff role's token also checks its owner's second factor.
    staff = 1 if persona.user.needs_two_factor else 0
    for path, params, most in lists:
        for limit in (2, 100):
            with django_assert_max_num_queries(most + staff):
                response = caller.get(path, {**params, "limit": limit})
                assert response.status_code == 200, (path, params)


def test_the_scores_list_takes_a_fixed_number_of_queries(
    editor, world, django_assert_max_num_queries
):
    for assignment in Assignment.objects.filter(submission=world["blind"]):
        score_all(assignment, 5)
    caller = Caller.of(editor)
    caller.get("/calls")
    with django_assert_max_num_queries(7):
        assert len(caller.items(f"/submissions/{world['blind'].pk}/scores")) == 9
