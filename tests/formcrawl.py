"""Finding the service's pages and forms without listing them by hand.

Used by the tests that must cover every form, including forms added later: the
URL patterns give the pages, each page's HTML gives its forms and what they show.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.urls import URLPattern, URLResolver, get_resolver

# Pages that are not the service's own (Django's admin has its own forms and tests).
SKIPPED_PREFIXES = ("admin/",)


def url_routes() -> Iterator[tuple[str, str]]:
    """(route, name) for every URL pattern, e.g. ("cases/<uuid:case_id>/edd/", "edd_revise")."""

    def walk(patterns, prefix: str):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route, pattern.name or ""

    yield from walk(get_resolver().url_patterns, "")


def route_parameters(route: str) -> list[str]:
    """The parameter names in a route: "cases/<uuid:case_id>/" -> ["case_id"]."""
    names = []
    for part in route.split("<")[1:]:
        names.append(part.split(">", 1)[0].split(":")[-1])
    return names


def fill_route(route: str, values: dict[str, str]) -> str:
    path = route
    for part in route.split("<")[1:]:
        placeholder = "<" + part.split(">", 1)[0] + ">"
        name = placeholder[1:-1].split(":")[-1]
        path = path.replace(placeholder, str(values[name]))
    return "/" + path


@dataclass
class Form:
    action: str
    method: str
    # (name, value) pairs exactly as a browser would submit them unchanged.
    fields: list[tuple[str, str]] = field(default_factory=list)
    # Names of the inputs a person can see and change (not hidden, not buttons).
    visible: set[str] = field(default_factory=set)
    # True when some box a person types in shows a value: the form edits something stored
    # (a choice ticked or selected may be a default, as on a new case's form).
    shows_values: bool = False
    submit: tuple[str, str] | None = None
    has_submit: bool = False

    def press(self, name: str | None, value: str) -> None:
        """A submit button: the first one is what pressing Enter sends."""
        if not self.has_submit and name:
            self.submit = (name, value)
        self.has_submit = True

    def data(self) -> dict[str, list[str]]:
        """The submission, as the test client takes it (lists for repeated names)."""
        data: dict[str, list[str]] = {}
        pairs = list(self.fields)
        if self.submit:
            pairs.append(self.submit)
        for name, value in pairs:
            data.setdefault(name, []).append(value)
        return data


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "image"}:
                form.press(name, a.get("value", ""))
                return
            if not name or "disabled" in a:
                return
            if kind in {"checkbox", "radio"}:
                form.visible.add(name)
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
                return
            if kind != "hidden":
                form.visible.add(name)
                if a.get("value"):
                    form.shows_values = True
            form.fields.append((name, a.get("value", "")))
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit":
                form.press(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = {"name": name, "options": [], "selected": None}
            form.visible.add(name)
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}
            form.visible.add(name)

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        form = self._form
        if tag == "option" and self._option is not None and self._select is not None:
            option = self._option
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self._select["options"].append(value)
            if option["selected"]:
                self._select["selected"] = value
            self._option = None
        elif tag == "select" and self._select is not None and form is not None:
            select = self._select
            chosen = select["selected"]
            if chosen is None and select["options"]:
                chosen = select["options"][0]
            if chosen is not None:
                form.fields.append((select["name"], chosen))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and form is not None:
            # The HTML parser keeps the newline browsers drop after <textarea>.
            text = self._textarea["text"].removeprefix("\n")
            form.fields.append((self._textarea["name"], text))
            if text:
                form.shows_values = True
            self._textarea = None
        elif tag == "form" and form is not None:
            self.forms.append(form)
            self._form = None


def forms_on(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms
