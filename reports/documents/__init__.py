"""The official documents (DOCUMENTS.md): what each holds (builders), the analysis drafted from
the numbers (drafting), the paragraphs and committee orders people write (models, services), and
their pages (views). Laid out by templates/reports/documents/, rendered by reports.pdf."""
