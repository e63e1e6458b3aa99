"""A realistic fictional municipality for demos, tests and benchmarks (see ``docs/demo.md``)."""

from sdmonitor.demo.generate import GeneratedFiles, GenerateOptions, extraction_date, generate

__all__ = ["GenerateOptions", "GeneratedFiles", "extraction_date", "generate"]
