"""The talent pool (issue 14, docs/design/talent-pool.md): the people an office keeps in touch
with all year, its liaison stations, their consent and the contact work.

A base-level domain beside ``organisations``: it imports no funnel stage. Applications (a later
layer) call its services to add applicants to the pool; later layers fill its registries:
``retention`` (why an erased record must be kept) and ``activity`` (a person's applications and
intents, on their page).
"""
