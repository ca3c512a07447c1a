"""Event → rows. Projections do no I/O of their own: they get a batch's Changes buffer (rows.py)
and one feed item; the follower and the rebuild write what the buffer holds, in one transaction
with the position."""
