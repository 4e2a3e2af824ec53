/* The PostgreSQL backend's connection, shared by its files (private):
 * backend_postgres.c runs statements on it, backend_postgres_connect.c
 * parses urls and opens and closes it. */
#ifndef PRISMA_BACKEND_POSTGRES_CONN_H
#define PRISMA_BACKEND_POSTGRES_CONN_H

#include "backend.h"
#include "backend_postgres_array.h"

#include <libpq-fe.h>
#include <stdatomic.h>

/* Defined in backend_postgres.c. */
extern const prisma_backend backend_postgres;
extern const prisma_backend backend_cockroach;

/* What the url asks of a connection's wire, beyond libpq's own parameters
 * (pg_connect fills it from the url's Prisma parameters). */
typedef struct pg_conn_opts {
    bool pgbouncer;           /* ?pgbouncer=true: a pooler in transaction mode sits in between */
    int statement_cache_size; /* ?statement_cache_size= (-1: not given) */
    int socket_timeout_ms;    /* ?socket_timeout= in ms (0: none) */
} pg_conn_opts;

/* A command held back until the next statement. */
/* HELD_SEARCH_PATH: the url's schema behind a pooler (search_path_sql). */
typedef enum held_kind { HELD_BEGIN, HELD_SAVEPOINT, HELD_SETTING, HELD_SEARCH_PATH } held_kind;
typedef struct held {
    held_kind kind;
    char sql[64];
    char name[32]; /* HELD_SAVEPOINT: the savepoint */
} held;
enum { MAX_HELD = 7 }; /* the last one only for HELD_SEARCH_PATH */

typedef struct pg_conn {
    prisma_conn base;
    PGconn *pg;
    struct prisma_rows *pipe_rows; /* one per pipelined statement */
    size_t pipe_cap;
    unsigned next_stmt;
    /* Parameter buffers, reused across executions. */
    const char **values;
    int *lengths, *formats;
    char *scratch;
    size_t n_cap, scratch_cap;
    /* BEGIN and SAVEPOINT (and a transaction's statement timeout) are held
     * back and go out with the next statement, in one round trip (pipeline
     * mode): a transaction of k statements costs k + 1 round trips, not
     * k + 2. A transaction that ends before any statement sends nothing at
     * all. The transaction code says which verb it is (backend.h): nothing
     * here reads SQL text to find out. Innermost last. */
    held deferred[MAX_HELD];
    unsigned n_deferred;
    /* col_blob's decoded bytes. */
    uint8_t *blob;
    size_t blob_cap;
    /* Scalar lists: the text of the array parameters, and col_list's items. */
    char *arrays;
    size_t arrays_cap;
    pg_array_buf list;
    /* A cancel request went out (from the timeout watchdog's thread). */
    atomic_bool cancelled;
    pg_conn_opts opts;
    /* The server said nothing for socket_timeout: the connection is broken
     * (mid-statement, state unknown) and nothing more is read from it. */
    bool timed_out;
    /* pgbouncer=true with ?schema=: a pooler in transaction mode hands each
     * transaction any server session, so a SET at connect would be lost (or
     * leak to other clients). This `SELECT set_config('search_path', ..,
     * true)` goes out instead, in the same round trip, right after BEGIN or
     * before a statement outside a transaction: it lasts as long as that
     * transaction (an implicit one ends at the Sync). NULL otherwise. */
    char *search_path_sql;
} pg_conn;

struct prisma_rows {
    pg_conn *conn;
    PGresult *res;
    int row, n_rows;
    int64_t changes;
    bool streaming; /* single-row mode: results arrive row by row */
    bool pipelined; /* streaming in pipeline mode (after held-back commands): a sync follows */
    bool finished;
};

typedef struct pg_conn_rows {
    pg_conn c;
    prisma_rows rows;
} pg_conn_rows;

/* Runs sql (no parameters) as one simple query, nothing held back before
 * it; marks the connection broken when it was lost. */
int pg_exec_simple(prisma_conn *pc, const char *sql, prisma_err *err);

/* pgbouncer=true: keeps `schema` as c->search_path_sql (no SET at connect). */
int pg_pooled_search_path(pg_conn *c, const char *schema, prisma_err *err);

/* backend_postgres_connect.c: the url, opening and closing. */
int pg_parse_url(const char *url, dburl *u, char *why, size_t why_len);
int pg_connect(const char *url, int timeout_ms, prisma_conn **out, prisma_err *err);
void pg_close(prisma_conn *pc);

#endif
