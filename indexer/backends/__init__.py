"""The engines a job writes through and a plan is evaluated by."""
