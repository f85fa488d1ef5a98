"""What every stage shares: file I/O, reading and validating input tables, the PII gate,
disclosure control, rounding and formatting, deterministic xlsx, plotting, and the
vocabularies and financial years more than one stage uses."""
