"""Tests of planner.words."""
