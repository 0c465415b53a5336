"""A learner's sign-in managed by their teachers and the school's administrators (passwords, sign-in cards
under /classes/<id>/sign-in/), and sign-in throttling (django-axes)."""
