"""The learner's goals: steps, progress from evidence, reflections at milestones, teachers' comments."""
