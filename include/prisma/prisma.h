/* libprisma: the runtime of prismac-generated clients.
 *
 * Conventions, as in SQLite and libpq: functions return an int status
 * (PRISMA_OK on success) and the details of the last error live on the handle
 * that ran the call (per thread, like errno, so a client shared by threads
 * keeps each thread's error apart). Everything returned to the caller is owned
 * by the caller and freed with the matching *_free function; every free
 * function accepts NULL. */
#ifndef PRISMA_PRISMA_H
#define PRISMA_PRISMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PRISMA_VERSION_MAJOR 0
#define PRISMA_VERSION_MINOR 1
#define PRISMA_VERSION_PATCH 0
#define PRISMA_VERSION_STRING "0.1.0"
/* Generated code checks at compile time that it was generated for this
 * runtime ABI, and at connect time that the library it links is the same. */
#define PRISMA_ABI_VERSION 6

/* ---- status codes ---- */
enum {
    PRISMA_OK = 0,
    PRISMA_ERROR = 1 /* a database or usage error: see prisma_error_code() */
};
/* find_unique and find_first return PRISMA_OK with *out == NULL when nothing
 * matches, as Prisma returns null; the *_or_throw variants fail with P2025. */

/* The runtime's version, e.g. "0.1.0". */
const char *prisma_version(void);
/* The ABI version the runtime was built with; equals PRISMA_ABI_VERSION. */
int prisma_abi_version(void);

/* ---- the client ---- */

/* A client: the root client returned by prisma_connect, or a client bound to
 * a transaction. Every generated function takes either. */
typedef struct prisma_client prisma_client;

typedef enum prisma_isolation {
    PRISMA_ISOLATION_DEFAULT = 0, /* the database's own */
    PRISMA_READ_UNCOMMITTED,
    PRISMA_READ_COMMITTED,
    PRISMA_REPEATABLE_READ,
    PRISMA_SERIALIZABLE
} prisma_isolation;

/* Options of a client. Zero means "the default". */
typedef struct prisma_options {
    int pool_size;        /* connections; default: 2 x cores + 1 for PostgreSQL, 4 for SQLite */
    int connect_timeout_ms; /* default 5000 */
    int max_wait_ms;      /* transaction default max_wait; default 2000 */
    int timeout_ms;       /* transaction default timeout; default 5000 */
    prisma_isolation isolation; /* transaction default isolation */
    /* Read replicas (docs/read-replicas.md): their urls, NULL-terminated.
     * Reads outside transactions go to one of them, chosen at random; writes,
     * transactions and raw SQL to the primary (`url`). NULL: the urls of the
     * variable DATABASE_REPLICA_URLS (environment, else ./.env; separated by
     * whitespace), if set; an empty list ({ NULL }): no replicas, whatever
     * the environment says. Each replica has its own pool, sized like the
     * primary's (pool_size, else its url's connection_limit, else the
     * default). Replicas are not contacted by prisma_connect: one that is
     * down is skipped, its reads go to another replica or the primary. */
    const char *const *replica_urls;
} prisma_options;

/* The variable read for replica urls when prisma_options names none. */
#define PRISMA_REPLICA_URLS_ENV "DATABASE_REPLICA_URLS"

/* Opaque description of a generated schema (see prisma/model.h). */
typedef struct prisma_schema_desc prisma_schema_desc;

/* Opens a client for `schema`. `url` may be NULL: the schema's datasource url
 * is used (a literal, or env("X") read from the environment, then from a .env
 * file in the current directory). `file:PATH` opens SQLite; postgresql:// and
 * postgres:// open PostgreSQL (and CockroachDB). On failure *out is NULL and
 * the error is available through prisma_last_connect_error(). The generated
 * header wraps this as prisma_connect(&db, url). */
int prisma_open(prisma_client **out, const prisma_schema_desc *schema, const char *url,
                const prisma_options *options);
/* Closes the client: open transactions are rolled back, connections closed.
 * Accepts NULL. Must not be called on a transaction client. */
void prisma_disconnect(prisma_client *db);

/* ---- the statement trace ----
 * Reports every SQL statement the client and its transactions run, with
 * placeholders, never with values, normalized: every placeholder is `?`
 * ($1 on PostgreSQL too), and a run of identical VALUES tuples or IN-list
 * placeholders is written once followed by its count as a comment
 * ("VALUES (?, ?)" and then "x100" in a C-style comment), so statements read
 * the same on both backends and for any number of rows. Called from the thread
 * that runs the statement. fn NULL turns it off. */
typedef void (*prisma_trace_fn)(void *arg, const char *sql);
void prisma_set_trace(prisma_client *db, prisma_trace_fn fn, void *arg);

/* The same statements with where they ran: the primary or a read replica
 * (docs/read-replicas.md). Both hooks may be set; each gets every statement. */
typedef struct prisma_statement_info {
    const char *sql;  /* as prisma_set_trace reports it */
    const char *role; /* "primary" or "replica" */
    int replica;      /* the replica's index in prisma_options.replica_urls; -1 on the primary */
} prisma_statement_info;
typedef void (*prisma_statement_trace_fn)(void *arg, const prisma_statement_info *info);
void prisma_set_statement_trace(prisma_client *db, prisma_statement_trace_fn fn, void *arg);

/* ---- read replicas ----
 * The client that runs everything on the primary, reads too: for a read that
 * must see a write just made (replicas lag behind the primary). Works with
 * every generated function, transactions included. The handle is owned by
 * `db` and lives as long as it: never disconnect it. Without replicas it is
 * `db` itself; on a transaction client, that client (already on the primary).
 * NULL for NULL. */
prisma_client *prisma_primary(prisma_client *db);

/* ---- errors ---- */

/* The Prisma error code of the last failed call on `db` in this thread, such as
 * "P2002", or NULL after a success. */
const char *prisma_error_code(const prisma_client *db);
/* Its message, in Prisma's words, or "" after a success. */
const char *prisma_error_message(const prisma_client *db);
/* The database's own code (SQLSTATE, or the SQLite extended code as text), or NULL. */
const char *prisma_error_db_code(const prisma_client *db);
/* The model of the failed call (Prisma's meta.modelName), or NULL after a
 * success, for raw SQL and for transaction calls. When the database refused a
 * statement it is the model that statement wrote: in a nested write, the
 * nested model (a P2002 on a nested create names the nested model). */
const char *prisma_error_model(const prisma_client *db);
/* For a failed prisma_open: the code and message (thread-local). */
const char *prisma_last_connect_error_code(void);
const char *prisma_last_connect_error(void);
/* issue 15: url: the database's (or its client library's) own words behind
 * the last error, which Prisma's message does not repeat: libpq's reason for
 * a failed connection ("password authentication failed for user ...", a
 * line per host tried), the server's message for a refused statement; ""
 * when there are none. For a failed prisma_open, and for a call on `db`. */
const char *prisma_last_connect_error_db_message(void);
const char *prisma_error_db_message(const prisma_client *db);

/* ---- input values ----
 * A zero-initialized input field means "not given". Scalars that have no
 * natural "not given" value are wrapped with a flag; build them with the
 * PRISMA_* macros below.
 *
 * The flag, `set`, is each wrapper's FIRST member and a pointer to a private
 * type: the macros point it at prisma_given_mark. So a bare value where a
 * wrapper belongs, `.id = 5` instead of `.id = PRISMA_INT(5)`, lands in `set`
 * by brace elision and the compiler says so in its default mode ("makes
 * pointer from integer without a cast" / "incompatible integer to pointer
 * conversion"; an error in newer compilers), and `.id = 1.5` or `.id = "x"`
 * do not compile. One misuse stays silent: a constant 0 (also `false` or
 * NULL) is a null pointer in C, so `.id = 0` or `.active = false` compiles and
 * means "not given" (no filter, no change). Write PRISMA_INT(0) and
 * PRISMA_BOOL(false). */

typedef struct prisma_given_ prisma_given_; /* never defined for callers */
extern const prisma_given_ prisma_given_mark;
#define PRISMA_GIVEN_ (&prisma_given_mark)

typedef struct prisma_int { const prisma_given_ *set; bool null; int32_t v; } prisma_int;
typedef struct prisma_bigint { const prisma_given_ *set; bool null; int64_t v; } prisma_bigint;
typedef struct prisma_float { const prisma_given_ *set; bool null; double v; } prisma_float;
typedef struct prisma_bool { const prisma_given_ *set; bool null; bool v; } prisma_bool;
/* Milliseconds since 1970-01-01T00:00:00Z. */
typedef struct prisma_datetime { const prisma_given_ *set; bool null; int64_t v; } prisma_datetime;
typedef struct prisma_bytes { const prisma_given_ *set; bool null; const void *data; size_t len; } prisma_bytes;

#define PRISMA_INT(x) ((prisma_int){ .set = PRISMA_GIVEN_, .v = (x) })
#define PRISMA_BIGINT(x) ((prisma_bigint){ .set = PRISMA_GIVEN_, .v = (x) })
#define PRISMA_FLOAT(x) ((prisma_float){ .set = PRISMA_GIVEN_, .v = (x) })
#define PRISMA_BOOL(x) ((prisma_bool){ .set = PRISMA_GIVEN_, .v = (x) })
#define PRISMA_DATETIME(ms) ((prisma_datetime){ .set = PRISMA_GIVEN_, .v = (ms) })
#define PRISMA_BYTES(p, n) ((prisma_bytes){ .set = PRISMA_GIVEN_, .data = (p), .len = (n) })
/* An explicit NULL for an optional field of these types. */
#define PRISMA_INT_NULL ((prisma_int){ .set = PRISMA_GIVEN_, .null = true })
#define PRISMA_BIGINT_NULL ((prisma_bigint){ .set = PRISMA_GIVEN_, .null = true })
#define PRISMA_FLOAT_NULL ((prisma_float){ .set = PRISMA_GIVEN_, .null = true })
#define PRISMA_BOOL_NULL ((prisma_bool){ .set = PRISMA_GIVEN_, .null = true })
#define PRISMA_DATETIME_NULL ((prisma_datetime){ .set = PRISMA_GIVEN_, .null = true })
#define PRISMA_BYTES_NULL ((prisma_bytes){ .set = PRISMA_GIVEN_, .null = true })
/* Strings (String, Decimal, Json) are `const char *`: NULL means not given,
 * PRISMA_NULL means an explicit NULL. Decimal travels as exact text. */
extern const char prisma_null_string[];
#define PRISMA_NULL (prisma_null_string)
/* Json fields tell two nulls apart, as Prisma's DbNull and JsonNull:
 * PRISMA_DB_NULL is SQL NULL (no value; PRISMA_NULL means the same on a Json
 * field) and PRISMA_JSON_NULL the JSON value null (the text "null" says the
 * same). In a Json filter's equals / not_, PRISMA_ANY_NULL matches either.
 * They are refused on fields of other types (P2009). */
extern const char prisma_db_null_string[], prisma_json_null_string[], prisma_any_null_string[];
#define PRISMA_DB_NULL (prisma_db_null_string)
#define PRISMA_JSON_NULL (prisma_json_null_string)
#define PRISMA_ANY_NULL (prisma_any_null_string)
/* Enums are C enums whose values start at 1: 0 means not given, and
 * PRISMA_ENUM_NULL (-1) an explicit NULL. */
#define PRISMA_ENUM_NULL (-1)

/* Lists for `in` / `not_in` filters: `.in = PRISMA_INTS(1, 2, 3)`. The
 * `set` mark comes first here too, so `.in = 5` or `.in = array` is
 * diagnosed. */
typedef struct prisma_int_list { const prisma_given_ *set; const int32_t *items; size_t len; } prisma_int_list;
typedef struct prisma_bigint_list { const prisma_given_ *set; const int64_t *items; size_t len; } prisma_bigint_list;
typedef struct prisma_float_list { const prisma_given_ *set; const double *items; size_t len; } prisma_float_list;
typedef struct prisma_string_list {
    const prisma_given_ *set;
    const char *const *items;
    size_t len;
} prisma_string_list;
typedef struct prisma_datetime_list { const prisma_given_ *set; const int64_t *items; size_t len; } prisma_datetime_list;
typedef struct prisma_enum_list { const prisma_given_ *set; const int *items; size_t len; } prisma_enum_list;
#define PRISMA_LIST_OF_(T, LT, ...) \
    ((LT){ .set = PRISMA_GIVEN_, .items = (const T[]){ __VA_ARGS__ }, .len = sizeof((const T[]){ __VA_ARGS__ }) / sizeof(T) })
#define PRISMA_INTS(...) PRISMA_LIST_OF_(int32_t, prisma_int_list, __VA_ARGS__)
#define PRISMA_BIGINTS(...) PRISMA_LIST_OF_(int64_t, prisma_bigint_list, __VA_ARGS__)
#define PRISMA_FLOATS(...) PRISMA_LIST_OF_(double, prisma_float_list, __VA_ARGS__)
#define PRISMA_STRINGS(...) PRISMA_LIST_OF_(char *, prisma_string_list, __VA_ARGS__)
#define PRISMA_DATETIMES(...) PRISMA_LIST_OF_(int64_t, prisma_datetime_list, __VA_ARGS__)
#define PRISMA_ENUMS(...) PRISMA_LIST_OF_(int, prisma_enum_list, __VA_ARGS__)
/* The items of scalar list fields (Boolean[], Bytes[]) and their macros: a
 * Bytes item is PRISMA_BYTES_ITEM(pointer, length). */
typedef struct prisma_bool_list { const prisma_given_ *set; const bool *items; size_t len; } prisma_bool_list;
typedef struct prisma_bytes_value { const uint8_t *data; size_t len; } prisma_bytes_value;
typedef struct prisma_bytes_list {
    const prisma_given_ *set;
    const prisma_bytes_value *items;
    size_t len;
} prisma_bytes_list;
#define PRISMA_BOOLS(...) PRISMA_LIST_OF_(bool, prisma_bool_list, __VA_ARGS__)
#define PRISMA_BYTES_ITEM(p, n) ((prisma_bytes_value){ (const uint8_t *)(p), (n) })
#define PRISMA_BYTES_LIST(...) PRISMA_LIST_OF_(prisma_bytes_value, prisma_bytes_list, __VA_ARGS__)
/* An empty list that is given: `in: []` matches nothing; a list field set to []. */
#define PRISMA_EMPTY_LIST { .set = PRISMA_GIVEN_, .items = NULL, .len = 0 }

/* ---- filters (where) ---- */

typedef enum prisma_query_mode { PRISMA_MODE_DEFAULT = 0, PRISMA_INSENSITIVE } prisma_query_mode;

/* Field references (Prisma's `prisma.user.fields.credit`): `ref` compares
 * the field with ANOTHER field of the same model, named by the model's
 * scalar-field constant, so `.balance = { .ref = { .gt = USER_FIELD_CREDIT } }`
 * means balance > credit; 0 means not given. The referenced field must have
 * the filtered field's type (the same enum for enums) and not be a list,
 * else the call fails with P2019 ("Expected a referenced scalar field of
 * type Int but found User.email of type String."), nothing sent. A NULL on
 * either side matches nothing, as in SQL. `in` / `not_in` name a scalar
 * LIST field of the same item type (String[] for a String: where the
 * database has lists, PostgreSQL): the value is / is not one of its items. */
typedef struct prisma_field_ref { int equals, not_, lt, lte, gt, gte, in, not_in; } prisma_field_ref;
/* String (and Decimal): also contains / starts_with / ends_with the other
 * field's text (taken as text, no wildcards), with the filter's `mode`. */
typedef struct prisma_string_field_ref {
    int equals, not_, lt, lte, gt, gte;
    int contains, starts_with, ends_with;
    int in, not_in;
} prisma_string_field_ref;
/* Boolean, Bytes and enums: equality (and enums `in` / `not_in` a list field). */
typedef struct prisma_equality_ref { int equals, not_, in, not_in; } prisma_equality_ref;

/* `is_null` / `is_not_null` test optional fields for NULL. */
typedef struct prisma_int_filter {
    prisma_int equals, not_, lt, lte, gt, gte;
    prisma_int_list in, not_in;
    bool is_null, is_not_null;
    prisma_field_ref ref;
} prisma_int_filter;
typedef struct prisma_bigint_filter {
    prisma_bigint equals, not_, lt, lte, gt, gte;
    prisma_bigint_list in, not_in;
    bool is_null, is_not_null;
    prisma_field_ref ref;
} prisma_bigint_filter;
typedef struct prisma_float_filter {
    prisma_float equals, not_, lt, lte, gt, gte;
    prisma_float_list in, not_in;
    bool is_null, is_not_null;
    prisma_field_ref ref;
} prisma_float_filter;
typedef struct prisma_datetime_filter {
    prisma_datetime equals, not_, lt, lte, gt, gte;
    prisma_datetime_list in, not_in;
    bool is_null, is_not_null;
    prisma_field_ref ref;
} prisma_datetime_filter;
typedef struct prisma_bool_filter {
    prisma_bool equals, not_;
    bool is_null, is_not_null;
    prisma_equality_ref ref;
} prisma_bool_filter;
/* String, and Decimal compared as text.
 * `search`: full-text search (PostgreSQL, with previewFeatures =
 * ["fullTextSearchPostgres"] in the generator block; refused otherwise,
 * P2009, as Prisma has no such argument then): the text is a to_tsquery()
 * query ("cat & dog", "cat | dog", "!cat", "cat <-> dog"), bound. Several
 * fields of one where input searching the same text are searched together,
 * as one document (Prisma merges them): `.title = { .search = "cat" },
 * .body = { .search = "cat" }` matches a row where either holds "cat". */
typedef struct prisma_string_filter {
    const char *equals, *not_, *lt, *lte, *gt, *gte;
    const char *contains, *starts_with, *ends_with;
    prisma_string_list in, not_in;
    prisma_query_mode mode;
    bool is_null, is_not_null;
    prisma_string_field_ref ref;
    const char *search;
} prisma_string_filter;
/* Json (Prisma's JsonFilter). Values are JSON text: `.equals = "{\"a\":1}"`,
 * `.array_contains = "[3]"`, `.string_contains = "oo"` (plain text: the
 * string_* filters match JSON strings). `path` picks the value they test,
 * as keys and array indexes: PRISMA_STRINGS("pets", "0", "name") is
 * Prisma's ["pets", "0", "name"] on PostgreSQL and "$.pets[0].name" on
 * SQLite; a path needs a filter beside it (P2019). A value of another JSON
 * type, or a path that leads nowhere, matches no filter but
 * `equals = PRISMA_DB_NULL` / PRISMA_ANY_NULL. `mode` PRISMA_INSENSITIVE
 * folds case in equals / not_ and the string_* filters. lt / lte / gt / gte
 * compare numbers with numbers and strings with strings. See docs/json.md. */
typedef struct prisma_json_filter {
    const char *equals, *not_;
    prisma_string_list path;
    const char *string_contains, *string_starts_with, *string_ends_with;
    const char *array_contains, *array_starts_with, *array_ends_with;
    const char *lt, *lte, *gt, *gte;
    prisma_query_mode mode;
} prisma_json_filter;
typedef struct prisma_bytes_filter {
    prisma_bytes equals, not_;
    bool is_null, is_not_null;
    prisma_equality_ref ref;
} prisma_bytes_filter;
typedef struct prisma_enum_filter {
    int equals, not_;
    prisma_enum_list in, not_in;
    bool is_null, is_not_null;
    prisma_equality_ref ref;
} prisma_enum_filter;

/* ---- updates ---- */

typedef struct prisma_int_update { prisma_int set, increment, decrement, multiply, divide; } prisma_int_update;
typedef struct prisma_bigint_update { prisma_bigint set, increment, decrement, multiply, divide; } prisma_bigint_update;
typedef struct prisma_float_update { prisma_float set, increment, decrement, multiply, divide; } prisma_float_update;
/* Decimal: exact text arithmetic in the database. */
typedef struct prisma_decimal_update { const char *set, *increment, *decrement, *multiply, *divide; } prisma_decimal_update;

/* ---- scalar lists (String[], Int[], Role[]... where the database has arrays: PostgreSQL) ----
 * In a create input a list field is the list type of its items, as for `in`
 * filters: `.tags = PRISMA_STRINGS("a", "b")`; PRISMA_EMPTY_LIST sets an
 * empty list; a zero member is not given (the default, else an empty list).
 * String, Decimal and Json items are text; DateTime items ms since 1970;
 * enum items the C enum's values. */

/* Update: `set` replaces the list, `push` appends its items (one or more);
 * give one of them. */
typedef struct prisma_string_list_update { prisma_string_list set, push; } prisma_string_list_update;
typedef struct prisma_int_list_update { prisma_int_list set, push; } prisma_int_list_update;
typedef struct prisma_bigint_list_update { prisma_bigint_list set, push; } prisma_bigint_list_update;
typedef struct prisma_float_list_update { prisma_float_list set, push; } prisma_float_list_update;
typedef struct prisma_bool_list_update { prisma_bool_list set, push; } prisma_bool_list_update;
typedef struct prisma_datetime_list_update { prisma_datetime_list set, push; } prisma_datetime_list_update;
typedef struct prisma_bytes_list_update { prisma_bytes_list set, push; } prisma_bytes_list_update;
typedef struct prisma_enum_list_update { prisma_enum_list set, push; } prisma_enum_list_update;

/* Where (Prisma's ScalarListFilter): `equals` the whole list, in order;
 * `has` one item; `has_every` / `has_some` every / one of the items given;
 * `is_empty` PRISMA_BOOL(true) an empty list, PRISMA_BOOL(false) a list with
 * items. */
typedef struct prisma_string_list_filter {
    prisma_string_list equals, has_every, has_some;
    prisma_bool is_empty;
    const char *has;
} prisma_string_list_filter;
typedef struct prisma_int_list_filter {
    prisma_int_list equals, has_every, has_some;
    prisma_bool is_empty;
    prisma_int has;
} prisma_int_list_filter;
typedef struct prisma_bigint_list_filter {
    prisma_bigint_list equals, has_every, has_some;
    prisma_bool is_empty;
    prisma_bigint has;
} prisma_bigint_list_filter;
typedef struct prisma_float_list_filter {
    prisma_float_list equals, has_every, has_some;
    prisma_bool is_empty;
    prisma_float has;
} prisma_float_list_filter;
typedef struct prisma_bool_list_filter {
    prisma_bool_list equals, has_every, has_some;
    prisma_bool is_empty;
    prisma_bool has;
} prisma_bool_list_filter;
typedef struct prisma_datetime_list_filter {
    prisma_datetime_list equals, has_every, has_some;
    prisma_bool is_empty;
    prisma_datetime has;
} prisma_datetime_list_filter;
typedef struct prisma_bytes_list_filter {
    prisma_bytes_list equals, has_every, has_some;
    prisma_bool is_empty;
    prisma_bytes has;
} prisma_bytes_list_filter;
typedef struct prisma_enum_list_filter {
    prisma_enum_list equals, has_every, has_some;
    prisma_bool is_empty;
    int has;
} prisma_enum_list_filter;

/* In a record: items[0 .. len), in the record's block (freed with it);
 * items is NULL when len is 0. A NULL column reads as an empty list, as in
 * Prisma. */
typedef struct prisma_string_array { char **items; size_t len; } prisma_string_array; /* String, Decimal, Json */
typedef struct prisma_int_array { int32_t *items; size_t len; } prisma_int_array;
typedef struct prisma_bigint_array { int64_t *items; size_t len; } prisma_bigint_array;
typedef struct prisma_float_array { double *items; size_t len; } prisma_float_array;
typedef struct prisma_bool_array { bool *items; size_t len; } prisma_bool_array;
typedef struct prisma_datetime_array { int64_t *items; size_t len; } prisma_datetime_array;
typedef struct prisma_bytes_array { prisma_bytes_value *items; size_t len; } prisma_bytes_array;
typedef struct prisma_enum_array { int *items; size_t len; } prisma_enum_array; /* the C enum's values */

/* ---- ordering ---- */
/* PRISMA_ASC / PRISMA_DESC put nulls where the database does (SQLite: first
 * in ascending order, PostgreSQL: last). The _NULLS_ variants (Prisma's
 * `{ sort, nulls }`) say where, on optional fields only (P2009 elsewhere,
 * as in Prisma). */
typedef enum prisma_sort {
    PRISMA_SORT_NONE = 0,
    PRISMA_ASC,
    PRISMA_DESC,
    PRISMA_ASC_NULLS_FIRST,
    PRISMA_ASC_NULLS_LAST,
    PRISMA_DESC_NULLS_FIRST,
    PRISMA_DESC_NULLS_LAST
} prisma_sort;

/* ---- records ----
 * Returned records and lists are allocated as one block each (with their
 * strings and included relations) and freed with one call. Optional scalar
 * fields are pointers into the record (NULL when the value is NULL). */
/* prisma_bytes_value (a Bytes value in a record) is declared with the lists above. */

/* Frees a record or list returned by a generated function. Accepts NULL. */
void prisma_free(void *record_or_list);

/* ---- transactions ----
 * A transaction is a client bound to one connection: every generated
 * function works on it unchanged. */

typedef struct prisma_tx_options {
    int max_wait_ms;  /* time to get a connection (and on SQLite the write lock); 0: the client's (2000) */
    int timeout_ms;   /* wall time from the start; then it is rolled back; 0: the client's (5000) */
    prisma_isolation isolation; /* 0: the client's, else the database's own */
    int max_retries;  /* re-run after a write conflict or deadlock (P2034), with jittered backoff; 0: none */
} prisma_tx_options;

/* The body of an interactive transaction: return PRISMA_OK to commit,
 * anything else (a failed call's status, or prisma_fail()) to roll back. */
typedef int (*prisma_tx_fn)(prisma_client *tx, void *arg);

/* Runs fn in a transaction (a SAVEPOINT when `db` is itself a transaction)
 * and commits when it returns PRISMA_OK. Otherwise, or on a timeout, rolls
 * back and returns the error, whose details stay readable on `db`. */
int prisma_transaction(prisma_client *db, prisma_tx_fn fn, void *arg, const prisma_tx_options *opts);

/* Fails the current transaction with the caller's own message (code "USER"),
 * like throwing an Error in a Prisma callback. Returns PRISMA_ERROR. */
int prisma_fail(prisma_client *tx, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Manual transactions. *tx is a client for the transaction; after commit or
 * rollback it stays valid (using it fails with P2028) until prisma_tx_free,
 * which also rolls back a transaction still open. Disconnecting the client,
 * or the timeout, rolls back whatever is open: a handle never keeps a
 * connection. */
int prisma_tx_begin(prisma_client *db, const prisma_tx_options *opts, prisma_client **tx);
int prisma_tx_commit(prisma_client *tx);
int prisma_tx_rollback(prisma_client *tx);
void prisma_tx_free(prisma_client *tx);

/* Functions run after the transaction commits, or after it rolls back (for a
 * nested transaction: after the outermost commit, or its own rollback). */
typedef void (*prisma_tx_hook)(void *arg);
int prisma_tx_on_commit(prisma_client *tx, prisma_tx_hook fn, void *arg);
int prisma_tx_on_rollback(prisma_client *tx, prisma_tx_hook fn, void *arg);

/* ---- raw SQL ----
 * Parameters are bound, never spliced. Placeholders are written the same way
 * on every database: `$1` .. `$n` (numbered; `?1` .. `?n` is the same), or
 * `?` (positional: the k-th `?` is parameter k), not both in one statement.
 * Each backend translates them to its own spelling. A `$` or `?` inside a
 * string literal, a quoted identifier or a comment is left alone, and so is
 * every `?` of a statement numbered with `$n` (PostgreSQL's jsonb operators
 * `?`, `?|`, `?&`: number the parameters to use them). Every parameter must
 * be used and every placeholder given one: otherwise the call fails with
 * P1016 ("Your raw query had an incorrect number of parameters. Expected:
 * `2`, actual: `1`."; mixing `?` and `$n`: P2010) and nothing is sent.
 *
 * Result columns come back as the same types on both backends:
 *   NULL                             PRISMA_RAW_NULL
 *   integers (Int, BigInt, oid)      PRISMA_RAW_INT      i (int64)
 *   floats (Float, real, double)     PRISMA_RAW_FLOAT    f
 *   booleans                         PRISMA_RAW_BOOL     i (0 / 1)
 *   Decimal (numeric, money)         PRISMA_RAW_DECIMAL  s: exact text ("12.50")
 *   DateTime (timestamp[tz], date,   PRISMA_RAW_DATETIME i: ms since 1970 UTC
 *     time[tz]: on 1970-01-01)
 *   Json (json, jsonb)               PRISMA_RAW_JSON     s: JSON text
 *   Bytes (bytea, blob)              PRISMA_RAW_BYTES    s, len
 *   text and anything else (uuid,    PRISMA_RAW_TEXT     s, len
 *     xml, intervals, arrays...)
 * PostgreSQL tells these apart by the column's type. SQLite has only five
 * storage classes (NULL, INTEGER, REAL, TEXT, BLOB), so a value is read by
 * its storage class, and by its column's declared type where the result
 * column IS a table column (or a view's or subquery's column naming one):
 * BOOLEAN reads an INTEGER as a boolean; DATETIME / DATE / TIMESTAMP an
 * INTEGER (ms) or an ISO text as a DateTime; DECIMAL / NUMERIC a number as
 * exact text; JSON / JSONB a text as Json. A computed column (`1 = 1`,
 * `datetime('now')`, `CAST(x AS DECIMAL)`) has no declared type on SQLite:
 * it reads by its storage class alone (INT, TEXT, FLOAT). */
typedef enum prisma_raw_type {
    PRISMA_RAW_NULL = 0,
    PRISMA_RAW_INT,    /* i */
    PRISMA_RAW_FLOAT,  /* f */
    PRISMA_RAW_TEXT,   /* s, len */
    PRISMA_RAW_BYTES,  /* s, len */
    PRISMA_RAW_BOOL,   /* i */
    PRISMA_RAW_DATETIME, /* i: ms since 1970-01-01T00:00:00Z */
    PRISMA_RAW_DECIMAL,  /* s, len: exact decimal text */
    PRISMA_RAW_JSON      /* s, len: JSON text */
} prisma_raw_type;

/* A parameter or a result value. As a parameter: INT, BOOL, DATETIME (i),
 * FLOAT (f), TEXT, DECIMAL, JSON (s: a string), BYTES (s, len), NULL. */
typedef struct prisma_raw_value {
    prisma_raw_type type;
    int64_t i;
    double f;
    const char *s;
    size_t len;
} prisma_raw_value;

#define PRISMA_RAW_INT_V(x) ((prisma_raw_value){ .type = PRISMA_RAW_INT, .i = (x) })
#define PRISMA_RAW_TEXT_V(x) ((prisma_raw_value){ .type = PRISMA_RAW_TEXT, .s = (x) })
#define PRISMA_RAW_FLOAT_V(x) ((prisma_raw_value){ .type = PRISMA_RAW_FLOAT, .f = (x) })
#define PRISMA_RAW_BOOL_V(x) ((prisma_raw_value){ .type = PRISMA_RAW_BOOL, .i = (x) ? 1 : 0 })
#define PRISMA_RAW_DATETIME_V(ms) ((prisma_raw_value){ .type = PRISMA_RAW_DATETIME, .i = (ms) })
#define PRISMA_RAW_BYTES_V(p, n) ((prisma_raw_value){ .type = PRISMA_RAW_BYTES, .s = (const char *)(p), .len = (n) })
#define PRISMA_RAW_NULL_V ((prisma_raw_value){ .type = PRISMA_RAW_NULL })

/* Rows of a raw query: column names and typed values, one block. */
typedef struct prisma_raw_rows {
    size_t n_rows, n_cols;
    const char *const *columns;
    const prisma_raw_value *values; /* row-major: values[row * n_cols + col] */
} prisma_raw_rows;

/* $executeRaw: the number of rows affected. A failure is P2010 with the
 * database's own code and message. */
int prisma_execute_raw(prisma_client *db, const char *sql, const prisma_raw_value *params, size_t n_params,
                       int64_t *affected);
/* $queryRaw: the rows, freed with prisma_free. */
int prisma_query_raw(prisma_client *db, const char *sql, const prisma_raw_value *params, size_t n_params,
                     prisma_raw_rows **rows);

/* ---- batch transactions ($transaction([...])) ----
 * A queue of operations run in order, in one transaction, all or nothing.
 * Add operations with the generated <model>_batch_* functions (and the raw
 * ones below); each result lands in the out-pointer given when adding, once
 * the batch has committed. The inputs are read when the batch runs: they must
 * stay valid until prisma_batch_run returns. */
typedef struct prisma_batch prisma_batch;

int prisma_batch_new(prisma_client *db, prisma_batch **out);
void prisma_batch_free(prisma_batch *b); /* accepts NULL */
size_t prisma_batch_len(const prisma_batch *b);
int prisma_batch_execute_raw(prisma_batch *b, const char *sql, const prisma_raw_value *params, size_t n_params,
                             int64_t *affected);
int prisma_batch_query_raw(prisma_batch *b, const char *sql, const prisma_raw_value *params, size_t n_params,
                           prisma_raw_rows **rows);
/* Runs the queue. On failure nothing persists, every out-pointer is NULL (or
 * its count 0), the error is on the batch's client, and *failed_index (may be
 * NULL) is the index of the operation that failed (SIZE_MAX when the
 * transaction itself failed). The queue can be run again or freed. */
int prisma_batch_run(prisma_batch *b, const prisma_tx_options *opts, size_t *failed_index);

/* Counts of bulk writes. */
typedef struct prisma_batch_payload { int64_t count; } prisma_batch_payload;

/* ---- issue 13: aggregate (group_by's `having`) ----
 * Prisma's <Type>WithAggregatesFilter: a field's filter (the same members,
 * in the same order, as its where filter) plus filters on its aggregates
 * over each group: `.balance = { ._sum = { .gt = PRISMA_BIGINT(100) } }`.
 * Counts and Int / BigInt sums are 64-bit (prisma_bigint_filter), averages
 * doubles (Decimal: text). */
typedef struct prisma_int_with_aggregates_filter {
    prisma_int equals, not_, lt, lte, gt, gte;
    prisma_int_list in, not_in;
    bool is_null, is_not_null;
    prisma_field_ref ref; /* refused in having (P2009) */
    prisma_bigint_filter _count, _sum;
    prisma_float_filter _avg;
    prisma_int_filter _min, _max;
} prisma_int_with_aggregates_filter;
typedef struct prisma_bigint_with_aggregates_filter {
    prisma_bigint equals, not_, lt, lte, gt, gte;
    prisma_bigint_list in, not_in;
    bool is_null, is_not_null;
    prisma_field_ref ref; /* refused in having (P2009) */
    prisma_bigint_filter _count, _sum;
    prisma_float_filter _avg;
    prisma_bigint_filter _min, _max;
} prisma_bigint_with_aggregates_filter;
typedef struct prisma_float_with_aggregates_filter {
    prisma_float equals, not_, lt, lte, gt, gte;
    prisma_float_list in, not_in;
    bool is_null, is_not_null;
    prisma_field_ref ref; /* refused in having (P2009) */
    prisma_bigint_filter _count;
    prisma_float_filter _sum, _avg, _min, _max;
} prisma_float_with_aggregates_filter;
typedef struct prisma_datetime_with_aggregates_filter {
    prisma_datetime equals, not_, lt, lte, gt, gte;
    prisma_datetime_list in, not_in;
    bool is_null, is_not_null;
    prisma_field_ref ref; /* refused in having (P2009) */
    prisma_bigint_filter _count;
    prisma_datetime_filter _min, _max;
} prisma_datetime_with_aggregates_filter;
typedef struct prisma_bool_with_aggregates_filter {
    prisma_bool equals, not_;
    bool is_null, is_not_null;
    prisma_equality_ref ref; /* refused in having (P2009) */
    prisma_bigint_filter _count;
    prisma_bool_filter _min, _max;
} prisma_bool_with_aggregates_filter;
typedef struct prisma_string_with_aggregates_filter {
    const char *equals, *not_, *lt, *lte, *gt, *gte;
    const char *contains, *starts_with, *ends_with;
    prisma_string_list in, not_in;
    prisma_query_mode mode;
    bool is_null, is_not_null;
    prisma_string_field_ref ref; /* refused in having (P2009) */
    const char *search; /* refused in having (P2009) */
    prisma_bigint_filter _count;
    prisma_string_filter _min, _max;
} prisma_string_with_aggregates_filter;
/* Json: the Json filter, counted (no order: no _min / _max). */
typedef struct prisma_json_with_aggregates_filter {
    const char *equals, *not_;
    prisma_string_list path;
    const char *string_contains, *string_starts_with, *string_ends_with;
    const char *array_contains, *array_starts_with, *array_ends_with;
    const char *lt, *lte, *gt, *gte;
    prisma_query_mode mode;
    prisma_bigint_filter _count;
} prisma_json_with_aggregates_filter;
/* Decimal: exact text. */
typedef struct prisma_decimal_with_aggregates_filter {
    const char *equals, *not_, *lt, *lte, *gt, *gte;
    const char *contains, *starts_with, *ends_with;
    prisma_string_list in, not_in;
    prisma_query_mode mode;
    bool is_null, is_not_null;
    prisma_string_field_ref ref; /* refused in having (P2009) */
    const char *search; /* refused in having (P2009) */
    prisma_bigint_filter _count;
    prisma_string_filter _sum, _avg, _min, _max;
} prisma_decimal_with_aggregates_filter;
typedef struct prisma_bytes_with_aggregates_filter {
    prisma_bytes equals, not_;
    bool is_null, is_not_null;
    prisma_equality_ref ref; /* refused in having (P2009) */
    prisma_bigint_filter _count;
} prisma_bytes_with_aggregates_filter;
typedef struct prisma_enum_with_aggregates_filter {
    int equals, not_;
    prisma_enum_list in, not_in;
    bool is_null, is_not_null;
    prisma_equality_ref ref; /* refused in having (P2009) */
    prisma_bigint_filter _count;
    prisma_enum_filter _min, _max;
} prisma_enum_with_aggregates_filter;

#ifdef __cplusplus
}
#endif

#endif
