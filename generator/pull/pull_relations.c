/* db pull's relations, named as Prisma's introspection names them
 * (introspection_map/relation_names.rs): a relation field on both sides of
 * each foreign key, list fields on both models of an implicit many-to-many
 * table, names kept from the existing schema on re-introspection, and the
 * existing schema's relation fields under relationMode = "prisma". */
#include <string.h>

#include "pull_render.h"

/* ---- relations (relation_names.rs) ---- */

static size_t table_index(const puller *X, const ptable *T) { return (size_t)(T - X->tables); }

/* The tables of a relation, lower index first. */
static void sorted_pair(const puller *X, const ptable *a, const ptable *b, size_t out[2])
{
    size_t ia = table_index(X, a), ib = table_index(X, b);
    out[0] = ia < ib ? ia : ib;
    out[1] = ia < ib ? ib : ia;
}

static bool same_cols(const db_fk *a, const db_fk *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->cols[i], b->cols[i]) != 0)
            return false;
    return true;
}

/* ambiguous[i * n + j]: relations between tables i <= j are ambiguous. */
static bool *find_ambiguous(puller *X)
{
    size_t n = X->n_tables;
    bool *amb = psl_arena_alloc(X->a, n * n + 1);
    for (size_t ti = 0; ti < n; ti++) {
        ptable *T = &X->tables[ti];
        if (T->join) {
            const db_fk *fa = T->t->fks.items[0], *fb = T->t->fks.items[1];
            ptable *A = pull_table_of(X, fa->ref_schema, fa->ref_table), *B = pull_table_of(X, fb->ref_schema, fb->ref_table);
            if (!A || !B)
                continue;
            size_t p[2];
            sorted_pair(X, A, B, p);
            /* an inline relation between the same two tables */
            const ptable *ends[2] = { A, B };
            for (int e = 0; e < 2; e++)
                for (size_t k = 0; k < ends[e]->t->fks.len; k++) {
                    const db_fk *fk = ends[e]->t->fks.items[k];
                    ptable *R = pull_table_of(X, fk->ref_schema, fk->ref_table);
                    size_t q[2];
                    if (!R)
                        continue;
                    sorted_pair(X, ends[e], R, q);
                    if (q[0] == p[0] && q[1] == p[1])
                        amb[p[0] * n + p[1]] = true;
                }
            /* another join table between them */
            for (size_t oi = 0; oi < n; oi++) {
                const ptable *O = &X->tables[oi];
                if (oi == ti || !O->join)
                    continue;
                const db_fk *ga = O->t->fks.items[0], *gb = O->t->fks.items[1];
                ptable *GA = pull_table_of(X, ga->ref_schema, ga->ref_table), *GB = pull_table_of(X, gb->ref_schema, gb->ref_table);
                size_t q[2];
                if (!GA || !GB)
                    continue;
                sorted_pair(X, GA, GB, q);
                if (q[0] == p[0] && q[1] == p[1])
                    amb[p[0] * n + p[1]] = true;
            }
            continue;
        }
        for (size_t k = 0; k < T->t->fks.len; k++) {
            const db_fk *fk = T->t->fks.items[k];
            ptable *R = pull_table_of(X, fk->ref_schema, fk->ref_table);
            if (!R)
                continue;
            size_t p[2];
            sorted_pair(X, T, R, p);
            if (amb[p[0] * n + p[1]])
                continue;
            /* another key between the same tables, from either side */
            const ptable *ends[2] = { T, R };
            for (int e = 0; e < 2 && !amb[p[0] * n + p[1]]; e++)
                for (size_t j = 0; j < ends[e]->t->fks.len; j++) {
                    const db_fk *o = ends[e]->t->fks.items[j];
                    if (o == fk || (ends[e] == T && same_cols(o, fk)))
                        continue;
                    ptable *OR = pull_table_of(X, o->ref_schema, o->ref_table);
                    size_t q[2];
                    if (!OR)
                        continue;
                    sorted_pair(X, ends[e], OR, q);
                    if (q[0] == p[0] && q[1] == p[1])
                        amb[p[0] * n + p[1]] = true;
                }
            /* or the relation field's name is one of the key's columns' */
            for (size_t c = 0; c < fk->n; c++) {
                const pcol *pc = pull_col_of(T, fk->cols[c]);
                if (pc && strcmp(pc->name, R->name) == 0)
                    amb[p[0] * n + p[1]] = true;
            }
        }
    }
    return amb;
}

/* The existing schema's relation over this key: same model, same columns. */
static const psl_relation *previous_inline_relation(const puller *X, const ptable *T, const ptable *R,
                                                    const db_fk *fk)
{
    if (!X->prev || !T->prev || !R->prev)
        return NULL;
    for (size_t i = 0; i < X->prev->n_relations; i++) {
        const psl_relation *r = X->prev->relations[i];
        if (r->kind == PSL_REL_MANY_TO_MANY || r->from_model != T->prev || r->to_model != R->prev ||
            r->n_fields != fk->n)
            continue;
        bool ok = true;
        for (size_t k = 0; k < fk->n && ok; k++)
            ok = r->fields[k] && strcmp(r->fields[k]->db_name, fk->cols[k]) == 0;
        if (ok)
            return r;
    }
    return NULL;
}

static const psl_relation *previous_m2m_relation(const puller *X, const ptable *J)
{
    for (size_t i = 0; X->prev && i < X->prev->n_relations; i++) {
        const psl_relation *r = X->prev->relations[i];
        if (r->kind == PSL_REL_MANY_TO_MANY && r->join_table && strcmp(r->join_table, J->t->name) == 0)
            return r;
    }
    return NULL;
}

static void add_rel(puller *X, ptable *T, const char *name, const char *relation, const ptable *other,
                    const char *arity, const db_fk *fk)
{
    prel *r = psl_arena_alloc(X->a, sizeof *r);
    r->name = name;
    r->relation = relation;
    r->other = other;
    r->arity = arity;
    r->fk = fk;
    r->ignore = other->ignored && !T->ignored;
    psl_vec_push(X->a, &T->rels, r);
}

/* A relation name the existing schema gave explicitly (not Prisma's default
 * "AToB" of the sorted model names). */
static const char *kept_relation_name(const psl_relation *r)
{
    if (!r || !r->name || !*r->name)
        return NULL;
    const char *a = r->from_model->name, *b = r->to_model->name;
    if (strcmp(a, b) > 0) {
        const char *t = a;
        a = b;
        b = t;
    }
    size_t la = strlen(a);
    if (strncmp(r->name, a, la) == 0 && strncmp(r->name + la, "To", 2) == 0 && strcmp(r->name + la + 2, b) == 0)
        return NULL;
    return r->name;
}

/* relation_names.rs collect_duplicated_fks: a key over the same columns to
 * the same columns as an earlier one of its table makes no relation of its
 * own (the first, in the catalog's order, does). */
static bool duplicated_fk(const db_table *t, size_t k)
{
    const db_fk *f = t->fks.items[k];
    for (size_t j = 0; j < k; j++) {
        const db_fk *e = t->fks.items[j];
        if (!same_cols(e, f) || strcmp(e->ref_table, f->ref_table) != 0)
            continue;
        bool same_refs = true;
        for (size_t c = 0; c < f->n && same_refs; c++)
            same_refs = strcmp(e->ref_cols[c], f->ref_cols[c]) == 0;
        if (same_refs)
            return true;
    }
    return false;
}

static void inline_relation(puller *X, ptable *T, const db_fk *fk, const bool *amb)
{
    ptable *R = pull_table_of(X, fk->ref_schema, fk->ref_table);
    if (!R || R->join)
        return;
    size_t p[2];
    sorted_pair(X, T, R, p);
    bool self = T == R, ambiguous = amb[p[0] * X->n_tables + p[1]];
    const char *relation = "", *forward = R->name, *back = psl_arena_printf(X->a, "%s%s", self ? "other_" : "", T->name);
    if (!ambiguous) {
        if (self)
            relation = psl_arena_printf(X->a, "%sTo%s", T->name, R->name);
    } else {
        psl_sql b = { 0 };
        psl_sql_printf(&b, "%s_", T->name);
        for (size_t k = 0; k < fk->n; k++) {
            const pcol *c = pull_col_of(T, fk->cols[k]);
            psl_sql_printf(&b, "%s%s", k ? "_" : "", c ? c->name : fk->cols[k]);
        }
        psl_sql_printf(&b, "To%s", R->name);
        relation = psl_arena_strdup(X->a, psl_sql_text(&b));
        psl_sql_free(&b);
        forward = psl_arena_printf(X->a, "%s_%s", R->name, relation);
        back = psl_arena_printf(X->a, "%s%s_%s", self ? "other_" : "", T->name, relation);
    }
    const psl_relation *pr = previous_inline_relation(X, T, R, fk);
    if (pr) {
        if (pr->from_field)
            forward = pr->from_field->name;
        if (pr->to_field)
            back = pr->to_field->name;
        const char *kept = kept_relation_name(pr);
        if (kept)
            relation = kept;
    }
    bool optional = false;
    for (size_t k = 0; k < fk->n; k++) {
        const pcol *c = pull_col_of(T, fk->cols[k]);
        if (c && !c->required)
            optional = true;
    }
    add_rel(X, T, forward, relation, R, optional ? "?" : "", fk);
    add_rel(X, R, back, relation, T, pull_columns_unique(T->t, fk->cols, fk->n) ? "?" : "[]", NULL);
}

static void m2m_relation(puller *X, ptable *J, const bool *amb)
{
    const db_fk *fa = J->t->fks.items[0], *fb = J->t->fks.items[1];
    if (strcmp(fa->cols[0], "A") != 0) {
        const db_fk *tmp = fa;
        fa = fb;
        fb = tmp;
    }
    ptable *A = pull_table_of(X, fa->ref_schema, fa->ref_table), *B = pull_table_of(X, fb->ref_schema, fb->ref_table);
    if (!A || !B)
        return;
    size_t p[2];
    sorted_pair(X, A, B, p);
    ptable *T0 = &X->tables[p[0]], *T1 = &X->tables[p[1]];
    bool self = T0 == T1;
    const char *relation, *suffix = "";
    if (amb[p[0] * X->n_tables + p[1]]) {
        relation = J->t->name + 1;
        suffix = J->t->name;
    } else {
        const char *dflt = psl_arena_printf(X->a, "%sTo%s", T0->name, T1->name);
        relation = strcmp(J->t->name + 1, dflt) == 0 && !self ? "" : J->t->name + 1;
    }
    const char *f0 = psl_arena_printf(X->a, "%s%s%s", T1->name, suffix, self ? "_A" : "");
    const char *f1 = psl_arena_printf(X->a, "%s%s%s", T0->name, suffix, self ? "_B" : "");
    /* Not for a self-relation: which field is A cannot be told from the
     * names (re_introspection/sqlite.rs,
     * do_not_try_to_keep_custom_many_to_many_self_relation_field_names). */
    const psl_relation *pr = self ? NULL : previous_m2m_relation(X, J);
    if (pr && pr->from_field && pr->to_field) {
        const psl_field *in0 = pr->from_field->model == T0->prev ? pr->from_field : pr->to_field;
        const psl_field *in1 = in0 == pr->from_field ? pr->to_field : pr->from_field;
        if (in0->model == T0->prev && in1->model == T1->prev) {
            f0 = in0->name;
            f1 = in1->name;
        }
    }
    add_rel(X, T0, f0, relation, T1, "[]", NULL);
    add_rel(X, T1, f1, relation, T0, "[]", NULL);
}

/* relationMode = "prisma": the database has no foreign keys, so the
 * relation fields are copied from the existing schema (model.rs
 * relation_fields, RelationFieldPair::emulated), where the related model's
 * table still exists. */
static void copy_emulated_relations(puller *X)
{
    for (size_t i = 0; i < X->n_tables; i++) {
        ptable *T = &X->tables[i];
        for (size_t k = 0; T->prev && k < T->prev->n_fields; k++) {
            const psl_field *f = T->prev->fields[k];
            if (f->kind != PSL_FIELD_RELATION || !f->ast || !f->type_model)
                continue;
            const ptable *other = NULL;
            for (size_t j = 0; j < X->n_tables; j++)
                if (X->tables[j].prev == f->type_model)
                    other = &X->tables[j];
            if (!other)
                continue;
            const psl_source *src = &X->prev->files[f->ast->span.file];
            prel *r = psl_arena_alloc(X->a, sizeof *r);
            r->name = f->name;
            r->other = other;
            r->raw = psl_arena_strndup(X->a, src->text + f->ast->span.start, f->ast->span.end - f->ast->span.start);
            psl_vec_push(X->a, &T->rels, r);
            psl_sql_printf(&X->w_copied, "  - Model: \"%s\", field: \"%s\"\n", T->name, f->name);
        }
    }
}

void pull_build_relations(puller *X)
{
    if (X->prev && X->prev->datasource && X->prev->datasource->relation_mode_prisma) {
        copy_emulated_relations(X); /* foreign keys do not make relations then (context.rs foreign_keys_enabled) */
        return;
    }
    bool *amb = find_ambiguous(X);
    /* Relation fields in the order of the keys (context.rs
     * inline_relations_for_table), then the join tables'. */
    for (size_t i = 0; i < X->n_tables; i++) {
        ptable *T = &X->tables[i];
        if (T->join)
            continue;
        for (size_t k = 0; k < T->t->fks.len; k++)
            if (!duplicated_fk(T->t, k))
                inline_relation(X, T, T->t->fks.items[k], amb);
    }
    for (size_t i = 0; i < X->n_tables; i++)
        if (X->tables[i].join)
            m2m_relation(X, &X->tables[i], amb);
}
