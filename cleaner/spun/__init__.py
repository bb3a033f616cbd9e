"""Spun text: the layers of evidence that a document went through a synonym spinner.

`lexicon` (known substitutions), `collocation` (rare synonyms where the
corpus uses the common word) and `paraphrase` (alignment with the original,
when the corpus holds it). The stage that combines them is
cleaner/stages/spun.py.
"""
