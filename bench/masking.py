"""How long masking a long ticket description takes (target: well under 50 ms for 20,000
characters). Prints the median and p95 of repeated runs, beside a plain regex scan for phone-
shaped digit runs as the baseline.

    python bench/masking.py [--repeats N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from desk_app.domain.masking import mask_text

CHUNK = (
    "商户反馈充值未到账，订单号202611230001234567，手机138 1234 5678，"
    "身份证11010519491231002X，卡号6222-0212-3456-7894，时间2026-11-23 15:30:00，金额¥1380.00。"
)
PHONE_SHAPE = re.compile(r"1[3-9]\d{9}")


def timed(fn: object, text: str, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(text)  # type: ignore[operator]
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    for size in (2_000, 20_000, 100_000):
        text = (CHUNK * (size // len(CHUNK) + 1))[:size]
        mask_text(text)
        ours = timed(mask_text, text, args.repeats)
        base = timed(PHONE_SHAPE.findall, text, args.repeats)
        med, base_med = statistics.median(ours), statistics.median(base)
        p95 = statistics.quantiles(ours, n=20)[-1]
        print(
            f"{size:>7} chars  mask_text median {med:7.2f} ms  p95 {p95:7.2f} ms  "
            f"| phone regex baseline {base_med:6.2f} ms  ratio {med / base_med:5.1f}x"
        )


if __name__ == "__main__":
    main()
