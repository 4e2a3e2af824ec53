/* Comparing the migrations folder with _prisma_migrations (migrations.h),
 * as Prisma's diagnoseMigrationHistory does. */
#include "migrations.h"

#include <string.h>

static bool listed(const psl_vec *v, const char *name)
{
    for (size_t i = 0; i < v->len; i++)
        if (strcmp(v->items[i], name) == 0)
            return true;
    return false;
}

void migrations_status(psl_arena *a, const migrations_dir *dir, const history_row *rows, size_t n,
                       migrations_report *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const history_row *h = &rows[i];
        if (h->state == HIST_FAILED && !listed(&out->failed, h->migration_name))
            psl_vec_push_const(a, &out->failed, h->migration_name);
        if (h->state == HIST_ROLLED_BACK)
            continue;
        bool local = false;
        for (size_t k = 0; k < dir->n && !local; k++)
            local = strcmp(dir->items[k].name, h->migration_name) == 0;
        if (!local && !listed(&out->missing_locally, h->migration_name))
            psl_vec_push_const(a, &out->missing_locally, h->migration_name);
    }
    const char *last_applied_local = NULL;
    for (size_t k = 0; k < dir->n; k++) {
        const migration_file *m = &dir->items[k];
        const history_row *applied = NULL;
        bool failed = false;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(rows[i].migration_name, m->name) != 0)
                continue;
            if (rows[i].state == HIST_APPLIED)
                applied = &rows[i];
            else if (rows[i].state == HIST_FAILED)
                failed = true;
        }
        if (applied) {
            psl_vec_push_const(a, &out->applied, m->name);
            if (!migration_checksum_matches(m->sql, m->sql_len, applied->checksum))
                psl_vec_push_const(a, &out->modified, m->name);
            if (out->pending.len)
                out->diverged = true; /* applied after a local one that is not */
            last_applied_local = m->name;
            if (!out->pending.len)
                out->last_common = m->name;
        } else if (!failed) {
            psl_vec_push_const(a, &out->pending, m->name);
        }
    }
    (void)last_applied_local;
    if (out->missing_locally.len)
        out->diverged = true;
}
