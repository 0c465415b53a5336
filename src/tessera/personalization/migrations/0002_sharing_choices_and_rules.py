"""The learner's one sharing choice becomes three (profile, goals, reflections: each keeps the old value),
and the school's policy says what it always shares with guardians."""

from django.db import migrations, models


def copy_choice(apps, schema_editor):  # type: ignore[no-untyped-def]
    LearnerProfile = apps.get_model("personalization", "LearnerProfile")
    LearnerProfile.objects.filter(share_with_guardians=True).update(
        share_profile=True, share_goals=True, share_reflections=True
    )
    # The history shows the choices as they were: three where there was one.
    LearnerProfileVersion = apps.get_model("personalization", "LearnerProfileVersion")
    for version in LearnerProfileVersion.objects.filter(snapshot__has_key="share_with_guardians"):
        shared = bool(version.snapshot.pop("share_with_guardians"))
        version.snapshot.update(share_profile=shared, share_goals=shared, share_reflections=shared)
        version.save(update_fields=["snapshot"])


def join_choices(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Back to one choice: shared only when all three were."""
    LearnerProfile = apps.get_model("personalization", "LearnerProfile")
    LearnerProfile.objects.filter(share_profile=True, share_goals=True, share_reflections=True).update(
        share_with_guardians=True
    )


class Migration(migrations.Migration):
    dependencies = [("personalization", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="learnerprofile",
            name="share_profile",
            field=models.BooleanField(default=False, help_text="My family sees my profile."),
        ),
        migrations.AddField(
            model_name="learnerprofile",
            name="share_goals",
            field=models.BooleanField(default=False, help_text="My family sees my goals."),
        ),
        migrations.AddField(
            model_name="learnerprofile",
            name="share_reflections",
            field=models.BooleanField(default=False, help_text="My family sees my reflections on my goals."),
        ),
        migrations.RunPython(copy_choice, join_choices),
        migrations.RemoveField(model_name="learnerprofile", name="share_with_guardians"),
        migrations.AddConstraint(
            model_name="learnerprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(share_reflections=False) | models.Q(share_goals=True),
                name="learner_profile_reflections_need_goals",
            ),
        ),
        migrations.AlterField(
            model_name="personalizationpolicy",
            name="learner_chooses_sharing_from_age",
            field=models.PositiveSmallIntegerField(
                default=13,
                help_text="From this age the learner chooses what their family sees of their own work.",
            ),
        ),
        migrations.AddField(
            model_name="personalizationpolicy",
            name="always_share_practice",
            field=models.BooleanField(default=True, help_text="Practice progress: competencies mastered."),
        ),
        migrations.AddField(
            model_name="personalizationpolicy",
            name="always_share_assessment",
            field=models.BooleanField(default=True, help_text="Assessment grades."),
        ),
        migrations.AddField(
            model_name="personalizationpolicy",
            name="always_share_support",
            field=models.BooleanField(
                default=False,
                help_text='Support sessions logged by specialists and para-professionals (none are recorded yet).',
            ),
        ),
        migrations.AddField(
            model_name="personalizationpolicy",
            name="always_share_feedback",
            field=models.BooleanField(
                default=True, help_text="Teachers' feedback on assessments."
            ),
        ),
    ]
