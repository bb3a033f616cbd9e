"""The HTML report of a 10,000-document run: its size, and how fast it opens in Chromium.

    python bench/html_report.py [--docs 10000] [--runs 5] [--screenshots docs]

Builds a corpus of real scraped text from the shared eval data (bench/corpus.py:
windows of real pages with their menus and share lines; one document in ten
broken as real files break, one in fifty followed by a lightly edited copy),
runs `cleaner clean --html` on it once (cached in .bench/html), renders the
page again with `cleaner report`, then opens it in headless Debian chromium
(/usr/bin/chromium, through playwright) --runs times, each in a fresh browser
context: time to interactive is from navigation start to the page's
`cleaner-ready` mark (set when the table is drawn and the page answers
clicks), then the time to open a document from the table and to filter the
table by a rule. Medians are printed. With --screenshots, the summary and one
document of the seeds' page are saved there as PNG (the README's pictures).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench" / "html"
CLEANER = str(Path(sys.executable).parent / "cleaner")
CHROMIUM = "/usr/bin/chromium"

# Open the document in the middle of the table's first page, and wait for it to be drawn.
_OPEN = """async () => {
  const link = document.querySelector('#table tbody tr:nth-child(50) a');
  const start = performance.now();
  await new Promise(done => {
    window.addEventListener('hashchange', () => requestAnimationFrame(done), {once: true});
    link.click();
  });
  return performance.now() - start;
}"""
_FILTER = """() => {
  const select = document.getElementById('f-rule');
  const start = performance.now();
  select.value = select.options[1].value;
  select.dispatchEvent(new Event('input'));
  return performance.now() - start;
}"""


def build_corpus(eval_dir: Path, docs: int, path: Path) -> int:
    """`docs` documents of real scraped text, some broken, some copied with edits."""
    import ftfy.bad_codecs  # noqa: F401  (sloppy-windows-1252, for corpus.mojibake)

    rng = random.Random(20261121)
    base = corpus.build(eval_dir, target_bytes=docs * 3_000)
    out: list[dict] = []
    for doc in base:
        if len(out) >= docs:
            break
        text = doc["text"]
        if len(out) % 10 == 9:
            text = corpus.mojibake(text, rng)
        out.append({"id": doc["id"], "text": text})
        if len(out) % 50 == 49 and len(out) < docs:
            words = doc["text"].split(" ")
            for _ in range(max(1, len(words) // 100)):
                words[rng.randrange(len(words))] = rng.choice(["also", "then", "now"])
            out.append({"id": doc["id"] + "-copy", "text": " ".join(words)})
    corpus.write_jsonl(out, path)
    return len(out)


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=False, capture_output=True)
    return time.perf_counter() - start


def open_page(page: Path, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {"ready": [], "open": [], "filter": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            tab = context.new_page()
            tab.goto(page.as_uri(), wait_until="commit")
            tab.wait_for_selector("html[data-ready]", timeout=60_000)
            ready = tab.evaluate("performance.getEntriesByName('cleaner-ready')[0].startTime")
            times["ready"].append(ready / 1000)
            times["open"].append(tab.evaluate(_OPEN) / 1000)
            times["filter"].append(tab.evaluate(_FILTER) / 1000)
            context.close()
        browser.close()
    return times


def screenshots(folder: Path) -> None:
    """The summary and seed 003's page, from a run on the seeds."""
    from playwright.sync_api import sync_playwright

    work = CACHE.relative_to(ROOT) / "seeds"  # relative: the page shows the command
    page = ROOT / work / "report.html"
    subprocess.run(
        [CLEANER, "clean", "seeds", "-o", str(work / "out"), "--html", str(work / "report.html")],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        tab = browser.new_page(viewport={"width": 1200, "height": 900})
        tab.goto(page.as_uri())
        tab.wait_for_selector("html[data-ready]")
        tab.locator("#summary").screenshot(path=str(folder / "report-summary.png"))
        tab.locator("#table a", has_text="003_").click()
        tab.wait_for_selector("#detail:not([hidden])")
        tab.locator("#detail").screenshot(path=str(folder / "report-document.png"))
        browser.close()
    print(f"screenshots {folder / 'report-summary.png'}, {folder / 'report-document.png'}")


def _median(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screenshots", type=Path, default=None)
    args = parser.parse_args()
    if args.screenshots is not None:
        screenshots(args.screenshots)
    source = CACHE / f"corpus-{args.docs}.jsonl"
    out = CACHE / f"out-{args.docs}"
    page = CACHE / f"report-{args.docs}.html"
    if not source.exists():
        build_corpus(args.eval, args.docs, source)
    size = source.stat().st_size
    print(f"corpus   {source.relative_to(ROOT)}: {args.docs:,} docs, {size / 1e6:.1f} MB")
    if not (out / "report.jsonl").exists() or not page.exists():
        seconds = timed([CLEANER, "clean", str(source), "-o", str(out), "--html", str(page), "-q"])
        print(f"clean    cleaner clean --html: {seconds:.0f} s")
    again = CACHE / f"report-{args.docs}-again.html"
    seconds = timed([CLEANER, "report", str(out / "report.jsonl"), "-o", str(again)])
    print(f"render   cleaner report (the page alone, from report.jsonl): {seconds:.1f} s")
    page_bytes = page.stat().st_size
    print(
        f"page     {page_bytes / 1e6:.1f} MB, {page_bytes / args.docs:,.0f} bytes per document "
        f"(input {size / args.docs:,.0f} bytes per document; the page of cleaner report "
        f"{again.stat().st_size / args.docs:,.0f})"
    )
    times = open_page(page, args.runs)
    print(
        f"browser  interactive (navigation start to ready): {_median(times['ready'])}, {args.runs} runs"
    )
    print(
        f"         open a document: {_median(times['open'])}; filter by a rule: {_median(times['filter'])}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
