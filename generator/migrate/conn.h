/* db push's connection: the runtime's backend (prisma_backend) with text
 * rows in the push's arena. No database client of its own. */
#ifndef PRISMAC_MIGRATE_CONN_H
#define PRISMAC_MIGRATE_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "backend.h"
#include "internal.h"

typedef struct mconn {
    const prisma_backend *backend; /* the runtime backend it opens with (set from backend_name) */
    prisma_conn *conn;
    psl_arena *a;
    char err[2048]; /* the last database error, in the database's words */
    /* Set when the database is opened (the dialect's open): */
    const char *schema;   /* the default namespace (?schema=, else public); NULL without namespaces */
    const char **managed; /* the namespaces db push reads and writes */
    size_t n_managed;
    const char *where;   /* for messages: host:port, or the SQLite url */
    const char *db_name; /* for messages */
    bool created;        /* the database did not exist and was created */
} mconn;

/* A query's rows as text; NULL cells for SQL NULL. In the arena. */
typedef struct qres {
    size_t rows, cols;
    const char **cells;
} qres;

static inline const char *cell(const qres *r, size_t row, size_t col) { return r->cells[row * r->cols + col]; }

/* Connects with the connection's backend. Returns 0, or -1 with *err. */
int mc_connect(mconn *c, const char *url, prisma_err *err);
void mc_close(mconn *c); /* accepts a closed one */
/* A query with text parameters ($1 / ?1). Returns 0, or -1 with c->err. */
int mc_query(mconn *c, const char *sql, const char *const *params, int n, qres *out);
/* One statement without parameters or rows. Returns 0, or -1 with c->err. */
int mc_exec(mconn *c, const char *sql);
/* Begins, commits or rolls back a transaction with the backend's own verbs
 * (TX_BEGIN takes the write lock where the database has one). Returns 0, or
 * -1 with c->err. */
int mc_tx(mconn *c, tx_verb verb);
/* The integer in the first cell of `sql`'s result, -1 on failure. */
long long mc_count(mconn *c, const char *sql);
/* c->err from a backend error: the database's words when there are some. */
void mc_set_err(mconn *c, const prisma_err *e);

#endif
