/* libprisma internals: the client, connections, errors, transactions, results. */
#ifndef PRISMA_INTERNAL_H
#define PRISMA_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base.h"

/* ---- backends: the connection and its statement cache (backend/backend.h) ---- */
#include "backend.h"

/* ---- the statement cache of a connection (stmt_cache.c) ---- */

/* The entry of a shape, now the most recently used, and its slot; NULL when absent. */
stmt_entry *stmt_cache_get(prisma_conn *c, uint64_t hash, const uint8_t *key, size_t n, uint32_t *slot);
/* Adds a prepared statement for a shape, first finalizing the least recently
 * used entries nothing pins while the cache is full; NULL: out of memory (the
 * caller still owns stmt). The entry pointer is valid until the next put. */
stmt_entry *stmt_cache_put(prisma_conn *c, uint64_t hash, const uint8_t *key, size_t n, void *stmt, const char *sql,
                           uint32_t *slot);
/* A holder takes and gives back a slot: a pinned entry is never evicted. */
void stmt_cache_pin(prisma_conn *c, uint32_t slot);
void stmt_cache_unpin(prisma_conn *c, uint32_t slot);
size_t stmt_cache_len(const prisma_conn *c);
/* Finalizes every cached statement. */
void conn_cache_clear(prisma_conn *c);
/* Finalizes the connection's cached statements and closes it; accepts NULL. */
void conn_close(prisma_conn *c);

/* ---- the client ---- */
typedef struct tx_state tx_state;

/* A pool of connections to one server: the primary, or one read replica.
 * Each has its own lock, so readers on replicas never wait on the primary's.
 * A connection knows its pool (prisma_conn.pool) and goes back there. */
typedef struct conn_pool {
    char *url;   /* owned */
    int replica; /* -1: the primary; else the replica's index in prisma_options.replica_urls */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    prisma_conn **idle;
    size_t n_idle, n_open, max_open;
    size_t n_waiting; /* threads waiting for a connection */
    bool closing;
    /* Replicas: 0 while the replica is up; after a failure, the time
     * (monotonic ms) before which reads skip it. The first reader past that
     * time claims the retry (a CAS moves the time on by the back-off), so a
     * down replica costs one connect attempt per back-off, not one per call. */
    _Atomic int64_t down_until_ms;
    atomic_int failures; /* in a row: the back-off doubles with each */
} conn_pool;

typedef struct client_shared {
    const prisma_schema_desc *schema;
    const prisma_backend *backend; /* what the URL and the schema's provider chose */
    char *url;
    prisma_options opts;
    /* Guards the transactions, the watchdog, the references and the trace
     * hooks below (each pool has its own lock). */
    pthread_mutex_t mu;
    conn_pool primary;      /* writes, transactions, raw SQL; reads without replicas */
    conn_pool *replicas;    /* n_replicas pools, reads outside transactions */
    size_t n_replicas;
    int pool_timeout_ms; /* the url's pool_timeout (default 10 s); 0: wait as long as it takes */
    bool closing;
    /* Transactions: the open top-level ones, and the watchdog that rolls
     * back those past their timeout. */
    tx_state *open_txs;
    size_t refs; /* the client, and every transaction handle not yet freed */
    pthread_t watchdog;
    bool watchdog_running;
    pthread_cond_t watchdog_cv;
    int64_t watchdog_wake_ms; /* when the watchdog wakes next (INT64_MAX: only when signalled) */
    tx_state *watchdog_current; /* the transaction the watchdog is rolling back */
    pthread_cond_t watchdog_done_cv;
    prisma_trace_fn trace; /* prisma_set_trace */
    void *trace_arg;
    prisma_statement_trace_fn statement_trace; /* prisma_set_statement_trace */
    void *statement_trace_arg;
} client_shared;

struct prisma_client {
    client_shared *sh;
    bool is_tx;
    bool on_primary; /* prisma_primary's handle: reads too go to the primary */
    uint64_t id;     /* the error slot's key (prisma_primary's handle shares its client's) */
    tx_state *tx; /* a transaction client's transaction */
    prisma_client *primary_view; /* the root client's prisma_primary handle (NULL without replicas) */
};

/* Runs a transaction verb (backend.h's tx_verb), traced: begin's isolation
 * level and lock wait (ms, 0: as set), the savepoint's name. */
int sh_tx(client_shared *sh, prisma_conn *c, int verb, prisma_isolation level, const char *savepoint, int lock_wait_ms,
          prisma_err *err);
/* Whether an error (its Prisma and database codes) is a write conflict or
 * deadlock worth retrying, on this client's database. */
bool sh_retryable(const client_shared *sh, const char *code, const char *db_code);
/* Reports a statement run on c (its pool says primary or replica; c NULL:
 * the primary) to the client's trace hooks, if any. */
void sh_trace(client_shared *sh, const prisma_conn *c, const char *sql);

/* Gets a connection from the primary's pool, waiting at most wait_ms. */
int pool_get(client_shared *sh, int wait_ms, prisma_conn **out, prisma_err *err);
/* Gives a connection back to its own pool (the primary's or a replica's);
 * a broken one is closed. Accepts NULL. */
void pool_put(client_shared *sh, prisma_conn *c);
/* A pool for `url` (owned by the pool from then on: freed by pool_destroy,
 * also on failure) of max_open connections; replica -1 for the primary. */
int pool_init(conn_pool *p, char *url, int replica, size_t max_open);
/* Waits for the connections in use to come back, then closes every one. */
void pool_close(conn_pool *p);
void pool_destroy(conn_pool *p);
/* Closes the pool's idle connections (its server went away: they are dead
 * too); the connections in use are closed when they come back broken. */
void pool_drop_idle(conn_pool *p);
/* A replica that failed (connect refused, connection lost mid-read): reads
 * skip it for a back-off, then one reader tries it again. */
void pool_mark_down(conn_pool *p);
void shared_release(client_shared *sh);

/* Transactions (tx.c): a statement on a transaction client holds the
 * transaction's lock; these take and give it back. */
int tx_enter(prisma_client *db, prisma_conn **out, prisma_err *err);
/* The same for a batch: its refusal says "batch query". */
int tx_enter_batch(prisma_client *db, prisma_conn **out, prisma_err *err);
/* Begins a nested transaction for a batch (refusals say "batch query"). */
int tx_begin_batch(prisma_client *db, const prisma_tx_options *opts, prisma_client **tx, prisma_err *err);
/* A top-level transaction's options, the client's defaults filled in and checked. */
typedef struct tx_params {
    int max_wait_ms, timeout_ms;
    prisma_isolation isolation;
} tx_params;
int tx_params_of(client_shared *sh, const prisma_tx_options *opts, tx_params *out, prisma_err *err);
/* A connection for a top-level transaction, within max_wait (P2028 when none is free). */
int tx_conn_get(client_shared *sh, int max_wait, prisma_conn **out, prisma_err *err);
/* Whether tx (or its top-level transaction) expired; if so, err says so for `batch`. */
bool tx_expired(prisma_client *tx, bool batch, prisma_err *err);
void tx_leave(prisma_client *db);
uint64_t client_new_id(void);
int tx_hook_add(prisma_client *tx, prisma_tx_hook fn, void *arg, bool on_commit);
/* Runs a batch in one round trip where the backend can (ops/batch_pipeline.c); 2: it cannot. */
int batch_pipeline_run(prisma_client *db, const prisma_batch_op *ops, size_t n, const prisma_tx_options *opts,
                          void **recs, int64_t *counts, size_t *failed);
/* Rolls back every transaction still open on the client (disconnect). */
void tx_close_all(client_shared *sh);

/* Per-thread last error of a client. */
void client_set_error(const prisma_client *db, const prisma_err *e);
void client_clear_error(const prisma_client *db);
/* Frees db's error slot on this thread (the client is going away). */
void client_forget_errors(const prisma_client *db);
/* This thread's last error of `db`, whole; false when there is none. */
bool client_get_error(const prisma_client *db, prisma_err *out);
/* Jittered exponential backoff before retry `attempt` (1, 2, ...). */
void tx_backoff(int attempt);
int client_fail(const prisma_client *db, const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Gets a connection for one operation (the transaction's, or one from the
 * pool, waiting at most `wait_ms`), and gives it back. */
int client_acquire(prisma_client *db, prisma_conn **out, prisma_err *err);
/* The same for a read: outside a transaction and off prisma_primary's
 * handle, a connection to a replica chosen at random among those up, else
 * the primary's. A replica that cannot be reached is marked down and the
 * next one tried: its error is never the read's. */
int client_acquire_read(prisma_client *db, prisma_conn **out, prisma_err *err);
void client_release(prisma_client *db, prisma_conn *c);
/* The pool a connection came from is a replica's. */
static inline bool conn_on_replica(const prisma_conn *c)
{
    return c && c->pool && c->pool->replica >= 0;
}

/* ---- results: records and lists, each one block chain ---- */
typedef struct result_arena result_arena;
result_arena *result_new(size_t first_size, void **root);
/* The same, with `room` more bytes in the first block for what the root
 * points to (its strings), so a small record is one allocation. */
result_arena *result_new_room(size_t root_size, size_t room, void **root);
void *result_alloc(result_arena *a, size_t size);
char *result_strdup(result_arena *a, const char *s, size_t len);
/* n bytes for text (no alignment, not zeroed). */
char *result_alloc_text(result_arena *a, size_t n);
/* Hands a malloc'd block to the arena, which frees it with the result. */
int result_own(result_arena *a, void *block);
void result_free_root(void *root);
/* Empties a result for reuse: everything but the root (zeroed) is freed. */
void result_reset(void *root, size_t root_size);
/* The arena of a root returned by result_new, to add to it. */
result_arena *result_arena_of(void *root);

#endif
