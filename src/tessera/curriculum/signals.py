"""What curriculum announces to the apps above it (which it may not import): a framework was imported.

Sent once the import's transaction has committed, with ``framework``; practice fits its learner model on
the worker when it hears it.
"""

from __future__ import annotations

from django.dispatch import Signal

framework_imported = Signal()
