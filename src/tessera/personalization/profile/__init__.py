"""The learner's profile (strengths, interests, how they learn best, reading level…) with its history, and
their choices of what their family sees."""
