"""Each child's progress told to their family (/family/<school>/<child>/progress/)."""
