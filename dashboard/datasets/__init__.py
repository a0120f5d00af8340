"""Builders of the bundled datasets from unchanged public source files."""
