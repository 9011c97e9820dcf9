"""Runtime benchmark of the official Python client (PyPI `sunshine-conversations-client`),
driven by `cargo xtask bench` against the canned server of `bench-client serve`.

Makes the same two calls as the Rust bench (GetConversation, ListConversations with
`filter[userId]` and `page[size]=100`), with the same credentials and user agent,
sequentially and from THREADS threads sharing one ApiClient (urllib3's pool is
thread-safe; its size is raised to THREADS). Prints JSON: requests/s per scenario.

usage: python_client.py BASE_URL SECONDS ROUNDS THREADS
"""

import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version

import sunshine_conversations_client as sc

# The same values as xtask/bench/client/src/main.rs.
APP_ID = "app_bench"
CONVERSATION_ID = "5f2b3c4d5e6f708192a3b4c5"
USER_ID = "user_bench"
PAGE_SIZE = 100
KEY_ID = "app_5963ceb97cde542d000dbdb1"
SECRET = "bench-secret"
UA = "sunshine-conversations-bench/1"
LIST_SIZE = 100


def make_api(base, pool_size):
    configuration = sc.Configuration(host=base, username=KEY_ID, password=SECRET)
    configuration.connection_pool_maxsize = pool_size
    client = sc.ApiClient(configuration)
    client.user_agent = UA
    return sc.ConversationsApi(client)


def get(api):
    return api.get_conversation(APP_ID, CONVERSATION_ID)


def list_(api):
    return api.list_conversations(
        APP_ID, filter=sc.ConversationListFilter(user_id=USER_ID), page=sc.Page(size=PAGE_SIZE)
    )


def throughput(call, api, seconds, threads):
    """Requests/s of `call` over `seconds`, from `threads` threads (1: this thread)."""
    done = [0] * threads
    start = time.perf_counter()
    deadline = start + seconds

    def worker(i):
        while time.perf_counter() < deadline:
            call(api)
            done[i] += 1

    if threads == 1:
        worker(0)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for future in [pool.submit(worker, i) for i in range(threads)]:
                future.result()
    return sum(done) / (time.perf_counter() - start)


def main():
    base, seconds, rounds, threads = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    api = make_api(base, max(threads, 1))
    # Sanity: both calls decode into the client's models.
    assert get(api).conversation.id == CONVERSATION_ID
    assert len(list_(api).conversations) == LIST_SIZE
    results = []
    for operation, call in (("GetConversation", get), ("ListConversations", list_)):
        for concurrency in (1, threads):
            throughput(call, api, seconds * 0.2, concurrency)  # warm-up: fills the pool
            rates = [throughput(call, api, seconds, concurrency) for _ in range(rounds)]
            results.append(
                {
                    "operation": operation,
                    "concurrency": concurrency,
                    "rps": statistics.median(rates),
                    "rounds": rates,
                }
            )
    print(
        json.dumps(
            {
                "client": "sunshine-conversations-client " + version("sunshine-conversations-client"),
                "python": sys.version.split()[0],
                "threads": threads,
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
