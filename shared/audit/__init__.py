"""Tamper evidence: each write service's feed hash-chained, sealed and signed; auditors verify.

`chain` says what is hashed, `keys` signs checkpoints, `store` keeps the chain rows and the
checkpoints beside the event store, `sealer` writes them as events arrive, `verify` recomputes
everything from the events, `export` writes and reads JSON Lines exports.
"""
