from django.core.checks import Error, register

from rules.protocol import ProtocolError


@register()
def protocol_loads(app_configs, **kwargs):
    """A deployment whose protocol file is broken must not start."""
    from timeline.services import active_protocol

    try:
        active_protocol()
    except (ProtocolError, OSError) as error:
        return [
            Error(
                f"The protocol in PREBIRTH_PROTOCOL cannot be loaded: {error}",
                hint="Fix the file, or set PREBIRTH_PROTOCOL to a protocol in protocols/.",
                id="timeline.E001",
            )
        ]
    return []
