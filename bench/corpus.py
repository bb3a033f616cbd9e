"""Build the bench corpus from real English and French text.

The only real text on this machine is the shared evaluation data, about 6 MB
of scraped news and blog pages (trafilatura's and Readability's test pages,
as naive HTML-to-text with all their boilerplate), Leipzig web sentences and
the Clough-Stevenson answers. A bench document is one or two windows of
consecutive lines from one real page (or a run of Leipzig sentences), so it
reads like a scraped page: menus and share lines around real paragraphs.
Pages are drawn with a fixed seed, weighted by their size, until the corpus
reaches its size, half English and half French by bytes. The same seed and
size give the same corpus, byte for byte.

The clean corpus is that text passed once through `ftfy.fix_text` (curly
quotes kept): some real pages carry mojibake (15 % of the Leipzig French
sentences have C1 controls), and a clean corpus must be clean.

The mojibake copy of a corpus applies what happens to real files: UTF-8 read
as cp1252 (once or twice), cp1252 bytes read as latin-1 (C1 controls), CRLF
line ends, HTML entities.
"""

from __future__ import annotations

import html
import json
import random
from pathlib import Path


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def real_pages(eval_dir: Path) -> dict[str, list[list[str]]]:
    """Real pages of the shared eval data, as lists of lines, by language."""
    pages: dict[str, list[list[str]]] = {"en": [], "fr": []}

    def add(lang: str, text: str) -> None:
        lines = [line for line in text.splitlines() if line.strip()]
        if lang in pages and lines:
            pages[lang].append(lines)

    traf = eval_dir / "boilerplate_trafilatura_snippets"
    for line in (traf / "annotations.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        add(record["lang"], _decode((traf / "input" / f"{record['id']}.txt").read_bytes()))
    read = eval_dir / "boilerplate_readability_testpages"
    for line in (read / "index.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        for part in ("input", "gold"):
            add(record["lang"], _decode((read / part / f"{record['id']}.txt").read_bytes()))
    lingua = eval_dir / "langid_lingua_leipzig" / "sentences"
    for lang in ("en", "fr"):
        sentences = (lingua / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
        for i in range(0, len(sentences), 10):
            add(lang, " ".join(sentences[i : i + 10]))
    for path in sorted((eval_dir / "neardup_clough_stevenson" / "texts").glob("*.txt")):
        add("en", _decode(path.read_bytes()))
    return pages


def _window(rng: random.Random, lines: list[str]) -> list[str]:
    size = rng.randint(3, 40)
    start = rng.randrange(max(1, len(lines) - size + 1))
    return lines[start : start + size]


def build(eval_dir: Path, target_bytes: int, seed: int = 20261121) -> list[dict]:
    """Documents {id, lang, text} drawn from real pages until `target_bytes`."""
    pages = real_pages(eval_dir)
    weights = {lang: [sum(map(len, p)) for p in ps] for lang, ps in pages.items()}
    rng = random.Random(seed)

    def page(lang: str) -> list[str]:
        return rng.choices(pages[lang], weights[lang])[0]

    docs: list[dict] = []
    size = {"en": 0, "fr": 0}
    while sum(size.values()) < target_bytes:
        lang = min(size, key=size.get)  # keep the two languages even
        lines = _window(rng, page(lang))
        if rng.random() < 0.4:
            lines += _window(rng, page(lang))
        text = "\n".join(lines) + "\n"
        docs.append({"id": f"{lang}-{len(docs):07d}", "lang": lang, "text": text})
        size[lang] += len(text.encode("utf-8"))
    return docs


def mojibake(text: str, rng: random.Random) -> str:
    """A realistic broken copy of `text`."""
    kind = rng.randrange(5)
    if kind == 0:  # UTF-8 read as cp1252
        return text.encode("utf-8").decode("sloppy-windows-1252")
    if kind == 1:  # twice
        once = text.encode("utf-8").decode("sloppy-windows-1252")
        return once.encode("utf-8").decode("sloppy-windows-1252")
    if kind == 2:  # cp1252 bytes read as latin-1: C1 controls
        return text.encode("cp1252", errors="replace").decode("latin-1")
    if kind == 3:  # CRLF line ends and a broken line in the middle
        lines = text.split("\n")
        mid = len(lines) // 2
        lines[mid] = lines[mid].encode("utf-8").decode("sloppy-windows-1252")
        return "\r\n".join(lines)
    return html.escape(text, quote=False).replace("’", "&rsquo;").replace("é", "&eacute;")


def write_jsonl(docs: list[dict], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode("utf-8")
    path.write_bytes(data)
    return len(data)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def _repair(text: str) -> str:
    import ftfy

    return ftfy.fix_text(text, uncurl_quotes=False)


def ensure(eval_dir: Path, folder: Path, target_bytes: int) -> tuple[Path, Path]:
    """The clean corpus and its mojibake copy, built once and cached in `folder`."""
    from multiprocessing import Pool

    import ftfy.bad_codecs  # noqa: F401  (sloppy-windows-1252)

    clean = folder / f"clean-{target_bytes // 1_000_000}MB.jsonl"
    broken = folder / f"mojibake-{target_bytes // 1_000_000}MB.jsonl"
    if not clean.exists() or not broken.exists():
        docs = build(eval_dir, target_bytes)
        with Pool(2) as pool:
            repaired = pool.map(_repair, [d["text"] for d in docs], chunksize=64)
        changed = sum(r != d["text"] for r, d in zip(repaired, docs, strict=True))
        print(f"corpus    built: ftfy repaired {changed:,} of {len(docs):,} real documents")
        docs = [{**d, "text": r} for d, r in zip(docs, repaired, strict=True)]
        write_jsonl(docs, clean)
        rng = random.Random(7)
        write_jsonl([{**d, "text": mojibake(d["text"], rng)} for d in docs], broken)
    return clean, broken
