from django.db import models
n = models.Manager()
n.objects.raw("€%s" % x)
n.objects.extra(where=[f"→{x}"])
