"""Event → rows. Projections do no I/O of their own: they get a session and one feed item."""
