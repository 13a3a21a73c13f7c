"""Templates' `_()` through the translations kept per request (quizapp.i18n): the same words as
flask_babel's own lookup, in the request's language, and in the forced one inside
`force_locale` (the editor previews an item in both languages in one request)."""

from flask import render_template_string
from flask_babel import force_locale, gettext

TEMPLATE = "{{ _('Saved') }}|{{ _('Question %(n)s.', n='<b>') }}"


def test_templates_translate_as_babel_does_in_the_requests_language(app):
    for lang, saved in (("zh", "已保存"), ("en", "Saved")):
        with app.test_request_context(f"/?lang={lang}"):
            first = render_template_string(TEMPLATE)
            assert first.startswith(f"{gettext('Saved')}|")
            assert first.split("|")[0] == saved
            assert "&lt;b&gt;" in first  # the variables are escaped, as before
            assert render_template_string(TEMPLATE) == first  # from the kept translations


def test_force_locale_changes_the_words_and_they_come_back_after(app):
    with app.test_request_context("/?lang=zh"):
        assert render_template_string("{{ _('Saved') }}") == "已保存"
        with force_locale("en"):
            assert render_template_string("{{ _('Saved') }}") == "Saved"
        assert render_template_string("{{ _('Saved') }}") == "已保存"


def test_texts_are_formatted_as_jinja_formats_them_with_and_without_variables(app):
    """Jinja's newstyle gettext formats every text, with variables or not: '%%' prints '%',
    a text without '%' comes back as it is, and a translation stays Markup (escaped once)."""
    with app.test_request_context("/?lang=en"):
        assert render_template_string("{{ _('100%% done') }}") == "100% done"
        assert render_template_string("{{ _('pass mark %(pct)d%%', pct=60) }}") \
            == "pass mark 60%"
        assert render_template_string("{{ _('a <b> & c') }}") == "a <b> & c"
        assert render_template_string("{{ gettext('Saved') }}") == "Saved"
        assert render_template_string("{% autoescape false %}{{ _('x %%') }}"
                                      "{% endautoescape %}") == "x %"
