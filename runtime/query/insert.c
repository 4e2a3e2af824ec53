/* INSERT statements: the values of a create input, and rows inserted
 * together, chunked to the bound-parameter limit. */
#include "query.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The values of one create input, with the client-side defaults filled in.
 * given[i] says whether field i gets a column. */
bool q_check_required(query *q, const prisma_model_desc *m, const bool *given)
{
    enum { FILLED = PRISMA_F_OPTIONAL | PRISMA_F_LIST | PRISMA_F_DB_DEFAULT | PRISMA_F_UPDATED_AT };
    for (unsigned i = 0; i < m->n_fields; i++) {
        const prisma_field_desc *f = &m->fields[i];
        if (given[i] || (f->flags & FILLED) || f->default_kind != PRISMA_DEFAULT_NONE || f->create_off == PRISMA_NO_OFFSET)
            continue;
        err_set(&q->err, "P2012", "`data.%s`: A value is required but not set.", f->name);
        return false;
    }
    return true;
}

bool q_create_values(query *q, const prisma_model_desc *m, const void *data, prisma_value *vals, bool *given)
{
    if (m->n_fields > MAX_FIELDS) {
        err_set(&q->err, "P2009", "Model %s has more than %d fields.", m->name, MAX_FIELDS);
        return false;
    }
    int64_t now = 0;
    for (unsigned i = 0; i < m->n_fields; i++) {
        const prisma_field_desc *f = &m->fields[i];
        given[i] = false;
        if (f->create_off != PRISMA_NO_OFFSET) {
            int r = q_read_create_value(q, f, (const char *)data + f->create_off, &vals[i]);
            if (r < 0)
                return false;
            if (r == 1) {
                if (vals[i].kind == V_NULL && !q_check_null(q, f))
                    return false;
                given[i] = true;
                continue;
            }
        }
        if ((f->flags & PRISMA_F_UPDATED_AT) || f->default_kind == PRISMA_DEFAULT_NOW) {
            if (!now)
                now = clock_now_ms();
            vals[i] = (prisma_value){ .kind = V_DATETIME, .i = now };
            given[i] = true;
            continue;
        }
        char *id = NULL;
        switch (f->default_kind) {
        case PRISMA_DEFAULT_UUID4:
            if ((id = q_temp(q, 37)))
                id_uuid4(id);
            break;
        case PRISMA_DEFAULT_UUID7:
            if ((id = q_temp(q, 37)))
                id_uuid7(id);
            break;
        case PRISMA_DEFAULT_CUID:
            if ((id = q_temp(q, 32)))
                id_cuid(id);
            break;
        case PRISMA_DEFAULT_CUID2:
            if ((id = q_temp(q, 32)))
                id_cuid2(id);
            break;
        case PRISMA_DEFAULT_NANOID: {
            int len = f->default_arg ? f->default_arg : 21;
            if ((id = q_temp(q, (size_t)len + 1)))
                id_nanoid(id, len);
            break;
        }
        case PRISMA_DEFAULT_ULID:
            if ((id = q_temp(q, 27)))
                id_ulid(id);
            break;
        default:
            continue; /* the database's default, or NULL */
        }
        if (!id)
            return false;
        vals[i] = v_text(id);
        given[i] = true;
    }
    return true;
}



bool q_build_insert(query *q, void *vctx)
{
    create_ctx *cc = vctx;
    const prisma_model_desc *m = cc->m;
    q_key_u8(q, cc->conflict ? K_UPSERT : cc->n_rows > 1 || cc->skip_duplicates ? K_CREATE_MANY : K_CREATE);
    q_key_u32(q, m->index);
    q_key_u32(q, (uint32_t)cc->n_rows);
    q_key_u8(q, (unsigned)cc->returning | (unsigned)cc->skip_duplicates << 1);
    /* Doing nothing on a conflict: ON CONFLICT where the database has it,
     * else INSERT IGNORE (issue 16: MySQL; the backend turns what IGNORE
     * would let through besides a taken key into the error it is). */
    bool on_conflict = (q->be->caps & BACKEND_CONFLICT_TARGET) != 0;
    bool nothing = cc->skip_duplicates || (cc->conflict && cc->conflict_nothing);
    if (nothing && !on_conflict && !q_need(q, BACKEND_INSERT_IGNORE, "ON CONFLICT DO NOTHING"))
        return false;
    if (cc->conflict && !cc->conflict_nothing && !on_conflict &&
        !q_need(q, BACKEND_UPSERT_ANY_KEY, "ON CONFLICT DO UPDATE"))
        return false;
    q_sql(q, nothing && !on_conflict ? "INSERT IGNORE INTO " : "INSERT INTO ");
    q_sql_table(q, m);
    unsigned ncols = 0;
    for (unsigned i = 0; i < m->n_fields; i++) {
        q_key_u8(q, cc->given[i]);
        if (!cc->given[i])
            continue;
        q_sql(q, ncols ? ", " : " (");
        q_sql_col(q, m, &m->fields[i], false);
        ncols++;
    }
    if (ncols == 0) {
        q_sql(q, q->be->insert_default_values ? q->be->insert_default_values : " DEFAULT VALUES");
    } else {
        q_sql(q, ") VALUES ");
        for (size_t r = 0; r < cc->n_rows; r++) {
            q_sql(q, r ? ", (" : "(");
            unsigned k = 0;
            for (unsigned i = 0; i < m->n_fields; i++) {
                if (!cc->given[i])
                    continue;
                if (k++)
                    q_sql(q, ", ");
                q_param(q, cc->vals[r * m->n_fields + i]);
            }
            q_sql(q, ")");
        }
    }
    if (cc->returning && !q_need(q, BACKEND_INSERT_RETURNING, "RETURNING"))
        return false;
    if (cc->skip_duplicates && on_conflict)
        q_sql(q, " ON CONFLICT DO NOTHING");
    if (cc->conflict && !on_conflict) {
        q_key_u8(q, 'c');
        q_key_u32(q, (uint32_t)(cc->conflict - m->uniques));
        q_key_u8(q, cc->conflict_nothing);
        if (cc->conflict_nothing)
            goto returning; /* INSERT IGNORE */
        q_sql(q, " ON DUPLICATE KEY UPDATE ");
        bool any = false;
        if (cc->update && !q_build_update_sets(q, m, cc->update, &any))
            return false;
        if (!any) {
            const prisma_field_desc *f = &m->fields[cc->conflict->fields[0]];
            q_sql_col(q, m, f, false);
            q_sql(q, " = ");
            q_sql_col(q, m, f, true);
        }
        goto returning;
    }
    if (cc->conflict) {
        q_key_u8(q, 'c');
        q_key_u32(q, (uint32_t)(cc->conflict - m->uniques));
        q_key_u8(q, cc->conflict_nothing);
        q_sql(q, " ON CONFLICT (");
        for (unsigned k = 0; k < cc->conflict->n_fields; k++) {
            if (k)
                q_sql(q, ", ");
            q_sql_col(q, m, &m->fields[cc->conflict->fields[k]], false);
        }
        if (cc->conflict_nothing) {
            q_sql(q, ") DO NOTHING");
            goto returning;
        }
        q_sql(q, ") DO UPDATE SET ");
        bool any = false;
        if (cc->update && !q_build_update_sets(q, m, cc->update, &any))
            return false;
        if (!any) {
            /* Nothing to change: touch the key so the row is returned. */
            const prisma_field_desc *f = &m->fields[cc->conflict->fields[0]];
            q_sql_col(q, m, f, false);
            q_sql(q, " = ");
            q_sql_col(q, m, f, true);
        }
    }
returning:
    if (cc->returning) {
        q_sql(q, " RETURNING ");
        q_select_columns(q, m, false);
    }
    return true;
}

/* A create, update or upsert with nested writes: one atomic unit. */

/* How many values one statement may bind. */
size_t q_param_limit(const query *q)
{
    return q->be->max_params;
}

int q_insert_rows(query *q, const prisma_model_desc *m, const prisma_value *vals, const bool *given, size_t n,
                  bool skip_duplicates, const prisma_unique_desc *conflict_nothing, rec_list *list, size_t *list_cap,
                  int64_t *count)
{
    size_t nf = m->n_fields;
    /* Consecutive rows with the same columns share a statement, chunked to the parameter limit. */
    size_t r = 0;
    while (r < n) {
        size_t end = r + 1, cols = 0;
        for (size_t i = 0; i < nf; i++)
            cols += given[r * nf + i];
        size_t max_rows = cols ? q_param_limit(q) / cols : 500;
        if (max_rows > 1000)
            max_rows = 1000;
        while (end < n && end - r < max_rows && memcmp(given + end * nf, given + r * nf, nf * sizeof *given) == 0)
            end++;
        create_ctx cc = { .m = m, .vals = vals + r * nf, .given = given + r * nf, .n_rows = end - r,
                          .skip_duplicates = skip_duplicates, .returning = list != NULL,
                          .conflict = conflict_nothing, .conflict_nothing = conflict_nothing != NULL };
        if (cols == 0)
            cc.n_rows = 1; /* DEFAULT VALUES inserts one row per statement */
        prisma_rows *rows;
        if (q_run(q, q_build_insert, &cc, &rows) != PRISMA_OK)
            return PRISMA_ERROR;
        if (list) {
            result_arena *a = result_arena_of(list);
            int st;
            while ((st = q->be->next(rows, &q->err)) == 1) {
                void *slot;
                if (!q_list_push(a, list, list_cap, m->rec_size, &slot) || !q_decode_row(q, m, rows, 0, slot, a)) {
                    st = -2;
                    break;
                }
                if (count)
                    (*count)++;
            }
            q->be->done(rows);
            if (st < 0) {
                if (!q->err.code[0])
                    err_oom(&q->err);
                return PRISMA_ERROR;
            }
        } else {
            if (count)
                *count += q->be->changes(rows);
            q->be->done(rows);
        }
        r = cols == 0 ? r + 1 : end;
    }
    return PRISMA_OK;
}

/* issue 16: whether a row of `create` can meet no unique key but crit: every
 * other unique has a field the input leaves to the database or to a
 * generated default (an autoincrement, a fresh id, NULL). Where the database
 * upserts or ignores on any key (ON DUPLICATE KEY, INSERT IGNORE), only then
 * is the statement the one asked for. */
bool q_conflict_alone(query *q, const prisma_model_desc *m, const prisma_unique_desc *crit, const void *create)
{
    if (q->be->caps & BACKEND_CONFLICT_TARGET)
        return true;
    for (unsigned i = 0; i < m->n_uniques; i++) {
        const prisma_unique_desc *ud = &m->uniques[i];
        if (ud == crit)
            continue;
        bool all_given = true;
        for (unsigned k = 0; k < ud->n_fields && all_given; k++) {
            const prisma_field_desc *f = &m->fields[ud->fields[k]];
            prisma_value v;
            all_given = create && f->create_off != PRISMA_NO_OFFSET &&
                        q_read_create_value(q, f, (const char *)create + f->create_off, &v) == 1 &&
                        v.kind != V_NULL;
        }
        err_clear(&q->err);
        if (all_given)
            return false;
    }
    return true;
}
