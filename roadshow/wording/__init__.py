"""Editable mail wording (issue 17): organisers' subjects and bodies per office and per event,
stored here and installed into roadshow.mail.wording at app start."""
