"""The layout zoo: the three attachments written in many layouts from a description, clean or with
injected faults, and a black-box scorer of what ``process.py run`` does with them.

Independent of the tool: nothing here imports ``reportlib`` or the fixture makers in ``tests/data``.

- :mod:`.layout`: :class:`~.layout.Layout` (the description) and :func:`~.layout.random_layout`;
  the named layouts (``SEED003_ANNEX3`` …);
- :mod:`.questionnaire`, :mod:`.indicators`, :mod:`.funds`: clean content and its table per kind;
- :mod:`.sheet`, :mod:`.case`, :mod:`.writer`: cells with roles, their placement, the workbook and
  ``truth.json``; :mod:`.shown`: what a cell shows;
- :mod:`.faults`: the faults; :mod:`.make`: ``python -m tests.zoo.make SEED KIND OUTDIR``;
- :mod:`.score`, :mod:`.report`, :mod:`.expect`: scoring, its printout, and the accepted codes.
"""

from __future__ import annotations

from .layout import KINDS, NAMED, Layout, random_layout

__all__ = ["KINDS", "NAMED", "Layout", "random_layout"]
