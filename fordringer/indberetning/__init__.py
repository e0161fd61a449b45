"""Reporting eIndkomst: the daily batch of a kommune's unreported lines through the outbox
(``forsendelse``), its screens (``views``) and API (``api``).

Its own capability beside ``eindkomst``: it writes to the outbox (``udbakke``), which already
reaches ``eindkomst`` through the ledger, so ``eindkomst`` itself must not import the outbox.
"""
