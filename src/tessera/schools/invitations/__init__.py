"""Guardian invitations: the rules, the e-mailed single-use code, and the API endpoint (the pages are in
:mod:`tessera.schools.accounts`)."""
