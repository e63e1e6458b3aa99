"""Metrics: one definition per figure, run as a query by the warehouse engine (docs/metrics.md)."""

from sdmonitor.metrics.catalogue import CATALOGUE, Metric
from sdmonitor.metrics.run import MetricRequest, MetricResult, run_metric

__all__ = ["CATALOGUE", "Metric", "MetricRequest", "MetricResult", "run_metric"]
