"""Emporix' customer service (tenant-managed API): for now its `q` query language."""
