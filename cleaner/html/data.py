"""The page's data: what the HTML report shows, built from the report's records.

`page_data` is a pure function of the records, the texts behind them (the
repaired input and the cleaned output of each, either may be missing) and
what is known of the run. Everything the page shows is computed here; the
template and the script only lay it out. The same input gives the same data,
in the same order, so the page's bytes are the same too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cleaner.codes import CODES
from cleaner.dedup.verify import TRANSLATION
from cleaner.html.align import REMOVING_STAGES, Placement, place


@dataclass(frozen=True)
class RunInfo:
    """What the page says about the run itself.

    `options` maps an option's name to its value as the run used it (empty
    when the page is made from a report file, which does not record them).
    `duplicates_written`, `spun_dropped` and `translations_dropped` say which
    documents the output left out; a report file does not say, and the
    defaults are assumed.
    """

    version: str
    options: dict[str, str] = field(default_factory=dict)
    duplicates_written: bool = False
    spun_dropped: bool = False
    translations_dropped: bool = False


def _ref_key(ref: dict[str, Any] | None) -> tuple[str, str] | None:
    return (ref["id"], ref["path"]) if ref else None


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def summary(records: list[dict[str, Any]], run: RunInfo) -> dict[str, Any]:
    """The run's counts: documents, removals by rule, languages, duplicates, spun text."""
    ok = [r for r in records if r.get("status") == "ok"]
    by_code: Counter[str] = Counter()
    docs_by_code: Counter[str] = Counter()
    bytes_by_code: Counter[str] = Counter()
    for record in ok:
        changes = record.get("changes") or []
        for change in changes:
            by_code[change["code"]] += 1
            if change.get("stage") in REMOVING_STAGES:
                size = change.get("bytes")  # of the whole text, when `text` is an excerpt
                bytes_by_code[change["code"]] += size or _bytes(change.get("text") or "")
        docs_by_code.update({c["code"] for c in changes})
    languages: Counter[str] = Counter()
    mixed: Counter[str] = Counter()
    for record in ok:
        lang = record.get("lang") or "none"
        languages[lang] += 1
        mixed[lang] += bool(record.get("mixed"))
    copies = [r["duplicate"] for r in ok if r.get("duplicate") and not r["duplicate"]["kept"]]
    # a translation is another language's version, not a copy: counted on its own
    kinds = Counter(d["kind"] for d in copies if d["kind"] != TRANSLATION)
    translations = sum(d["kind"] == TRANSLATION for d in copies)
    spun = sum(1 for r in ok if (r.get("spun") or {}).get("flagged"))
    left_out = 0 if run.duplicates_written else sum(kinds.values())
    if run.translations_dropped and not run.duplicates_written:
        left_out += translations
    if run.spun_dropped:
        left_out += sum(
            1
            for r in ok
            if (r.get("spun") or {}).get("flagged")
            and not (r.get("duplicate") and not r["duplicate"]["kept"])
        )
    return {
        "docs": len(records),
        "ok": len(ok),
        "failed": len(records) - len(ok),
        "written": len(ok) - left_out,
        "changed": sum(1 for r in ok if r.get("changes")),
        "chars_in": sum(r.get("chars_in") or 0 for r in ok),
        "chars_out": sum(r.get("chars_out") or 0 for r in ok),
        "rules": [
            {
                "code": code,
                "name": CODES[code].name if code in CODES else "",
                "stage": CODES[code].stage if code in CODES else "",
                "docs": docs_by_code[code],
                "changes": by_code[code],
                "bytes": bytes_by_code[code],
            }
            for code in sorted(by_code)
        ],
        "bytes_removed": sum(bytes_by_code.values()),
        "languages": [
            {"lang": lang, "docs": n, "mixed": mixed[lang]}
            for lang, n in sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "mixed": sum(mixed.values()),
        "duplicates": dict(sorted(kinds.items())),
        "translations": translations,
        "translations_dropped": run.translations_dropped,
        "clusters": sum(1 for r in ok if r.get("duplicate") and r["duplicate"]["kept"]),
        "spun": spun,
        "duplicates_written": run.duplicates_written,
        "spun_dropped": run.spun_dropped,
        "version": run.version,
        "options": dict(run.options),
    }


def _spun_marks(text: str, evidence: list[dict[str, Any]]) -> list[list[Any]]:
    """Each piece of spun-text evidence as [start, end, phrase, likely original, layer]:
    the phrase found in its sentence (1-based, the stage's sentence units), else anywhere."""
    from cleaner.stages.language import sentence_units

    units = sentence_units(text)
    lowered = text.lower()
    marks = []
    for item in evidence:
        phrase = item["phrase"]
        number = item.get("sentence") or 0
        a, b = units[number - 1] if 0 < number <= len(units) else (0, len(text))
        start = lowered.find(phrase.lower(), a, b)
        if start < 0:
            start = lowered.find(phrase.lower())
        if start < 0:
            continue
        layer = item["layer"] + (f" ({item['strength']})" if item.get("strength") else "")
        marks.append([start, start + len(phrase), item["likely_original"], layer])
    marks.sort()
    kept: list[list[Any]] = []
    for mark in marks:  # one phrase listed twice (by two layers) is marked once
        if not kept or mark[0] >= kept[-1][1]:
            kept.append(mark)
    return kept


def _change_row(change: dict[str, Any]) -> list[Any]:
    return [
        change["code"],
        change.get("reason", ""),
        change.get("text", ""),
        change.get("line"),
        change.get("detail"),
        change.get("replacement"),
    ]


def document_detail(
    record: dict[str, Any], placement: Placement, refs: dict[tuple[str, str], int]
) -> dict[str, Any]:
    """What a document's page shows: its text with the removed pieces in place,
    the language spans, the spun phrases, and links to the documents it copies."""
    text = placement.text
    detail: dict[str, Any] = {
        "text": text,
        "exact": placement.exact,
        "removed": [
            [r.at, r.text, r.code, r.reason, r.block, r.line, r.detail] for r in placement.removals
        ],
        "unplaced": [_change_row(c) for c in placement.unplaced],
        "rewrites": [
            _change_row(c)
            for c in record.get("changes") or []
            if c.get("stage") not in REMOVING_STAGES or not c.get("text")
        ],
        "segments": [[s["start"], s["end"], s["lang"]] for s in record.get("segments") or []]
        if placement.exact
        else [],
        "share": record.get("lang_share") or {},
        "metadata": record.get("metadata") or {},
        "encoding": record.get("encoding") or {},
    }
    spun = record.get("spun") or {}
    if spun:
        detail["spun"] = {
            "score": spun.get("score", 0.0),
            "flagged": bool(spun.get("flagged")),
            "marks": _spun_marks(text, spun.get("evidence") or []),
            "of": refs.get(_ref_key(spun.get("paraphrase_of")), -1),
        }
    duplicate = record.get("duplicate")
    if duplicate:
        detail["duplicate"] = {
            "cluster": duplicate.get("cluster"),
            "kept": duplicate.get("kept"),
            "kind": duplicate.get("kind"),
            "similarity": duplicate.get("similarity"),
            "containment": duplicate.get("containment"),
            "of": refs.get(_ref_key(duplicate.get("duplicate_of")), -1),
        }
        if duplicate.get("evidence"):
            detail["duplicate"]["evidence"] = duplicate["evidence"]
    return detail


def _row(record: dict[str, Any], refs: dict[tuple[str, str], int]) -> dict[str, Any]:
    """A document's row in the table: small, for 10,000 of them."""
    flags = []
    duplicate = record.get("duplicate") or {}
    if record.get("status") != "ok":
        flags.append("failed")
    if duplicate and not duplicate.get("kept"):
        flags.append("duplicate")
    if (record.get("spun") or {}).get("flagged"):
        flags.append("spun")
    if record.get("mixed"):
        flags.append("mixed")
    row = {
        "id": record["id"],
        "lang": record.get("lang") or "",
        "in": record.get("chars_in") or 0,
        "out": record.get("chars_out") or 0,
        "n": len(record.get("changes") or []),
        "codes": sorted({c["code"] for c in record.get("changes") or []}),
        "flags": flags,
    }
    if record.get("path") and not record["path"].endswith(record["id"]):
        row["path"] = record["path"]
    if record.get("error"):
        row["error"] = record["error"]
    if duplicate and not duplicate.get("kept"):
        row["of"] = refs.get(_ref_key(duplicate.get("duplicate_of")), -1)
    return row


def _pairs(records: list[dict[str, Any]], refs) -> list[dict[str, Any]]:
    """Near-duplicate, contained, paraphrased and translated copies, each beside its original.

    The passages a pair shares are found by the page when the pair is shown
    (runs of 8 words both hold): 6,000 pairs cost no time until they are looked at."""
    pairs = []
    for i, record in enumerate(records):
        duplicate = record.get("duplicate") or {}
        links = []
        if duplicate and not duplicate.get("kept"):
            links.append((duplicate.get("duplicate_of"), duplicate["kind"], duplicate))
        spun = record.get("spun") or {}
        if spun.get("paraphrase_of"):
            links.append((spun["paraphrase_of"], "paraphrase", {}))
        for ref, kind, facts in links:
            j = refs.get(_ref_key(ref), -1)
            if j < 0:
                continue
            pairs.append(
                {
                    "a": j,
                    "b": i,
                    "kind": kind,
                    "similarity": facts.get("similarity"),
                    "containment": facts.get("containment"),
                    "evidence": facts.get("evidence"),
                }
            )
    return pairs


def page_data(
    records: list[dict[str, Any]],
    repaired: Iterable[str | None],
    cleaned: Iterable[str | None],
    run: RunInfo,
) -> dict[str, Any]:
    """Everything the page shows: `index` (the summary, the table's rows, the
    pairs, the codes) and `details` (one per document, shown on demand)."""
    refs = {(r["id"], r.get("path") or ""): i for i, r in enumerate(records)}
    details = []
    for record, source, output in zip(records, repaired, cleaned, strict=True):
        placement = place(record.get("changes") or [], source, output)
        details.append(document_detail(record, placement, refs))
    used = sorted({c["code"] for r in records for c in r.get("changes") or []})
    index = {
        "summary": summary(records, run),
        "codes": {
            code: [CODES[code].name, CODES[code].stage, CODES[code].message]
            for code in used
            if code in CODES
        },
        "docs": [_row(r, refs) for r in records],
        "pairs": _pairs(records, refs),
    }
    return {"index": index, "details": details}
