"""API of eIndkomst, one module per screen it mirrors."""
