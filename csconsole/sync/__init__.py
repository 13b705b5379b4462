"""Joins sources and the store: each fetched batch commits with the cursor that covers it."""
