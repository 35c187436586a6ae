"""Bring in what a partnership has: volunteers and activities from CSV, and back out again."""
