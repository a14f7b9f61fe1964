"""The sign-in code a demo person's authenticator app would show now, so the demo can be
tried without a phone. Refused outside the demo: it reads the person's secret."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor


class Command(BaseCommand):
    help = "Print a demo person's current sign-in code (demo settings only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if settings.PRODUCTION or not settings.DEBUG:
            raise CommandError(
                "demo_code reads a person's two-factor secret: it runs only in the demo"
                " (DJANGO_ENV=development with DEBUG on)",
                returncode=2,
            )
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(
                f"username: no one called {username!r} has set up two-factor sign-in",
                returncode=2,
            )
        code, seconds = two_factor.code_now(device)
        if code is None:
            raise CommandError(
                f"{username} has just used the next code: wait {seconds} seconds", returncode=1
            )
        self.stdout.write(code)
        self.stderr.write(f"(works for about {seconds} more seconds, once)")
