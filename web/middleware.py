from django.utils.cache import add_never_cache_headers

from rules.text import clean_text


class NoStoreMiddleware:
    """Pages for signed-in people hold personal data: never keep them in a cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] += ", no-store"
        return response


class CleanHeadersMiddleware:
    """Headers as sent by a browser, without NUL or control characters: the user agent
    goes into the audit log and the sign-in lockout records, and the database refuses
    NUL. First in the list, so nothing after it sees the raw header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, value in request.META.items():
            if key.startswith("HTTP_") and isinstance(value, str) and not value.isprintable():
                request.META[key] = clean_text(value)
        return self.get_response(request)
