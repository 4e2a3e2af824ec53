/* The schema-change plan: the steps that take a database from one state
 * (db_state: what a database holds, described, or what a schema means,
 * dbstate_from_ddl) to what a schema wants (psl_ddl), in Prisma's step
 * order (schema-engine's SqlMigrationStep), with Prisma's destructive-change
 * diagnostics:
 *   - warnings: the step loses data (a dropped column or table, a cast, a
 *     new unique constraint, removed enum values, a changed primary key);
 *     db push applies them only with --accept-data-loss;
 *   - unexecutable: the step cannot run over the rows there are (a required
 *     column without default added to a table with rows, ...); db push
 *     refuses them unless --force-reset.
 * Every change becomes steps: nothing is refused by the planner itself.
 *
 * Entry points for other commands (db push, migrate diff, migrate dev):
 * migrate_plan, plan_render_script, plan_render_summary, plan_is_empty,
 * dbstate_from_ddl (state_from_ddl.c) and psl_ddl_empty (ddl.h). */
#ifndef PRISMAC_MIGRATE_PLAN_H
#define PRISMAC_MIGRATE_PLAN_H

#include "dialect.h"

#if defined(__GNUC__)
#define MIG_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define MIG_PRINTF_LIKE(f, a)
#endif

/* Step kinds, in Prisma's step order; the script heads each with its name
 * (`-- CreateTable`). */
typedef enum plan_step_kind {
    STEP_RESET, /* db push --force-reset: drop everything first (not a Prisma step) */
    STEP_CREATE_SCHEMA,
    STEP_CREATE_EXTENSION,
    STEP_CREATE_ENUM,
    STEP_ALTER_ENUM,
    STEP_DROP_FOREIGN_KEY,
    STEP_DROP_INDEX,
    STEP_ALTER_TABLE,
    STEP_DROP_TABLE,
    STEP_DROP_ENUM,
    STEP_CREATE_TABLE,
    STEP_REDEFINE_TABLES,
    STEP_CREATE_INDEX,
    STEP_RENAME_FOREIGN_KEY,
    STEP_ADD_FOREIGN_KEY,
    STEP_RENAME_INDEX,
    STEP_REDEFINE_INDEX, /* an index renamed where indexes cannot be: dropped and created */
    STEP_KIND_COUNT
} plan_step_kind;

/* The summary sections of `migrate diff` (Prisma's DriftType order). */
typedef enum plan_section {
    SEC_ADDED_EXTENSION,
    SEC_ADDED_ENUM,
    SEC_ADDED_TABLE,
    SEC_REMOVED_ENUM,
    SEC_REMOVED_TABLE,
    SEC_REDEFINED_TABLE,
    SEC_CHANGED_ENUM,
    SEC_CHANGED_TABLE,
    SEC_NONE, /* not summarized (schemas, reset) */
} plan_section;

typedef struct plan_step {
    plan_step_kind kind;
    long order;           /* within its kind (Prisma sorts by ids): lower first; ties keep insertion order */
    size_t seq;           /* insertion order */
    plan_section section; /* where the summary lists it */
    const char *object;   /* the table or enum it is about (summary), or NULL */
    psl_vec sql;          /* statements (const char*), without the final ';' */
    psl_vec summary;      /* the summary's lines: "  - User", "  [+] Added column `name`" */
    bool outside_tx;      /* runs before the transaction (PostgreSQL ALTER TYPE ... ADD VALUE) */
    bool own_tx;          /* the script wraps it in BEGIN / COMMIT (PostgreSQL enum recreation) */
    const char *preface;  /* text written before its first statement in scripts, or NULL */
} plan_step;

/* What db push counts for its summary. */
enum { N_SCHEMAS, N_ENUMS, N_VALUES, N_TABLES, N_COLUMNS, N_INDEXES, N_FKS, N_CHANGED, N_DROPPED, N_EXTENSIONS,
       N_COUNT };

struct plan {
    psl_vec steps;        /* plan_step*, in Prisma's order once planned */
    psl_vec changes;      /* one line per change, for db push's summary */
    psl_vec warnings;     /* data-loss warnings (Prisma's texts) */
    psl_vec unexecutable; /* steps that cannot run over the data there is (Prisma's texts) */
    size_t n[N_COUNT];
    bool check_fks; /* tables were recreated: check the foreign keys before commit */
    psl_vec warning_kinds, unexecutable_kinds; /* the step kind of each (plan.c orders them as the steps) */
};

typedef struct plan_options {
    /* db push --force-reset: drop everything `from` holds first. */
    bool reset;
    /* Word the diagnostics as for a migration file, without counting rows
     * (Prisma's pure_check), even when `live` is there. */
    bool pure_checks;
    /* PostgreSQL: the namespace unqualified names live in; NULL: the live
     * connection's, else "public". */
    const char *default_schema;
} plan_options;

/* ---- the entry points ---- */

/* Plans the change from `from` to `to` with dialect D, into *out (zeroed
 * first; everything lives in `a`, which the caller releases).
 *   live: the database `from` was described from, or NULL. With it, rows
 *         are counted for the diagnostics and defaults the texts cannot
 *         tell apart are compared by the database; without it defaults are
 *         compared as texts and diagnostics worded without counts.
 *   from: modified (its items get marked as matched); an empty db_state
 *         ({0}) is an empty database.
 *   to:   a psl_ddl of D's provider (psl_ddl_build, psl_ddl_empty).
 *   o:    NULL for the defaults.
 * Returns 0, or -1 when out of memory or a row count failed (the message in
 * live->err). */
int migrate_plan(const migrate_dialect *D, mconn *live, db_state *from, const psl_ddl *to, const plan_options *o,
                 psl_arena *a, plan *out);

/* Whether the plan has no step. */
bool plan_is_empty(const plan *p);

/* The plan as Prisma's migration script (migration.sql, migrate diff
 * --script): the warnings header when the plan has warnings or unexecutable
 * steps, then each step headed `-- Kind`, blank lines between; "-- This is
 * an empty migration." for an empty plan. *out is malloc'd. Returns 0, or -1
 * when out of memory. */
int plan_render_script(const plan *p, char **out);

/* The plan as Prisma's human-readable summary (migrate diff without
 * --script, drift): "[+] Added tables", "[*] Changed the `User` table", ...
 * "No difference detected." for an empty plan. *out is malloc'd. Returns 0,
 * or -1 when out of memory. */
int plan_render_summary(const plan *p, char **out);

/* The db_state a psl_ddl means, as the dialect's describe would read it
 * once created (types as the database prints them: the dialect's
 * state_column), so a plan needs no database. `default_schema`: where
 * unqualified tables live (PostgreSQL; NULL: "public"), as migrate_plan's
 * plan_options.default_schema. In `a`. Returns 0, or -1 when out of memory. */
int dbstate_from_ddl(const psl_ddl *d, const char *default_schema, psl_arena *a, db_state *out);

/* The psl_ddl a db_state means (the reverse of dbstate_from_ddl), so a
 * database can be the target of a plan: drift (a database against the state
 * its migrations make), migrate diff --to-url. Types as the dialect's
 * ddl_type writes them, defaults as the database printed them, an enum's
 * `src` a psl_enum of its own (db_name only). Tables in `default_schema`
 * are unqualified unless multi_schema. Returns 0 and a psl_ddl to free with
 * psl_ddl_free, or -1 when out of memory. */
int psl_ddl_from_dbstate(const migrate_dialect *D, const db_state *st, const char *default_schema, bool multi_schema,
                         psl_ddl **out);

/* ---- planning internals (plan.c, diff.c, the dialects) ---- */

struct pusher {
    const migrate_dialect *D;
    mconn *c; /* the live database, or NULL */
    const psl_ddl *want;
    db_state *have;
    plan *p;
    psl_arena *a;
    psl_sql sql;                /* scratch for the statement being built */
    const char *default_schema; /* PostgreSQL: the namespace of unqualified names */
    bool pure;                  /* no row counts (plan_options.pure_checks, or no database) */
    bool qualify;               /* names are written with their namespace (multi-schema) */
    plan_step_kind diag_kind;   /* the kind of step the diagnostics noted now are about */
};

size_t plan_statements(const plan *p);
/* Appends a formatted line to v. */
void plan_note(pusher *P, psl_vec *v, const char *fmt, ...) MIG_PRINTF_LIKE(3, 4);
/* A new step of `kind` about `object`, listed under `section`. */
plan_step *plan_step_new(pusher *P, plan_step_kind kind, plan_section section, const char *object);
/* Moves the scratch statement P->sql into the step. */
void plan_emit(pusher *P, plan_step *s);
/* Appends a summary line to the step. */
void plan_step_line(pusher *P, plan_step *s, const char *fmt, ...) MIG_PRINTF_LIKE(3, 4);
db_col *plan_find_col(db_table *h, const char *name);
/* A namespace of the schema as the database names it (NULL without namespaces). */
const char *plan_schema_of(const pusher *P, const char *schema);
/* A database table's namespace as statements write it (NULL: unqualified). */
const char *plan_write_schema(const pusher *P, const char *schema);
bool plan_same(const char *a, const char *b);
/* "T" or "schema"."T" (plan_write_schema), for statements on a database table. */
void plan_put_table(pusher *P, psl_sql *o, const db_table *h);
/* "name", quoted, in the arena. */
const char *plan_quoted(pusher *P, const char *name);
/* plan_enum.c: the enums of the target; the ones it no longer has (after the tables). */
void plan_enums(pusher *P);
void plan_dropped_enums(pusher *P);

/* ---- diff.c: comparing what is wanted with what is there ---- */
bool diff_default_matches(pusher *P, const psl_ddl_column *w, const db_col *h);
bool diff_index_matches(const psl_ddl_table *t, const psl_ddl_index *w, const db_index *h);
bool diff_fk_matches(const pusher *P, const psl_ddl_fk *w, const db_fk *h);
bool diff_contains_ci(const char *s, const char *needle);
bool diff_is_true(const char *v);
/* Rows of the table (counted once); -1 when unknown (no database, or pure checks). */
long long diff_table_rows(pusher *P, db_table *h);
/* Rows where col IS NULL (nulls) or IS NOT NULL; -1 when unknown. */
long long diff_null_count(pusher *P, const db_table *h, const char *col, bool nulls);

/* ---- apply.c ---- */
/* Runs the plan: the steps outside the transaction first, then the rest in
 * one transaction. Prints the failure and returns -1. */
int apply_plan(const migrate_dialect *D, mconn *c, const plan *p);
/* The plan's statements as text, each followed by ";\n" ("" when empty):
 * malloc'd in *out. Returns 0, or -1 when out of memory. */
int apply_script(const plan *p, char **out);
/* "3 tables, 1 enum" */
void apply_summary(const plan *p, psl_sql *o);

#endif
