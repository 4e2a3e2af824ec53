/* A database backend: everything that differs between databases, as one
 * const struct per database file (backend_sqlite.c, backend_postgres.c):
 * the wire (connections, statements, rows, pipelines), the SQL spelling, the
 * transaction verbs, the value decoding and the error mapping. Nothing
 * outside those files asks which database it is on: it reads capabilities
 * and calls members.
 *
 * Members marked "optional" may be NULL; the backend_* functions below
 * (backend.c) apply their defaults, in that one place. Callers use those
 * functions for optional members and the members directly otherwise. */
#ifndef PRISMA_BACKEND_H
#define PRISMA_BACKEND_H

#include "base.h"
#include "dburl.h"

typedef struct prisma_backend prisma_backend;
typedef struct prisma_rows prisma_rows;
typedef struct prisma_conn prisma_conn;

/* ---- a connection and its statement cache (core/stmt_cache.c works the cache) ---- */

/* Shapes a connection keeps prepared; the least recently used one not pinned
 * goes when another comes. */
enum { STMT_CACHE_LIMIT = 1024 };

typedef struct stmt_entry {
    uint64_t hash;
    uint8_t *key; /* the shape */
    size_t key_len;
    void *stmt;
    char *sql;     /* its text, for the statement trace */
    uint32_t pins; /* holders (a batch, a stream): not evicted while > 0 */
    uint32_t prev, next; /* recency list (newer, older); next also links free slots */
} stmt_entry;

typedef struct stmt_cache {
    stmt_entry *slots;
    size_t n_slots, slots_cap;
    uint32_t *index; /* open addressing: slot numbers, UINT32_MAX empty */
    size_t index_cap;
    size_t len;
    uint32_t newest, oldest, free_slots;
} stmt_cache;

/* Every backend connection starts with this. */
struct prisma_conn {
    const prisma_backend *backend;
    stmt_cache cache;
    bool broken; /* a failure left it unusable: close instead of returning to the pool */
    /* Being closed: finalize only frees what the client holds (the server
     * forgets a session's statements with it; no round trip per statement). */
    bool closing;
    struct conn_pool *pool; /* issue 15: replicas: the pool it goes back to (core/pool.c sets it) */
    /* issue 16: the most statements its cache keeps (0: STMT_CACHE_LIMIT);
     * set by a backend whose server limits prepared statements (MySQL:
     * max_prepared_stmt_count is shared by every client). */
    uint32_t cache_limit;
};


/* Capabilities. The statements that need RETURNING or ON CONFLICT check
 * for them (q_need) and refuse with P2026 where a backend lacks them, or
 * take another way (issue 16: MySQL has no UPDATE ... RETURNING and no
 * ON CONFLICT). */
enum {
    BACKEND_INSERT_RETURNING = 1u << 0, /* INSERT ... RETURNING */
    BACKEND_CONFLICT_TARGET = 1u << 1,  /* INSERT ... ON CONFLICT [(cols)] DO UPDATE / DO NOTHING */
    BACKEND_SCHEMAS = 1u << 2,         /* tables live in schemas: "schema"."table" */
    BACKEND_PIPELINE = 1u << 3,        /* pipeline is set: a batch in one round trip */
    BACKEND_STREAM = 1u << 4,          /* execute_stream holds one row at a time */
    BACKEND_UPDATE_RETURNING = 1u << 5, /* UPDATE ... RETURNING */
    BACKEND_DELETE_RETURNING = 1u << 6, /* DELETE ... RETURNING */
    BACKEND_RETURNING = BACKEND_INSERT_RETURNING | BACKEND_UPDATE_RETURNING | BACKEND_DELETE_RETURNING,
    /* issue 16: INSERT IGNORE: a row whose key is taken is skipped (skipDuplicates without ON CONFLICT) */
    BACKEND_INSERT_IGNORE = 1u << 7,
    /* issue 16: INSERT ... ON DUPLICATE KEY UPDATE: an upsert on whichever
     * unique key the row meets (the runtime uses it where only one can) */
    BACKEND_UPSERT_ANY_KEY = 1u << 8,
};

/* The transaction verbs, for their spelling. */
typedef enum tx_verb { TX_BEGIN, TX_COMMIT, TX_ROLLBACK, TX_SAVEPOINT, TX_RELEASE, TX_ROLLBACK_TO } tx_verb;

/* A text pattern match: `col <op> pattern` (a LIKE pattern: % and _
 * escaped by \), or `fn(col, text)`. */
typedef struct backend_match {
    const char *op; /* " LIKE ", " ILIKE " */
    /* Optional, for contains, starts_with and ends_with: a function of the
     * column and the text itself (no wildcards, no escapes), used instead of
     * op where the database's own pattern match has limits (SQLite's LIKE
     * and GLOB refuse patterns over 50,000 bytes). */
    const char *fn[3];
    /* issue 16: what follows a LIKE pattern (NULL: ` ESCAPE '\'`); MySQL's
     * literals take backslash escapes, so its backslash is written twice. */
    const char *escape;
} backend_match;

/* Scalar lists (String[], Int[]...): how a database with arrays spells their
 * operations and reads them back. A list is bound as ONE parameter
 * (prisma_value V_ARRAY), which execute encodes. */
typedef struct backend_lists {
    const char *contains; /* `col <contains> $list`: every item of $list is in col (has, has_every) */
    const char *overlaps; /* `col <overlaps> $list`: some item of $list is in col (has_some) */
    /* is_empty: `empty_open col empty_close[0]` holds for an empty list,
     * `empty_open col empty_close[1]` for a list with items; neither for a
     * NULL column (Prisma's "NULL values in arrays"). */
    const char *empty_open;
    const char *empty_close[2];
    /* push: `col = push_open col push_mid $list push_close`, also on a NULL list. */
    const char *push_open, *push_mid, *push_close;
    /* The items of the list column i of the current row, read as `type`
     * (prisma_type): *items points to *n values (V_NULL for a NULL item),
     * valid until the next call or row. A NULL column is an empty list.
     * Returns 0; -1 when the text is no list of that type; -2 out of memory. */
    int (*col_list)(prisma_rows *r, int i, int type, const prisma_value **items, size_t *n);
    /* issue 13, field references: `col any_open list_col any_close` holds
     * when the value is one of the list column's items. */
    const char *any_open, *any_close;
} backend_lists;

/* Json filters (query/where_json.c): how a database spells JSON operations,
 * as templates expanded by where_json.c, where
 *   %C is the column, %P the bound path (its text from `path`),
 *   %X the value tested (`whole` or `at_path`, expanded),
 *   %V the bound JSON text of the filter's value, %T the same value as plain
 *      bound text (a string filter's text), %O a comparison operator.
 * Every value, path items included, is a bound parameter. */
enum {
    BJ_EQ,          /* %X equals the JSON value %V */
    BJ_NE,          /* %X is another JSON value than %V (false on SQL NULL) */
    BJ_EQ_CI,       /* BJ_EQ, case folded */
    BJ_NE_CI,       /* BJ_NE, case folded */
    BJ_IS_STRING,   /* %X is a JSON string */
    BJ_IS_NUMBER,   /* %X is a JSON number */
    BJ_IS_ARRAY,    /* %X is a JSON array */
    BJ_TEXT,        /* the text of the JSON string %X, for a backend_match */
    BJ_CMP,         /* %X %O %V, %X and %V both numbers or both strings */
    BJ_ARRAY_HAS,   /* the array %X contains %V (an item, or every item of the array %V) */
    BJ_ARRAY_FIRST, /* the first item of the array %X equals %V */
    BJ_ARRAY_LAST,  /* its last item equals %V */
    BJ_N
};
typedef struct backend_json {
    const char *whole;   /* %X without a path */
    const char *at_path; /* %X at the bound path %P; SQL NULL where the path leads nowhere */
    /* Writes the bound text of a path (keys and array indexes, as given);
     * returns false, with a reason in `why`, when the database cannot spell it. */
    bool (*path)(strbuf *b, const char *const *items, size_t n, char *why, size_t why_len);
    const char *op[BJ_N];
} backend_json;

struct prisma_backend {
    /* ---- what it is ---- */
    const char *name;               /* "sqlite", "postgresql", ... */
    prisma_provider provider;       /* the schema provider it serves */
    const char *const *url_schemes; /* URL prefixes it opens, NULL-terminated */
    const char *display_name;       /* in messages: "SQLite" */
    unsigned caps;                  /* BACKEND_* */
    size_t max_params;              /* bound parameters in one statement */
    unsigned isolation_ok;          /* bit (1 << level) per prisma_isolation level it runs */
    const char *isolation_note;     /* why a level is refused: "SQLite supports only ..." */

    /* ---- connections ---- */
    int (*connect)(const char *url, int timeout_ms, prisma_conn **out, prisma_err *err);
    void (*close)(prisma_conn *c);
    void (*cancel)(prisma_conn *c);     /* interrupts the running statement, from another thread */
    bool (*tx_aborted)(prisma_conn *c); /* the open transaction was ended or poisoned by an error */
    /* Optional: whether a connection that sat idle in the pool still works,
     * told without a round trip (the server may have ended it meanwhile);
     * default: it does. */
    bool (*idle_alive)(prisma_conn *c);
    /* Optional: the pool size when the options name none (default: 2 x CPUs + 1). */
    int (*default_pool_size)(const char *url);
    /* Parses a url of one of its schemes into u (base/dburl.h): what connect
     * opens. Returns 0; -1 with `why` (Prisma's P1013); -2 out of memory. */
    int (*parse_url)(const char *url, dburl *u, char *why, size_t why_len);
    /* Optional: the same url naming another database (db push creates a
     * missing database from another one); malloc'd, NULL when out of memory. */
    char *(*url_with_database)(const dburl *u, const char *database);

    /* ---- statements ---- */
    int (*prepare)(prisma_conn *c, const char *sql, int n_params, void **stmt, prisma_err *err);
    void (*finalize)(prisma_conn *c, void *stmt);
    /* Runs a prepared statement; rows are read with next/col_* until next
     * returns 0, then done() must be called. */
    int (*execute)(prisma_conn *c, void *stmt, const prisma_value *params, size_t n, prisma_rows **rows,
                   prisma_err *err);
    /* Like execute, but rows arrive one at a time (PostgreSQL's single-row
     * mode) so a large result never sits in memory whole. */
    int (*execute_stream)(prisma_conn *c, void *stmt, const prisma_value *params, size_t n, prisma_rows **rows,
                          prisma_err *err);
    /* Optional (with BACKEND_PIPELINE): the held-back transaction verbs and
     * the n prepared statements go out in one round trip. rows[i] receives
     * each statement's result (read with next/col_*, then done). On a
     * failure, *failed is its index (SIZE_MAX if a held-back verb failed) and
     * the transaction is left for the caller to roll back. */
    int (*pipeline)(prisma_conn *c, size_t n, void *const *stmts, const prisma_value *const *params,
                    const size_t *n_params, prisma_rows **rows, size_t *failed, prisma_err *err);
    int (*exec)(prisma_conn *c, const char *sql, prisma_err *err); /* no parameters, no rows */

    /* ---- rows ---- */
    int (*next)(prisma_rows *r, prisma_err *err); /* 1: a row, 0: no more, -1: error */
    bool (*col_null)(prisma_rows *r, int i);
    int64_t (*col_int)(prisma_rows *r, int i); /* booleans as 0 / 1 */
    double (*col_double)(prisma_rows *r, int i);
    /* The text stays valid until the next row, while the row's other
     * columns are read (decoding copies a row's strings at its end); NULL
     * with *len == SIZE_MAX when converting the value ran out of memory. */
    const char *(*col_text)(prisma_rows *r, int i, size_t *len);
    /* The bytes, decoded (valid until the next row); NULL with *len ==
     * SIZE_MAX when decoding them ran out of memory. */
    const void *(*col_blob)(prisma_rows *r, int i, size_t *len);
    /* Optional: a DateTime column as ms since the epoch, UTC, in *ms; 0, or
     * -1 when the value is none (infinity, text that is no date), -2 out of
     * memory. Default:
     * an integer as ms, text parsed (dt_parse). */
    int (*col_datetime)(prisma_rows *r, int i, int64_t *ms);
    int64_t (*changes)(prisma_rows *r);
    void (*done)(prisma_rows *r);
    /* For raw queries: the shape of the result. */
    int (*n_cols)(prisma_rows *r);
    const char *(*col_name)(prisma_rows *r, int i);
    prisma_raw_type (*col_type)(prisma_rows *r, int i); /* of the current row's value */

    /* ---- transactions ----
     * Each verb sends (or, with PostgreSQL, holds back until the next
     * statement) the text tx_sql spells for it; the caller traces that text. */
    /* Optional: the text of a verb (default: standard SQL, BEGIN [ISOLATION LEVEL x],
     * SAVEPOINT n, RELEASE SAVEPOINT n, ROLLBACK TO SAVEPOINT n). */
    void (*tx_sql)(tx_verb v, prisma_isolation level, const char *savepoint, char *out, size_t cap);
    /* Optional: begins; lock_wait_ms > 0: how long it may wait for a lock it
     * takes at once (default: exec of the text). */
    int (*begin)(prisma_conn *c, prisma_isolation level, int lock_wait_ms, prisma_err *err);
    /* Optional each (default: exec of the text). */
    int (*commit)(prisma_conn *c, prisma_err *err);
    int (*rollback)(prisma_conn *c, prisma_err *err);
    int (*savepoint)(prisma_conn *c, const char *name, prisma_err *err);
    int (*release)(prisma_conn *c, const char *name, prisma_err *err);
    int (*rollback_to)(prisma_conn *c, const char *name, prisma_err *err);
    /* Optional: no statement of the open transaction may run longer than ms
     * (default: nothing to do); the text it spells, for the trace, in *sql. */
    int (*statement_timeout)(prisma_conn *c, int ms, char *sql, size_t cap, prisma_err *err);

    /* ---- SQL spelling ---- */
    void (*sql_ident)(strbuf *b, const char *ident); /* optional: "ident", quotes doubled */
    void (*sql_param)(strbuf *b, size_t n);          /* optional: `?`; n counts from 1 */
    /* Optional: what comes before a LIMIT's bound value (default " LIMIT "). */
    const char *limit_param;
    const char *no_limit;  /* what OFFSET needs before it without a LIMIT; NULL: nothing */
    const char *lock_rows; /* appended to a SELECT that reads rows to write them; NULL: no row locks */
    /* issue 16: around a subquery with a LIMIT inside `IN (...)`, where the
     * database refuses one there (MariaDB's 1235; MySQL's 1093 on the
     * updated table itself): a derived table, [0] before and [1] after it.
     * NULL: nothing. */
    const char *limited_in[2];
    /* issue 16: an INSERT of a row of defaults only (" () VALUES ()");
     * NULL: " DEFAULT VALUES". */
    const char *insert_default_values;
    /* issue 16: no NULLS FIRST / LAST in ORDER BY: `x IS NOT NULL, x` puts nulls first. */
    bool nulls_by_is_null;
    /* Appended to a PRISMA_F_CAST_COMPARE column in equality and IN filters:
     * [0] for a String (xml: as text), [1] for a Json (json: as jsonb, so
     * that equality is JSON's, as Prisma). NULL: nothing. */
    const char *compare_cast[2];
    /* [0] case-sensitive, [1] case-insensitive (`mode: insensitive`; op
     * and fn NULL where Prisma has no such mode: refused, P2009). */
    backend_match match[2];
    /* Optional: integer arithmetic of an update (`col op value`) checked by
     * the statement itself, on a database that would store a wrong value
     * rather than fail: the text before it (int_guard_open[0] for Int, 32
     * bits; [1] for BigInt, 64 bits) and after it. A result out of range
     * then fails the statement (P2020), so nothing is written. NULL: the
     * database refuses an overflow itself. */
    const char *int_guard_open[2];
    const char *int_guard_close;
    /* Scalar lists; NULL where the database has none (statements on list
     * fields are then refused, P2026). */
    const backend_lists *lists;

    /* ---- errors ---- */
    /* Whether a database error code (prisma_err.db_code) is a write conflict
     * or deadlock: the transaction is worth retrying. */
    bool (*retryable)(const char *db_code);

    /* ---- issue 13: json ---- */
    /* Json filters; NULL where the database has none (refused, P2026). */
    const backend_json *json;
    /* ---- issue 13: aggregate ---- */
    /* MIN and MAX of a Boolean column: the functions with their "(" (for a
     * database that has no MIN / MAX of booleans); NULL: MIN( and MAX(. */
    const char *bool_min_max[2];
    /* Around the sum, average, minimum or maximum of a Decimal column: what
     * makes the result compare with decimal text as the column does (a
     * having filter binds text); NULL: nothing. */
    const char *decimal_agg[2];
    /* ---- issue 13: raw SQL's placeholders and types, full-text search ---- */
    /* Rewrites a raw statement's placeholders ($n, ?n, ?: prisma.h) into
     * the backend's spelling on out (NULL: only checks them against
     * n_params). Returns PRISMA_OK, or PRISMA_ERROR with err (P1016, P2010). */
    int (*raw_sql)(const char *sql, size_t n_params, strbuf *out, prisma_err *err);
    /* Full-text search (`search`, preview fullTextSearchPostgres): the
     * condition `search_open col1, col2... search_mid $query search_close`.
     * NULL: the database has none (refused, P2009). */
    const char *search_open, *search_mid, *search_close;
};

/* ---- raw SQL's placeholders (backend_raw.c) ----
 * The lexical rules of a database's SQL, for finding placeholders outside
 * literals and comments. */
typedef struct raw_lex {
    bool e_strings;         /* E'...' takes backslash escapes */
    bool dollar_quotes;     /* $$...$$ and $tag$...$tag$ are literals */
    bool nested_comments;   /* block comments nest */
    bool bracket_idents;    /* [ident] */
    bool backtick_idents;   /* `ident` */
    bool question_operator; /* in a statement numbered with $n, `?` is an operator */
    bool backslash_strings; /* issue 16: '...' and "..." take backslash escapes (MySQL) */
    bool hash_comments;     /* issue 16: `#` starts a comment to the end of the line (MySQL) */
    void (*param)(strbuf *b, size_t n); /* parameter n (from 1) */
} raw_lex;
/* The raw_sql member, for the rules lx. */
int raw_translate(const raw_lex *lx, const char *sql, size_t n_params, strbuf *out, prisma_err *err);

/* The backend for a URL and a schema's provider; NULL with err (P1013). */
const prisma_backend *backend_for(const prisma_schema_desc *schema, const char *url, prisma_err *err);
/* The backend of that name ("sqlite", "postgresql", ...), or NULL. */
const prisma_backend *backend_named(const char *name);
/* Whether b opens urls like `url` (one of its schemes). */
bool backend_opens(const prisma_backend *b, const char *url);
/* Parses `url` with the first backend that opens its scheme (u->backend; a
 * variant sharing a scheme, CockroachDB's, comes after the one it varies).
 * Returns 0; -1 with `why` (P1013: no backend opens it, or a bad parameter);
 * -2 out of memory. dburl_free(u) in every case. */
int backend_parse_url(const char *url, dburl *u, char *why, size_t why_len);
/* A failed url parse (rc from a parse_url: -2 out of memory, else P1013 with
 * `why`) set on err. Returns PRISMA_ERROR. */
int backend_url_error(int rc, const char *why, prisma_err *err);
/* u's url naming another database; NULL when its backend has no such thing
 * (or out of memory). */
char *backend_url_with_database(const dburl *u, const char *database);

/* ---- the optional members, with their defaults ---- */
int backend_default_pool_size(const prisma_backend *b, const char *url);
bool backend_idle_alive(const prisma_backend *b, prisma_conn *c);
int backend_col_datetime(const prisma_backend *b, prisma_rows *r, int i, int64_t *ms);
void backend_tx_sql(const prisma_backend *b, tx_verb v, prisma_isolation level, const char *savepoint, char *out,
                    size_t cap);
/* Runs a verb (begin's level and lock wait, the savepoint's name). */
int backend_tx(const prisma_backend *b, prisma_conn *c, tx_verb v, prisma_isolation level, const char *savepoint,
               int lock_wait_ms, prisma_err *err);
/* Limits the open transaction's statements to ms; *sql the text sent, "" when the backend has no such limit. */
int backend_statement_timeout(const prisma_backend *b, prisma_conn *c, int ms, char *sql, size_t cap, prisma_err *err);
void backend_sql_ident(const prisma_backend *b, strbuf *sb, const char *ident);
void backend_sql_param(const prisma_backend *b, strbuf *sb, size_t n);
/* The text before a LIMIT's bound value: " LIMIT ", or the backend's spelling. */
const char *backend_sql_limit(const prisma_backend *b);
/* Whether an error (its Prisma and database codes) is worth retrying. */
bool backend_retryable(const prisma_backend *b, const char *code, const char *db_code);
/* READ COMMITTED, ...: a level's name in SQL; NULL for the default (0). */
const char *backend_isolation_sql(prisma_isolation level);
/* Whether the backend runs this isolation level. */
bool backend_isolation_ok(const prisma_backend *b, prisma_isolation level);

#endif
