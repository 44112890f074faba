"""One producer process of the soak test: sends its share of tasks in bursts, many in the same second."""

import sys
import time

from trackii.celery import app


def main(first: int, count: int, burst: int) -> None:
    with app.producer_or_acquire() as producer:
        for start in range(first, first + count, burst):
            for number in range(start, min(start + burst, first + count)):
                app.send_task("soak.record", args=[number], producer=producer)
            time.sleep(0.05)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:4]))
