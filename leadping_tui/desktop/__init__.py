"""Launching from a desktop menu: the freedesktop.org ``.desktop`` entry and its icon."""
