"""Reports: queries over read-model tables only; nothing here writes."""
