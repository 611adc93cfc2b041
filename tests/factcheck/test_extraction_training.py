"""``train_checkworthiness`` on a small made-up data folder: the artifact it writes loads and ranks."""

import json

import pytest
from django.core.management import CommandError, call_command

from factcheck.extraction import score_turns
from factcheck.extraction.scoring import load_model

WORTHY = [
    "Unemployment fell from 7.1% to 4.2% between 2019 and 2023.",
    "We spent $40 billion on roads last year, more than any other state.",
    "Crime rose by 12 percent in 2022, the highest rate since 1990.",
    "She voted for the tax increase in 2015, which cost families $2,000.",
]
UNWORTHY = ["Thank you.", "Good evening, everyone.", "Well, let me say this.", "What do you think?", "Yes."]


def write_data(root, debates=6):
    folder = root / "ct2020_task5_debates" / "train"
    folder.mkdir(parents=True)
    with open(folder / "sentences.jsonl", "w", encoding="utf-8") as fh:
        for d in range(debates):
            for line, (text, label) in enumerate(
                [(t, 1) for t in WORTHY] + [(t, 0) for t in UNWORTHY * 6], start=1
            ):
                row = {
                    "id": f"d{d}:{line}",
                    "debate": f"d{d}",
                    "line": line,
                    "speaker": "A",
                    "text": text,
                    "label": label,
                }
                fh.write(json.dumps(row) + "\n")


def train_on(root):
    """Train on ``root``'s made-up folder only (no 2019 debates) into ``root/m.json``."""
    call_command(
        "train_checkworthiness", "--data-dir", str(root), "--no-ct2019", "--out", str(root / "m.json")
    )


def test_training_writes_a_json_model_that_ranks_statistics_first(tmp_path):
    write_data(tmp_path)
    out = tmp_path / "model.json"
    call_command("train_checkworthiness", "--data-dir", str(tmp_path), "--no-ct2019", "--out", str(out))
    data = json.loads(out.read_text())
    assert data["meta"]["positives"] == 24 and data["meta"]["ct2019_debates"] == []
    assert data["meta"]["data"].keys() == {"ct2020_task5_debates/train/sentences.jsonl"}
    model = load_model(str(out))
    assert model.source == str(out)
    scores = [c.checkworthiness for c in score_turns([("B", WORTHY[0]), ("B", "Thank you.")], model=model)]
    assert scores[0] > 0.5 > scores[1]


def test_training_refuses_a_folder_without_data(tmp_path):
    with pytest.raises(CommandError, match="no training data"):
        call_command("train_checkworthiness", "--data-dir", str(tmp_path), "--out", str(tmp_path / "m.json"))


def test_training_reports_a_malformed_row_with_its_line(tmp_path):
    write_data(tmp_path, debates=1)
    with open(tmp_path / "ct2020_task5_debates" / "train" / "sentences.jsonl", "a") as fh:
        fh.write('{"id": "x"}\n')
    with pytest.raises(CommandError, match=r"sentences.jsonl:\d+: not a sentence row"):
        train_on(tmp_path)


def test_a_broken_artifact_falls_back_to_hand_set_weights(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"weights": {"f:number": "lots"}}')
    assert load_model(str(bad)).source == "hand-set"


def test_cv_prints_the_cross_validated_map_and_writes_nothing(tmp_path):
    import io

    write_data(tmp_path, debates=5)
    out, stdout = tmp_path / "model.json", io.StringIO()
    call_command(
        "train_checkworthiness",
        "--data-dir",
        str(tmp_path),
        "--no-ct2019",
        "--cv",
        "--out",
        str(out),
        stdout=stdout,
    )
    assert "CV MAP 1.0000 (5-fold by debate event" in stdout.getvalue()
    assert "over the 15 folds: sd 0.0000, min 1.0000, max 1.0000" in stdout.getvalue()
    assert not out.exists()


def test_training_without_the_embedding_extra_says_what_to_install(tmp_path, monkeypatch):
    from core import embedding

    write_data(tmp_path, debates=1)
    monkeypatch.setattr(embedding, "available", lambda: False)
    with pytest.raises(CommandError, match="requirements-embeddings.txt"):
        train_on(tmp_path)
    assert not (tmp_path / "m.json").exists()
