"""mandaat test suite."""
