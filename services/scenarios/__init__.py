"""Seed-driven scenarios: event histories whose reports equal the figures the seeds publish."""
