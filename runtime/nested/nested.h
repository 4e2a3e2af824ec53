/* Nested writes, shared by the files of runtime/nested: the operation's
 * context, the link of a record to its parent, list statements. */
#ifndef PRISMA_NESTED_H
#define PRISMA_NESTED_H

#include "query.h"

/* ---- the entry points (nested.c), for the operations ---- */

/* Whether a create (is_update false) or update input has nested writes. */
bool nw_has_nested(const prisma_model_desc *m, const void *data, bool is_update);
/* Checks the values of a create (is_update false) or update input and of
 * every input nested in it, as the writes would, before any runs: a refused
 * value (a required field set to null, ...) sends nothing. depth: 0. */
/* How many records a list of n where-uniques of t names, a duplicate (the
 * same criterion with the same values) counted once: what a connect,
 * disconnect, set or delete list must find, as Prisma takes each record
 * once. Run only when fewer rows than items were written (n on failure). */
size_t nw_distinct(query *q, const prisma_model_desc *t, const void *list, size_t n);
int nw_check_input(query *q, const prisma_model_desc *m, const void *data, bool is_update, int depth);
/* Creates one record with its nested writes, in the open transaction; *rec
 * (a result, may be NULL) is the row as inserted. */
int nw_create_top(query *q, const prisma_model_desc *m, const void *data, void **rec);
/* Updates one record with its nested writes; *rec as after every write. */
int nw_update_top(query *q, const prisma_model_desc *m, const void *where_unique, const void *data, void **rec);
/* Upsert whose create or update has nested writes. */
int nw_upsert_top(query *q, const prisma_model_desc *m, const void *where_unique, const void *create,
                  const void *update, void **rec);

/* ---- inside runtime/nested ---- */

typedef struct nw {
    query *q;
    /* Records read along the way, kept until the operation ends: their
     * values are bound into later statements. */
    void **recs;
    size_t n_recs, cap;
} nw;

/* What ties a record being written to the parent that writes it. */
typedef struct link {
    const prisma_relation_desc *back; /* the record's relation to the parent: no nested writes on it */
    const uint16_t *fields;           /* foreign-key fields of the record the link sets */
    const prisma_value *vals;
    unsigned n;
} link;

static const link no_link = { NULL, NULL, NULL, 0 };

/* A record whose relation r the nested writes go through. */
typedef struct parent {
    const prisma_model_desc *m;
    const prisma_relation_desc *r;
    void *rec;
    prisma_value keys[16]; /* r->references of the parent; m-n: [0] its id */
    q_scope scope;         /* the target records connected to it */
    link lk;                /* how a target record gets connected to it */
} parent;

typedef struct ulist {
    const prisma_model_desc *t;
    const void *items; /* where-unique inputs */
    size_t n;
} ulist;

static inline const void *nw_ulist_at(const ulist *l, size_t i)
{
    return (const char *)l->items + i * l->t->where_unique_size;
}

/* Conditions in one OR list at most: SQLite's expression depth is 1000. */
enum { MAX_OR = 200 };

enum {
    N_SET,        /* UPDATE t SET cols WHERE [scope] [AND] [NOT] [(uniques)] */
    N_DELETE,     /* DELETE FROM t WHERE scope AND (uniques) */
    N_COUNT,      /* SELECT COUNT(*) FROM t WHERE [scope] [AND] [(uniques)] */
    N_LINK,       /* INSERT INTO join SELECT parent id, t.id FROM parent, t WHERE parent id = ? AND (uniques) */
    N_LINK_IDS,   /* INSERT INTO join VALUES (parent, id), ... */
    N_UNLINK,     /* DELETE FROM join WHERE self = ? [AND other IN (SELECT id FROM t WHERE (uniques))] */
    N_SELECT,     /* SELECT t's columns FROM t WHERE (uniques) */
    N_LINK_MULTI  /* N_LINK for several parents: one SELECT per parent, UNION ALL */
};

typedef struct nstmt {
    int op;
    const prisma_model_desc *m; /* the parent */
    const prisma_relation_desc *r;
    const q_scope *scope;
    const ulist *uniques;       /* NULL: no condition of its own */
    bool negate;
    const uint16_t *set_fields; /* N_SET */
    const prisma_value *set_vals;
    unsigned n_set;
    prisma_value pid;           /* m-n: the parent's id */
    const prisma_value *pids;   /* N_LINK_IDS: the parents' ids, one per target; N_LINK_MULTI: per branch */
    const ulist *ulists;        /* N_LINK_MULTI: each parent's where-uniques */
    size_t n_branches;
    const prisma_value *ids;    /* N_LINK_IDS: the targets' ids */
    size_t n_ids;
    bool returning;             /* N_DELETE: RETURNING the rows (their referential actions follow) */
} nstmt;

enum { OWN_WRITES = 1, OWN_UPSERT = 2 };
/* nested.c */
const prisma_relation_desc *nw_inverse_of(const prisma_relation_desc *r);
void nw_read_one(const prisma_relation_desc *r, const void *data, bool upd, prisma_nested_one_update *o);
void nw_read_many(const prisma_relation_desc *r, const void *data, bool upd, prisma_nested_many_update *o);
bool nw_is_many(const prisma_relation_desc *r);
bool nw_one_given(const prisma_nested_one_update *o);
bool nw_many_given(const prisma_nested_many_update *o);
bool nw_rel_given(const prisma_relation_desc *r, const void *data, bool upd);
int nw_invalid(query *q, const char *fmt, ...);
int nw_missing_nested(query *q, const prisma_relation_desc *r, const char *op);
int nw_missing_inline(query *q, const prisma_model_desc *m, const prisma_relation_desc *r, const char *op);
int nw_required_relation(query *q, const prisma_relation_desc *r, const prisma_model_desc *holder,
                             const prisma_model_desc *other);
int nw_not_connected(query *q, const prisma_model_desc *m, const prisma_relation_desc *r);
int nw_incomplete_connect(query *q, const prisma_relation_desc *r, size_t expected, int64_t found);
bool nw_fk_required(const prisma_model_desc *holder, const uint16_t *fields, unsigned n);
bool nw_keep(nw *w, void *rec);
/* The end of an operation's nested writes: rec (kept) goes to *out on success; the rest is freed. */
int nw_finish(nw *w, int rc, void *rec, void **out);
int nw_run_one(nw *w, const prisma_model_desc *m, build_fn build, void *ctx, void **rec);
int nw_run_changes(nw *w, build_fn build, void *ctx, int64_t *changes);
int nw_run_count(nw *w, build_fn build, void *ctx, int64_t *count);

/* nested_sql.c */
const prisma_unique_desc *nw_single_crit(query *q, const prisma_model_desc *t, const void *u, prisma_value *v);
const prisma_unique_desc *nw_ulist_in(query *q, const ulist *l);
unsigned nw_unique_width(const prisma_model_desc *t);
size_t nw_chunk_of(query *q, const prisma_model_desc *t, const void *items, size_t n);
bool nw_build_nested(query *q, void *vctx);
int nw_run_chunked(nw *w, nstmt *s, const void *items, size_t n, int64_t *total);
int nw_check_list(query *q, const void *p, size_t n, size_t size, const char *what, const prisma_relation_desc *r);
int nw_find_unique(nw *w, const prisma_model_desc *t, const void *where_unique, const q_scope *scope, void **rec);
const prisma_unique_desc *nw_conflict_target(query *q, const prisma_model_desc *m, const void *where_unique,
                                                 const void *create);
const prisma_unique_desc *nw_unique_on(const prisma_model_desc *t, const uint16_t *fields, unsigned n);

/* nested_create.c */
int nw_check_link(query *q, const prisma_model_desc *m, const void *data, bool upd, const link *lk);
int nw_connect_or_create(nw *w, const prisma_model_desc *t, const prisma_nested_pair *p, const link *lk,
                             void **rec, bool *created);
int nw_own_keys(nw *w, const prisma_model_desc *m, const void *data, bool upd, const link *lk,
                    const void *self_where, void *const *pre, uint16_t *fields, prisma_value *vals, unsigned *n);
int nw_row_values(nw *w, const prisma_model_desc *m, const void *data, const link *lk, void *const *pre,
                      prisma_value *vals, bool *given);
int nw_create_one(nw *w, const prisma_model_desc *m, const void *data, const link *lk,
                      const prisma_unique_desc *conflict, void **rec);
int nw_key_order(query *q, const prisma_model_desc *t, const void *const *items, size_t k);
int nw_create_rows(nw *w, const prisma_model_desc *t, const void *const *items, const link *const *lks, size_t k,
                       bool plain, bool skip_duplicates, void **recs);
int nw_create_list(nw *w, const prisma_model_desc *t, const void *items, size_t k, const link *lk, bool plain,
                       bool skip_duplicates, void **recs);
int nw_link_records(nw *w, const prisma_model_desc *m, const prisma_relation_desc *r, const prisma_value *pids,
                        bool one_parent, void *const *recs, size_t n);

/* nested_relations.c */
int nw_parent_init(query *q, parent *p, const prisma_model_desc *m, const prisma_relation_desc *r, void *rec);
int nw_release_current(nw *w, parent *p, const void *except);
int nw_back_ops(nw *w, const prisma_model_desc *m, void *rec, const void *data, bool upd, const link *lk);
int nw_back_ops_multi(nw *w, const prisma_model_desc *m, void *const *recs, const void *const *datas,
                          const link *const *lks, size_t n);

/* nested_update.c */
int nw_fk_after_ops(nw *w, const prisma_model_desc *m, void *rec, const void *data, const link *lk, bool *changed);
int nw_update_rec(nw *w, const prisma_model_desc *m, const void *where_unique, const q_scope *scope,
                      const void *data, const link *lk, bool or_create, void **rec);

/* ref_actions.c: relationMode = "prisma", the referential actions the
 * database's missing foreign keys would have carried out. */
/* Whether deleting rows of m has actions to carry out (a pipelined batch
 * runs such a delete or update alone). */
bool ra_model_acts(const prisma_schema_desc *s, const prisma_model_desc *m);
bool ra_delete_acts(const query *q, const prisma_model_desc *m);
/* Whether an update of m with data (and set_fields) may change a key other
 * records hold. */
bool ra_update_acts(query *q, const prisma_model_desc *m, const void *data, const uint16_t *set_fields,
                    unsigned n_set);
/* Runs a DELETE ... RETURNING and carries out the actions of the rows it
 * deleted; *n: how many; *first (may be NULL): the first, kept in w. */
int ra_run_delete(nw *w, const prisma_model_desc *m, build_fn build, void *ctx, int64_t *n, void **first);
/* Row old of m is now `now`: the actions of the keys that changed. */
int ra_updated(nw *w, const prisma_model_desc *m, const void *old, const void *now);
/* update_many with actions: rows read (locked), updated one by one. */
int ra_update_many(nw *w, const prisma_model_desc *m, const void *where, const q_scope *scope, const void *data,
                   int64_t *count);
/* delete (where_unique) / delete_many (where) and update / update_many with
 * their actions, in the operation's transaction. *rec (may be NULL): the
 * record deleted or updated; *count (may be NULL): how many. */
int ra_delete_top(query *q, const prisma_model_desc *m, const void *where_unique, const void *where, void **rec,
                  int64_t *count);
int ra_update_top(query *q, const prisma_model_desc *m, const void *where_unique, const void *where,
                  const void *data, void **rec, int64_t *count);

#endif
