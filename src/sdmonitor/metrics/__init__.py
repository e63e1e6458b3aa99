"""Metrics: every figure declared once (catalogue.py) and run as a query by the warehouse engine (docs/metrics.md)."""

from sdmonitor.metrics.catalogue import CATALOGUE, MEASURES, Kind, Measure, Metric, header
from sdmonitor.metrics.run import MetricRequest, MetricResult, run_metric

__all__ = [
    "CATALOGUE",
    "MEASURES",
    "Kind",
    "Measure",
    "Metric",
    "MetricRequest",
    "MetricResult",
    "header",
    "run_metric",
]
