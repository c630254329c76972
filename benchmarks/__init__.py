"""Side-by-side performance benchmarks of policyquant against what a user would otherwise run.

Run them all with ``python -m benchmarks`` (``--quick`` for small sizes); see
``benchmarks/README.md`` for the measured figures.
"""
