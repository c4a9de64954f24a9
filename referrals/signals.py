"""Signals the lifecycle sends, for apps above referrals that keep something of their own about a request.

Sent inside the change's transaction (synchronously, by Django's dispatcher), so what a receiver writes
commits or rolls back with the change itself; a receiver that raises undoes the change.
"""

from django.dispatch import Signal

# A request was accepted: keyword arguments `referral` (locked, with its receiving unit set), `care_form`
# (day surgery or inpatient, "" if not stated) and `at` (the acceptance's time). The settlement app fixes
# the price in force (settlement/apps.py).
referral_accepted = Signal()
