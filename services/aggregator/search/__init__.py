"""Finding any record by its words: the search index's text, its queries on each store, and the
hits it answers (GET /search, the dashboard's search page)."""
