"""绩效表格校核: read budget-performance attachments, recompute, flag and correct them."""

__version__ = "0.2.0"
