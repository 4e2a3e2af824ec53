/* Applying db push's plan, and its summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

/* Runs the plan: `pre` first (PostgreSQL enum values: ALTER TYPE ... ADD
 * VALUE cannot be used in the transaction that adds it, and adding a value
 * is harmless), then everything else in one transaction where the dialect's
 * DDL is transactional. */
int apply_plan(const migrate_dialect *D, mconn *c, const plan *p)
{
    const char *failed = NULL;
    bool tx = D->caps & MIG_CAP_TRANSACTIONAL_DDL, in_tx = false;
    size_t pre_done = 0;
    int rc = -1;
    for (size_t i = 0; i < p->steps.len; i++) {
        const plan_step *s = p->steps.items[i];
        for (size_t k = 0; s->outside_tx && k < s->sql.len; k++, pre_done++)
            if (mc_exec(c, s->sql.items[k]) != 0) {
                failed = s->sql.items[k];
                goto done;
            }
    }
    if (D->before_begin && mc_exec(c, D->before_begin) != 0)
        goto done;
    if (tx && mc_tx(c, TX_BEGIN) != 0)
        goto done;
    in_tx = tx;
    for (size_t i = 0; i < p->steps.len; i++) {
        const plan_step *s = p->steps.items[i];
        for (size_t k = 0; !s->outside_tx && k < s->sql.len; k++)
            if (mc_exec(c, s->sql.items[k]) != 0) {
                failed = s->sql.items[k];
                goto done;
            }
    }
    if (D->check_before_commit && D->check_before_commit(c, p) != 0)
        goto done;
    if (tx && mc_tx(c, TX_COMMIT) != 0)
        goto done;
    in_tx = false;
    rc = 0;
done:
    if (rc != 0) {
        char saved[sizeof c->err];
        memcpy(saved, c->err, sizeof saved);
        if (in_tx)
            mc_tx(c, TX_ROLLBACK);
        fprintf(stderr, "Error: the database rejected the change; nothing was applied%s.\n%s\n",
                pre_done ? " (except the new enum values, added first)" : "", saved);
        if (failed)
            fprintf(stderr, "  in statement:\n%s\n", failed);
    }
    return rc;
}

/* "3 tables, 1 enum" */
void apply_summary(const plan *p, psl_sql *o)
{
    static const char *const what[N_COUNT][2] = {
        { "schema", "schemas" }, { "enum", "enums" }, { "enum value", "enum values" },
        { "table", "tables" },   { "column", "columns" }, { "index", "indexes" },
        { "foreign key", "foreign keys" }, { "change", "changes" },
        { "removal", "removals" },
        { "extension", "extensions" },
    };
    size_t shown = 0;
    for (int i = 0; i < N_COUNT; i++) {
        if (!p->n[i])
            continue;
        psl_sql_printf(o, "%s%zu %s", shown++ ? ", " : "", p->n[i], what[i][p->n[i] == 1 ? 0 : 1]);
    }
}

int apply_script(const plan *p, char **out)
{
    psl_sql text = { 0 };
    psl_sql_puts(&text, "");
    for (int pass = 0; pass < 2; pass++) /* in the order apply_plan runs them */
        for (size_t i = 0; i < p->steps.len; i++) {
            const plan_step *s = p->steps.items[i];
            if (s->outside_tx != (pass == 0))
                continue;
            for (size_t k = 0; k < s->sql.len; k++)
                psl_sql_printf(&text, "%s;\n", (const char *)s->sql.items[k]);
        }
    if (text.failed) {
        psl_sql_free(&text);
        return -1;
    }
    *out = text.data;
    return 0;
}
