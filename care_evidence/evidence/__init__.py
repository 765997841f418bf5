"""The query engine: retrieval over the index (answers and lookups build on it)."""
