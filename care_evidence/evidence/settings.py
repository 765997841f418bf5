"""Every tunable of the query engine in one registry: a name, a default and a line of help.

As datasette keeps its settings: one tuple of `Setting`s is the only place a number that steers
retrieval, re-ranking, answers or look-ups is written. Chosen values live in `ranking.toml` (the
project's, beside this file, written by `python -m care_evidence.eval.tune --write`; one beside the index folder
overrides it), then the environment (`EVIDENCE_SETTINGS="shortlist=80,weight_rrf=0.5"`), then the
command line (`--setting shortlist=80`). An unknown name is an error that lists the valid ones. The
values in force are recorded in the index manifest and in every evaluation report.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

RANKING_FILE = "ranking.toml"
PROJECT_RANKING = Path(__file__).with_name(RANKING_FILE)
ENVIRONMENT_VARIABLE = "EVIDENCE_SETTINGS"


@dataclass(frozen=True)
class Setting:
    name: str
    default: int | float | str
    help: str
    minimum: float | None = 1  # the least value that makes sense; None: any finite number (weights)
    choices: tuple[str, ...] = ()  # a setting that names one of these, not a number


SETTINGS: tuple[Setting, ...] = (
    # --- the index ---
    Setting("dense_model", "minilm", "at build (a change needs a rebuild): the sentence model of the dense searches; "
            "mpnet (all-mpnet-base-v2, installed by `python -m care_evidence.indexer install-model mpnet`) is "
            "better on questions in users' words and five times slower a question", choices=("minilm", "mpnet")),
    # --- candidates and fusion ---
    Setting("rrf_k", 60, "reciprocal-rank fusion: a list's rank r adds 1 / (rrf_k + r) (Cormack et al. 2009)"),
    Setting("fused_depth", 50, "ranks of each list fused, when at most deep_from passages are searched"),
    Setting("deep_from", 20_000, "passages searched above which deep_depth ranks are fused: at a million passages "
            "the answer sits deeper in each list (bench/scale.py: Recall@5 1M 0.787 -> 0.823)", minimum=0),
    Setting("deep_depth", 100, "ranks of each list fused above deep_from passages"),
    Setting("parallel_embedding_from", 20_000, "passages at and above which the question is embedded on a "
            "thread while BM25 runs: below it BM25 takes a few ms and the two threads' turns at the GIL cost "
            "more than they save (ask p50 about 25 ms in turn against 30 ms threaded on the five reports)",
            minimum=0),
    Setting("pool", 100, "passages taken from BM25 and dense (more if a deeper fusion is asked for)"),
    Setting("sentence_pool_factor", 3, "sentence lists are drawn this many times deeper than passage lists"),
    Setting("feedback_terms", 0, "words of the top passages added to the question for a fifth, feedback BM25 list "
            "(0: no feedback list)", minimum=0),
    Setting("feedback_passages", 5, "top BM25 passages the feedback words come from"),
    Setting("feedback_max_share", 0.1, "a word in more than this share of passages is never a feedback word",
            minimum=0),
    Setting("neighbour_terms", 3, "a question's word the reports never use is searched with up to this many of the "
            "reports' own words and phrases closest to it in meaning ('rehab' -> 'rehabilitation'; 0: none)",
            minimum=0),
    Setting("neighbour_similarity", 0.6, "cosine a report word or phrase must reach to stand in for a question's "
            "word", minimum=0),
    Setting("neighbour_max_words", 8, "a question's unused words looked up, the first this many (each is embedded: "
            "a long question of made-up words costs no more)", minimum=0),
    Setting("neighbour_cache", 4096, "words whose neighbours are kept in memory, the least recently asked dropped "
            "first", minimum=0),
    Setting("vocabulary_terms", 20_000, "at build (a change needs a rebuild): the corpus's words and two-word "
            "phrases, each in two passages or more, the most widespread first, embedded for the neighbour "
            "look-up (20,000 are 30 MB in memory as float32)", minimum=0),
    Setting("cited_max_documents", 3, "'Figure 7' with no document named cites it in at most this many documents"),
    # --- re-ranking ---
    Setting("shortlist", 60, "fused candidates fully scored (passage read, words stemmed): the best by the features "
            "known for all; the five reports' top 5 is the same for every question (tested)"),
    Setting("terms_cache", 100_000, "passages' and sentences' word sets kept in memory"),
    Setting("outline_cache", 64, "documents whose outline (sections and passages) is kept for Browse"),
    Setting("weight_rrf", 1.0, "re-ranking weight of the fused rank (normalised to the best)", minimum=None),
    Setting("weight_sentence", 1.0, "re-ranking weight: cosine of the passage's sentence closest to the question",
            minimum=None),
    Setting("weight_overlap", 1.0, "re-ranking weight of the share of the question's content words in the passage",
            minimum=None),
    Setting("weight_figure", 0.15, "re-ranking weight: the passage states a figure of the kind asked for",
            minimum=None),
    Setting("weight_document", 0.25, "re-ranking weight: the question names the passage's document", minimum=None),
    Setting("weight_kind", 0.3, "re-ranking weight: the question names the passage's kind (Figure, table, footnote)",
            minimum=None),
    Setting("weight_cited", 0.8, "re-ranking weight: the question cites the passage itself ('Figure 7 of the NAO')",
            minimum=None),
    # --- answers ---
    Setting("not_found_similarity", 0.40, "best sentence cosine of the top passages below which nothing answers",
            minimum=0),
    Setting("recommendation_similarity", 0.35, "a question asking what a report recommends: cosine the closest "
            "lettered recommendation's sentence must reach to answer it (a recommendation is an imperative, "
            "'Establish the evidence base ...', worded unlike the question)", minimum=0),
    Setting("named_report_margin", 0.02, "a question naming a report answered from another is answered from the "
            "report named if its best sentence's cosine is within this of the other's first", minimum=0),
    Setting("comparison_aspect_share", 0.5, "comparison of two measures or groups ('X vs Y'): share of a side's "
            "own words a sentence must hold to speak of it", minimum=0),
    Setting("named_term_max_share", 0.05, "'does <report> mention <it>?': a word of it the report never uses, "
            "though others do in at most this share of passages ('Disabled Facilities Grant' of the PAC), is "
            "not found in it", minimum=0),
    Setting("unprinted_name_max_passages", 3, "a name of two words or more that no passage prints, with a word "
            "held in at most this many passages ('Healthwatch England'), is one the reports do not mention", minimum=0),
    Setting("figure_subject_max_passages", 20, "a figure question's name ('the Health and Care Levy') held in at "
            "most this many passages must be named where the figure shown is stated; one in more is the reports' "
            "subject, its figures stated of 'the Fund'"),
    Setting("part_similarity", 0.30, "a comparison's part (a nation, a report, a measure), searched on its own: "
            "cosine its best sentence must reach to answer it", minimum=0),
    Setting("same_figure_passages", 5, "a figure stated without its year ('increased to 82.7%'): passages worded "
            "most like its sentence, searched besides the question's for the same figure stated with one", minimum=0),
    Setting("series_passages", 10, "a question over time ('how has ... changed'): top passages its yearly values "
            "are gathered from"),
    Setting("series_similarity", 0.35, "a question over time: cosine a sentence must reach for its dated values to "
            "join the series", minimum=0),
    Setting("series_subject_share", 0.5, "a question over time: share of what it asks about (its words, but for "
            "'changed', 'over time' ...) a sentence must hold", minimum=0),
    Setting("series_min_periods", 2, "a question over time: fewest periods a series needs to be shown"),
    Setting("table_passages", 10, "top passages searched for a table cell the question names by its row and its "
            "column (a year): that cell answers first"),
    Setting("table_row_share", 0.5, "a table's row is named by a question saying this share of its label's words",
            minimum=0),
    Setting("table_cell_words", 3, "a row of a table of words is named by a question saying this many of its "
            "cells' words"),
    Setting("table_title_run", 3, "a run of this many of a table's title words in a question names the table, "
            "not one of its rows"),
    Setting("table_title_share", 0.66, "a cell among the top passages answers first when the question says all "
            "its table's title words, or this share of them with a row named and no other name sharing them",
            minimum=0),
    Setting("answer_passages", 3, "top passages whose sentences may answer (and that the not-found test reads)"),
    Setting("sentence_overlap_weight", 0.3, "answer sentence: weight of the share of the question's words it has",
            minimum=0),
    Setting("figure_sentence_bonus", 0.12, "answer sentence: bonus when it states a figure of the kind asked for",
            minimum=0),
    Setting("passage_rank_weight", 0.5, "answer sentence: weight of (its passage's score - the top passage's)",
            minimum=0),
    Setting("second_sentence_margin", 0.12, "a second figure sentence is added when within this of the first",
            minimum=0),
    Setting("runner_up_margin", 0.15, "an answer the requirements pass also shows the next best sentence of its "
            "best sentence's paragraph when within this of it (0: never)", minimum=0),
    Setting("second_sentence_max_shared", 0.5, "... and when at most this share of its asked-for figures are the "
            "first's (not the same breakdown restated)", minimum=0),
    Setting("named_passage_overlap", 0.5, "a passage the question cites answers it when it holds this share of the "
            "question's other content words ('What does NAO Figure 13 show?')", minimum=0),
    Setting("time_mismatch_penalty", 0.15, "answer sentence: penalty when the question names years and it states "
            "only other ones", minimum=0),
    Setting("every_time_bonus", 0.2, "answer sentence: bonus when the question names two or more years or months "
            "('Nov 2014 to Nov 2016') and it states every one of them", minimum=0),
    Setting("finding_sentence_bonus", 0.25, "answer sentence: bonus when the question asks what came of something "
            "and it states a finding or outcome ('found', 'did not', 'was disbanded'); the same off one setting it "
            "up ('commissioned', 'established')", minimum=0),
    Setting("speaker_sentence_bonus", 0.2, "answer sentence: bonus when the question asks for a body's account "
            "(\"according to the Department\", \"what did NHS England tell MPs\") and the sentence reports what "
            "that body said", minimum=0),
    Setting("reason_sentence_bonus", 0.4, "answer sentence: bonus when the question asks why and it gives a reason "
            "('because', 'due to', 'the reasons')", minimum=0),
    Setting("reason_follow_sentences", 2, "a why question answered by a sentence giving no reason: the next this "
            "many sentences of its paragraph are searched for one that does, shown after it (0: none)", minimum=0),
    Setting("finding_follow_sentences", 2, "a question asking what came of something answered by a sentence stating "
            "no finding ('commissioned SCIE to test the draft standard'): the next this many sentences of its "
            "paragraph are searched for one that does ('The Institute concluded ...'), shown after it (0: none)",
            minimum=0),
    Setting("unit_sentence_penalty", 0.1, "answer sentence: penalty for a Figure's or Table's caption not asked for",
            minimum=0),
    Setting("footnote_sentence_penalty", 0.15, "answer sentence: penalty for a footnote when no source is asked for",
            minimum=0),
    Setting("duplicate_sentence_penalty", 0.3, "answer sentence: penalty for a folded duplicate's sentence", minimum=0),
    Setting("points_back_sentences", 3, "sentences walked back from one opening with a pronoun ('It also spent') "
            "to the one naming what it is", minimum=0),
    Setting("list_chars", 1500, "characters of list shown after a sentence that leads into it ('... found that:')",
            minimum=0),
    Setting("opening_chars", 400, "characters quoted from a passage that has no sentences"),
    # --- look-ups ---
    Setting("malformed_reference_words", 6, "a text this short with a locator word is a citation, never a quote",
            minimum=0),
    Setting("claim_min_words", 5, "a sentence shorter than this is not checked as a claim", minimum=1),
    Setting("heading_max_words", 15, "in a text to check, a line of at most this many words with no full stop "
            "is a heading, date or byline, not the start of the sentence after it", minimum=1),
    Setting("claim_candidates", 8, "passages whose sentences are compared with a claim", minimum=1),
    Setting("claim_word_weight", 0.25, "weight of word overlap beside meaning when matching a claim to a "
            "sentence", minimum=0),
    Setting("claim_rank_penalty", 0.01, "score taken off per place a passage ranks below the first", minimum=0),
    Setting("claim_min_score", 0.8, "a claim whose closest sentence scores below this is not in the reports",
            minimum=0),
    Setting("claim_absent_below", 0.95, "a claim scoring below this whose evidence lacks more than "
            "claim_absent_unsaid_share of its words is not in the reports", minimum=0),
    Setting("claim_absent_unsaid_share", 0.5, "see claim_absent_below", minimum=0),
    Setting("claim_max_unsaid_share", 0.5, "a claim is only partly supported when more than this share of its "
            "words are not in its evidence passage", minimum=0),
    Setting("claim_short_terms", 6, "a claim of this many words or fewer is not in the reports when any of "
            "them is not in its evidence passage (unless reworded, see claim_reworded_score)", minimum=0),
    Setting("claim_reworded_score", 1.0, "a short claim scoring this is a rewording of its sentence, though a "
            "word of it is not the report's", minimum=0),
    Setting("claim_supported_score", 0.8, "a claim must score this to be supported, not partly", minimum=0),
    Setting("paraphrase_min_score", 0.75, "a quote not found word for word is a paraphrase of a sentence "
            "scoring this", minimum=0),
    Setting("paraphrase_weak_score", 0.5, "a sentence scoring from this up to paraphrase_min_score is a "
            "paraphrase only if it stands out or uses at least half of the quote's words", minimum=0),
    Setting("paraphrase_standout", 0.1, "a sentence scoring this much above every other stands out as the one "
            "a quote paraphrases; sentences within it of the first are its rivals", minimum=0),
    Setting("paraphrase_context_words", 3, "words in quotation marks that a passage never uses are a speaker's "
            "rewording, not words put in its mouth, when at least this many (and half) of the quote's other "
            "words are the passage's", minimum=0),
    Setting("paraphrase_speaker_weight", 0.1, "added to a sentence of the report a quote names as its speaker, "
            "when choosing the sentence a quote paraphrases", minimum=0),
    Setting("paraphrase_quoted_weight", 0.25, "weight of the share of the words a quote puts in quotation "
            "marks that a sentence uses, when choosing the sentence a quote paraphrases", minimum=0),
    Setting("max_reference_words", 9, "a question longer than this is never read as a reference"),
    Setting("max_lookup_reference_words", 45, "a look-up longer than this is never read as a reference "
            "(a Harvard or House of Commons reference runs to 30 words)"),
    Setting("reference_about_words", 3, "a look-up read as a reference with more words than this beside the "
            "document and place is tried as a quote first", minimum=0),
    Setting("clean_lookup_below", 400, "a look-up shorter than this is cleaned of markup like a question", minimum=0),
    Setting("quote_min_chars", 12, "a quote shorter than this (normalised) is not looked for", minimum=0),
    Setting("quote_min_altered_words", 5, "a quote shorter than this is found verbatim or not at all", minimum=0),
    Setting("quote_match_cutoff", 85.0, "partial-ratio score below which a quote is not found", minimum=0),
    Setting("quote_candidates", 5, "passages aligned with a quote"),
    Setting("quote_candidate_pool", 50, "passages a quote's words pick (BM25) for alignment"),
    Setting("quote_scan_all_below", 20_000, "an index this small is scanned whole when the pool misses a quote",
            minimum=0),
    Setting("quote_text_cache", 50_000, "passages' normalised texts kept for quote matching"),
)
_BY_NAME = {s.name: s for s in SETTINGS}


class SettingsError(ValueError):
    """An unknown setting or a value of the wrong type; the message lists the valid names."""


class Settings(Mapping[str, int | float | str]):
    """The values in force, read as attributes: `settings.shortlist`."""

    def __init__(self, values: Mapping[str, int | float | str] | None = None):
        self._values = {s.name: s.default for s in SETTINGS}
        for name, value in (values or {}).items():
            self._values[name] = _coerce(name, value)

    def __getattr__(self, name: str) -> int | float | str:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> int | float | str:
        return self._values[name]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def replace(self, **changes: int | float | str) -> Settings:
        return Settings({**self._values, **changes})

    def weights(self) -> dict[str, float]:
        """The re-ranking weights by feature name ("rrf", "sentence", ...)."""
        return {name.removeprefix("weight_"): value for name, value in self._values.items()
                if name.startswith("weight_")}


def _coerce(name: str, value: object) -> int | float | str:
    if name not in _BY_NAME:
        raise SettingsError(f"unknown setting {name!r}; settings are {', '.join(_BY_NAME)}")
    setting = _BY_NAME[name]
    if setting.choices:
        if value not in setting.choices:
            raise SettingsError(f"setting {name!r} must be one of {', '.join(setting.choices)}, not {value!r}")
        return str(value)
    kind = type(setting.default)
    try:
        if isinstance(value, bool):
            raise ValueError
        number = kind(value) if isinstance(value, str) else value
        if kind is int and isinstance(number, float) and number.is_integer():
            number = int(number)
        if not isinstance(number, int | float) or (kind is int and not isinstance(number, int)):
            raise ValueError
        if not math.isfinite(number):
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        raise SettingsError(f"setting {name!r} must be {'a whole number' if kind is int else 'a finite number'}, "
                            f"not {value!r}") from None
    if setting.minimum is not None and number < setting.minimum:
        raise SettingsError(f"setting {name!r} must be at least {setting.minimum:g}, not {value!r}")
    return kind(number)


def parse_assignments(items: Iterable[str], source: str) -> dict[str, str]:
    """"name=value" strings (from the command line or the environment) as a dict."""
    out = {}
    for item in items:
        if not item.strip():
            continue
        name, sep, value = item.partition("=")
        if not sep:
            raise SettingsError(f"{source}: {item!r} is not name=value")
        out[name.strip()] = value.strip()
    return out


def _read_file(path: Path) -> dict[str, int | float]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise SettingsError(f"{path}: cannot be read as TOML ({err})") from err
    unknown = sorted(set(data) - set(_BY_NAME))
    if unknown:
        raise SettingsError(f"{path}: unknown setting(s) {', '.join(unknown)}; settings are {', '.join(_BY_NAME)}")
    return data


def load_settings(index_dir: Path | None = None, overrides: Mapping[str, object] | None = None,
                  environ: Mapping[str, str] = os.environ) -> Settings:
    """Defaults, then the project's ranking.toml, the index folder's, EVIDENCE_SETTINGS, `overrides`."""
    values: dict[str, object] = {}
    for path in (PROJECT_RANKING, index_dir / RANKING_FILE if index_dir else None):
        if path is not None and path.is_file():
            values.update(_read_file(path))
    values.update(parse_assignments(environ.get(ENVIRONMENT_VARIABLE, "").split(","), ENVIRONMENT_VARIABLE))
    values.update(overrides or {})
    return Settings(values)


def write_ranking_file(values: Mapping[str, int | float], path: Path = PROJECT_RANKING) -> None:
    """Write chosen values (checked against the registry) as the ranking.toml the engine reads."""
    settings = Settings(values)
    lines = ["# Values chosen for the engine's settings (care_evidence/evidence/settings.py says what each does).",
             "# Written by `python -m care_evidence.eval.tune --write`; edit by hand only with a held-out check.", ""]
    lines += [f"{name} = {settings[name]!r}" for name in values]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _least(setting: Setting) -> str:
    if setting.choices:
        return " or ".join(setting.choices)
    return "" if setting.minimum is None else f"{setting.minimum:g}"


def documentation() -> str:
    """The registry as a Markdown table, for docs/retrieval.md."""
    rows = ["| setting | default | least, or the choices | what it does |", "|---|---|---|---|"]
    rows += [f"| `{s.name}` | {s.default} | {_least(s)} | {s.help} |" for s in SETTINGS]
    return "\n".join(rows)
