"""CareGap core: data contract, validation, joins, metrics, projections and scenarios (no Dash)."""
