"""Guardians' notification settings and the weekly e-mail digest (/family/notifications/)."""
