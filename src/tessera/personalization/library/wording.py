"""The recommender's explanations in the learner's language: :mod:`tessera.engine.recommend` words them
from a :class:`~tessera.engine.recommend.Wording`, translated here (Django's gettext) for the language
active in the request."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tessera.engine.recommend import Wording


def learner_wording() -> Wording:
    """The engine's explanation sentences in the active language."""
    return Wording(
        unlinked=_("This one is not linked to a competency yet"),
        mastered=_("You have already mastered %(name)s, so this one would be a refresher"),
        locked=_(
            "%(name)s builds on %(needed)s, which you have not mastered yet, so this one may be hard for now"
        ),
        ready_built_on=_("You are ready for %(name)s (you mastered %(built_on)s, which it builds on)"),
        started_built_on=_(
            "You are ready for %(name)s (you mastered %(built_on)s, which it builds on) and have started it"
        ),
        started=_("You have started %(name)s and this one can take you further"),
        ready=_("You are ready to start %(name)s"),
        with_topics=_("%(reason)s, and this one is about %(topics)s, which you like"),
        topics=_("It is about %(topics)s, which you like"),
        kind=_("It is %(noun)s, which you like to learn from."),
        level=_("It is written at your reading level."),
        level_hard=_("The reading may be hard for now."),
        level_easy=_("The reading may feel easy."),
        other_kind=_("a %(kind)s"),
        kind_nouns={
            "reading": _("a reading"),
            "video": _("a video"),
            "interactive": _("a hands-on, interactive activity"),
            "worksheet": _("a worksheet"),
        },
        last_and=_("%(rest)s and %(last)s"),
    )
