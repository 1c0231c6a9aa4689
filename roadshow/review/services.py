"""Transitional: ``roadshow/live/services.py`` still imports these three names from here inside
its functions. The review's services now live in modules named for what they hold
(``judges_and_conflicts``, ``judging``, ``exceptions``...); delete this module once live imports
them from there (issue 18, the funnel's direction).
"""

from roadshow.review.exceptions import ReviewError
from roadshow.review.judges_and_conflicts import is_conflicted
from roadshow.review.judging import submit_review

__all__ = ["ReviewError", "is_conflicted", "submit_review"]
