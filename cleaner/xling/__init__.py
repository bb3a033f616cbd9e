"""Translation duplicates: the same article in English and in French.

embed.py (the multilingual sentence encoder, loaded once per process),
search.py (cross-language nearest neighbours), evidence.py (what a
translation keeps: numbers, names, paragraphs), pairs.py (the corpus pass).
"""
