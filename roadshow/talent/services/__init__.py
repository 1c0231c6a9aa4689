"""The talent pool's services, by concern: people, consent, contacts, stations."""
