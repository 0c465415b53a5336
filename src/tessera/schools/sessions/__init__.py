"""Signed-in sessions: their idle and absolute time-outs, whether one still counts, and ending every
session of an account."""
