"""A realistic fictional municipality for demos, tests and benchmarks (see ``docs/demo.md``)."""

from sdmonitor.demo.generate import GeneratedFiles, GenerateOptions, generate

__all__ = ["GenerateOptions", "GeneratedFiles", "generate"]
