"""The general-ledger export for the country's accounting system: every journal's entries and the
trial balance of a period as CSV, each account mapped to the national chart of accounts
(``chart``: ``chart_of_accounts.csv``); ``export`` writes the files, ``views`` serves them."""
