"""Messages to groups (issue 17): an organizer writes to a filtered group of an event's people
(or of the office's talent pool by a saved search), previews who receives it, and one background
job delivers it to each in their language, by mail and in the app."""
