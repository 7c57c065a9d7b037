"""Tests of planner.read."""
