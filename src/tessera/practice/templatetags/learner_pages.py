"""Template filters of the learner's pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get_status(labels: dict[str, str], status: str) -> str:
    """The label of a progress status (``mastered``, ``in_progress``, ...)."""
    return str(labels.get(status, status))


@register.simple_tag
def practice_words() -> dict[str, str]:
    """What ``practice.js`` says, in the learner's language (``%(name)s`` marks a value it fills in)."""
    return {
        "serverAnswered": _("The server could not take this (error %(status)s). Try again in a moment."),
        "waitingOne": _("1 answer is saved on this phone; it will be sent when you are back online."),
        "waitingMany": _(
            "%(count)s answers are saved on this phone; they will be sent when you are back online."
        ),
        "sentEarlierOne": _("1 answer saved on this phone earlier has been sent."),
        "sentEarlierMany": _("%(count)s answers saved on this phone earlier have been sent."),
        "rejectedEarlier": _("An answer saved earlier (to “%(stem)s”) was not accepted: %(detail)s"),
        "signInEnded": _("Your sign-in has ended: sign in again, and your saved answers will be sent."),
        "savedOffline": _("Saved on this phone; it will be sent when you are back online."),
        "savedBusy": _("Saved on this phone; the server is busy, so it will be sent again shortly."),
        "offlineNext": _(
            "You are offline. Your answers are safe on this phone; the next question will come as soon as "
            "you are back online."
        ),
        "review": _("Review"),
        "answerNumber": _("Your answer (a number)"),
        "answerText": _("Your answer"),
        "helpNumber": _("For example 12, 2.5, 3/4 or 1 1/2."),
        "helpText": _("A word or a short phrase."),
        "hintFirst": _("Show a hint (%(count)s available)"),
        "hintMore": _("Show another hint (%(count)s left)"),
        "hintNone": _("No more hints"),
        "chooseFirst": _("Choose one of the options first."),
        "chooseSome": _("Choose at least one of the options first."),
        "chooseOne": _("Choose one answer."),
        "chooseAll": _("Choose every right answer: one or more."),
        "typeFirst": _("Type your answer first."),
        "checking": _("Checking your answer…"),
        "notAccepted": _("Your answer was not accepted: %(detail)s"),
        "right": _("Right!"),
        "wrong": _("Not quite."),
        "masteryOf": _("Mastery of %(name)s"),
        "mastered": _("Mastered! You have mastered %(name)s."),
        "reviewOn": _("It will come back for a review on %(date)s."),
        "unlocks": _("This unlocks:"),
        "loadingNext": _("Loading the next question…"),
        "pendingEnd": _(
            "Some answers are still saved on this phone. End the session when you are back online, so they "
            "count."
        ),
        "offlineEnd": _("You are offline: end the session when you are back online."),
        "summaryOne": _("You answered %(count)s question and got %(correct)s right."),
        "summaryMany": _("You answered %(count)s questions and got %(correct)s right."),
        "readAloud": _("Read aloud"),
        "stopReading": _("Stop"),
        "readOption": _("Option %(number)s: %(text)s"),
        "readAloudMissing": _("Read-aloud is not available in this browser."),
    }
