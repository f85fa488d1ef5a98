"""Council data roadmap: analysis package (pure functions, no Snakemake)."""
