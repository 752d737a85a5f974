# fix: PV701
"""`format_html` is a local here: the fix imports Django's under an alias."""

from django.utils.safestring import mark_safe


def greet(request):
    format_html = "<i>{}</i>"
    return mark_safe(f"<b>{request.GET['name']}</b>"), format_html
