"""The annual evaluation pages (/medlemskap/vurdering)."""
