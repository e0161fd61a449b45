"""The demo: synthetic KMD Aktiv data for one kommune with the intended linking outcome of each
konto, and one demo user per role (``make demo``).

``services.demodata_generer`` writes the five CSV files of DESIGN §6 (``writer``), built
scenario by scenario (``scenarier``) from Danish names and valid-format CPR numbers (``names``,
``bygger``), imports them with the ordinary KMD Aktiv import and stores a ``DemoForventning``
per konto, the yardstick of tests and benchmarks. Production code never imports this app.
"""
