"""eIndkomst: what a booked dækning means for the borger's income, reported once and corrected
when the money moves (DESIGN §7, seeds 000 and 002).

``beregning`` is the pure rule (ledger facts → expected lines); ``services`` keeps the reporting
ledger equal to it; ``forsendelse`` sends it; ``manuel`` records what a kommune reported by
hand; ``selectors`` reads it for screens, reports and the reconciliation.
"""
