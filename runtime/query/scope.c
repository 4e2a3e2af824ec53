/* The scope of a statement on a relation's target: the records connected to
 * one parent (nested writes restrict finds and updates with it). */
#include "query.h"

/* ---- the scope: records connected to one parent ---- */


const char *q_join_self_col(const prisma_relation_desc *r) { return r->join_self_is_a ? "A" : "B"; }
const char *q_join_other_col(const prisma_relation_desc *r) { return r->join_self_is_a ? "B" : "A"; }

/* The join table, with the schema of the model that is its "A" side. */
void q_join_table(query *q, const prisma_model_desc *m, const prisma_relation_desc *r)
{
    const char *schema = r->join_self_is_a ? m->schema : r->target->schema;
    q_sql_qualified(q, schema, r->join_table);
}

const prisma_field_desc *q_id_field(const prisma_model_desc *m)
{
    return &m->fields[m->uniques[0].fields[0]];
}

void q_scope_sql(query *q, const q_scope *s)
{
    const prisma_relation_desc *r = s->rel;
    q_key_u8(q, 'S');
    q_key_u32(q, s->parent->index);
    q_key_u32(q, r ? (uint32_t)(r - s->parent->relations) : UINT32_MAX);
    if (!r) {
        const prisma_unique_desc *u = &s->parent->uniques[0];
        for (unsigned k = 0; k < u->n_fields; k++) {
            q_sql(q, k ? " AND " : "");
            q_sql_col(q, s->parent, &s->parent->fields[u->fields[k]], true);
            q_sql(q, " = ");
            q_param(q, s->vals[k]);
        }
        return;
    }
    const prisma_model_desc *t = r->target;
    if (r->kind == PRISMA_REL_MANY_TO_MANY) {
        q_sql_col(q, t, q_id_field(t), true);
        q_sql(q, " IN (SELECT ");
        q_sql_ident(q, q_join_other_col(r));
        q_sql(q, " FROM ");
        q_join_table(q, s->parent, r);
        q_sql(q, " WHERE ");
        q_sql_ident(q, q_join_self_col(r));
        q_sql(q, " = ");
        q_param(q, s->vals[0]);
        q_sql(q, ")");
        return;
    }
    /* The target's columns that match the values. */
    const uint16_t *cols = r->kind == PRISMA_REL_TO_ONE_FK ? r->references : r->fields;
    for (unsigned k = 0; k < r->n_fields; k++) {
        q_sql(q, k ? " AND " : "");
        q_sql_col(q, t, &t->fields[cols[k]], true);
        q_sql(q, " = ");
        q_param(q, s->vals[k]);
    }
}
