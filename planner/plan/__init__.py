"""Model -> Schedule: the scheduler and the missed-dose re-plan; pure."""
