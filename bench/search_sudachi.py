"""The morphological-analyser candidate of bench/search.py (DESIGN §7): SudachiPy + sudachidict_core.

    python bench/search_sudachi.py texts.jsonl words.json   # run by bench/search.py --sudachi-python

Standard library + sudachipy only, so it can run from a separate virtualenv (the project does not
depend on SudachiPy). Reads one JSON string per line (a posting's title and description, NFKC only:
the analyser needs the real ひらがな, so kana folding comes after it) and a JSON list of query words.
Prints JSON: analysis throughput (postings/s, modes A and C) and, per word, how many postings the
word finds as a substring vs as a run of tokens (surface forms: what a token index can find) — the
recall a token index would have under the substring semantics SPEC J2 asks for.
"""

from __future__ import annotations

import json
import sys
import time
import unicodedata
from pathlib import Path

from sudachipy import Dictionary, SplitMode

_FOLD = str.maketrans({chr(code): chr(code + 0x60) for code in range(0x3041, 0x3097)})


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)


def tokens(tokenizer, mode, text: str) -> list[str]:
    return [fold(m.surface()) for m in tokenizer.tokenize(text, mode)]


def found_as_tokens(words: list[str], document: list[str]) -> bool:
    width = len(words)
    return any(document[i:i + width] == words for i in range(len(document) - width + 1))


def main() -> None:
    texts = [json.loads(line) for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()]
    words = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    dictionary = Dictionary(dict="core")
    tokenizer = dictionary.tokenizer() if hasattr(dictionary, "tokenizer") else dictionary.create()
    report: dict = {"postings": len(texts), "modes": {}}
    for name, mode in (("A", SplitMode.A), ("C", SplitMode.C)):
        started = time.perf_counter()
        documents = [tokens(tokenizer, mode, text) for text in texts]
        seconds = time.perf_counter() - started
        recall = {}
        for word in words:
            query = tokens(tokenizer, mode, word)
            substring = {i for i, text in enumerate(texts) if fold(word) in fold(text)}
            as_tokens = {i for i, document in enumerate(documents) if found_as_tokens(query, document)}
            recall[word] = {"substring": len(substring), "tokens": len(as_tokens),
                            "recall": round(len(substring & as_tokens) / len(substring), 3) if substring else None}
        report["modes"][name] = {"postings_per_s": round(len(texts) / seconds), "words": recall}
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
