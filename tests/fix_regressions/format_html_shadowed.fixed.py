# fix: PV701
"""`format_html` is a local here: the fix imports Django's under an alias."""
from django.utils.html import format_html as _format_html

from django.utils.safestring import mark_safe


def greet(request):
    format_html = "<i>{}</i>"
    return _format_html("<b>{}</b>", request.GET['name']), format_html
