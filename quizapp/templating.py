"""Values every template needs: the language, a link to switch it, labels of codes."""

from __future__ import annotations

from typing import Any

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from . import kind_parts
from .bank import negation

CODE_NAMES = {
    "A1": _l("Prestige among the people"),
    "A2": _l("Turning learning into working methods"),
    "A3": _l("Foresight and judgement"),
    "A4": _l("Communicating upward and downward"),
    "A5": _l("Adaptive decisions in the moment"),
    "B": _l("Diagnosing the problems"),
    "C1": _l("Systems, mechanisms and the rule of law"),
    "C2": _l("The right attitude towards the people"),
    "C3": _l("Doing practical and difficult things"),
    "C4": _l("New channels and methods"),
    "C5": _l("Front-line conduct and communication"),
    "C6": _l("Training and study"),
}


# Each locale's code names, translated once (a lazy string would look its translation up
# every time a page prints it).
_CODE_NAMES_BY_LOCALE: dict[str, dict[str, str]] = {}


def current_language() -> str:
    return str(get_locale() or "zh")[:2]


def code_names() -> dict[str, str]:
    """The codes' names in the current locale."""
    locale = str(get_locale() or "zh")
    names = _CODE_NAMES_BY_LOCALE.get(locale)
    if names is None:
        names = {code: str(name) for code, name in CODE_NAMES.items()}
        _CODE_NAMES_BY_LOCALE[locale] = names
    return names


def url_with_language(lang: str) -> str:
    """The current page with ?lang= set, other query arguments kept."""
    args: dict[str, Any] = {**request.view_args} if request.view_args else {}
    args.update({k: v for k, v in request.args.items() if k != "lang"})
    args["lang"] = lang
    if request.endpoint is None:
        return url_for("core.home", lang=lang)
    return url_for(request.endpoint, **args)


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def inject_helpers() -> dict[str, Any]:
        return {
            "current_language": current_language(),
            "url_with_language": url_with_language,
            "code_names": code_names(),
        }

    @app.template_filter("localized")
    def localized(value: dict[str, str] | None) -> str:
        """Pick the current language from a {zh, en} mapping stored in the bank."""
        if not value:
            return ""
        return value.get(current_language()) or value.get("zh") or ""

    @app.template_filter("marked_negation")
    def marked_negation(stem: str) -> Markup:
        """The stem, escaped, with the negation of a "which … not" question emphasised: on a
        small screen a missed 不 turns a right answer into a wrong one."""
        found = negation.find_negation(stem or "")
        if found is None:
            return escape(stem or "")
        return Markup('{}<strong class="negation">{}</strong>{}').format(*found)

    kind_parts.register(app)
