"""Pure functions over the tidy tables: metrics and summaries that reports print."""
