"""Every tenant table carries ``school_id`` (the key Citus shards by); the global ones are listed, with why.

A new model of a tessera app, or a new many-to-many whose through table Django creates, fails
:func:`test_every_tenant_table_carries_its_school` until it gets a ``school`` foreign key or someone adds it
to :data:`GLOBAL_MODELS` with a reason.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import ForeignKey, Model

from tessera.schools.models import School

# Tables with no school, on purpose (in Citus: reference tables, or distributed by something else).
GLOBAL_MODELS = {
    # People: one account may belong to several schools (a guardian of children in two, staff who move).
    "schools.User": "an account may have memberships in several schools",
    # Django's auth links of the user model, global like it (schools grant roles through Membership).
    "schools.User_groups": "Django's group membership of a global account",
    "schools.User_user_permissions": "Django's permissions of a global account",
    # The tenants themselves.
    "schools.School": "the tenant table: its id is the school_id of everything else",
    # Fitted on the answers of every school that uses a framework (a shared framework has school NULL), and
    # read by all of them: one copy for all, a reference table, not per school.
    "practice.LearnerModelFit": "fitted on every school's answers of its framework, which may be shared",
    # One row per guardian, not per school: one weekly digest covers every child in every school.
    "family.GuardianNotificationSettings": "a guardian's settings cover their children in every school",
    "family.DigestDelivery": "one weekly digest per guardian covers their children in every school",
}
# Not tessera apps, so not walked: Django's own tables (auth, sessions, content types) and django-tasks'
# queued task rows (a task names its arguments; it is work for the whole installation, not tenant data).


def _tessera_models() -> list[type[Model]]:
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("tessera.")
        for model in config.get_models(include_auto_created=True)
        if not model._meta.abstract and not model._meta.proxy
    ]


def test_the_walk_sees_every_app_and_auto_created_through_table() -> None:
    labels = {model._meta.label for model in _tessera_models()}
    assert {"schools.Membership", "practice.Answer", "family.FeedEvent", "schools.User_groups"} <= labels
    assert {"personalization.GoalCompetency", "curriculum.ItemCompetency"} <= labels


def test_every_tenant_table_carries_its_school() -> None:
    lacking = []
    for model in _tessera_models():
        label = model._meta.label
        if label in GLOBAL_MODELS:
            continue
        field = next((f for f in model._meta.concrete_fields if f.name == "school"), None)
        if not (
            isinstance(field, ForeignKey) and field.related_model is School and field.column == "school_id"
        ):
            lacking.append(f"{label} ({model._meta.db_table})")
    assert not lacking, (
        f"tenant tables without a school foreign key (or add them to GLOBAL_MODELS): {lacking}"
    )


def test_the_global_list_names_only_models_that_exist_and_have_no_school() -> None:
    models = {model._meta.label: model for model in _tessera_models()}
    for label in GLOBAL_MODELS:
        assert label in models, f"{label} is no model any more: take it off GLOBAL_MODELS"
        assert "school" not in {f.name for f in models[label]._meta.concrete_fields}, label


def test_every_many_to_many_of_a_tenant_model_has_a_through_table_with_the_school() -> None:
    for model in _tessera_models():
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if model._meta.label in GLOBAL_MODELS:
                continue
            assert not through._meta.auto_created, f"{model._meta.label}.{field.name} needs a through model"
            assert "school" in {f.name for f in through._meta.concrete_fields}


@pytest.mark.django_db(transaction=True)
def test_goal_and_progression_links_made_before_the_through_models_keep_their_rows_and_get_a_school() -> None:
    """Migrate back to before 0004, store links the old way (the auto-created table), migrate forward: the
    links are still there, with the school of their goal or progression."""
    # Personalization before its through models; curriculum as it is now (its later migrations are
    # independent of these, and the rows written below need its current columns).
    before = [("personalization", "0003_submission_tokens"), ("curriculum", "0002_framework_content_version")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        school_a = old.get_model("schools", "School").objects.create(name="A", slug="a")
        school_b = old.get_model("schools", "School").objects.create(name="B", slug="b")
        learner = old.get_model("schools", "User").objects.create(username="learner")
        framework = old.get_model("curriculum", "Framework").objects.create(school=None, code="f", name="F")
        domain = old.get_model("curriculum", "Domain").objects.create(
            school=None, framework=framework, code="d", name="D", position=0
        )
        c1, c2 = (
            old.get_model("curriculum", "Competency").objects.create(
                school=None, framework=framework, domain=domain, code=code, name=code, position=n
            )
            for n, code in enumerate(("c1", "c2"))
        )
        goal_a = old.get_model("personalization", "Goal").objects.create(
            school=school_a, learner=learner, title="a"
        )
        goal_b = old.get_model("personalization", "Goal").objects.create(
            school=school_b, learner=learner, title="b"
        )
        goal_a.competencies.set([c1, c2])
        goal_b.competencies.set([c2])
        term = old.get_model("schools", "AcademicTerm").objects.create(
            school=school_b, name="t", starts_on="2026-01-01", ends_on="2026-06-30"
        )
        klass = old.get_model("schools", "SchoolClass").objects.create(
            school=school_b, term=term, name="k", grade_level="1"
        )
        progression = old.get_model("personalization", "ClassProgression").objects.create(
            school=school_b, school_class=klass
        )
        progression.competencies.set([c2, c1])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    from tessera.personalization.choice.models import ClassProgressionCompetency
    from tessera.personalization.goals.models import GoalCompetency

    links = GoalCompetency.objects.order_by("goal__title", "competency__code")
    assert list(links.values_list("goal__title", "competency__code", "school__name")) == [
        ("a", "c1", "A"),
        ("a", "c2", "A"),
        ("b", "c2", "B"),
    ]
    steps = ClassProgressionCompetency.objects.order_by("competency__code")
    assert list(steps.values_list("progression_id", "competency__code", "school__name")) == [
        (progression.pk, "c1", "B"),
        (progression.pk, "c2", "B"),
    ]

    # Links made now (goal.competencies.set / add, as the services do) take their goal's school too.
    from tessera.curriculum.models import Competency
    from tessera.personalization.goals.models import Goal

    goal = Goal.objects.get(title="b")
    goal.competencies.add(Competency.objects.get(code="c1"))
    assert set(GoalCompetency.objects.filter(goal=goal).values_list("school__name", flat=True)) == {"B"}
