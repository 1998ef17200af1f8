"""The GIL is released while an engine runs: another Python thread keeps running meanwhile."""

import threading
import time

import numpy as np

import keel


def _progress_while(fn):
    done = threading.Event()
    started = threading.Event()

    def work():
        started.set()
        fn()
        done.set()

    t = threading.Thread(target=work)
    t.start()
    started.wait()
    time.sleep(0.001)  # let the worker enter the engine
    count = 0
    t0 = time.perf_counter()
    while not done.is_set():
        count += 1
    elapsed = time.perf_counter() - t0
    t.join()
    return count, elapsed


def test_monte_carlo_var_releases_the_gil():
    rng = np.random.default_rng(0)
    returns = rng.normal(0, 0.01, (250, 20))
    exposures = rng.uniform(1e5, 1e6, 20)
    count, elapsed = _progress_while(
        lambda: keel.var(returns, exposures, method="montecarlo", paths=400_000, seed=3))
    # Holding the GIL, the loop above could not run at all until the engine returned; released, it
    # spins hundreds of thousands of times during a run of this length.
    assert elapsed > 0.01 and count > 1_000, (count, elapsed)


def test_option_batch_releases_the_gil():
    n = 400_000
    rng = np.random.default_rng(1)
    args = (np.zeros(n, np.uint8), rng.uniform(50, 150, n), np.full(n, 100.0), rng.uniform(0.1, 2, n),
            rng.uniform(0.1, 0.5, n))
    count, elapsed = _progress_while(lambda: keel.options.greeks(*args))
    assert count > 1_000, (count, elapsed)
