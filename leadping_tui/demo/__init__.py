"""``--demo``: the simulator with a throwaway watchlist, and the README screenshots made from it."""
