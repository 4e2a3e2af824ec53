/* libprisma internals: the client, connections, drivers, errors, results. */
#ifndef PRISMA_INTERNAL_H
#define PRISMA_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "prisma/model.h"
#include "prisma/prisma.h"

/* ---- growable strings ---- */
typedef struct strbuf {
    char *data;
    size_t len, cap;
    bool oom;
} strbuf;

void sb_init(strbuf *b);
void sb_free(strbuf *b);
void sb_putn(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_putc(strbuf *b, char c);
void sb_printf(strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* "ident" with embedded quotes doubled. */
void sb_ident(strbuf *b, const char *ident);

/* malloc of an array of n elements of `size` bytes; NULL when n * size
 * does not fit in a size_t (a hostile length must not wrap to a small block). */
static inline void *malloc_array(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    return malloc(bytes ? bytes : 1);
}

/* a + b, or SIZE_MAX when that overflows (then any allocation of it fails). */
static inline size_t add_sat(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

/* ---- errors ---- */
typedef struct prisma_err {
    char code[16];    /* Prisma code: "P2002"; "" when none */
    char db_code[32]; /* SQLSTATE or SQLite extended code */
    char message[1024];
    char db_message[512]; /* the database's own words, for raw-query errors */
    /* The model of the failed model call (Prisma's meta.modelName): the one
     * whose statement the database refused, else the call's; NULL for raw SQL
     * and transaction calls. Points into the generated descriptors. */
    const char *model;
} prisma_err;

void err_set(prisma_err *e, const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void err_clear(prisma_err *e);

/* ---- values bound to statements ---- */
typedef enum value_kind { V_NULL, V_INT, V_DOUBLE, V_TEXT, V_BLOB, V_BOOL, V_DATETIME } value_kind;
typedef struct prisma_value {
    uint8_t kind;
    int64_t i;
    double d;
    const char *s; /* TEXT, BLOB */
    size_t len;
} prisma_value;

/* ---- drivers ---- */
typedef struct prisma_conn prisma_conn;
typedef struct prisma_rows prisma_rows;

typedef struct prisma_driver {
    const char *name;
    bool numbered_params; /* $1 (PostgreSQL) rather than ? (SQLite) */
    int (*connect)(const char *url, int timeout_ms, prisma_conn **out, prisma_err *err);
    void (*close)(prisma_conn *c);
    int (*prepare)(prisma_conn *c, const char *sql, int n_params, void **stmt, prisma_err *err);
    void (*finalize)(prisma_conn *c, void *stmt);
    /* Runs a prepared statement; rows are read with next/col_* until next
     * returns 0, then done() must be called. */
    int (*execute)(prisma_conn *c, void *stmt, const prisma_value *params, size_t n, prisma_rows **rows,
                   prisma_err *err);
    int (*next)(prisma_rows *r, prisma_err *err); /* 1: a row, 0: no more, -1: error */
    /* Like execute, but rows arrive one at a time (PostgreSQL's single-row
     * mode) so a large result never sits in memory whole. */
    int (*execute_stream)(prisma_conn *c, void *stmt, const prisma_value *params, size_t n, prisma_rows **rows,
                          prisma_err *err);
    bool (*col_null)(prisma_rows *r, int i);
    int64_t (*col_int)(prisma_rows *r, int i);
    double (*col_double)(prisma_rows *r, int i);
    const char *(*col_text)(prisma_rows *r, int i, size_t *len);
    const void *(*col_blob)(prisma_rows *r, int i, size_t *len);
    int64_t (*changes)(prisma_rows *r);
    void (*done)(prisma_rows *r);
    int (*exec)(prisma_conn *c, const char *sql, prisma_err *err); /* no parameters, no rows */
    void (*cancel)(prisma_conn *c); /* interrupts the running statement, from another thread */
    void (*set_lock_wait)(prisma_conn *c, int ms); /* how long a statement waits for a lock (SQLite) */
    bool (*tx_aborted)(prisma_conn *c); /* the open transaction was ended or poisoned by an error */
    /* Pipelined execution (PostgreSQL; NULL elsewhere): `begin`, the n prepared
     * statements and `end` go out in one round trip. rows[i] receives each
     * statement's result (read with next/col_*, then done). On a failure,
     * *failed is its index (SIZE_MAX if begin or end failed) and the
     * transaction is left for the caller to roll back. */
    int (*pipeline)(prisma_conn *c, const char *begin, const char *end, size_t n, void *const *stmts,
                    const prisma_value *const *params, const size_t *n_params, prisma_rows **rows, size_t *failed,
                    prisma_err *err);
    /* For raw queries: the shape of the result. */
    int (*n_cols)(prisma_rows *r);
    const char *(*col_name)(prisma_rows *r, int i);
    prisma_raw_type (*col_type)(prisma_rows *r, int i); /* of the current row's value */
} prisma_driver;

extern const prisma_driver prisma_sqlite_driver;
extern const prisma_driver prisma_pg_driver;

/* A statement cache entry: a query shape and its prepared statement. */
typedef struct stmt_entry {
    uint64_t hash;
    uint8_t *key;
    size_t key_len;
    void *stmt;
    char *sql; /* its text, for the statement trace */
} stmt_entry;

/* Every driver connection starts with this. */
struct prisma_conn {
    const prisma_driver *driver;
    stmt_entry *cache;
    size_t cache_cap, cache_len;
    bool broken; /* a failure left it unusable: close instead of returning to the pool */
};

void conn_cache_clear(prisma_conn *c);

/* ---- the client ---- */
typedef struct tx_state tx_state;

typedef struct client_shared {
    const prisma_schema_desc *schema;
    const prisma_driver *driver;
    char *url;
    prisma_options opts;
    prisma_provider provider; /* what the URL opened */
    bool cockroach;
    /* The pool. */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    prisma_conn **idle;
    size_t n_idle, n_open, max_open;
    size_t n_waiting; /* threads waiting for a connection */
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
} client_shared;

struct prisma_client {
    client_shared *sh;
    bool is_tx;
    uint64_t id;
    tx_state *tx; /* a transaction client's transaction */
};

/* Runs a statement without parameters or rows (BEGIN, COMMIT, ...), traced. */
int sh_exec(client_shared *sh, prisma_conn *c, const char *sql, prisma_err *err);
/* Reports a statement to the client's trace hook, if any. */
void sh_trace(client_shared *sh, const char *sql);

/* Gets a connection from the pool, waiting at most wait_ms. */
int pool_get(client_shared *sh, int wait_ms, prisma_conn **out, prisma_err *err);
void pool_put(client_shared *sh, prisma_conn *c);
void shared_release(client_shared *sh);

/* Transactions (tx.c): a statement on a transaction client holds the
 * transaction's lock; these take and give it back. */
int tx_enter(prisma_client *db, prisma_conn **out, prisma_err *err);
/* The same for a batch: its refusal says "batch query". */
int tx_enter_batch(prisma_client *db, prisma_conn **out, prisma_err *err);
/* Begins a nested transaction for a batch (refusals say "batch query"). */
int tx_begin_batch(prisma_client *db, const prisma_tx_options *opts, prisma_client **tx, prisma_err *err);
/* Whether tx (or its top-level transaction) expired; if so, err says so for `batch`. */
bool tx_expired(prisma_client *tx, bool batch, prisma_err *err);
/* Whether an error is a write conflict or deadlock worth retrying. */
bool prisma_is_write_conflict(const char *code, const char *db_code);
void tx_leave(prisma_client *db);
uint64_t prisma_new_client_id(void);
int prisma_tx_hook_add(prisma_client *tx, prisma_tx_hook fn, void *arg, bool on_commit);
/* Runs a batch in one round trip where the driver can (query.c); 2: it cannot. */
int prisma_batch_pipeline(prisma_client *db, const prisma_batch_op *ops, size_t n, const prisma_tx_options *opts,
                          void **recs, int64_t *counts, size_t *failed);
/* Rolls back every transaction still open on the client (disconnect). */
void tx_close_all(client_shared *sh);

/* Per-thread last error of a client. */
void client_set_error(const prisma_client *db, const prisma_err *e);
void client_clear_error(const prisma_client *db);
/* This thread's last error of `db`, whole; false when there is none. */
bool client_get_error(const prisma_client *db, prisma_err *out);
/* Jittered exponential backoff before retry `attempt` (1, 2, ...). */
void prisma_backoff(int attempt);
int client_fail(const prisma_client *db, const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Gets a connection for one operation (the transaction's, or one from the
 * pool, waiting at most `wait_ms`), and gives it back. */
int client_acquire(prisma_client *db, prisma_conn **out, prisma_err *err);
void client_release(prisma_client *db, prisma_conn *c);

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

/* ---- ids ---- */
void prisma_gen_uuid4(char out[37]);
void prisma_gen_uuid7(char out[37]);
void prisma_gen_cuid(char out[32]);
void prisma_gen_cuid2(char out[32]);
void prisma_gen_nanoid(char *out, int len);
void prisma_gen_ulid(char out[27]);
int64_t prisma_now_ms(void);  /* wall clock: DateTime values */
int64_t prisma_mono_ms(void); /* monotonic: timeouts and elapsed times */

/* DateTime text <-> ms since epoch, UTC. */
int prisma_parse_datetime(const char *s, size_t len, int64_t *ms);
void prisma_format_datetime(int64_t ms, char out[32], bool iso); /* iso: 2024-01-02T03:04:05.678Z; else PG text */

/* Maps a database error to Prisma's code and words. */
void prisma_map_sqlite_error(prisma_err *err, int code, int extended, const char *msg);
void prisma_map_pg_error(prisma_err *err, const char *sqlstate, const char *msg, const char *detail,
                         const char *constraint, const char *column);

#endif
