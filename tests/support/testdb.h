/* Test databases for behaviour tests: a SQLite file in a temporary folder,
 * or a database on the throwaway PostgreSQL server (pgserver.h), with the
 * schema pushed by `prismac db push`.
 *
 * Every backend the tests run on is one entry of test_backends in
 * tests/meson.build and one support file, testdb_<name>.c, defining the
 * testdb_backend testdb_<name>: how to get an empty database and reset it,
 * what the database can do, and how hand-written test SQL is spelled there.
 * The suites never ask which database they run on: they ask the entry. */
#ifndef PRISMAC_TESTDB_H
#define PRISMAC_TESTDB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct testdb_backend {
    const char *name;  /* as in tests/meson.build's test_backends: "sqlite" */
    const char *title; /* for people: "SQLite" */

    /* Support. prepare writes the URL of an empty database to url (or sets
     * *skipped when the user opted out of this backend); returns 0 or -1 with
     * the reason in err. reset empties the tables and restarts their ids. */
    int (*prepare)(char *url, size_t cap, bool *skipped, char *err, size_t errlen);
    int (*reset)(const char *url, const char *const *tables, size_t n);

    /* Capabilities, as the tests see them. */
    bool every_isolation_level;         /* else Serializable only, others are P2023 */
    bool concurrent_write_transactions; /* else one writer holds the write lock */
    bool error_aborts_transaction;      /* a failed statement dooms the transaction */
    bool deferred_begin;                /* BEGIN travels with the first statement */
    bool exact_decimals;                /* Decimal keeps every digit */
    bool serialization_conflicts;       /* concurrent Serializable writers get P2034 (PostgreSQL's SSI; InnoDB
                                           locks instead: the second writer waits, or deadlocks) */
    bool isolation_in_session;          /* SHOW transaction_isolation gives a transaction's own level (else it
                                           is read from another session: MySQL's INNODB_TRX) */
    bool sessions_have_pids;            /* raw SQL can find and end another session */
    bool names_violated_foreign_key;    /* P2003 names the constraint, not "the foreign key" */
    bool names_foreign_key_fields;      /* ... names the key's fields (MySQL: Prisma reads them
                                           from the error text) */
    bool refuses_set_default;           /* onDelete/onUpdate SetDefault is not carried out: the
                                           change is refused, P2003 (InnoDB; Prisma warns) */

    bool alter_adds_constraints;        /* else a constraint needs the table rebuilt */
    bool has_boolean;                   /* raw SQL `true` comes back as a boolean */
    bool keeps_negative_zero;           /* a Float -0.0 reads back -0.0, not 0.0 */
    bool keeps_datetime_offsets;        /* a DateTime written as text keeps its UTC offset */
    bool refuses_datetime_offsets;      /* ... or is refused (MariaDB's DATETIME: 1292) */
    bool scalar_lists;                  /* String[], Int[]... (the scalar_lists suite runs) */
    /* Prisma's `mode: insensitive`; else refused (P2009): Prisma has no such
     * mode on MySQL, whose text compares by the column's collation
     * (utf8mb4_unicode_ci in Prisma's tables: 'a' = 'A'). */
    bool insensitive_mode;
    /* Json filters (MySQL's JSON functions, which Prisma uses there):
     * json_index_from_end: a path index "-1" counts from the end (else refused,
     * P2009); json_index_wraps: index 0 of a non-array is the value itself
     * (MySQL's path autowrap: $[0].a finds {"a": null}); json_contains_nested:
     * array_contains matches inside nested arrays, and null as [null]
     * (JSON_CONTAINS: [null] is in [1, [null], 2]). */
    bool json_index_from_end;
    bool json_index_wraps;
    bool json_contains_nested;
    /* A Boolean column read by raw SQL comes back as a boolean (else as the
     * integer 0 or 1: MySQL's TINYINT(1), as Prisma's MySQL raw queries). */
    bool raw_boolean_columns;
    /* UPDATE ... RETURNING: an update whose rows come back is one statement
     * (else Prisma's emulation: BEGIN, SELECT ... FOR UPDATE, UPDATE by key,
     * SELECT, COMMIT: MySQL). */
    bool update_returning;
    /* Text compares ignoring case in the tables Prisma creates (MySQL's
     * utf8mb4_unicode_ci: 'bob' LIKE 'B%', 'a' = 'A'). */
    bool case_insensitive_text;
    unsigned string_max;                /* a String column's most characters (MySQL: VARCHAR(191),
                                           longer is P2000); 0: no limit */
    bool int_division_rounds;           /* an Int divide rounds the quotient (MySQL's / is exact,
                                           the INT column rounds it), else truncates */
    /* issue 16 (Prisma's MySQL): */
    bool datetime_years_0_to_9999;      /* DATETIME: other instants refused (P2007), other raw text the db's error */
    const char *other_provider_url;     /* a URL of another provider: P1013 for this schema's client */
    /* A query counting the statements the server holds prepared for this
     * session (a WHERE clause may follow), or NULL where the server keeps none. */
    const char *count_prepared_sql;

    /* Spelling of the SQL the tests write by hand (see testdb_sql). */
    char identifier_quote;         /* what `"` around a name becomes; 0: `"` itself */
    char placeholder;              /* '$' or '?': before a parameter's number */
    bool unnumbered_placeholders;  /* the placeholder alone, parameters in order ($1 before $2...) */
    const char *for_update;        /* after a SELECT that locks its rows, or "" */
    const char *rollback_to;       /* the verb before a savepoint's name */
    const char *byte_order;        /* after an ORDER BY term: compare bytes */
    const char *cast_bytes;        /* after a parameter: read it as bytes, or "" */
    const char *cast_text;         /* ... as text */
    const char *cast_float;        /* ... as a double */
    /* Hand-written SQL around the columns of the schemas' Unsupported shape
     * type (tests/meson.build's SHAPE: PostgreSQL's circle, MySQL's point):
     * the literal of the shape at (x, y) with radius r (where the type keeps
     * one), the text it reads back as, and column `col` read as that text.
     * text_of: column `col` (an enum...) read as text. Each returns text in
     * testdb_sql's buffers. */
    const char *(*shape_sql)(int x, int y, int r);
    const char *(*shape_text)(int x, int y, int r);
    const char *(*shape_of)(const char *col);
    const char *(*text_of)(const char *col);
    /* Statement k (from 0; NULL after the last) of the setup that makes
     * `SELECT regressions_flaky()` fail with a write conflict (Prisma's
     * P2034) the first `fails` times it runs, whatever the transaction (a
     * sequence counts the runs: it does not roll back), and the query of
     * that count. NULL: no such statement. */
    const char *(*flaky_setup)(int fails, int k);
    const char *flaky_runs_sql;
    const char *double_type;       /* the type CAST(x AS ...) makes a double of: REAL (MySQL: DOUBLE) */
    /* Writes a statement that takes `ms` milliseconds to buf (NULL: none, the
     * tests burn time with a recursive CTE). */
    void (*sleep_sql)(char *buf, size_t cap, int ms);
    const char *unreachable_url;   /* a URL whose database cannot be reached */
    const char *unreachable_code;  /* the connect error code it gets; NULL: any */
    const char *unreachable_mention; /* what its message names; NULL: nothing checked */

    /* The database's own words, as errors quote them. The functions return
     * text in testdb_sql's buffers. */
    const char *unique_code;       /* db code of a unique violation on a named unique */
    const char *deadlock_code;     /* db code of a deadlock (NULL: one writer at a time, none) */
    /* Raw SQL's P2010 text after "Raw query failed. ": "Code: `..`. Message: `..`":
     * `value` (as text) written twice to table.column; a statement that
     * starts with a misspelt keyword. */
    const char *(*raw_unique_violation)(const char *table, const char *column, const char *value,
                                        bool primary_key);
    const char *(*raw_syntax_error)(const char *statement);
    /* Words a violated check constraint's message holds besides its name
     * (NULL: only the name is checked). */
    const char *(*check_violation)(const char *constraint);
} testdb_backend;

/* Every backend of tests/meson.build's test_backends, NULL-terminated (the
 * generated testdb_table.c). */
extern const testdb_backend *const testdb_backends[];

/* The backend called `name` in tests/meson.build, or NULL. */
const testdb_backend *testdb_backend_named(const char *name);

/* The backend of this run (set by testmain_run, or by testdb_setup). */
extern const testdb_backend *testdb;

/* Hand-written test SQL in one spelling for every backend: `$1`... are the
 * parameters (written out in the backend's style), `"name"` a quoted
 * identifier (outside '...' literals: in the backend's quotes). printf-style; the result
 * lives until the 16th next call on the same thread. */
const char *testdb_sql(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* The shape helpers of the backends whose shape is a circle written as text
 * ('<(x,y),r>'), and CAST(col AS TEXT). */
const char *testdb_circle_sql(int x, int y, int r);
const char *testdb_circle_text(int x, int y, int r);
const char *testdb_cast_as_text(const char *col);

/* Prepares a database for `schema_path` and returns its URL (static storage).
 * backend: a name of the table ("sqlite", "postgresql"). prismac: the prismac
 * binary. On failure returns NULL and writes the reason to errbuf; *skipped
 * is set when the user opted out of the backend (PRISMAC_SKIP_POSTGRES=1). */
const char *testdb_setup(const char *backend, const char *prismac, const char *schema_path, bool *skipped,
                         char *errbuf, size_t errlen);

/* Empties every table of the database (between tests). Returns 0 or -1. */
int testdb_truncate(const char *url, const char *const *tables, size_t n);

/* Runs a program with arguments; returns its exit status, or -1. Output goes
 * to a file whose content is copied to `out` (may be NULL). */
int testdb_run(const char *const *argv, char *out, size_t outlen);

#endif
