/* migrate deploy, migrate status, migrate resolve, migrate reset
 * (commands.h): Prisma 7's messages and exit statuses over the migrations
 * folder and _prisma_migrations. */
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "migrations.h"
#include "plan.h"
#include "session.h"

/* What every migrate command starts with: the schema, its database, the
 * folder (checked against the lock file). Returns 0, or the exit status. */
typedef struct migrate_ctx {
    mig_session S;
    migrations_dir dir;
    char *dir_path;
    history_row *rows;
    size_t n_rows;
    char err[MIG_ERR_LEN];
} migrate_ctx;

static int ctx_open(migrate_ctx *x, const char *cmd, const migrations_cmd_options *o)
{
    int rc = session_load(&x->S, cmd, o->schema_path);
    if (rc != 0)
        return rc;
    printf("Prisma schema loaded from %s\n", x->S.schema_path);
    if (session_open(&x->S, NULL) != 0)
        return 1;
    psl_sql text = { 0 };
    session_describe_target(&x->S, &text);
    printf("%s\n", psl_sql_text(&text));
    psl_sql_free(&text);
    if (migrations_dir_locate(x->S.schema_path, &x->dir_path, x->err) != 0 ||
        migrations_dir_read(x->dir_path, &x->dir, x->err) != 0 ||
        migrations_check_lock(&x->dir, x->S.D->lock_provider, x->err) != 0) {
        fprintf(stderr, "Error: %s\n", x->err);
        return 1;
    }
    return 0;
}

static void ctx_close(migrate_ctx *x)
{
    migrations_dir_free(&x->dir);
    free(x->dir_path);
    session_close(&x->S);
    fflush(stdout);
}

static void print_found(const migrate_ctx *x)
{
    if (x->dir.n)
        printf("\n%zu migration%s found in %s\n", x->dir.n, x->dir.n > 1 ? "s" : "", x->dir.path);
    else
        printf("\nNo migration found in %s\n", x->dir.path);
}

/* Prisma's tree of applied migrations. */
static void print_tree(const psl_vec *names)
{
    printf("migrations/\n");
    for (size_t i = 0; i < names->len; i++)
        printf("  \u2514\u2500 %s/\n    \u2514\u2500 migration.sql\n", (const char *)names->items[i]);
}

static void warn_modified(const migrations_report *r)
{
    for (size_t i = 0; i < r->modified.len; i++)
        fprintf(stderr, "Warning: The migration `%s` was modified after it was applied.\n",
                (const char *)r->modified.items[i]);
}

static const history_row *failed_row(const migrate_ctx *x, const char *name)
{
    for (size_t i = 0; i < x->n_rows; i++)
        if (x->rows[i].state == HIST_FAILED && strcmp(x->rows[i].migration_name, name) == 0)
            return &x->rows[i];
    return NULL;
}

/* A started_at as Prisma prints it: SQLite's milliseconds since the epoch
 * as a UTC time; other spellings as the database gave them. */
static const char *started_text(const char *v, char *buf, size_t n)
{
    if (!v)
        return "?";
    if (strspn(v, "0123456789") != strlen(v) || strlen(v) < 10)
        return v;
    long long ms = strtoll(v, NULL, 10);
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d.%03lld UTC", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
    return buf;
}

static void print_p3009(const migrate_ctx *x, const migrations_report *r)
{
    fprintf(stderr,
            "Error: P3009\n\nmigrate found failed migrations in the target database, new migrations will not be "
            "applied. Read more about how to resolve migration issues in a production database: "
            "https://pris.ly/d/migrate-resolve\n");
    for (size_t i = 0; i < r->failed.len; i++) {
        const history_row *h = failed_row(x, r->failed.items[i]);
        char when[64];
        fprintf(stderr, "The `%s` migration started at %s failed\n", (const char *)r->failed.items[i],
                started_text(h ? h->started_at : NULL, when, sizeof when));
    }
}

/* Applies the pending migrations in order; stops at the first failure. */
static int apply_pending(migrate_ctx *x, const migrations_report *r, psl_vec *applied)
{
    for (size_t i = 0; i < r->pending.len; i++) {
        const migration_file *m = NULL;
        for (size_t k = 0; k < x->dir.n && !m; k++)
            if (strcmp(x->dir.items[k].name, r->pending.items[i]) == 0)
                m = &x->dir.items[k];
        if (!m)
            continue; /* pending names come from the folder */
        printf("Applying migration `%s`\n", m->name);
        fflush(stdout);
        if (history_apply_one(x->S.D, &x->S.c, m, x->err) != 0) {
            fprintf(stderr,
                    "Error: P3018\n\nA migration failed to apply. New migrations cannot be applied before the error "
                    "is recovered from. Read more about how to resolve migration issues in a production database: "
                    "https://pris.ly/d/migrate-resolve\n\n%s\n",
                    x->err);
            return -1;
        }
        psl_vec_push_const(&x->S.arena, applied, m->name);
    }
    return 0;
}

static bool database_empty(migrate_ctx *x, int *failed)
{
    db_state st = { 0 };
    *failed = 0;
    if (x->S.D->describe(&x->S.c, &st) != 0) {
        fprintf(stderr, "Error: cannot read the database schema: %s\n", x->S.c.err);
        *failed = 1;
        return false;
    }
    return st.tables.len == 0 && st.enums.len == 0 && st.views.len == 0;
}

int migrations_deploy(const migrations_cmd_options *o)
{
    migrate_ctx x = { 0 };
    migrations_report r;
    psl_vec applied = { 0 };
    int rc = ctx_open(&x, "migrate deploy", o);
    if (rc != 0)
        goto done;
    rc = 1;
    print_found(&x);
    int there = history_exists(x.S.D, &x.S.c), failed = 0;
    if (there < 0) {
        fprintf(stderr, "Error: cannot read _prisma_migrations: %s\n", x.S.c.err);
        goto done;
    }
    if (!there && !database_empty(&x, &failed)) {
        if (!failed)
            fprintf(stderr, "Error: P3005\n\nThe database schema is not empty. Read more about how to baseline an "
                            "existing production database: https://pris.ly/d/migrate-baseline\n");
        goto done;
    }
    if (history_read(x.S.D, &x.S.c, &x.rows, &x.n_rows, x.err) != 0) {
        fprintf(stderr, "Error: %s\n", x.err);
        goto done;
    }
    migrations_status(&x.S.arena, &x.dir, x.rows, x.n_rows, &r);
    if (r.failed.len) {
        print_p3009(&x, &r);
        goto done;
    }
    warn_modified(&r);
    printf("\n");
    if (apply_pending(&x, &r, &applied) != 0)
        goto done;
    if (applied.len == 0) {
        printf("\nNo pending migrations to apply.\n");
    } else {
        printf("\nThe following migration(s) have been applied:\n\n");
        print_tree(&applied);
        printf("\nAll migrations have been successfully applied.\n");
    }
    rc = 0;
done:
    ctx_close(&x);
    return rc;
}

static void print_names(FILE *f, const psl_vec *v)
{
    for (size_t i = 0; i < v->len; i++)
        fprintf(f, "%s\n", (const char *)v->items[i]);
}

int migrations_status_cmd(const migrations_cmd_options *o)
{
    migrate_ctx x = { 0 };
    migrations_report r;
    int rc = ctx_open(&x, "migrate status", o);
    if (rc != 0)
        goto done;
    rc = 1;
    print_found(&x);
    /* Without the table the history is empty (Prisma's diagnose): local
     * migrations are then pending. */
    int there = history_exists(x.S.D, &x.S.c);
    if (there < 0) {
        fprintf(stderr, "Error: cannot read _prisma_migrations: %s\n", x.S.c.err);
        goto done;
    }
    if (there && history_read(x.S.D, &x.S.c, &x.rows, &x.n_rows, x.err) != 0) {
        fprintf(stderr, "Error: %s\n", x.err);
        goto done;
    }
    migrations_status(&x.S.arena, &x.dir, x.rows, x.n_rows, &r);
    warn_modified(&r);
    if (r.diverged) {
        fprintf(stderr, "Your local migration history and the migrations table from your database are different:\n\n"
                        "The last common migration is: %s\n\n",
                r.last_common ? r.last_common : "null");
        fprintf(stderr, "The migration%s have not yet been applied:\n", r.pending.len > 1 ? "s" : "");
        print_names(stderr, &r.pending);
        fprintf(stderr, "\nThe migration%s from the database are not found locally in %s:\n",
                r.missing_locally.len > 1 ? "s" : "", x.dir.path);
        print_names(stderr, &r.missing_locally);
        goto done;
    }
    if (r.pending.len) {
        printf("Following migration%s have not yet been applied:\n", r.pending.len > 1 ? "s" : "");
        print_names(stdout, &r.pending);
        printf("\nTo apply migrations in development run prismac migrate dev.\n"
               "To apply migrations in production run prismac migrate deploy.\n");
        goto done;
    }
    if (r.failed.len) {
        fprintf(stderr, "Following migration%s have failed:\n", r.failed.len > 1 ? "s" : "");
        print_names(stderr, &r.failed);
        const char *first = r.failed.items[0];
        fprintf(stderr,
                "\nDuring development if the failed migration(s) have not been deployed to a production database "
                "you can then fix the migration(s) and run prismac migrate dev.\n"
                "The failed migration(s) can be marked as rolled back or applied:\n\n"
                "- If you rolled back the migration(s) manually:\nprismac migrate resolve --rolled-back \"%s\"\n\n"
                "- If you fixed the database manually (hotfix):\nprismac migrate resolve --applied \"%s\"\n\n"
                "Read more about how to resolve migration issues in a production database:\n"
                "https://pris.ly/d/migrate-resolve\n",
                first, first);
        goto done;
    }
    if (!there) {
        fprintf(stderr, "The current database is not managed by Prisma Migrate.\n\nRead more about how to "
                        "baseline an existing production database:\nhttps://pris.ly/d/migrate-baseline\n");
        goto done;
    }
    printf("\nDatabase schema is up to date!\n");
    rc = 0;
done:
    ctx_close(&x);
    return rc;
}

int migrations_resolve(const migrations_cmd_options *o)
{
    migrate_ctx x = { 0 };
    const char *name = o->applied ? o->applied : o->rolled_back;
    if (!name || !*name || (o->applied && o->rolled_back)) {
        fprintf(stderr, o->applied && o->rolled_back
                            ? "Error: Pass either --applied or --rolled-back, not both.\n"
                            : "Error: --applied or --rolled-back must be part of the command like:\n"
                              "prismac migrate resolve --applied 20201231000000_example\n"
                              "prismac migrate resolve --rolled-back 20201231000000_example\n");
        return 1;
    }
    int rc = ctx_open(&x, "migrate resolve", o);
    if (rc != 0)
        goto done;
    rc = 1;
    if (history_read(x.S.D, &x.S.c, &x.rows, &x.n_rows, x.err) != 0) {
        fprintf(stderr, "Error: %s\n", x.err);
        goto done;
    }
    bool any = false, applied = false;
    const history_row *failed = failed_row(&x, name);
    for (size_t i = 0; i < x.n_rows; i++) {
        if (strcmp(x.rows[i].migration_name, name) != 0)
            continue;
        any = true;
        applied = applied || x.rows[i].state == HIST_APPLIED;
    }
    if (o->applied) {
        const migration_file *m = NULL;
        for (size_t k = 0; k < x.dir.n && !m; k++)
            if (strcmp(x.dir.items[k].name, name) == 0)
                m = &x.dir.items[k];
        if (!m) {
            fprintf(stderr,
                    "Error: P3017\n\nThe migration %s could not be found. Please make sure that the migration "
                    "exists, and that you included the whole name of the directory. (example: "
                    "\"20201207184859_initial_migration\")\n",
                    name);
            goto done;
        }
        if (applied) {
            fprintf(stderr, "Error: P3008\n\nThe migration `%s` is already recorded as applied in the database.\n",
                    name);
            goto done;
        }
        /* A failed attempt is closed (rolled back) before the applied row, as Prisma does. */
        if ((failed && history_mark_rolled_back(x.S.D, &x.S.c, name, x.err) != 0) ||
            history_mark_applied(x.S.D, &x.S.c, m, x.err) != 0) {
            fprintf(stderr, "Error: %s\n", x.err);
            goto done;
        }
        printf("\nMigration %s marked as applied.\n", name);
    } else {
        if (!any) {
            fprintf(stderr,
                    "Error: P3011\n\nMigration `%s` cannot be rolled back because it was never applied to the "
                    "database. Hint: did you pass in the whole migration name? (example: "
                    "\"20201207184859_initial_migration\")\n",
                    name);
            goto done;
        }
        if (!failed) {
            fprintf(stderr,
                    "Error: P3012\n\nMigration `%s` cannot be rolled back because it is not in a failed state.\n",
                    name);
            goto done;
        }
        if (history_mark_rolled_back(x.S.D, &x.S.c, name, x.err) != 0) {
            fprintf(stderr, "Error: %s\n", x.err);
            goto done;
        }
        printf("\nMigration %s marked as rolled back.\n", name);
    }
    rc = 0;
done:
    ctx_close(&x);
    return rc;
}

/* Drops what the database holds in its managed schemas (the dialect's
 * reset over a describe), then the history table. */
static int drop_everything(migrate_ctx *x)
{
    db_state have = { 0 };
    plan p = { 0 };
    pusher P = { .D = x->S.D, .c = &x->S.c, .have = &have, .p = &p, .a = &x->S.arena };
    plan_step reset = { 0 };
    const psl_vec *const stmts_of = &reset.sql;
    int rc = -1;
    if (x->S.D->describe(&x->S.c, &have) != 0) {
        fprintf(stderr, "Error: cannot read the database schema: %s\n", x->S.c.err);
        goto done;
    }
    x->S.D->reset(&P, &have, &reset);
    const psl_vec stmts = *stmts_of;
    if (P.sql.failed) {
        fprintf(stderr, "Error: out of memory\n");
        goto done;
    }
    for (size_t i = 0; i < stmts.len; i++) {
        if (mc_exec(&x->S.c, stmts.items[i]) != 0) {
            fprintf(stderr, "Error: cannot reset the database: %s\n", x->S.c.err);
            goto done;
        }
    }
    if (history_drop(x->S.D, &x->S.c, x->err) != 0) {
        fprintf(stderr, "Error: %s\n", x->err);
        goto done;
    }
    rc = 0;
done:
    psl_sql_free(&P.sql);
    return rc;
}

int migrations_reset(const migrations_cmd_options *o)
{
    migrate_ctx x = { 0 };
    migrations_report r;
    psl_vec applied = { 0 };
    int rc = ctx_open(&x, "migrate reset", o);
    if (rc != 0)
        goto done;
    rc = 1;
    printf("\n");
    if (!o->force) {
        if (!isatty(0) || !isatty(1)) {
            fprintf(stderr, "Error: Prisma Migrate has detected that the environment is non-interactive. It is "
                            "recommended to run this command in an interactive environment.\n\n"
                            "Use --force to run this command without user interaction.\n"
                            "See https://pris.ly/d/migrate-reset\n");
            goto done;
        }
        char answer[16] = "";
        printf("? Are you sure you want to reset your database? All data will be lost. (y/N) ");
        fflush(stdout);
        if (!fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'Y')) {
            printf("\nReset cancelled.\n");
            rc = 130;
            goto done;
        }
    }
    if (drop_everything(&x) != 0)
        goto done;
    migrations_status(&x.S.arena, &x.dir, NULL, 0, &r);
    if (apply_pending(&x, &r, &applied) != 0)
        goto done;
    if (applied.len == 0) {
        printf("Database reset successful\n\n");
    } else {
        printf("\nDatabase reset successful\n\nThe following migration(s) have been applied:\n\n");
        print_tree(&applied);
    }
    rc = 0;
done:
    ctx_close(&x);
    return rc;
}
