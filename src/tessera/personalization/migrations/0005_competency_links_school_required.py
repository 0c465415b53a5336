"""The competency links' ``school_id`` (filled in 0004) becomes required, their ids 64-bit like every other
table's, and their uniqueness includes the school (a unique constraint on a sharded table must)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("personalization", "0004_competency_links_carry_school")]

    operations = [
        migrations.AlterField(
            model_name=model,
            name=field,
            field=value,
        )
        for model in ("goalcompetency", "classprogressioncompetency")
        for field, value in (
            ("school", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="schools.school")),
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
        )
    ] + [
        migrations.AlterUniqueTogether(name="goalcompetency", unique_together=set()),
        migrations.AlterUniqueTogether(name="classprogressioncompetency", unique_together=set()),
        migrations.AddConstraint(
            model_name="goalcompetency",
            constraint=models.UniqueConstraint(fields=("school", "goal", "competency"), name="goal_competency_once"),
        ),
        migrations.AddConstraint(
            model_name="classprogressioncompetency",
            constraint=models.UniqueConstraint(
                fields=("school", "progression", "competency"), name="progression_competency_once"
            ),
        ),
    ]
