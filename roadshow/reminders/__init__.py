"""Scheduled reminders (issue 17): which reminders are due at a moment (``due``, pure), before a
finalist's pitch, a review window's close and a call's close."""
