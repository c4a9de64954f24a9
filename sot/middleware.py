from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the user chose English with the language switch.

    Django's own middleware follows the browser's Accept-Language, which on many hospital
    computers is English; SOT speaks Swedish by default and English on request.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):  # systems ask for their language with Accept-Language
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response the application makes: pages and API answers carry
    patient data, and neither the browser nor a proxy on the way may keep a copy.

    Static files are answered by WhiteNoise, which sits before this middleware and returns without
    calling it, so they keep their long-lived caching; the STATIC_URL check covers any other server.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        response.setdefault("Pragma", "no-cache")  # HTTP/1.0 caches
        return response
