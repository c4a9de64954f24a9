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
