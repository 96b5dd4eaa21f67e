"""Tools to measure putright at scale: ``putright bench seed`` fills a database in bulk.

A tool beside the interfaces (top of the import layers): it reads the models of every
app and writes their tables directly, so nothing below imports it. It holds no models.
"""
