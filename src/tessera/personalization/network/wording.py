"""Why a peer is suggested, in the learner's language: :mod:`tessera.engine.peers` words it from a
:class:`~tessera.engine.peers.PeerWording`, translated here (Django's gettext) for the language active in
the request."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tessera.engine.peers import PeerWording


def peer_wording() -> PeerWording:
    """Why a peer is suggested, in the active language."""
    return PeerWording(
        mastered=_("%(name)s mastered %(competency)s."),
        mastered_and_likes=_("%(name)s mastered %(competency)s and also likes %(interests)s."),
        last_and=_("%(rest)s and %(last)s"),
    )
