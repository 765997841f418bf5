"""The evidence explorer for UK health and social care integration reports.

Subpackages, each with one job: `indexer` (documents into cited passages and an index), `evidence`
(the query engine), `eval` (scores and the CI gate) and `app` (the Streamlit app).
"""
