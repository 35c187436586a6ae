"""Starting a partnership: founding it, inviting its people, their roles and its settings."""
