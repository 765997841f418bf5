"""Known facts about the corpus, retrieval metrics over them, and the regression gate."""
