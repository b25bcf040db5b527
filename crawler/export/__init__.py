"""The archive as files for others: JSONL, CSV and Parquet exports with their dataset card.

It owns the export itself (`files`: columns, filters, the formats, refusing to overwrite
the archive) and the dataset card written beside an export (`dataset_card`).
"""
