"""Options, as one immutable value, and where they are found.

Settings live in `cleaner.toml` or in `[tool.cleaner]` of `pyproject.toml`.
As in ruff, the closest file wins, walking up from the working directory
(`cleaner.toml` before `pyproject.toml` in the same folder); files are not
merged. Command-line flags override the file. Keys are written in
kebab-case (`uncurl-quotes = true`).
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A configuration file that cannot be used: the message names it."""


@dataclass(frozen=True, slots=True)
class RuleConfig:
    """A boilerplate rule added by the user (see data/boilerplate/rules.tsv)."""

    name: str = ""
    pattern: str = ""
    kind: str = "line"
    code: str = "B199"


@dataclass(frozen=True, slots=True)
class BoilerplateConfig:
    """[tool.cleaner.boilerplate]

    disable: rule names or codes to turn off (["share", "B116"]).
    rules: extra rules, each {name, pattern, kind = "line", code = "B199"}.
    repeated_min_docs, repeated_min_share: a line found in at least this many
        documents, and this share of the corpus, is site furniture (menus,
        footers) learned from the corpus being cleaned.
    repeated_max_chars: longer lines are never taken as repeated furniture
        (wire copies share whole paragraphs: that is for deduplication).
    navigation_min_run: short lines without sentence punctuation before or
        after the article go when there are at least this many of them.
    """

    disable: tuple[str, ...] = ()
    rules: tuple[RuleConfig, ...] = ()
    repeated_min_docs: int = 10
    repeated_min_share: float = 0.002
    repeated_max_chars: int = 160
    navigation_min_run: int = 3


@dataclass(frozen=True, slots=True)
class DuplicatesConfig:
    """[tool.cleaner.duplicates]: paragraphs repeated inside one document.

    min_chars, min_words: shorter repeats are kept (a refrain, a slogan, a
        line of code or of a table that repeats by design).
    near_min_words: a near repeat (a few words changed) must be this long: in
        short lines one changed word is often the point (GET / DELETE).
    sentence_min_words: a sentence repeated inside a paragraph must be this long.
    near_similarity: word-level similarity from which a repeat counts as near.
    """

    min_chars: int = 40
    min_words: int = 8
    near_min_words: int = 15
    sentence_min_words: int = 12
    near_similarity: float = 0.8


@dataclass(frozen=True, slots=True)
class LanguageConfig:
    """[tool.cleaner.language]

    accepted: the languages of the corpus (`--lang en,fr`); they get a prior,
        and a document whose main language is another one is a finding.
    keep: drop sentences in any other language (`--keep-lang en,fr`); empty
        keeps everything.
    mixed_threshold: a document is mixed when its second language holds at
        least this share of its characters.
    prior, short_prior, short_scale: the log-odds bonus of an accepted
        language: prior + short_prior * max(0, 1 - letters / short_scale),
        so that short text leans to the corpus's languages and a sentence
        speaks for itself.
    training_prior: the share of langid's class prior (its training data:
        English most) kept between the accepted languages; 0 is flat.
    min_chars: a sentence with fewer letters has no say of its own (it takes
        its neighbours' language).
    switch_penalty: the cost, in log-probability, of a change of language
        between two consecutive sentences.
    """

    accepted: tuple[str, ...] = ("en", "fr")
    keep: tuple[str, ...] = ()
    mixed_threshold: float = 0.2
    # Tuned on lingua's Leipzig test data (scripts/eval_langid.py).
    prior: float = 0.0
    short_prior: float = 10.0
    short_scale: float = 40.0
    training_prior: float = 0.25
    min_chars: int = 6
    switch_penalty: float = 4.0


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """[tool.cleaner.dedup]: near-duplicate documents.

    enabled: find duplicates in `cleaner clean` (and leave them out of the output).
    shingle: words per shingle (word n-grams of the normalised text).
    num_perm, seed: MinHash permutations, drawn as datasketch draws them.
    bands, rows: LSH banding (bands * rows <= num_perm); two documents become
        candidates when all `rows` values of one band agree.
    threshold: exact Jaccard from which two documents are near duplicates.
    containment: share of a shorter document's shingles found in a longer one
        from which it is `contained` in it.
    min_words: documents shorter than this are only ever exact duplicates.
    passage_min_words: passages (the text between two punctuation marks) this
        long are matched exactly to find containment candidates.
    index: the index file of `cleaner index` and `cleaner dedup --index`.
    """

    enabled: bool = True
    shingle: int = 3
    num_perm: int = 128
    bands: int = 21
    rows: int = 6
    seed: int = 1
    threshold: float = 0.8
    containment: float = 0.8
    min_words: int = 25
    passage_min_words: int = 5
    index: str = ".cleaner-index.sqlite"

    def problem(self) -> str | None:
        """What is wrong with these options, if anything."""
        if self.shingle < 1 or self.num_perm < 1 or self.bands < 1 or self.rows < 1:
            return "shingle, num-perm, bands and rows must be at least 1"
        if self.bands * self.rows > self.num_perm:
            return f"bands * rows ({self.bands} * {self.rows}) exceeds num-perm ({self.num_perm})"
        if not (0 < self.threshold <= 1 and 0 < self.containment <= 1):
            return "threshold and containment must be in (0, 1]"
        return None


@dataclass(frozen=True, slots=True)
class XlingConfig:
    """[tool.cleaner.xling]: translation duplicates, the same article in two
    languages (cleaner/xling/).

    enabled: look for them in `cleaner clean` and `cleaner dedup` when the
        optional extra is installed (`pip install 'cleaner[xling]'`); without
        it the search is skipped. Both documents of a pair are written unless
        --drop-translations.
    languages: the two languages paired; the document in the first one is
        the kept copy of a pair.
    threshold: evidence score from which a candidate is a translation.
    min_aligned: and the mean cosine of its aligned paragraphs must reach
        this: a translation keeps its paragraphs, two menus or two lists of
        countries in the two languages have close vectors but do not align.
    candidate: cosine of the document vectors from which a pair is verified.
    neighbours: nearest documents of the other language looked at.
    min_words: shorter documents are not paired.
    min_paragraph_words: nor are documents whose paragraphs (the ones
        embedded) average fewer words: lists, menus and tables, not articles.
    max_paragraphs, max_paragraph_chars: what of a document is embedded.
    min_length_ratio, max_length_ratio: characters of the second language
        over the first expected of a translation; outside, `penalty`.
    penalty: subtracted for a length ratio or numbers that disagree.
    """

    enabled: bool = True
    languages: tuple[str, ...] = ("en", "fr")
    threshold: float = 0.65
    min_aligned: float = 0.5
    candidate: float = 0.5
    neighbours: int = 3
    min_words: int = 25
    min_paragraph_words: float = 5.0
    max_paragraphs: int = 24
    max_paragraph_chars: int = 1200
    min_length_ratio: float = 0.75
    max_length_ratio: float = 1.6
    penalty: float = 0.1


@dataclass(frozen=True, slots=True)
class SpunConfig:
    """[tool.cleaner.spun]: spun and paraphrased text (cleaner/stages/spun.py).

    enabled: flag spun text in `cleaner clean` (nothing is removed unless
        --drop-spun).
    threshold: the score from which a document is flagged. The score adds
        strong-weight per distinct strong lexicon phrase, collocation-weight
        per odd collocation and alignment-weight per substitution found by
        alignment, and context-weight times the context figure z over the
        level flag-at where it flags clean news less than 1 time in 100
        (cleaner/data/background/calibration.json), when positive; weak
        lexicon phrases add weak-weight each, but never more than the rest.
    context: judge each word against its thesaurus synonyms with the
        background model of its language (the `context` layer).
    context_weight: points of a context figure z at flag-at (the default,
        the threshold, flags from there alone; lower makes the layer only
        corroborate).
    context_min_log_odds: a word is listed as context evidence when a
        substitution is 10**this times likelier than the writer's choice.
    context_min_words: texts with fewer distinct judged words get no `z` in
        the score (too few to tell).
    collocation_min_docs, collocation_ratio: a rare synonym is odd when the
        corpus writes its pair with the common word in at least this many
        documents, and this many times as often as with the rare word.
    paraphrase: look for the original of each document in the corpus.
    paraphrase_shingle: immutable words per shingle.
    paraphrase_threshold: Jaccard of the immutables' shingles from which two
        documents are aligned.
    paraphrase_share, paraphrase_density: an aligned pair is a paraphrase when
        short substitutions make up this share of the differing words, and
        there is one for every 1/density words.
    paraphrase_misfit: a pair with fewer substitutions (down to a quarter of
        the density) is a paraphrase when one side's substituted phrases fit
        their neighbours worse by this many log10 units each on average (the
        background model): a light spinner's hand, not a human edit.
    paraphrase_min_words: shorter documents are not compared.
    paraphrase_length_ratio: two documents are aligned only when the shorter
        has at least this share of the longer's characters.
    num_perm, bands, rows: the MinHash and banding of the immutables.
    """

    enabled: bool = True
    threshold: float = 2.0
    strong_weight: float = 1.0
    weak_weight: float = 0.25
    collocation_weight: float = 0.5
    alignment_weight: float = 0.5
    context: bool = True
    context_weight: float = 2.0
    context_min_log_odds: float = 3.0
    context_min_words: int = 20
    collocation_min_docs: int = 3
    collocation_ratio: float = 5.0
    paraphrase: bool = True
    paraphrase_shingle: int = 3
    paraphrase_threshold: float = 0.5
    paraphrase_share: float = 0.6
    paraphrase_density: float = 0.02
    paraphrase_misfit: float = 0.5
    paraphrase_min_words: int = 50
    paraphrase_length_ratio: float = 0.75
    num_perm: int = 128
    bands: int = 32
    rows: int = 4


@dataclass(frozen=True, slots=True)
class CheckConfig:
    """[tool.cleaner.check]: what `cleaner check` reports (codes or prefixes, as ruff).

    select: the codes reported; ignore: the codes left out (the longest
        matching prefix wins). By default everything but B100 (whitespace
        layout) and B122 (a leading date field: metadata, not garbage; an
        ignored boilerplate rule is not applied by --fix either).
    index: compare new files with the corpus through the index
        ([tool.cleaner.dedup] index); false: only with each other.
    """

    select: tuple[str, ...] = ("E", "B", "C", "L", "S", "D")
    ignore: tuple[str, ...] = ("B100", "B122")
    index: bool = True


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """[tool.cleaner.engine]: where `cleaner clean` runs the stages.

    name: "local" (a process pool on this machine) or "dask" (--engine dask).
    scheduler: a Dask scheduler's address (--scheduler); none starts a
        LocalCluster with --jobs workers.
    partition_docs: documents per Dask task, and per partition kept for resume.
    resume: with `-o OUT`, keep each finished partition in
        OUT/.cleaner-partial until the run completes, so that the same run
        started again after an interruption skips them (--no-resume: off).
    """

    name: str = "local"
    scheduler: str | None = None
    partition_docs: int = 64
    resume: bool = True


@dataclass(frozen=True, slots=True)
class CleanerConfig:
    """Every option of the pipeline, with its default.

    glob: files matched inside input directories.
    input_format: "auto" (`.jsonl`/`.jsonl.gz` are JSONL, `.parquet`
        Parquet, the rest text), "text", "jsonl" or "parquet".
    uncurl_quotes: straighten curly quotes (ftfy's uncurl_quotes). Off by
        default: curly quotes and guillemets are correct typography.
    jobs: worker processes; 0 means one per core.
    """

    glob: str = "*.txt,*.jsonl,*.jsonl.gz,*.parquet"
    input_format: str = "auto"
    uncurl_quotes: bool = False
    jobs: int = 0
    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    duplicates: DuplicatesConfig = field(default_factory=DuplicatesConfig)
    language: LanguageConfig = field(default_factory=LanguageConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    spun: SpunConfig = field(default_factory=SpunConfig)
    xling: XlingConfig = field(default_factory=XlingConfig)
    check: CheckConfig = field(default_factory=CheckConfig)
    engine: EngineConfig = field(default_factory=EngineConfig)

    def replace(self, **changes: Any) -> CleanerConfig:
        """A copy with some options changed; `None` values are ignored."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


_FORMATS = ("auto", "text", "jsonl", "parquet")


def _convert(value: Any, default: Any, key: str, origin: Path) -> Any:
    """A TOML value checked against the type of the option's default."""
    if dataclasses.is_dataclass(default):
        if not isinstance(value, dict):
            raise ConfigError(f"{origin}: [{key}] must be a table")
        return _from_table(type(default), value, origin, f"{key}.")
    if isinstance(default, tuple):
        if not isinstance(value, list):
            raise ConfigError(f"{origin}: option '{key}' must be a list")
        if key.endswith("rules"):
            return tuple(_convert(v, RuleConfig(), key, origin) for v in value)
        if not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{origin}: option '{key}' must be a list of strings")
        return tuple(value)
    if default is None:  # an optional string (a scheduler's address)
        if not isinstance(value, str):
            raise ConfigError(f"{origin}: option '{key}' must be a string")
        return value
    if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if type(value) is not type(default):
        raise ConfigError(
            f"{origin}: option '{key}' must be {type(default).__name__}, not {type(value).__name__}"
        )
    return value


def _from_table(cls: type, table: dict[str, Any], origin: Path, where: str = "") -> Any:
    defaults = cls()
    known = {f.name for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in known:
            raise ConfigError(f"{origin}: unknown option '{where}{key}'")
        values[name] = _convert(value, getattr(defaults, name), f"{where}{key}", origin)
    config = cls(**values)
    if isinstance(config, CleanerConfig) and config.input_format not in _FORMATS:
        raise ConfigError(f"{origin}: input-format must be one of {', '.join(_FORMATS)}")
    if isinstance(config, XlingConfig) and len(config.languages) != 2:
        raise ConfigError(f"{origin}: [{where.rstrip('.')}] languages must name two languages")
    if isinstance(config, DedupConfig) and config.problem():
        raise ConfigError(f"{origin}: [{where.rstrip('.')}] {config.problem()}")
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: {e}") from e


def find_config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The closest `cleaner.toml`, or `pyproject.toml` with `[tool.cleaner]`."""
    for folder in (start.resolve(), *start.resolve().parents):
        own = folder / "cleaner.toml"
        if own.is_file():
            return own, _read_toml(own)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _read_toml(pyproject).get("tool", {}).get("cleaner")
            if table is not None:
                return pyproject, table
    return None


def load_config(start: Path | None = None, explicit: Path | None = None) -> CleanerConfig:
    """The configuration in force in `start` (the working directory by default)."""
    if explicit is not None:
        table = _read_toml(explicit)
        if explicit.name == "pyproject.toml":
            table = table.get("tool", {}).get("cleaner", {})
        return _from_table(CleanerConfig, table, explicit)
    found = find_config_file(start or Path.cwd())
    if found is None:
        return CleanerConfig()
    path, table = found
    return _from_table(CleanerConfig, table, path)
