"""Tests of planner.write."""
