import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
django_application = get_wsgi_application()

from podium.delivery.pagecache import PageCacheWSGI  # noqa: E402  (after Django's set-up)

# Anonymous readers without cookies of their own get the answer remembered for the address,
# before Django builds a request (see PageCacheWSGI).
application = PageCacheWSGI(django_application)
