"""绩效表格校核 in a source checkout: ``python process.py check|run|watch …`` (installed: ``jxjh …``)."""

from reportlib.cli import cli

if __name__ == "__main__":
    cli()
