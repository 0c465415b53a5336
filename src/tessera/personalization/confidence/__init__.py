"""How sure I feel: a learner's confidence per competency, compared with the evidence (calibration)."""
