"""Catalogue pages and API answers kept per process until the catalogue changes
(core/pagecache.py, keyed by the catalogue version of cases/facets.py)."""

from visiblework.core.pagecache import cached_pages

from .facets import current_version
from .indexing import CATALOGUE_VERSION

catalogue_page = cached_pages(CATALOGUE_VERSION, current_version)
