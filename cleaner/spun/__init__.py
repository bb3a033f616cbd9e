"""Spun text: the layers of evidence that a document went through a synonym spinner.

`lexicon` (known substitutions), `collocation` (rare synonyms where the
corpus uses the common word), `context` (words whose thesaurus synonyms fit
their neighbours far better, by the background models of `background`, with
the synonym tables of `synonym_table`) and `paraphrase` (alignment with the
original, when the corpus holds it). The stage that combines them is
cleaner/stages/spun.py.
"""
