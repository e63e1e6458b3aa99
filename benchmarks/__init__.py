"""Speed and memory benchmarks; run with `make bench` (see benchmarks/README.md)."""
