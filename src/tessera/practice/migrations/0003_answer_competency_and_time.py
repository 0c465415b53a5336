import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("curriculum", "0001_initial"),
        ("practice", "0002_review_and_evidence"),
    ]

    operations = [
        migrations.AlterField(
            model_name="answer",
            name="competency",
            field=models.ForeignKey(
                help_text="The competency this answer is evidence for.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="curriculum.competency",
            ),
        ),
        migrations.AlterField(
            model_name="answer",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
    ]
