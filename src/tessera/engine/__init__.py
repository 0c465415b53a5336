"""Tessera's engine: pure NumPy models of learners and learning. No Django, no I/O."""
