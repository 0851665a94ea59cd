"""Time: the one wall-clock reading (``clock``) and times shown to people (``timefmt``)."""
