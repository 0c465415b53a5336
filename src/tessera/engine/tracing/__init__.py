"""Knowledge tracing: learner models that estimate the chance of a correct next answer per competency.

Every model follows :class:`LearnerModel`: ``fit`` offline, then ``predict`` / ``update`` / ``explain``
online on a small JSON-serializable :class:`LearnerState`.
"""

from tessera.engine.tracing.bkt import BayesianKnowledgeTracing, BktParameters
from tessera.engine.tracing.interface import Evidence, Explanation, LearnerModel, Response
from tessera.engine.tracing.logistic import EvidenceSettings, LogisticEvidenceModel
from tessera.engine.tracing.state import LearnerState

__all__ = [
    "BayesianKnowledgeTracing",
    "BktParameters",
    "Evidence",
    "EvidenceSettings",
    "Explanation",
    "LearnerModel",
    "LearnerState",
    "LogisticEvidenceModel",
    "Response",
]
