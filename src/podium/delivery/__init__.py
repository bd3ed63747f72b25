"""The delivery layer: how pages reach readers fast, above the domain and unknown to it.

The domain says when readers see a change (`podium.core.freshness`); this app decides what to
keep and for how long: the page cache and its memory layers (`pagecache`), the frames and page
fragments (`templatetags.chrome`, `templatetags.page_fragments`), the reads kept under the page
cache's generation (`reads`: the published article, listings, search results, "read more"), and
the token-free forms of cached pages (`csrf`). Views ask `reads` as they would ask a selector and
never see a cache, a generation or a size."""
