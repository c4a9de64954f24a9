"""Test settings: the production settings with a known key and fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# As the demo: every local account signs in with its password; tests of the production policy override these.
os.environ.setdefault("LOCAL_LOGIN", "all")
os.environ.setdefault("ADMIN_REQUIRES_OTP", "0")

from sot.settings import *  # noqa: F403  (test settings extend the real ones on purpose)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Tasks run inside the test unless a test starts a real worker on purpose.
CELERY_TASK_ALWAYS_EAGER = True
OUTBOX_DELIVER_ON_COMMIT = True  # e-mail is sent right after the commit, as without workers
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
# F405 below: names that come from the star import of the real settings above.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory, so that concurrent connections in tests wait for locks as in production.
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}  # noqa: F405
STATIC_ROOT = None  # served from the app folders by the finders in tests
WHITENOISE_USE_FINDERS = True
# A key prefix of this run's own: the shared Redis outlives test databases, whose ids start again at 1, so
# what one run kept (sot.reference_cache) must never be found by the next.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}-{os.urandom(4).hex()}"  # noqa: F405
