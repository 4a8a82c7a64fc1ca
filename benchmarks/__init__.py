"""civhub's benchmarks: search latency and memory at 10,000 and 100,000 documents on SQLite and
PostgreSQL, and search quality on the demo data. `make bench` runs them all
(`python -m benchmarks`) and writes docs/benchmarks.md; see that page for the method.
"""
