#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sot.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # Django defers a settings error and then fails with a misleading "Models aren't loaded yet";
    # reading the settings here shows the real message (e.g. "SECRET_KEY must be set when DEBUG is off").
    if len(sys.argv) > 1 and sys.argv[1] not in ("help", "--help", "-h", "version", "--version"):
        settings.INSTALLED_APPS  # noqa: B018  (raises ImproperlyConfigured with the variable's name)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
