"""The learner's library: search, saved resources, and recommendations that say why."""
