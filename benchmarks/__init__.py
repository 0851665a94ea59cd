"""Benchmarks of leadping-tui against the loopback simulator (see BENCHMARKS.md).

Run everything with ``python -m benchmarks``; ``--smoke`` runs each figure in a
tiny mode.  Nothing here is imported by the app, and this module imports
nothing heavy so that ``python -m benchmarks.baseline_app`` starts as fast as
a bare Textual app.
"""
