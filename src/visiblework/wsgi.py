import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visiblework.settings")
django_application = get_wsgi_application()

from visiblework.core.pagecache import PageCacheFront  # noqa: E402 - needs Django set up

# Anonymous catalogue pages answered again before the middleware (core/pagecache.py).
application = PageCacheFront(django_application)
