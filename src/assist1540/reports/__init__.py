"""Reports for the Committee: coverage, briefings, charts and flat exports.

The modules take a Catalog and return plain data, so the commands in
`assist1540.commands.report` and `assist1540.commands.export` only print or
write it:

- `coverage.build_coverage`: open request items by area and weapon category,
  the providers that fit them and the gaps, with the loose ends from
  `loose_ends` (repeated requests, offers never taken up, stale providers);
- `briefing.build_briefing`: what happened between two days, with the steps
  overdue on the last day counted on the records as `as_of` rebuilds them;
- `charts.render_charts`: the report charts as SVG text by name, drawn by
  `svg`;
- `export.build_table`: a flat table of requests, items, offers or
  programmes, which `table_files` writes as CSV, XLSX or JSON;
- `coverage_page` and `briefing_page` shape a report as a `page.Page`, which
  `page.render_page` renders as Markdown or HTML and `docx_page` as DOCX;
- `output` chooses the output format and writes the file.

openpyxl and python-docx are imported inside the functions that use them, so
other commands do not load them.
"""

from __future__ import annotations
