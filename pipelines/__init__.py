"""Item pipelines: validate -> dedup -> store, one class per module."""
