/* The schema-change dialect: everything db push does differently per
 * database, one const instance per dialect file (dialect_sqlite.c,
 * dialect_postgres.c). Outside those files no code asks which database it
 * is on: it reads `caps` or calls a member.
 *
 * A third database is one more file defining a migrate_dialect, and a line
 * in migrate_dialect_for (push.c). */
#ifndef PRISMAC_MIGRATE_DIALECT_H
#define PRISMAC_MIGRATE_DIALECT_H

#include <stdbool.h>

#include "conn.h"
#include "core/dburl.h"
#include "dbstate.h"
#include "ddl.h"
#include "schema.h"

typedef struct pusher pusher;
typedef struct plan plan;

enum {
    /* Namespaces: a default schema (?schema=), CREATE SCHEMA, qualified names. */
    MIG_CAP_SCHEMAS = 1u << 0,
    /* Columns, constraints and foreign keys change in place (ALTER TABLE);
     * without it a table is redefined (`redefine`) and foreign keys are
     * written inside CREATE TABLE. */
    MIG_CAP_ALTER_IN_PLACE = 1u << 1,
    /* DDL runs inside a transaction: the push is all or nothing. */
    MIG_CAP_TRANSACTIONAL_DDL = 1u << 2,
};

typedef struct migrate_dialect {
    const char *title;      /* for messages: SQLite, PostgreSQL, CockroachDB */
    psl_provider provider;  /* the schema's provider this dialect serves */
    dburl_kind url_kind;    /* the urls it opens */
    const char *url_scheme; /* for the protocol error: "`file:`" */
    const prisma_driver *driver;
    unsigned caps; /* MIG_CAP_* */

    /* ---- the connection ---- */
    /* Opens the database of `u` on c (creating a PostgreSQL database that does
     * not exist, as Prisma does), sets c->where, db_name, created and the
     * default schema. Prints its error and returns -1 on failure. */
    int (*open)(mconn *c, const dburl *u);
    /* Reads what the database holds (its managed schemas). -1 with c->err. */
    int (*describe)(mconn *c, db_state *out);

    /* ---- comparing ---- */
    /* Whether the database column has the type the schema wants. */
    bool (*type_matches)(const pusher *P, const psl_ddl_column *w, const db_col *h);
    /* A query whose one cell is true ("t" or "1") when the default `want`
     * and the database's default of h are the same value. */
    void (*default_probe)(psl_sql *q, const char *want, const db_col *h);
    /* Whether ALTER TABLE ADD COLUMN can add w (else the table is redefined). */
    bool (*can_add_column)(const psl_ddl_column *w);
    /* Autoincrement by a sequence: whether h is one; NULL when the dialect's
     * autoincrement is a default like any other (compared as such). */
    bool (*is_sequence_column)(const db_col *h);

    /* ---- rendering ---- */
    void (*drop_index)(psl_sql *o, const db_table *h, const db_index *x);
    /* --force-reset: statements dropping every table, view and enum of `st`. */
    void (*reset)(pusher *P, const db_state *st, psl_vec *out);
    /* Recreates table ti of the schema over the database's h with its rows
     * (without MIG_CAP_ALTER_IN_PLACE). */
    void (*redefine)(pusher *P, size_t ti, db_table *h);

    /* ---- applying ---- */
    const char *before_begin; /* run before the transaction, or NULL */
    const char *begin;        /* the transaction's first statement */
    /* Checks run before COMMIT (NULL: none). -1 with c->err. */
    int (*check_before_commit)(mconn *c, const plan *p);
} migrate_dialect;

extern const migrate_dialect migrate_sqlite;
extern const migrate_dialect migrate_postgres;
extern const migrate_dialect migrate_cockroach;

#endif
