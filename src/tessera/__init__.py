"""Tessera: a mobile-first learning platform for schools."""
