"""Permission cases for schools, classes, learners and the home page."""

from tests.permission_matrix.case import EVERYONE_SIGNED_IN, SEES_SCHOOL_A_NOT_ADMIN, Case, roles

A_CLASS_VIEWERS = roles("admin", "teacher", "co_teacher", "learner", "guardian")
A_ROSTER_VIEWERS = roles("admin", "teacher", "co_teacher")
A_LEARNER_VIEWERS = roles(
    "admin", "teacher", "co_teacher", "learner", "guardian", "specialist", "para", "mentor"
)

CASES = [
    Case("GET /api/me", "GET", lambda w: "/api/me", EVERYONE_SIGNED_IN),
    Case("GET /api/classes", "GET", lambda w: "/api/classes", EVERYONE_SIGNED_IN),
    Case("GET /api/classes/{class_id}", "GET", lambda w: f"/api/classes/{w.a.klass.pk}", A_CLASS_VIEWERS),
    Case(
        "GET /api/classes/{class_id}/learners",
        "GET",
        lambda w: f"/api/classes/{w.a.klass.pk}/learners",
        A_ROSTER_VIEWERS,
    ),
    Case(
        "GET /api/learners/{learner_id}",
        "GET",
        lambda w: f"/api/learners/{w.a.membership(w.a.learner).pk}",
        A_LEARNER_VIEWERS,
    ),
    Case(
        "POST /api/schools/{school_id}/classes",
        "POST",
        lambda w: f"/api/schools/{w.a.school.pk}/classes",
        roles("admin"),
        ok=201,
        forbidden=SEES_SCHOOL_A_NOT_ADMIN,
        payload=lambda w: {
            "name": "Maths 7C",
            "subject": "Mathematics",
            "grade_level": 7,
            "term_id": w.a.term.pk,
        },
    ),
    Case(
        "POST /api/classes/{class_id}/enrolments",
        "POST",
        lambda w: f"/api/classes/{w.a.other_class.pk}/enrolments",
        roles("admin"),
        ok=201,
        forbidden=roles("other_teacher", "other_learner"),
        payload=lambda w: {"learner_id": w.a.membership(w.a.learner).pk},
    ),
    Case("home", "GET", lambda w: "/", EVERYONE_SIGNED_IN, is_api=False),
    Case("password_change", "GET", lambda w: "/accounts/password/", EVERYONE_SIGNED_IN, is_api=False),
    # Everyone chooses the language of their own pages (and only their own: the form has no user field).
    Case("account-language", "GET", lambda w: "/accounts/language/", EVERYONE_SIGNED_IN, is_api=False),
    Case(
        "account-language",
        "POST",
        lambda w: "/accounts/language/",
        EVERYONE_SIGNED_IN,
        ok=302,
        payload=lambda w: {"language": "es"},
        is_api=False,
    ),
    Case(
        "password_change_done", "GET", lambda w: "/accounts/password/done/", EVERYONE_SIGNED_IN, is_api=False
    ),
    Case("class-detail", "GET", lambda w: f"/classes/{w.a.klass.pk}/", A_CLASS_VIEWERS, is_api=False),
    Case(
        "learner-detail",
        "GET",
        lambda w: f"/learners/{w.a.membership(w.a.learner).pk}/",
        A_LEARNER_VIEWERS,
        is_api=False,
    ),
    Case("roster-home", "GET", lambda w: f"/school/{w.a.school.pk}/", roles("admin"), is_api=False),
]
