"""Metrics: every figure declared once (catalogue.py) and run as a query by the warehouse engine (docs/metrics.md)."""

from sdmonitor.metrics.catalogue import CATALOGUE, MEASURES, OPTIONS, Kind, Measure, Metric, Option, header
from sdmonitor.metrics.run import MetricRequest, MetricResult, run_metric

__all__ = [
    "CATALOGUE",
    "MEASURES",
    "OPTIONS",
    "Kind",
    "Measure",
    "Metric",
    "MetricRequest",
    "MetricResult",
    "Option",
    "header",
    "run_metric",
]
