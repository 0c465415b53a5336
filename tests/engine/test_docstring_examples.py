"""Every example in the engine's docstrings runs and shows what it claims."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import tessera.engine

MODULES = sorted(
    module.name for module in pkgutil.walk_packages(tessera.engine.__path__, prefix="tessera.engine.")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_public_classes_have_examples() -> None:
    from tessera.engine.tracing import BayesianKnowledgeTracing, LogisticEvidenceModel

    for cls in (BayesianKnowledgeTracing, LogisticEvidenceModel):
        assert ">>>" in (cls.__doc__ or "")
