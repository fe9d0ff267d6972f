"""``python -m toolkit.samplegen {sample,slack,pagerduty,statuspage} OUT [options]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import write_pagerduty, write_sample, write_slack_export, write_statuspage
from .sample import DEFAULT_SEED


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run one generator; prints what was written."""
    parser = argparse.ArgumentParser(prog="python -m toolkit.samplegen", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sample", help="the small coherent sample (data/sample)")
    p.add_argument("out", type=Path)
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p = sub.add_parser("slack", help="a large Slack export zip")
    p.add_argument("out", type=Path)
    p.add_argument("--channels", type=int, required=True)
    p.add_argument("--messages", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-zip", action="store_true", help="write loose files into OUT")
    p = sub.add_parser("pagerduty", help="large PagerDuty incident + log-entry pages")
    p.add_argument("out", type=Path)
    p.add_argument("--incidents", type=int, required=True)
    p.add_argument("--log-entries", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--page-size", type=int, default=100)
    p = sub.add_parser("statuspage", help="a large Statuspage history")
    p.add_argument("out", type=Path)
    p.add_argument("--incidents", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--layout", choices=("pages", "single"), default="pages")
    args = parser.parse_args(argv)

    if args.command == "sample":
        paths = write_sample(args.out, seed=args.seed)
    elif args.command == "slack":
        paths = [
            write_slack_export(
                args.out,
                channels=args.channels,
                messages=args.messages,
                seed=args.seed,
                as_zip=not args.no_zip,
            )
        ]
    elif args.command == "pagerduty":
        paths = write_pagerduty(
            args.out,
            incidents=args.incidents,
            log_entries=args.log_entries,
            seed=args.seed,
            page_size=args.page_size,
        )
    else:
        paths = write_statuspage(args.out, incidents=args.incidents, seed=args.seed, layout=args.layout)
    print(f"wrote {len(paths)} file(s) under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
