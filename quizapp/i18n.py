"""Language choice: ?lang= switches and is remembered; otherwise Accept-Language decides."""

from __future__ import annotations

from typing import Any

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, has_app_context, request, session
from flask_babel import get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup


def remember_language_choice() -> None:
    chosen = request.args.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        session["lang"] = chosen


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen in languages:
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages, default=languages[0])


def request_translations() -> Translations | NullTranslations:
    """flask_babel's `get_translations()`, kept on `g` with the locale it was made for.

    flask_babel resolves the request context three times and formats the locale's name at
    every `_()` (a page prints dozens); this resolves `g` once per call and reuses the
    translations while the locale object is the same (`force_locale` sets another one).
    """
    if not has_app_context():
        return get_translations()
    store = g._get_current_object()
    locale = getattr(getattr(store, "_flask_babel", None), "babel_locale", None)
    found = getattr(store, "_quizapp_translations", None)
    if found is not None and locale is not None and found[0] is locale:
        return found[1]
    translations = get_translations()  # chooses the locale on first use
    store._quizapp_translations = (  # type: ignore[attr-defined]
        getattr(getattr(store, "_flask_babel", None), "babel_locale", None), translations)
    return translations


def install_template_gettext(app: Flask) -> None:
    """Templates' `_()`, `ngettext()` … through `request_translations` (after Babel's own
    installation, which this replaces with the same newstyle behaviour)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
    # `_()` itself, the call a page makes dozens of times, without Jinja's alias indirection.
    app.jinja_env.globals.update(gettext=template_gettext, _=template_gettext)


@pass_context
def template_gettext(context: Context, string: str, **variables: Any) -> str:
    """Jinja's newstyle `gettext`: the translation, as Markup under autoescaping, formatted with
    the variables. Jinja formats even without variables (so "%%" prints "%"); a text with no
    "%" formats to itself, and skipping that spares a page a few hundred microseconds."""
    text = request_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704  # nosec B704  # our own catalogue, as Jinja trusts it
    return text % variables if variables or "%" in text else text
