"""Sharing with families: the sharing rule (which topics a learner's family may see,
:mod:`tessera.personalization.sharing.permissions`) and the school's policy that it follows (its model, its
writes and the administrator's page at /school/<id>/sharing/)."""
