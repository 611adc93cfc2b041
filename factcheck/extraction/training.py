"""Training of the check-worthiness model (scikit-learn, training time only).

The model blends three class-balanced logistic regressions, all linear, so the blend is
one weight per feature, written as JSON:

* one on the transferable ``f:``/``c:``/``s:`` signals and the role x signal features
  ``x:<role>:f:*`` only (C=0.1);
* one on all of those plus ``w:`` words and ``b:`` word pairs (C=0.003, features seen at
  least 3 times); these two are averaged and take 0.55 of the logit;
* one on the sentence's mean *static word vector* (C=0.3, 0.45 of the logit): MiniLM run on
  each word alone (the model2vec idea), for the training words and the encoder's ~22k
  whole words. Folded into one ``m:`` scalar per word, it costs a dict lookup per token at
  run time and no model; it is what lets "tuition" weigh something although no debate
  said it.

Made with::

    python manage.py train_checkworthiness          # writes checkworthiness_model.json
    python manage.py train_checkworthiness --cv     # prints the leave-events-out CV MAP

The recipe was chosen by ``cross_validate`` (5-fold cross-validation that leaves whole
debate events out, three fold seeds; never on dev); each chosen recipe was then scored once
on ``ct2020_task5_debates/dev`` with ``python -m bench.checkworthiness``. What was tried,
with its CV and dev figures: ``docs/decisions/checkworthiness-model.md``.

Training data: CheckThat! 2020 task 5 train, plus the CheckThat! 2019 task 1 training
debates that are the *same events* as 2020 training debates (a second annotation of
them), renamed ``ct2019/<debate>`` since some share their twin's name. The other 2019
debates are left out: two are 2020 dev events (reporting dev from a model trained on
them would leak) and the rest may be 2020 test events.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from . import score_turns
from .debates import DebateSentence, featurise, read_sentences
from .features import lower_tokens
from .scoring import model_from_dict

CT2020_TRAIN = "ct2020_task5_debates/train/sentences.jsonl"
CT2019_TRAIN = "ct2019_task1_debates/train/sentences.jsonl"
# 2019 debate -> the 2020 *training* debate of the same event (matched by sentence text).
CT2019_SAME_EVENT_AS_CT2020_TRAIN = {
    "20160209_msnbc_dem": "20160204_democrats_new_hampshire",
    "20160226_10_gop": "20160225_GOP_texas",
    "20160414_9dem": "20160415_NY_democratic_debate",
    "20160722_trump_acceptance": "20160721_Trump_draft_RNC",
    "20160926_1pres": "20160926_1pres",
    "20161005_vice_pres": "20161005_vice_pres",
    "20161010_2pres": "20161010_2pres",
    "20161019_3pres": "20161019_3pres",
    "20170216_trump_press": "20170216_Trump_press_conference",
    "20170228_trump_address": "20170228_Trump_Congress_joint_session",
    "20170315_nashville": "20170315_Trump_Nashville",
}
CT2019_PREFIX = "ct2019/"
SIGNALS_C = 0.1
WORDS_C = 0.003
MIN_DF = 3
SEMANTIC_C = 0.3
# The word-meaning model's share of the final logit (the other two share the rest).
SEMANTIC_SHARE = 0.45


def training_rows(data_dir: Path, *, with_ct2019: bool = True) -> list[DebateSentence]:
    rows = read_sentences(data_dir / CT2020_TRAIN)
    if with_ct2019:
        extra = read_sentences(data_dir / CT2019_TRAIN)
        # Renamed: some 2019 debates share their 2020 twin's name (and sentence ids).
        rows += [
            replace(r, debate=CT2019_PREFIX + r.debate, id=CT2019_PREFIX + r.id)
            for r in extra
            if r.debate in CT2019_SAME_EVENT_AS_CT2020_TRAIN
        ]
    return rows


def _fit(features: list[dict], labels: list[int], *, c: float, keep: Callable[[str], bool]):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([{k: v for k, v in f.items() if keep(k)} for f in features])
    df = np.asarray((x != 0).sum(axis=0)).ravel()
    cols = np.where(df >= MIN_DF)[0]
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    clf.fit(x[:, cols], labels)
    names = vec.get_feature_names_out()[cols]
    return float(clf.intercept_[0]), dict(zip(names, clf.coef_[0].tolist(), strict=True))


def _is_signal(name: str) -> bool:
    return not name.startswith(("w:", "b:"))


# Static word vectors by word, filled once per process (embedding is the slow part).
_VECTORS: dict = {}


def word_vectors(words: list[str]):
    """MiniLM vectors of single words (the model run on each word alone), as a matrix.

    A word's vector out of a sentence encoder is a static embedding (the model2vec idea):
    averaged over a sentence it carries much of what the sentence is about, and at run time
    it costs a dict lookup instead of a transformer pass per sentence.
    """
    from core.embedding import embed

    missing = sorted(set(words) - _VECTORS.keys())
    if missing:
        _VECTORS.update(zip(missing, embed(missing, batch_size=256), strict=True))
    return np.stack([_VECTORS[w] for w in words])


def semantic_vocabulary(token_lists: list[list[str]]) -> list[str]:
    """The words that get an ``m:`` weight: the training tokens and the encoder's whole words.

    The encoder's vocabulary (~22k lower-case words) is what lets a word the debates never
    used still weigh something in a news article.
    """
    from core.embedding import TOKENIZER_PATH

    wordpiece = json.loads(TOKENIZER_PATH.read_text(encoding="utf-8"))["model"]["vocab"]
    vocab = {w for w in wordpiece if w.isalpha() and w.islower()}
    for toks in token_lists:
        vocab.update(toks)
    return sorted(vocab)


def semantic_weights(token_lists: list[list[str]], labels: list[int]) -> tuple[float, dict[str, float]]:
    """Fit a logistic regression on each sentence's mean word vector; fold it into words.

    Returns (intercept, {word: coef . vector(word)}): the model's logit of a sentence is
    then the intercept plus the mean of its tokens' scalars (``Model.meaning``).
    """
    from sklearn.linear_model import LogisticRegression

    vocab = semantic_vocabulary(token_lists)
    vectors = word_vectors(vocab)
    index = {w: i for i, w in enumerate(vocab)}
    x = np.zeros((len(token_lists), vectors.shape[1]), dtype=np.float32)
    for n, toks in enumerate(token_lists):
        ids = [index[t] for t in toks if t in index]
        if ids:
            x[n] = vectors[ids].mean(axis=0)
    clf = LogisticRegression(C=SEMANTIC_C, class_weight="balanced", max_iter=5000)
    clf.fit(x, labels)
    scalars = vectors @ clf.coef_[0]
    return float(clf.intercept_[0]), dict(zip(vocab, scalars.tolist(), strict=True))


def train(rows: list[DebateSentence], featurised: list[dict] | None = None) -> dict:
    """Fit the three regressions and return the blended model as a JSON-ready dict.

    ``featurised``: the rows' feature dicts when already computed (cross-validation).
    """
    if featurised is None:
        featurised = [allf for _row, _signals, allf in featurise(rows)]
    features, labels = featurised, [row.label for row in rows]
    b1, w1 = _fit(features, labels, c=SIGNALS_C, keep=_is_signal)
    b2, w2 = _fit(features, labels, c=WORDS_C, keep=lambda _k: True)
    b3, w3 = semantic_weights([lower_tokens(row.text) for row in rows], labels)
    lexical = 1.0 - SEMANTIC_SHARE
    weights = {k: round(lexical * (w1.get(k, 0.0) + w2.get(k, 0.0)) / 2, 5) for k in w1.keys() | w2.keys()}
    weights.update({"m:" + k: round(SEMANTIC_SHARE * v, 4) for k, v in w3.items()})
    return {
        "bias": round(lexical * (b1 + b2) / 2 + SEMANTIC_SHARE * b3, 5),
        "weights": dict(sorted((k, v) for k, v in weights.items() if v)),
        "meta": {
            "sentences": len(labels),
            "positives": sum(labels),
            "debates": len({r.debate for r in rows}),
        },
    }


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_model(model: dict, path: Path, *, data_dir: Path, with_ct2019: bool, command: str) -> None:
    """Write the artifact with what made it (command, data hashes, library versions)."""
    import sklearn

    files = [CT2020_TRAIN] + ([CT2019_TRAIN] if with_ct2019 else [])
    model["meta"].update(
        {
            "command": command,
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "scikit_learn": sklearn.__version__,
            "data": {f: file_sha256(data_dir / f) for f in files},
            "ct2019_debates": sorted(CT2019_SAME_EVENT_AS_CT2020_TRAIN) if with_ct2019 else [],
            "recipe": (
                f"{1 - SEMANTIC_SHARE:g} x mean of LR(signals f:/c:/s: + role x signal x:, "
                f"C={SIGNALS_C}) and LR(signals + words w: + word pairs b:, C={WORDS_C}), "
                f"min_df={MIN_DF}; + {SEMANTIC_SHARE:g} x LR(mean MiniLM word vector, "
                f"C={SEMANTIC_C}) folded into m: word weights; class_weight=balanced"
            ),
        }
    )
    path.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def event_of(row: DebateSentence) -> str:
    """The debate event a row belongs to: a 2019 re-annotation counts as its 2020 debate."""
    if row.debate.startswith(CT2019_PREFIX):
        return CT2019_SAME_EVENT_AS_CT2020_TRAIN[row.debate.removeprefix(CT2019_PREFIX)]
    return row.debate


def average_precision(labels_by_score: list[int]) -> float:
    """AP of one debate's labels sorted by score (as ``score.py``); 0 without positives."""
    hits, total = 0, 0.0
    for rank, label in enumerate(labels_by_score, 1):
        if label:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def cross_validate(rows: list[DebateSentence], *, folds: int = 5, seeds: tuple[int, ...] = (0, 1, 2)) -> dict:
    """Leave-events-out CV MAP of ``train`` on the training rows: how the recipe was chosen.

    Folds are made of whole debate *events* (a 2019 re-annotation goes with its 2020
    debate, so the same sentences never sit on both sides); each held-out 2020 debate is
    scored through ``score_turns`` (the production path: context, speaker roles, claim-type
    factors) and its AP taken like ``score.py`` does (ties by line). Returns the MAP per
    seed and their mean, and the MAP of every fold (seeds x folds) for the spread.
    """
    featurised = [allf for _row, _signals, allf in featurise(rows)]
    events = sorted({r.debate for r in rows if not r.debate.startswith(CT2019_PREFIX)})
    per_seed, per_fold = [], []
    for seed in seeds:
        shuffled = events[:]
        random.Random(seed).shuffle(shuffled)
        aps = []
        for k in range(folds):
            fold_aps: list[float] = []
            held = set(shuffled[k::folds])
            train_idx = [i for i, r in enumerate(rows) if event_of(r) not in held]
            model = model_from_dict(
                train([rows[i] for i in train_idx], [featurised[i] for i in train_idx]), source="cv"
            )
            for debate in sorted(held):
                group = [r for r in rows if r.debate == debate]
                scores = [
                    c.checkworthiness for c in score_turns([(r.speaker, r.text) for r in group], model=model)
                ]
                order = sorted(range(len(group)), key=lambda i: (-scores[i], group[i].line))
                if any(r.label for r in group):
                    fold_aps.append(average_precision([group[i].label for i in order]))
            if fold_aps:
                per_fold.append(sum(fold_aps) / len(fold_aps))
            aps.extend(fold_aps)
        per_seed.append(sum(aps) / len(aps))
    return {"map": sum(per_seed) / len(per_seed), "per_seed": per_seed, "per_fold": per_fold, "folds": folds}
