"""Documents must never be reachable except through the audited download, and a
deployment that uploads without virus scanning says so."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Info, register


def _served_folders() -> list[tuple[str, Path]]:
    """The folders whose files the service sends as they are, or renders."""
    folders = [("STATIC_ROOT", settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    for entry in settings.STATICFILES_DIRS:
        folder = entry[1] if isinstance(entry, list | tuple) else entry
        folders.append(("STATICFILES_DIRS", folder))
    for engine in settings.TEMPLATES:
        folders += [("TEMPLATES DIRS", folder) for folder in engine.get("DIRS", [])]
    if getattr(settings, "MEDIA_ROOT", ""):
        folders.append(("MEDIA_ROOT", settings.MEDIA_ROOT))
    return [(name, Path(folder).resolve()) for name, folder in folders]


@register()
def documents_root_is_private(app_configs, **kwargs):
    root = Path(settings.DOCUMENTS_ROOT).resolve()
    errors = [
        Error(
            f"DOCUMENTS_ROOT ({root}) is inside {name} ({folder}): uploaded documents"
            " could be served without an access check or an audit row",
            hint="Set DOCUMENTS_ROOT to a folder outside the static files and templates,"
            " e.g. var/documents.",
            id="documents.E001",
        )
        for name, folder in _served_folders()
        if root.is_relative_to(folder)
    ]
    if settings.DOCUMENTS_MAX_MB < 1:
        errors.append(
            Error(
                f"DOCUMENTS_MAX_MB is {settings.DOCUMENTS_MAX_MB}: no document could be uploaded",
                hint="Set it to the largest file in megabytes, e.g. 20.",
                id="documents.E002",
            )
        )
    return errors


@register(deploy=True)
def documents_scanned_in_production(app_configs, **kwargs):
    """An Info, not a Warning: production cannot start without DOCUMENTS_SCANNER set
    (config/settings.py), so "none" there is a choice made on purpose. It is shown by
    every `check --deploy`, and fails none (`--fail-level WARNING` stays clean)."""
    if not settings.PRODUCTION or settings.DOCUMENTS_SCANNER is not None:
        return []
    return [
        Info(
            "DOCUMENTS_SCANNER is none: uploaded documents are not scanned for viruses",
            hint="Set DOCUMENTS_SCANNER to a ClamAV daemon (tcp://HOST:PORT or"
            " unix:///PATH) unless the files are scanned elsewhere.",
            id="documents.I001",
        )
    ]
