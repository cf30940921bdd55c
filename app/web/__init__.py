"""The read-only web site and JSON API."""
