# fix: PV701
"""`format_html` is imported only for the type checker: the fix imports it for real."""
from django.utils.html import format_html

from typing import TYPE_CHECKING

from django.utils.safestring import mark_safe

if TYPE_CHECKING:
    from django.utils.html import format_html


def greet(request):
    return format_html("<b>{}</b>", request.GET['name'])
