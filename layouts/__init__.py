"""Dash components of the CareGap page, one module per panel."""
