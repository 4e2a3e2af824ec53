/* Relation filters (issue 13): `some`, `every` and `none` on to-many
 * relations, `is`, `is_not`, `is_null` and `is_not_null` on to-one ones,
 * written as correlated EXISTS / NOT EXISTS subqueries in the statement that
 * uses the where input (one statement, whatever the depth).
 *
 * Prisma's semantics (its SQL connector's filter visitor, on reads):
 * - some:   a related record matches           EXISTS (... AND cond)
 * - none:   no related record matches          NOT EXISTS (... AND cond)
 * - every:  no related record fails to match   NOT EXISTS (... AND NOT cond)
 *           (true when there is none; a record whose condition is NULL does
 *           not fail it, as SQL's NOT of NULL selects nothing)
 * - is:     the related record exists and matches
 * - is_not: there is none, or it exists and its condition is false
 *           NOT EXISTS (... AND (cond) IS NOT FALSE)
 * - is_null / is_not_null: the foreign key is null / not (on the side that
 *   holds it), else there is no related record / there is one.
 * Each subquery gives its table a new alias (q_new_alias), so references to
 * the enclosing row stay unambiguous at any depth and on self-relations. */
#include "query.h"

#include <string.h>

/* Nested subqueries beyond this are refused (a where input that points to
 * itself would otherwise never end). */
enum { MAX_ALIASES = 4096 };

enum { RF_SOME = 1, RF_EVERY, RF_NONE, RF_IS, RF_IS_NOT, RF_IS_NULL, RF_IS_NOT_NULL };

void q_relation_link(query *q, const prisma_model_desc *m, uint32_t parent_ref, const prisma_relation_desc *r,
                     uint32_t child_ref)
{
    const prisma_model_desc *t = r->target;
    /* TO_ONE_FK: m's fields reference t's references; otherwise t's fields
     * reference m's references. */
    bool fk_here = r->kind == PRISMA_REL_TO_ONE_FK;
    for (unsigned k = 0; k < r->n_fields; k++) {
        if (k)
            q_sql(q, " AND ");
        const prisma_field_desc *tf = &t->fields[fk_here ? r->references[k] : r->fields[k]];
        const prisma_field_desc *pf = &m->fields[fk_here ? r->fields[k] : r->references[k]];
        q_sql_ref_col(q, child_ref, t, tf);
        q_sql(q, " = ");
        q_sql_ref_col(q, parent_ref, m, pf);
    }
}

/* EXISTS (SELECT 1 FROM target AS child WHERE link AND <cond>) with cond
 * the nested where input, negated or tested as the operation asks. */
static bool exists_sub(query *q, const prisma_model_desc *m, const prisma_relation_desc *r, const void *sub, int op)
{
    const prisma_model_desc *t = r->target;
    uint32_t parent = q->alias;
    if (q->n_aliases + 2 > MAX_ALIASES) {
        err_set(&q->err, "P2009", "Failed to validate the query: the relation filters on `%s` nest too deeply.",
                r->name);
        return false;
    }
    bool negate = op == RF_EVERY || op == RF_NONE || op == RF_IS_NOT || op == RF_IS_NULL;
    q_sql(q, negate ? "NOT EXISTS (SELECT 1 FROM " : "EXISTS (SELECT 1 FROM ");
    uint32_t child;
    if (r->kind == PRISMA_REL_MANY_TO_MANY) {
        /* Through the join table: its "self" column holds the parent's id,
         * its "other" column the target's. */
        uint32_t j = q_new_alias(q);
        child = q_new_alias(q);
        q_join_table(q, m, r);
        q_sql(q, " AS ");
        q_sql_ref(q, j, t);
        q_sql(q, " JOIN ");
        q_sql_table(q, t);
        q_sql(q, " AS ");
        q_sql_ref(q, child, t);
        q_sql(q, " ON ");
        q_sql_ref_col(q, child, t, q_id_field(t));
        q_sql(q, " = ");
        q_sql_ref(q, j, t);
        q_sql(q, ".");
        q_sql_ident(q, q_join_other_col(r));
        q_sql(q, " WHERE ");
        q_sql_ref(q, j, t);
        q_sql(q, ".");
        q_sql_ident(q, q_join_self_col(r));
        q_sql(q, " = ");
        q_sql_ref_col(q, parent, m, q_id_field(m));
    } else {
        child = q_new_alias(q);
        q_sql_table(q, t);
        q_sql(q, " AS ");
        q_sql_ref(q, child, t);
        q_sql(q, " WHERE ");
        q_relation_link(q, m, parent, r, child);
    }
    if (op != RF_IS_NULL && op != RF_IS_NOT_NULL) {
        q_sql(q, op == RF_EVERY ? " AND NOT " : op == RF_IS_NOT ? " AND (" : " AND ");
        q->alias = child;
        bool ok = q_where_walk(q, t, sub, true);
        q->alias = parent;
        if (!ok)
            return false;
        if (op == RF_IS_NOT)
            q_sql(q, ") IS NOT FALSE");
    }
    q_sql(q, ")");
    return true;
}

static void cond_and(query *q, bool *first)
{
    if (!*first)
        q_sql(q, " AND ");
    *first = false;
}

static bool one_filter(query *q, const prisma_model_desc *m, const prisma_relation_desc *r, unsigned ri, int op,
                       const void *sub, bool *first)
{
    q_key_u8(q, 'R');
    q_key_u32(q, ri);
    q_key_u8(q, op);
    cond_and(q, first);
    if ((op == RF_IS_NULL || op == RF_IS_NOT_NULL) && r->kind == PRISMA_REL_TO_ONE_FK) {
        /* This side holds the key: null when every key column is. */
        q_sql(q, op == RF_IS_NULL ? "(" : "NOT (");
        for (unsigned k = 0; k < r->n_fields; k++) {
            if (k)
                q_sql(q, " AND ");
            q_sql_ref_col(q, q->alias, m, &m->fields[r->fields[k]]);
            q_sql(q, " IS NULL");
        }
        q_sql(q, ")");
        return true;
    }
    return exists_sub(q, m, r, sub, op);
}

bool q_relation_filters(query *q, const prisma_model_desc *m, const void *w, bool *first)
{
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        if (r->where_off == PRISMA_NO_OFFSET || !r->target)
            continue;
        if (r->kind == PRISMA_REL_TO_MANY || r->kind == PRISMA_REL_MANY_TO_MANY) {
            prisma_relation_many_filter f;
            memcpy(&f, (const char *)w + r->where_off, sizeof f);
            if (!f.some && !f.every && !f.none)
                continue;
            if ((f.some && !one_filter(q, m, r, i, RF_SOME, f.some, first)) ||
                (f.every && !one_filter(q, m, r, i, RF_EVERY, f.every, first)) ||
                (f.none && !one_filter(q, m, r, i, RF_NONE, f.none, first)))
                return false;
            continue;
        }
        prisma_relation_one_filter f;
        memcpy(&f, (const char *)w + r->where_off, sizeof f);
        if (!f.is && !f.is_not && !f.is_null && !f.is_not_null)
            continue;
        if ((f.is_null || f.is_not_null) && !r->optional) {
            /* Prisma's filter of a required relation takes no null
             * (XScalarRelationFilter: `is` / `isNot` are not nullable). */
            err_set(&q->err, "P2009",
                    "Failed to validate the query: `where.%s.%s`: Argument `%s` must not be null: the relation `%s` "
                    "is required.",
                    r->name, f.is_null ? "is" : "isNot", f.is_null ? "is" : "isNot", r->name);
            return false;
        }
        if ((f.is && f.is_null) || (f.is_not && f.is_not_null)) {
            err_set(&q->err, "P2009",
                    "Failed to validate the query: `where.%s`: `%s` is given both as a filter and as null.", r->name,
                    f.is && f.is_null ? "is" : "isNot");
            return false;
        }
        if ((f.is && !one_filter(q, m, r, i, RF_IS, f.is, first)) ||
            (f.is_not && !one_filter(q, m, r, i, RF_IS_NOT, f.is_not, first)) ||
            (f.is_null && !one_filter(q, m, r, i, RF_IS_NULL, NULL, first)) ||
            (f.is_not_null && !one_filter(q, m, r, i, RF_IS_NOT_NULL, NULL, first)))
            return false;
    }
    return true;
}
