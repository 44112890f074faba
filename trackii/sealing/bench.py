"""Sealing benchmark: ``python -m trackii.sealing.bench [--pages 20] [--runs 5] [--copies 20]``.

Measures, as medians, WeasyPrint alone, render + seal, and one stamped copy, for a realistic summary, and the
process's peak RSS. DESIGN.md §6: render + seal <= 1.3x WeasyPrint alone; each copy <= 100 ms.
"""

import argparse
import io
import logging
import os
import resource
import statistics
import time


def _median_seconds(function, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--copies", type=int, default=20)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trackii.settings")
    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)

    import pypdf

    from trackii.sealing.keys import load_identity
    from trackii.sealing.pdf import render_pdf
    from trackii.sealing.samples import sample_summary_html
    from trackii.sealing.seal import new_copy_code, seal_pdf, stamp_copy
    from trackii.sealing.verify import verify_pdf

    html = sample_summary_html(pages=options.pages)
    identity = load_identity()
    rendered = render_pdf(html)  # warm-up: imports, fonts, key
    seal_pdf(rendered, reason="warm-up")
    pages = len(pypdf.PdfReader(io.BytesIO(rendered)).pages)

    # Interleaved, so that a noisy neighbour slows both alike rather than one of them.
    render_runs, render_seal_runs = [], []
    for _ in range(options.runs):
        render_runs.append(_median_seconds(lambda: render_pdf(html), 1))
        render_seal_runs.append(_median_seconds(lambda: seal_pdf(render_pdf(html), reason="bench"), 1))
    render_s, render_seal_s = statistics.median(render_runs), statistics.median(render_seal_runs)
    seal_s = _median_seconds(lambda: seal_pdf(rendered, reason="bench"), options.runs)
    started = time.perf_counter()
    stamp_copy(rendered, copy_code=new_copy_code())  # the first copy of a master lays it out (CopyMaster)
    first_copy_s = time.perf_counter() - started
    codes = [new_copy_code() for _ in range(options.copies)]
    copies = iter(codes)
    copy_s = _median_seconds(lambda: stamp_copy(rendered, copy_code=next(copies)), options.copies)
    copy = stamp_copy(rendered, copy_code=codes[0])
    verify_s = _median_seconds(lambda: verify_pdf(copy), options.runs)
    assert verify_pdf(copy).ok
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    key = type(identity.private_key).__name__
    print(f"document: {pages} pages, {len(rendered) / 1024:.0f} KiB rendered; key {key}")
    print(f"WeasyPrint alone       {render_s * 1000:8.1f} ms  (median of {options.runs})")
    print(
        f"render + seal          {render_seal_s * 1000:8.1f} ms  = {render_seal_s / render_s:.2f}x WeasyPrint"
        " (target <= 1.30x)"
    )
    ratio = (render_s + seal_s) / render_s
    print(f"seal alone             {seal_s * 1000:8.1f} ms  (WeasyPrint + seal = {ratio:.2f}x WeasyPrint)")
    print(f"first copy of a master {first_copy_s * 1000:8.1f} ms  (parse and lay out once, then sign)")
    print(f"stamp_copy per copy    {copy_s * 1000:8.1f} ms  (median of {options.copies}; target <= 100 ms)")
    print(f"verify_pdf             {verify_s * 1000:8.1f} ms")
    print(f"peak RSS               {peak_rss_mb:8.0f} MiB")


if __name__ == "__main__":
    main()
