"""`civhub bench-corpus --n N [--seed S] [--replace] [--no-vectors] [--cache-dir DIR]`
and `civhub bench-corpus --clear`.

Writes N synthetic search documents in English, Russian and Kazakh for the benchmarks
(`make bench`, docs/benchmarks.md); see civhub/search/benchcorpus.py for how they are made.
Their `object_id` starts with "bench-": --replace and --clear remove those and nothing else.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from civhub.search import benchcorpus


def positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if not 1 <= n <= benchcorpus.MAX_N:
        from argparse import ArgumentTypeError

        raise ArgumentTypeError(
            f"must be a whole number from 1 to {benchcorpus.MAX_N:,}, not {value!r}"
        )
    return n


class Command(BaseCommand):
    help = (
        "Write N synthetic search documents (English, Russian, Kazakh) for the benchmarks. "
        "They are marked so that --replace and --clear remove only them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--n", type=positive_int, help="How many documents to write.")
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed writes the same documents."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Remove the benchmark documents already there first.",
        )
        parser.add_argument(
            "--clear", action="store_true", help="Only remove the benchmark documents."
        )
        parser.add_argument(
            "--no-vectors",
            action="store_true",
            help="Write the documents without vectors (lexical search only).",
        )
        parser.add_argument(
            "--allow-real-data",
            action="store_true",
            help="Write into a database that holds data other than the demo's.",
        )
        parser.add_argument(
            "--cache-dir",
            type=Path,
            help="Where the sentence pool's vectors are cached (default: VAR_DIR/bench).",
        )

    def handle(
        self, *args, n, seed, replace, clear, no_vectors, cache_dir, allow_real_data, **options
    ):
        from civhub.accounts.demo import data_not_from_the_demo

        reasons = [] if allow_real_data or clear else data_not_from_the_demo()
        if reasons:
            raise CommandError(
                "This database holds data other than the demo's ("
                + "; ".join(reasons)
                + "): the benchmark's synthetic public documents would be found by its "
                "readers. Use a database of its own, or pass --allow-real-data."
            )
        if clear:
            if n is not None:
                raise CommandError("--clear removes the benchmark documents: give no --n.")
            removed = benchcorpus.remove()
            self.stdout.write(f"Removed {removed:,} benchmark documents.")
            return
        if n is None:
            raise CommandError("Say how many documents to write with --n (e.g. --n 10000).")
        existing = benchcorpus.count()
        if existing and not replace:
            raise CommandError(
                f"{existing:,} benchmark documents are there already: add --replace to "
                "write new ones in their place, or --clear to remove them."
            )
        if existing:
            self.stdout.write(f"Removed {benchcorpus.remove():,} benchmark documents.")
        bars: dict[str, tqdm] = {}
        verbose = options["verbosity"] > 0

        def progress(stage: str, done: int, total: int) -> None:
            if not verbose:
                return
            bar = bars.get(stage)
            if bar is None:
                label = {"embed": "embedding sentences", "write": "writing documents"}[stage]
                bar = bars[stage] = tqdm(total=total, desc=label, unit="", file=sys.stderr)
            bar.update(done - bar.n)

        try:
            report = benchcorpus.write(
                n,
                seed,
                vectors=not no_vectors,
                cache_dir=cache_dir or Path(settings.VAR_DIR) / "bench",
                progress=progress,
            )
        finally:
            for bar in bars.values():
                bar.close()
        vectors = "with vectors" if report.with_vectors else "without vectors"
        self.stdout.write(f"Wrote {report.written:,} benchmark documents ({vectors}).")
