"""Spiders discover and fetch pages; they never extract. Each yields PageItems."""
