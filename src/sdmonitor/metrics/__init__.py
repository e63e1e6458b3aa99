"""Metrics: one definition per figure, run as a query by the warehouse."""
