"""The public side of the desk: fact-check pages, the rating scale, feeds and the sitemap."""
