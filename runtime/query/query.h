/* One operation in flight: its connection, the shape key of its SQL, its
 * bound values and, on a statement-cache miss, the SQL text itself. */
#ifndef PRISMA_QUERY_H
#define PRISMA_QUERY_H

#include "internal.h"

#include <string.h>

typedef struct query {
    prisma_client *db;
    prisma_conn *conn;
    const prisma_backend *be;
    /* The shape key: what the SQL depends on (not the values). */
    uint8_t key_inline[256];
    uint8_t *key;
    size_t key_len, key_cap;
    /* Bound values. */
    prisma_value params_inline[32];
    prisma_value *params;
    size_t n_params, params_cap;
    /* SQL text: built only when `emit` is set (a cache miss). */
    strbuf sql;
    bool emit;
    /* Strings made for this operation (patterns, generated ids), freed at the end. */
    char **temps;
    size_t n_temps, temps_cap;
    prisma_err err;
    bool oom;
    /* The model of the call (NULL for raw SQL) and of the statement being
     * built (its first table), for the error's model. */
    const prisma_model_desc *op_model;
    const prisma_model_desc *stmt_model;
    /* The statement-cache slot of the last statement prepared: a holder
     * that keeps the statement past the next prepare pins it. */
    uint32_t stmt_slot;
    /* Set by a pipelined batch: the statement is traced when it goes out
     * (after its transaction's BEGIN), not when it is prepared. Its text is
     * then left in traced_sql (the cache's copy: valid while pinned). */
    bool defer_trace;
    const char *traced_sql;
    /* ---- issue 13: table aliases of correlated subqueries (relation
     * filters, ordering by relations). A qualified column (q_sql_col) is
     * written `"_r<alias>"."col"` while alias is not 0, else with its
     * table's name; n_aliases counts those handed out in the statement
     * (q_reset), so they stay distinct at any depth and on self-relations. */
    uint32_t alias;
    uint32_t n_aliases;
    /* issue 16: inside q_in_transaction's unit (its own BEGIN or savepoint). */
    bool in_unit;
} query;

void q_init(query *q, prisma_client *db);
void q_reset(query *q, bool emit); /* forget key, params and SQL for a new statement */
void q_free(query *q);

/* Statement kinds, the first byte of every shape key. */
enum {
    K_FIND = 1,
    K_COUNT,
    K_CREATE,
    K_CREATE_MANY,
    K_UPDATE,
    K_UPDATE_MANY,
    K_UPSERT,
    K_DELETE,
    K_DELETE_MANY,
    K_INCLUDE,
    K_EXISTS,
    K_NESTED, /* nested writes (runtime/nested): a second byte says which statement */
    K_FIND_LOCKED /* K_FIND with the backend's row lock */
};

enum { MAX_FIELDS = 512 };

#define AT(base, off, T) ((const T *)(const void *)((const char *)(base) + (off)))

static inline prisma_value v_null(void) { return (prisma_value){ .kind = V_NULL }; }
static inline prisma_value v_int(int64_t i) { return (prisma_value){ .kind = V_INT, .i = i }; }
static inline prisma_value v_bool(bool b) { return (prisma_value){ .kind = V_BOOL, .i = b }; }
static inline prisma_value v_double(double d) { return (prisma_value){ .kind = V_DOUBLE, .d = d }; }
static inline prisma_value v_text(const char *s) { return (prisma_value){ .kind = V_TEXT, .s = s, .len = strlen(s) }; }

/* ---- building statements ----
 * A statement builder writes the SQL of one shape (when q->emit) while
 * recording its key and binding its values; it runs twice on a cache miss. */
typedef bool (*build_fn)(query *q, void *ctx);

void q_key_u8(query *q, unsigned v);
void q_key_u32(query *q, uint32_t v);
void q_sql(query *q, const char *s);
/* Whether the backend has capability `cap` (BACKEND_*); if not, P2026 naming `what`. */
bool q_need(query *q, unsigned cap, const char *what);
void q_sql_ident(query *q, const char *s);
/* "schema"."table" where the backend has schemas, else "table". */
void q_sql_qualified(query *q, const char *schema, const char *table);
void q_sql_table(query *q, const prisma_model_desc *m);
void q_sql_col(query *q, const prisma_model_desc *m, const prisma_field_desc *f, bool qualified);
/* issue 13: aliases. A row reference `ref`: 0 the model's table by its
 * name, else the alias "_r<ref>". */
uint32_t q_new_alias(query *q);
void q_sql_ref(query *q, uint32_t ref, const prisma_model_desc *m);
void q_sql_ref_col(query *q, uint32_t ref, const prisma_model_desc *m, const prisma_field_desc *f);
void q_param(query *q, prisma_value v);
char *q_temp(query *q, size_t n); /* a string freed with the query */
void q_select_columns(query *q, const prisma_model_desc *m, bool qualified);
/* " RETURNING" and every column of m, for a statement of kind `cap`
 * (BACKEND_UPDATE_RETURNING, BACKEND_DELETE_RETURNING); false (P2026) where
 * the database has no RETURNING there. */
bool q_returning(query *q, const prisma_model_desc *m, unsigned cap);
/* A create-input value: 1 given (in *v), 0 not given, -1 invalid (q->err). */
int q_read_create_value(query *q, const prisma_field_desc *f, const void *p, prisma_value *v);
/* The same for one value of the field's scalar type, a list field's too (an item). */
int q_read_item(query *q, const prisma_field_desc *f, const void *p, prisma_value *v);
/* Scalar lists (PRISMA_F_LIST fields): a list input (prisma_*_list) as one
 * V_ARRAY value, read as q_read_create_value; whether the backend has them
 * (else P2026). */
int q_read_list(query *q, const prisma_field_desc *f, const void *p, prisma_value *v);
bool q_lists_supported(query *q);
/* where.c: the ScalarListFilter of a list field; update.c: its set / push;
 * decode.c: its column into the record. */
bool q_list_filter(query *q, const prisma_model_desc *m, const prisma_field_desc *f, const void *w, bool qualified,
                   bool *first, unsigned fi);
bool q_list_update(query *q, const prisma_model_desc *m, const prisma_field_desc *f, unsigned fi, const void *data,
                   bool *any);
bool q_list_update_given(const prisma_field_desc *f, const void *data);
bool q_decode_list(query *q, const prisma_model_desc *m, const prisma_field_desc *f, prisma_rows *r, int col,
                   char *dst, result_arena *a);
/* The conditions of a where input ("1=1" when NULL). */
bool q_where_walk(query *q, const prisma_model_desc *m, const void *w, bool qualified);
/* where_relation.c (issue 13): the relation filters of where input w (some /
 * every / none, is / is_not / is_null / is_not_null) as correlated EXISTS
 * subqueries on the current row (q->alias, or m's table); each condition is
 * preceded by " AND " unless *first. */
bool q_relation_filters(query *q, const prisma_model_desc *m, const void *w, bool *first);
/* Writes the condition joining the row `child_ref` of r's target to the row
 * `parent_ref` of m (not for m-n). */
void q_relation_link(query *q, const prisma_model_desc *m, uint32_t parent_ref, const prisma_relation_desc *r,
                     uint32_t child_ref);
/* The conditions of a where-unique input; *used: the first criterion given. */
bool q_unique_walk(query *q, const prisma_model_desc *m, const void *u, bool qualified,
                   const prisma_unique_desc **used);
/* issue 13: writes. The `filter` of a where-unique input (further conditions
 * the record must meet), or NULL when none is given (unique_filter.c). */
const void *q_unique_filter(const prisma_model_desc *m, const void *u);
bool q_build_update_sets(query *q, const prisma_model_desc *m, const void *data, bool *any);
int q_update_is_empty(query *q, const prisma_model_desc *m, const void *data, bool *empty);
/* Whether an update input gives any field (valid or not: the build checks). */
bool q_update_gives_fields(query *q, const prisma_model_desc *m, const void *data);
/* Whether it gives field i (any operation on it). */
bool q_update_gives_field(query *q, const prisma_model_desc *m, const void *data, unsigned i);
/* The values of a create input with client-side defaults; given[i]: field i gets a column. */
bool q_create_values(query *q, const prisma_model_desc *m, const void *data, prisma_value *vals, bool *given);
size_t q_param_limit(const query *q);

/* Restricts a statement on a relation's target to the records connected to
 * one parent (nested writes restrict finds and updates with it). */
typedef struct q_scope {
    const prisma_model_desc *parent;
    /* The parent's relation; NULL: the parent row itself, by its first unique. */
    const prisma_relation_desc *rel;
    /* TO_ONE_FK: the parent's foreign-key values; TO_ONE_BACK / TO_MANY: the
     * values of the parent's referenced fields; MANY_TO_MANY: [0] is the
     * parent's id; rel NULL: the values of parent->uniques[0]. */
    const prisma_value *vals;
} q_scope;

const char *q_join_self_col(const prisma_relation_desc *r);
const char *q_join_other_col(const prisma_relation_desc *r);
void q_join_table(query *q, const prisma_model_desc *m, const prisma_relation_desc *r);
const prisma_field_desc *q_id_field(const prisma_model_desc *m);

void q_scope_sql(query *q, const q_scope *scope);

typedef struct find_ctx {
    const prisma_model_desc *m;
    const prisma_find_args *args;
    const void *where_unique; /* find_unique */
    const q_scope *scope;    /* and connected to this parent */
    int64_t take;             /* effective take; 0: none */
    bool reverse;             /* negative take: order reversed, rows flipped after */
    bool count;
    bool lock;                /* the row is read to be written: the backend's row lock, if it has one */
    const uint8_t *cols;      /* issue 13: the fields read (q_select_columns_of); NULL: all */
} find_ctx;
bool q_build_find(query *q, void *vctx);
/* order.c (issue 13): ORDER BY of a find (fields, related records' fields,
 * relations' _count, nulls first / last), the primary key breaking ties when
 * with_pk; false when the ordering is refused (q->err). q_cursor_cond: the rows at or after
 * the cursor row in that ordering. */
bool q_order_by(query *q, const find_ctx *fc, bool with_pk);
bool q_cursor_cond(query *q, const find_ctx *fc);

typedef struct create_ctx {
    const prisma_model_desc *m;
    const prisma_value *vals; /* rows x n_fields */
    const bool *given;        /* the column set, shared by every row */
    size_t n_rows;
    bool returning;
    bool skip_duplicates;     /* ON CONFLICT DO NOTHING */
    /* upsert: ON CONFLICT (conflict) DO UPDATE SET update; or DO NOTHING when conflict_nothing */
    const prisma_unique_desc *conflict;
    const void *update;
    bool conflict_nothing;
} create_ctx;
bool q_build_insert(query *q, void *vctx);
/* Whether an INSERT of `create` with a conflict on crit can meet no other
 * unique key (always true where the database names the conflict's target). */
bool q_conflict_alone(query *q, const prisma_model_desc *m, const prisma_unique_desc *crit, const void *create);

/* What an update_ctx builds (issue 16: the reads of q_update_reread). */
typedef enum update_select {
    UPDATE_WRITE,         /* the UPDATE or DELETE */
    UPDATE_SELECT_LOCKED, /* SELECT of the rows it would write, with the backend's row lock */
    UPDATE_SELECT,        /* SELECT of the rows of `keys` */
} update_select;

typedef struct update_ctx {
    const prisma_model_desc *m;
    const void *where;        /* where input (update_many / delete_many) */
    const void *where_unique; /* update / delete */
    const q_scope *scope;    /* and connected to this parent */
    const void *data;
    /* Further columns to set (foreign keys of nested writes). */
    const uint16_t *set_fields;
    const prisma_value *set_vals;
    unsigned n_set;
    bool returning;
    bool is_delete;
    /* ---- issue 13: writes ---- */
    /* update_many / delete_many `limit`: at most `limit` rows, picked by a
     * primary-key IN (SELECT ... LIMIT) subquery (no UPDATE ... LIMIT in SQLite). */
    bool has_limit;
    int64_t limit;
    /* ---- issue 16: databases without UPDATE ... RETURNING ---- */
    update_select select;
    /* The rows of these primary keys (n_keys x the key's fields) instead of
     * the where, scope and limit. */
    const prisma_value *keys;
    size_t n_keys;
} update_ctx;
bool q_build_update(query *q, void *vctx);
/* The condition choosing the rows of n primary keys (n x the key's fields). */
void q_keys_sql(query *q, const prisma_model_desc *m, const prisma_value *keys, size_t n);
/* Whether running uc needs q_update_reread: it returns the rows it writes,
 * on a database without UPDATE ... RETURNING. */
bool q_update_needs_reread(const query *q, const update_ctx *uc);
/* Runs the update uc with its RETURNING emulated (update_reread.c); q_run
 * calls it for such an update. */
int q_update_reread(query *q, update_ctx *uc, prisma_rows **rows);
/* Runs `fn` atomically on the operation's connection: in BEGIN/COMMIT, or
 * in a savepoint when a transaction is already open there. */
int q_in_transaction(query *q, int (*fn)(query *q, void *ctx), void *ctx);
/* The same, run again (twice at most) when its own transaction lost a write
 * conflict or deadlock (P2034); fn must leave nothing behind when it fails. */
int q_in_transaction_rerun(query *q, int (*fn)(query *q, void *ctx), void *ctx);

/* ---- running them ---- */

int q_run(query *q, build_fn build, void *ctx, prisma_rows **rows);
/* A find by one single-field unique criterion, without the builder's walk
 * once its shape is cached: 1 it ran (*rows), 0 the generic path must run
 * it (q_build_find), -1 the database refused it. */
int q_find_by_unique(query *q, const find_ctx *fc, prisma_rows **rows);

typedef struct rec_list {
    size_t len;
    void *items;
} rec_list;

/* Decoding into results (result.c arenas). */
bool q_decode_row(query *q, const prisma_model_desc *m, prisma_rows *r, int first_col, void *rec,
                  result_arena *a);
bool q_list_push(result_arena *a, rec_list *l, size_t *cap, size_t rec_size, void **slot);
int q_fetch_one(query *q, const prisma_model_desc *m, prisma_rows *rows, void **out);
int q_fetch_list(query *q, const prisma_model_desc *m, prisma_rows *rows, size_t expect, void **out);
/* A new list result with no records (take 0). */
int q_empty_list(query *q, void **out);
int q_load_includes(query *q, const prisma_model_desc *m, void *recs, size_t n, const void *include,
                    result_arena *a);
/* Field fi of a record as a bind value (pointing into the record). */
prisma_value q_rec_value(const prisma_model_desc *m, unsigned fi, const void *rec);
bool q_values_equal(prisma_value a, prisma_value b);
/* Inserts rows (vals/given: n x n_fields), chunked to the parameter limit;
 * the rows go to `list` (when not NULL) and their number to *count. With
 * conflict_nothing, a conflict on that unique inserts nothing. */
int q_insert_rows(query *q, const prisma_model_desc *m, const prisma_value *vals, const bool *given, size_t n,
                  bool skip_duplicates, const prisma_unique_desc *conflict_nothing, rec_list *list, size_t *list_cap,
                  int64_t *count);

int q_not_found(query *q, const char *cause); /* P2025 with `cause` */
void q_hand_out(void *rec, void **out);

/* ---- shared by the files of runtime/query ---- */

/* sqlbuf.c */
void q_key_put(query *q, const void *p, size_t n);

/* values.c */
bool q_check_text(query *q, const prisma_field_desc *f, const char *s);
/* 1 DbNull, 2 JsonNull, 3 AnyNull (prisma.h's Json sentinels); 0 any other string. */
static inline int q_json_null_kind(const char *s)
{
    return s == PRISMA_DB_NULL ? 1 : s == PRISMA_JSON_NULL ? 2 : s == PRISMA_ANY_NULL ? 3 : 0;
}
/* A LIKE pattern of s (where.c): % _ \ escaped, % before (lead) and after (trail). */
const char *q_like_pattern(query *q, const char *s, bool lead, bool trail);
/* A Json field's filter (where_json.c). */
bool q_json_filter(query *q, const prisma_model_desc *m, const prisma_field_desc *f, const void *w, bool qualified,
                   bool *first, unsigned fi);
/* A null given for a required field: refused (P2009) before anything runs, as Prisma does. */
/* Only the nulls given for required fields of a create (update false) or
 * update input, refused: the cheap check of inputs whose other values are
 * checked as their statements are built. */
/* A create with no nested writes (nothing else fills a key): every required
 * field without a default must be given (given: q_create_values'); else
 * P2012, as Prisma, before anything is sent. */
bool q_check_required(query *q, const prisma_model_desc *m, const bool *given);
bool q_refuse_nulls(query *q, const prisma_model_desc *m, const void *data, bool update);
bool q_check_null(query *q, const prisma_field_desc *f);
bool q_check_double(query *q, const prisma_field_desc *f, double d);

/* where.c */
prisma_value q_conv_int(int64_t x);
prisma_value q_conv_double(double x);

/* statement.c */
/* Builds a statement and finds or prepares it (q->stmt_slot: its cache slot). */
int q_prepare(query *q, build_fn build, void *ctx, void **stmt);
/* Runs the cached statement of a key written by hand: 1 ran, 0 not cached, -1 failed. */
int q_run_cached(query *q, const uint8_t *key, size_t key_len, prisma_rows **rows);

/* ---- issue 13, include: read shapes (include_args.c, include.c, count.c) ---- */

/* What to read of a model's records: include, select (ModelNameSelect) and
 * omit; any may be NULL. */
typedef struct q_shape {
    const void *include, *select, *omit;
} q_shape;

/* Checks a shape and everything under it (select with include or omit,
 * arguments a to-one relation does not take, skip / take / distinct):
 * P2009 / P2019 / P2012 before anything is sent. */
bool q_shape_check(query *q, const prisma_model_desc *m, const q_shape *s, unsigned depth);
bool q_distinct_check(query *q, const prisma_model_desc *m, const prisma_find_args *a);
/* The same for the include of a write (create, update, upsert, delete). */
bool q_include_check(query *q, const prisma_model_desc *m, const void *include);
/* Whether the shape reads only some fields (select or omit). */
bool q_shape_partial(const q_shape *s);
/* want[i]: the caller reads field i; need[i]: the statement reads it (the
 * keys the relations and counts need too). */
void q_shape_fields(const prisma_model_desc *m, const q_shape *s, uint8_t *want, uint8_t *need);
/* Whether relation ri is read, and with which typed FindManyArgs (or NULL). */
bool q_shape_relation(const prisma_model_desc *m, const q_shape *s, unsigned ri, const void **typed_args);
/* Whether to-many relation ri is counted, and with which where input (or NULL). */
bool q_shape_count(const prisma_model_desc *m, const q_shape *s, unsigned ri, const void **where);
/* The parent's columns a relation (or its count) is matched on: the count
 * and the field indexes (m-n: the parent's id). */
unsigned q_rel_parent_cols(const prisma_model_desc *m, const prisma_relation_desc *r, const uint16_t **cols);
/* Zeroes the fields the caller did not ask for (need && !want). */
void q_clear_fields(const prisma_model_desc *m, void *recs, size_t n, const uint8_t *want, const uint8_t *need);
/* Relations and counts of n records, one statement per relation level. */
int q_load_shape(query *q, const prisma_model_desc *m, void *recs, size_t n, const q_shape *s, result_arena *a);
int q_load_counts(query *q, const prisma_model_desc *m, void *recs, size_t n, const q_shape *s);

/* Parents by the values of their key columns (a chained hash). */
typedef struct q_parent_index {
    const prisma_model_desc *m;
    const uint16_t *cols;
    unsigned n_cols;
    const char *recs;
    size_t n;
    size_t *heads, n_heads, *next;
} q_parent_index;
bool q_parent_index_build(q_parent_index *ix, const prisma_model_desc *m, const uint16_t *cols, unsigned n_cols,
                          const void *recs, size_t n);
void q_parent_index_free(q_parent_index *ix);
/* The first parent whose key equals vals, or SIZE_MAX; then the next one. */
size_t q_parent_find(const q_parent_index *ix, const prisma_value *vals);
size_t q_parent_next(const q_parent_index *ix, size_t i);
/* A key column of a result row, typed as parent field f. */
prisma_value q_row_key(query *q, prisma_rows *rows, int col, const prisma_field_desc *f);
/* Where IN-lists are cut: parents per statement for keys of n_cols columns. */
size_t q_parents_per_stmt(const query *q, unsigned n_cols);

/* include.c: FROM the relation's target (m-n: joined to its join table as
 * j), and the condition choosing the rows of parents recs[from..from+n). */
void q_include_from_sql(query *q, const prisma_model_desc *m, const prisma_relation_desc *rel);
void q_include_parents_sql(query *q, const prisma_model_desc *m, const prisma_relation_desc *rel, const void *recs,
                           size_t from, size_t n);

/* The SELECT with only some columns; decoding them. */
unsigned q_select_columns_of(query *q, const prisma_model_desc *m, bool qualified, const uint8_t *cols);
bool q_decode_row_cols(query *q, const prisma_model_desc *m, prisma_rows *r, int first_col, void *rec,
                       result_arena *a, const uint8_t *cols);
int q_fetch_one_cols(query *q, const prisma_model_desc *m, prisma_rows *rows, const uint8_t *cols, void **out);
int q_fetch_list_cols(query *q, const prisma_model_desc *m, prisma_rows *rows, size_t expect, const uint8_t *cols,
                      void **out);

#endif
