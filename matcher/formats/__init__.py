"""The project's file formats, read and written in one place (foundation level).

:mod:`~matcher.formats.jsonl`
    JSON Lines: one object a line, errors located by file and line.
:mod:`~matcher.formats.table`
    Whitespace-separated tables (qrels, runs, ratings, mappings) and ``{query: {doc: value}}``
    JSON, every value checked and every error located by file, line and field.
:mod:`~matcher.formats.trec`
    TREC runs and qrels, with one score format (:data:`~matcher.formats.trec.SCORE_FORMAT`).

These modules import only :mod:`matcher.exceptions` and :mod:`matcher.types`, so every layer
(ingest, services, the demo, evaluation) can read and write the same files the same way.
"""
