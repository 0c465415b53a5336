"""The learning network (a learner's connections in their school) and peer help between learners."""
