"""The contributions ledger pages (/medlemskap/bidrag)."""
