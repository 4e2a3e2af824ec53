/* A plan as text: Prisma's migration script (schema-engine's render_script)
 * and Prisma's human-readable summary (SqlMigration::drift_summary). */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

static const char *const step_names[STEP_KIND_COUNT] = {
    [STEP_RESET] = "DropAll",
    [STEP_CREATE_SCHEMA] = "CreateSchema",
    [STEP_CREATE_EXTENSION] = "CreateExtension",
    [STEP_CREATE_ENUM] = "CreateEnum",
    [STEP_ALTER_ENUM] = "AlterEnum",
    [STEP_DROP_FOREIGN_KEY] = "DropForeignKey",
    [STEP_DROP_INDEX] = "DropIndex",
    [STEP_ALTER_TABLE] = "AlterTable",
    [STEP_DROP_TABLE] = "DropTable",
    [STEP_DROP_ENUM] = "DropEnum",
    [STEP_CREATE_TABLE] = "CreateTable",
    [STEP_REDEFINE_TABLES] = "RedefineTables",
    [STEP_CREATE_INDEX] = "CreateIndex",
    [STEP_RENAME_FOREIGN_KEY] = "RenameForeignKey",
    [STEP_ADD_FOREIGN_KEY] = "AddForeignKey",
    [STEP_RENAME_INDEX] = "RenameIndex",
    [STEP_REDEFINE_INDEX] = "RedefineIndex",
};

static int finish(psl_sql *o, char **out)
{
    if (o->failed) {
        psl_sql_free(o);
        return -1;
    }
    *out = o->data;
    return 0;
}

int plan_render_script(const plan *p, char **out)
{
    psl_sql o = { 0 };
    *out = NULL;
    if (plan_is_empty(p)) {
        psl_sql_puts(&o, "-- This is an empty migration.");
        return finish(&o, out);
    }
    psl_sql_puts(&o, "");
    if (p->warnings.len || p->unexecutable.len) {
        psl_sql_puts(&o, "/*\n  Warnings:\n\n");
        for (size_t i = 0; i < p->warnings.len; i++)
            psl_sql_printf(&o, "  - %s\n", (const char *)p->warnings.items[i]);
        for (size_t i = 0; i < p->unexecutable.len; i++)
            psl_sql_printf(&o, "  - %s\n", (const char *)p->unexecutable.items[i]);
        psl_sql_puts(&o, "\n*/\n");
    }
    bool first = true;
    for (size_t i = 0; i < p->steps.len; i++) {
        const plan_step *s = p->steps.items[i];
        if (!s->sql.len)
            continue;
        if (!first)
            psl_sql_puts(&o, "\n");
        first = false;
        psl_sql_printf(&o, "-- %s\n", step_names[s->kind]);
        if (s->own_tx)
            psl_sql_puts(&o, "BEGIN;\n");
        for (size_t k = 0; k < s->sql.len; k++)
            psl_sql_printf(&o, "%s%s;\n", k == 0 && s->preface ? s->preface : "", (const char *)s->sql.items[k]);
        if (s->own_tx)
            psl_sql_puts(&o, "COMMIT;\n");
    }
    return finish(&o, out);
}

static int cmp_sections(const void *a, const void *b)
{
    const plan_step *x = *(plan_step *const *)a, *y = *(plan_step *const *)b;
    if (x->section != y->section)
        return x->section < y->section ? -1 : 1;
    int c = strcmp(x->object ? x->object : "", y->object ? y->object : "");
    if (c)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int plan_render_summary(const plan *p, char **out)
{
    psl_sql o = { 0 };
    *out = NULL;
    if (plan_is_empty(p)) {
        psl_sql_puts(&o, "No difference detected.");
        return finish(&o, out);
    }
    psl_sql_puts(&o, "");
    size_t n = p->steps.len;
    const plan_step **sorted = malloc((n + 1) * sizeof *sorted);
    if (!sorted)
        return -1;
    for (size_t i = 0; i < n; i++)
        sorted[i] = p->steps.items[i];
    qsort(sorted, n, sizeof *sorted, cmp_sections);
    const plan_step *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        const plan_step *s = sorted[i];
        if (s->section == SEC_NONE || (!s->summary.len && s->section != SEC_REDEFINED_TABLE))
            continue;
        const char *obj = s->object ? s->object : "";
        if (!prev || prev->section != s->section || strcmp(prev->object ? prev->object : "", obj) != 0) {
            switch (s->section) {
            case SEC_ADDED_EXTENSION: psl_sql_puts(&o, "\n[+] Added extensions\n"); break;
            case SEC_ADDED_ENUM: psl_sql_puts(&o, "\n[+] Added enums\n"); break;
            case SEC_ADDED_TABLE: psl_sql_puts(&o, "\n[+] Added tables\n"); break;
            case SEC_REMOVED_ENUM: psl_sql_puts(&o, "\n[-] Removed enums\n"); break;
            case SEC_REMOVED_TABLE: psl_sql_puts(&o, "\n[-] Removed tables\n"); break;
            case SEC_REDEFINED_TABLE: psl_sql_printf(&o, "\n[*] Redefined table `%s`\n", obj); break;
            case SEC_CHANGED_ENUM: psl_sql_printf(&o, "\n[*] Changed the `%s` enum\n", obj); break;
            case SEC_CHANGED_TABLE: psl_sql_printf(&o, "\n[*] Changed the `%s` table\n", obj); break;
            case SEC_NONE: break;
            }
        }
        prev = s;
        for (size_t k = 0; k < s->summary.len; k++)
            psl_sql_printf(&o, "%s\n", (const char *)s->summary.items[k]);
    }
    free(sorted);
    return finish(&o, out);
}
