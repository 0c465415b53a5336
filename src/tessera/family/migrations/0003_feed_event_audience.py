"""Who a feed event is for: its topic (read against what is shared with the child's guardians) and, for a
message, the one guardian whose conversation it is in."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TOPIC_OF_KIND = {
    "competency_mastered": "practice",
    "goal_reached": "goals",
    "assessment_graded": "assessment",
    "teacher_feedback": "feedback",
    "support_session": "support",
    "message_received": "messages",
}


def fill_audience(apps, schema_editor):  # type: ignore[no-untyped-def]
    FeedEvent = apps.get_model("family", "FeedEvent")
    Conversation = apps.get_model("family", "Conversation")
    for kind, topic in TOPIC_OF_KIND.items():
        FeedEvent.objects.filter(kind=kind).update(topic=topic)
    guardians = dict(Conversation.objects.values_list("pk", "guardian_id"))
    for event in FeedEvent.objects.filter(kind="message_received").only("pk", "payload"):
        guardian_id = guardians.get(event.payload.get("conversation_id"))
        if guardian_id is not None:
            FeedEvent.objects.filter(pk=event.pk).update(guardian_id=guardian_id)
        else:  # a message of a conversation that no longer exists: for nobody
            event.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("family", "0002_messages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="feedevent",
            name="topic",
            field=models.CharField(
                choices=[
                    ("practice", "Practice progress"),
                    ("goals", "Goals"),
                    ("reflections", "Reflections"),
                    ("assessment", "Assessment grades"),
                    ("support", "Support sessions"),
                    ("feedback", "Teacher feedback"),
                    ("messages", "Messages"),
                ],
                default="practice",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="feedevent",
            name="guardian",
            field=models.ForeignKey(
                blank=True,
                help_text="Only this guardian sees the event; empty: every guardian of the child.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(fill_audience, migrations.RunPython.noop),
    ]
