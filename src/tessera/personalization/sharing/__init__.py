"""The school's sharing policy page: what the school always shares with families. The sharing rule itself
(which topics a learner's family may see) stays in :mod:`tessera.personalization.permissions`, its policy
writes in :mod:`tessera.personalization.services`."""
