"""Roster management by school administrators: terms, classes, people, enrolments, guardianships and the
CSV import (pages under /school/<school_id>/, the import also through the API)."""
