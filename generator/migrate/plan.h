/* db push's plan: the statements that take the database from what it holds
 * (db_state) to what the schema wants (psl_ddl), in Prisma's step order,
 * with the changes listed for the summary and the destructive ones listed as
 * blockers (the push is then refused). */
#ifndef PRISMAC_MIGRATE_PLAN_H
#define PRISMAC_MIGRATE_PLAN_H

#include "dialect.h"

#if defined(__GNUC__)
#define MIG_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define MIG_PRINTF_LIKE(f, a)
#endif

/* Statement phases, in Prisma's step order. */
enum {
    PH_RESET,
    PH_SCHEMA,
    PH_ENUM,
    PH_DROP_FK,
    PH_DROP_INDEX,
    PH_ALTER,
    PH_DROP_ENUM,
    PH_CREATE_TABLE,
    PH_REDEFINE,
    PH_CREATE_INDEX,
    PH_ADD_FK,
    PH_COUNT
};

/* What db push counts for its summary. */
enum { N_SCHEMAS, N_ENUMS, N_VALUES, N_TABLES, N_COLUMNS, N_INDEXES, N_FKS, N_CHANGED, N_DROPPED, N_EXTENSIONS,
       N_COUNT };

struct plan {
    psl_vec pre;          /* statements that cannot run in the transaction (enum values), run first */
    psl_vec ph[PH_COUNT]; /* statements */
    psl_vec changes;      /* one line per change, for the summary */
    psl_vec blockers;     /* destructive or impossible changes: the push is refused */
    psl_vec warnings;
    size_t n[N_COUNT];
    bool check_fks; /* tables were recreated: check the foreign keys */
};

struct pusher {
    const migrate_dialect *D;
    mconn *c;
    const psl_ddl *want;
    db_state *have;
    plan *p;
    psl_arena *a;
    psl_sql sql; /* scratch for the statement being built */
};

/* ---- plan.c ---- */
/* Plans the push (after dropping everything when `reset`). */
void plan_push(pusher *P, bool reset);
size_t plan_statements(const plan *p);
/* Appends a formatted line to v. */
void plan_note(pusher *P, psl_vec *v, const char *fmt, ...) MIG_PRINTF_LIKE(3, 4);
/* Moves the scratch statement P->sql into v. */
void plan_emit(pusher *P, psl_vec *v);
db_col *plan_find_col(db_table *h, const char *name);
/* A namespace of the schema as the database names it (NULL without namespaces). */
const char *plan_schema_of(const pusher *P, const char *schema);
bool plan_same(const char *a, const char *b);

/* ---- diff.c: comparing what is wanted with what is there ---- */
bool diff_default_matches(pusher *P, const psl_ddl_column *w, const db_col *h);
bool diff_index_matches(const psl_ddl_table *t, const psl_ddl_index *w, const db_index *h);
bool diff_fk_matches(const pusher *P, const psl_ddl_fk *w, const db_fk *h);
bool diff_contains_ci(const char *s, const char *needle);
bool diff_is_true(const char *v);
/* Rows of the table (counted once), -1 on failure. */
long long diff_table_rows(pusher *P, db_table *h);
/* Rows where col IS NULL (nulls) or IS NOT NULL. */
long long diff_null_count(pusher *P, const db_table *h, const char *col, bool nulls);

/* ---- apply.c ---- */
/* Runs the plan: `pre` first, then the rest in one transaction. Prints the
 * failure and returns -1. */
int apply_plan(const migrate_dialect *D, mconn *c, const plan *p);
/* The plan's statements as text, each followed by ";\n": malloc'd in
 * *out. Returns 0, or -1 when out of memory. */
int apply_script(const plan *p, char **out);
/* "3 tables, 1 enum" */
void apply_summary(const plan *p, psl_sql *o);

#endif
