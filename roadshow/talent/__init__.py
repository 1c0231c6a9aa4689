"""The talent pool (issue 14, docs/design/talent-pool.md): the people an office keeps in touch
with all year, its liaison stations, their consent and the contact work.

A base-level domain beside ``organisations``: it imports no funnel stage; applications join the
pool through a signal this package listens to.
"""
