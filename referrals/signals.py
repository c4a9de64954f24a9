"""Signals the lifecycle sends, for apps above referrals that keep something of their own about a request.

Sent inside the change's transaction (synchronously, by Django's dispatcher), so what a receiver writes
commits or rolls back with the change itself; a receiver that raises undoes the change.
"""

from django.dispatch import Signal

# A request was accepted: keyword arguments `referral` (locked, with its receiving unit set), `care_form`
# (day surgery or inpatient, "" if not stated) and `at` (the acceptance's time). The settlement app fixes
# the price in force (settlement/apps.py).
referral_accepted = Signal()

# Something the report's figures count was written: a request's history (every `referral_change`) or an
# obstacle. Keyword arguments `region` (the request's sending region, or the obstacle's region) and `since`
# (the earliest time whose figures it can change: the request's submission, or the obstacle's time). The
# reports app notes it for the months it keeps (reports/figure_store.py), in the same transaction.
figures_touched = Signal()
