"""Account pages beyond the roster: sign-in, sign-out, password change and reset, the language choice, and
the guardian invitation pages (under /accounts/)."""
