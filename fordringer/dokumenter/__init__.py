"""Documents a borger can read (issue #20): kontoudtog, kontooversigt and letters as PDF/A,
stored immutably with their hash and sent as Digital Post through the outbox."""
