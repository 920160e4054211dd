"""A coroutine run to its end on an event loop of its own thread: in a full test run the browser tests' Playwright
may keep an event loop running on the main thread, where ``asyncio.run`` would refuse to start another."""

import asyncio
import concurrent.futures


def run(coroutine):
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()
