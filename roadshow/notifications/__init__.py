"""Notifications (issue 17): what each person is told, in the app and by mail, as they chose."""
