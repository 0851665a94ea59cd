"""What reaches the terminal: escape sequences (clipboard, notices, tmux), text made
safe to show, and desktop notifications through notify-send."""
