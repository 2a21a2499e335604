"""pytest plugin (placeholder, filled in by the platform work)."""
