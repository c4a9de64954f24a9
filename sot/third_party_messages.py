"""The texts of django-axes that the admin shows, so that our catalogue translates them.

django-axes ships no Swedish catalogue. Django merges every app's catalogue with ours and ours
(LOCALE_PATHS) wins, so a Swedish msgstr for axes' msgids is enough, but `makemessages --no-obsolete`
drops every msgid our code does not mention. Naming them here with gettext_noop keeps them in
locale/sv/LC_MESSAGES/django.po without changing anything at run time. Kept to axes 8.x's strings
(axes/models.py, axes/admin.py): when axes is upgraded, compare and add new ones.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

AXES_MESSAGES = (
    # models: names
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    # models: fields
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    # admin
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
)
