"""Goal.competencies and ClassProgression.competencies get explicit through models that carry ``school_id``
(every tenant table does, for sharding by school). The through models take over the tables Django created
for the many-to-manys, with their rows: the state learns about them without touching the database, then
``school_id`` is added, filled from the owning goal or progression, and made required in 0005 (a separate
migration: PostgreSQL refuses to alter a table with pending deferred-constraint checks from the fill)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def _through(name: str, owner: str, owner_field: str, table: str, column: str | None) -> migrations.CreateModel:
    owner_options = {"db_column": column} if column else {}
    return migrations.CreateModel(
        name=name,
        fields=[
            ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            (
                owner_field,
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, to=f"personalization.{owner}", **owner_options
                ),
            ),
            (
                "competency",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="+", to="curriculum.competency"
                ),
            ),
        ],
        options={"db_table": table, "unique_together": {(owner_field, "competency")}},
    )


def fill_school(apps, schema_editor):  # type: ignore[no-untyped-def]
    for through, owner, owner_field in (
        ("GoalCompetency", "Goal", "goal"),
        ("ClassProgressionCompetency", "ClassProgression", "progression"),
    ):
        owners = apps.get_model("personalization", owner).objects.filter(pk=OuterRef(f"{owner_field}_id"))
        apps.get_model("personalization", through).objects.filter(school__isnull=True).update(
            school_id=Subquery(owners.values("school_id")[:1])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("curriculum", "0001_initial"),
        ("personalization", "0003_submission_tokens"),
        ("schools", "0003_access_ends_and_audit"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                _through("GoalCompetency", "goal", "goal", "personalization_goal_competencies", None),
                migrations.AlterField(
                    model_name="goal",
                    name="competencies",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        through="personalization.GoalCompetency",
                        to="curriculum.competency",
                    ),
                ),
                _through(
                    "ClassProgressionCompetency",
                    "classprogression",
                    "progression",
                    "personalization_classprogression_competencies",
                    "classprogression_id",
                ),
                migrations.AlterField(
                    model_name="classprogression",
                    name="competencies",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="The class's sequence, in teaching order.",
                        related_name="+",
                        through="personalization.ClassProgressionCompetency",
                        to="curriculum.competency",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="goalcompetency",
            name="school",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, to="schools.school"
            ),
        ),
        migrations.AddField(
            model_name="classprogressioncompetency",
            name="school",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, to="schools.school"
            ),
        ),
        migrations.RunPython(fill_school, migrations.RunPython.noop),
    ]
