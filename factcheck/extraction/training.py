"""Training of the check-worthiness model (scikit-learn, training time only).

The model is the average of two class-balanced logistic regressions over the same
features: one on the transferable ``f:``/``c:``/``s:`` signals and the role x signal
features ``x:<role>:f:*`` only (C=0.1), one on all of those plus ``w:`` words and ``b:``
word pairs (C=0.003, features seen at least 3 times). Both are linear, so their average
is one weight per feature, written as JSON.

Made and checked with::

    python manage.py train_checkworthiness          # writes checkworthiness_model.json
    python manage.py train_checkworthiness --cv     # CV MAP 0.1345 (0.1332 0.1341 0.1363)

The recipe was chosen by ``cross_validate``: 5-fold cross-validation that leaves whole
debate events out (a 2019 re-annotation goes with its 2020 twin), three fold seeds, each
held-out 2020 training debate scored through ``score_turns`` (the production path, claim
type factors included) and its AP taken as ``score.py`` does. Never on dev. Mean CV MAP of
the alternatives (same folds, seeds and metric):

* signals + words (an earlier recipe): 0.108
* + position in the speaker's turn (1st, 2nd, ... sentence): 0.106
* + speaker role ``s:*`` (asks questions / speaks most, read from the text): 0.116
* + speaker role + speaker identity (surname, a weight per person): 0.115
* + speaker role + word pairs (the previous recipe): 0.120
* that one with words C=0.002 / C=0.005 / min count 5 / min count 1 / no class weights:
  0.120 / 0.120 / 0.119 / 0.121 / 0.119
* that one + the previous sentence's words: 0.117; + the next sentence's signals
  (number, question, civility, short, end of turn): 0.114
* that one with words cut to a crude stem (suffix stripping), in place of / beside the
  words / also in the pairs: 0.120 / 0.121 / 0.120
* that one with each debate's positives and negatives weighted equally: 0.110
* that one + a third LR on hashed character 3-5-grams (C=0.001): 0.123 (and a few
  hundred n-grams per sentence: far over the extractor's time budget)
* that one fitted as a pairwise ranker (LR on positive-minus-negative differences within
  a debate, 50 negatives per positive, then calibrated): 0.123
* a three-way average (signals / + words / + words and pairs): 0.113
* gradient boosting (depth 3, 100 trees) on the signals + LR on words and pairs: 0.117
* **+ role x signal: every ``f:`` signal again under each role flag the speaker has
  (``s:main``, ``s:asks``, ``s:asks_some``, ``s:minor``): 0.1345, chosen**
* its variants: one role per sentence (first of main/asks/minor): 0.132; main/minor
  only: 0.132; also under ``s:few``: 0.132; also a role "none" for every other sentence:
  0.124; the ``c:`` context features crossed too: 0.129; the words crossed too: 0.126
* the chosen one with signals C=0.03 / words C=0.001 / words C=0.01 / min count 2 / 5:
  0.131 / 0.131 / 0.126 / 0.134 / 0.135
* the chosen one fitted as a pairwise ranker (as above): 0.133
* the chosen one with the claim-type factors re-fitted (prediction 0.4 ... 1.0 x opinion
  0.5 ... 1.0): at best 0.137 (0.8 / 1.0), within noise of the kept 0.6 / 0.7 (the
  worst corner, 0.4 / 0.5, is 0.133)

Differences under ~0.003 are noise (the seeds differ by up to 0.01), so C, min count and
the factors stayed. News articles have no speaker, so they get no role and no ``x:``
feature: for them the change is only the re-fitted weights (same code path and speed).
The chosen recipe, evaluated once on ``ct2020_task5_debates/dev`` (``python -m
bench.checkworthiness``, see README): MAP 0.102, P@1 0.20, MRR 0.251 (the previous recipe
also had 0.102: the CV gain did not show on dev; TF-IDF+LR baseline 0.071, so 1.44x,
short of the 1.5x target).

Training data: CheckThat! 2020 task 5 train, plus the CheckThat! 2019 task 1 training
debates that are the *same events* as 2020 training debates (a second annotation of
them), renamed ``ct2019/<debate>`` since some share their twin's name. The other 2019
debates are left out: two are 2020 dev events (reporting dev from a model trained on
them would leak) and the rest may be 2020 test events.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from .debates import DebateSentence, featurise, read_sentences

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
    import numpy as np
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


def train(rows: list[DebateSentence], featurised: list[dict] | None = None) -> dict:
    """Fit both regressions and return the averaged model as a JSON-ready dict.

    ``featurised``: the rows' feature dicts when already computed (cross-validation).
    """
    if featurised is None:
        featurised = [allf for _row, _signals, allf in featurise(rows)]
    features, labels = featurised, [row.label for row in rows]
    b1, w1 = _fit(features, labels, c=SIGNALS_C, keep=_is_signal)
    b2, w2 = _fit(features, labels, c=WORDS_C, keep=lambda _k: True)
    weights = {k: round((w1.get(k, 0.0) + w2.get(k, 0.0)) / 2, 5) for k in w1.keys() | w2.keys()}
    return {
        "bias": round((b1 + b2) / 2, 5),
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
                f"mean of LR(signals f:/c:/s: + role x signal x:, C={SIGNALS_C}) and "
                f"LR(signals + words w: + word pairs b:, "
                f"C={WORDS_C}), min_df={MIN_DF}, class_weight=balanced"
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
    seed and their mean.
    """
    import random

    from . import score_turns
    from .scoring import model_from_dict

    featurised = [allf for _row, _signals, allf in featurise(rows)]
    events = sorted({r.debate for r in rows if not r.debate.startswith(CT2019_PREFIX)})
    per_seed = []
    for seed in seeds:
        shuffled = events[:]
        random.Random(seed).shuffle(shuffled)
        aps = []
        for k in range(folds):
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
                    aps.append(average_precision([group[i].label for i in order]))
        per_seed.append(sum(aps) / len(aps))
    return {"map": sum(per_seed) / len(per_seed), "per_seed": per_seed, "folds": folds}
