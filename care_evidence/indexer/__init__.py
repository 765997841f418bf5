"""Turn the corpus into cited passages, embedded and stored in a FAISS index."""
