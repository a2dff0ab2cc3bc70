"""Help pages: one per area of the portal (scores, plans, memos, documents, OIT) and a glossary of
the ITA's terms, in plain Thai for a municipal officer.

Every figure the help quotes (weights, level bands, tier thresholds, OIT's 0 or 100) is read from
the framework data and the rules that apply it (figures.py), never typed into the text, so the help
cannot drift from what the portal computes.
"""
