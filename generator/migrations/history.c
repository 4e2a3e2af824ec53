/* The history table _prisma_migrations and applying one migration
 * (migrations.h). Every database-specific spelling comes from the dialect's
 * history members. */
#include "migrations.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* A random (version 4) UUID, from /dev/urandom. */
static int new_uuid(char out[37], char *err)
{
    unsigned char b[16];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, b, sizeof b) : -1;
    if (fd >= 0)
        close(fd);
    if (got != (ssize_t)sizeof b) {
        snprintf(err, MIG_ERR_LEN, "cannot read /dev/urandom for a migration id");
        return -1;
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
             b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return 0;
}

/* "$3" / "?3"; MySQL's unnumbered "?" (each parameter is written once, in order) */
static void param(const migrate_dialect *D, psl_sql *q, int n)
{
    if (D->param_positional)
        psl_sql_puts(q, D->param_prefix);
    else
        psl_sql_printf(q, "%s%d", D->param_prefix, n);
}

static int db_fail(mconn *c, const char *what, char *err)
{
    snprintf(err, MIG_ERR_LEN, "%s: %s", what, c->err);
    return -1;
}

int history_exists(const migrate_dialect *D, mconn *c)
{
    psl_sql q = { 0 };
    D->history_exists(c, &q);
    long long n = q.failed ? -1 : mc_count(c, psl_sql_text(&q));
    psl_sql_free(&q);
    return n < 0 ? -1 : n > 0;
}

int history_ensure(const migrate_dialect *D, mconn *c, char *err)
{
    int there = history_exists(D, c);
    if (there < 0)
        return db_fail(c, "cannot read the migrations table", err);
    if (there)
        return 0;
    psl_sql q = { 0 };
    D->history_create(c, &q);
    int rc = q.failed ? -1 : mc_exec(c, psl_sql_text(&q));
    psl_sql_free(&q);
    return rc == 0 ? 0 : db_fail(c, "cannot create the migrations table _prisma_migrations", err);
}

int history_read(const migrate_dialect *D, mconn *c, history_row **rows, size_t *n, char *err)
{
    *rows = NULL;
    *n = 0;
    int there = history_exists(D, c);
    if (there <= 0)
        return there < 0 ? db_fail(c, "cannot read the migrations table", err) : 0;
    psl_sql q = { 0 };
    qres r;
    psl_sql_puts(&q, "SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, "
                     "applied_steps_count FROM ");
    D->history_table(c, &q);
    psl_sql_puts(&q, " ORDER BY started_at ASC, migration_name ASC");
    int rc = q.failed ? -1 : mc_query(c, psl_sql_text(&q), NULL, 0, &r);
    psl_sql_free(&q);
    if (rc != 0)
        return db_fail(c, "cannot read the migrations table", err);
    history_row *out = psl_arena_alloc(c->a, (r.rows + 1) * sizeof *out);
    for (size_t i = 0; i < r.rows; i++) {
        history_row *h = &out[i];
        h->id = cell(&r, i, 0);
        h->checksum = cell(&r, i, 1) ? cell(&r, i, 1) : "";
        h->finished_at = cell(&r, i, 2);
        h->migration_name = cell(&r, i, 3) ? cell(&r, i, 3) : "";
        h->logs = cell(&r, i, 4);
        h->rolled_back_at = cell(&r, i, 5);
        h->started_at = cell(&r, i, 6);
        h->applied_steps_count = cell(&r, i, 7) ? strtol(cell(&r, i, 7), NULL, 10) : 0;
        h->state = h->rolled_back_at ? HIST_ROLLED_BACK : h->finished_at ? HIST_APPLIED : HIST_FAILED;
    }
    *rows = out;
    *n = r.rows;
    return 0;
}

/* Past leading blanks and comments: where the statement's first word is. */
static const char *code_start(const char *s)
{
    for (;;) {
        while (isspace((unsigned char)*s))
            s++;
        if (s[0] == '-' && s[1] == '-') {
            s += strcspn(s, "\n");
        } else if (s[0] == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");
            s = e ? e + 2 : s + strlen(s);
        } else {
            return s;
        }
    }
}

/* BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK (not ROLLBACK TO): a
 * script managing its own transaction. */
static bool is_tx_control(const char *s)
{
    static const char *const verbs[] = { "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT" };
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        size_t n = strlen(verbs[i]);
        if (strncasecmp(s, verbs[i], n) != 0 || isalnum((unsigned char)s[n]) || s[n] == '_')
            continue;
        if (i == 4) { /* ROLLBACK TO SAVEPOINT stays inside the transaction */
            const char *t = s + n;
            while (isspace((unsigned char)*t))
                t++;
            if (strncasecmp(t, "TO", 2) == 0 && !isalnum((unsigned char)t[2]))
                return false;
        }
        return true;
    }
    return false;
}

typedef struct script_run {
    psl_vec stmts;          /* const char* */
    bool in_tx;             /* run in one transaction */
    const char *failed_stmt; /* the statement that failed, or NULL */
} script_run;

static void plan_script(const migrate_dialect *D, psl_arena *a, const char *sql, size_t len, script_run *r)
{
    memset(r, 0, sizeof *r);
    sql_split(a, sql, len, &r->stmts);
    r->in_tx = (D->caps & MIG_CAP_TRANSACTIONAL_DDL) != 0;
    for (size_t i = 0; i < r->stmts.len; i++) {
        const char *s = code_start(r->stmts.items[i]);
        if (is_tx_control(s) || (D->no_tx_statement && D->no_tx_statement(s)))
            r->in_tx = false;
    }
}

/* Runs the statements (in a transaction when r->in_tx). `finish`, when not
 * NULL, runs before COMMIT (the history row's update). On failure the
 * transaction is rolled back and c->err holds the database's words. */
static int run_script(const migrate_dialect *D, mconn *c, script_run *r, const char *finish,
                      const char *const *fparams, int nf)
{
    const char *restore = NULL;
    bool open_tx = false;
    int rc = -1;
    if (r->in_tx && D->hoist_before_tx) {
        for (size_t i = 0; i < r->stmts.len; i++) {
            const char *undo = D->hoist_before_tx(code_start(r->stmts.items[i]));
            if (undo && !restore) {
                if (mc_exec(c, r->stmts.items[i]) != 0) {
                    r->failed_stmt = r->stmts.items[i];
                    return -1;
                }
                restore = undo;
            }
        }
    }
    if (r->in_tx) {
        if (mc_tx(c, TX_BEGIN) != 0)
            goto done;
        open_tx = true;
    }
    for (size_t i = 0; i < r->stmts.len; i++) {
        if (mc_exec(c, r->stmts.items[i]) != 0) {
            r->failed_stmt = r->stmts.items[i];
            goto done;
        }
    }
    if (restore && D->foreign_key_check) {
        qres fk;
        if (mc_query(c, D->foreign_key_check, NULL, 0, &fk) != 0)
            goto done;
        if (fk.rows) {
            snprintf(c->err, sizeof c->err, "FOREIGN KEY constraint failed (%s returned %zu row%s: table %s)",
                     D->foreign_key_check, fk.rows, fk.rows == 1 ? "" : "s",
                     cell(&fk, 0, 0) ? cell(&fk, 0, 0) : "?");
            goto done;
        }
    }
    if (finish) {
        qres ignored;
        if (mc_query(c, finish, fparams, nf, &ignored) != 0)
            goto done;
    }
    if (open_tx) {
        if (mc_tx(c, TX_COMMIT) != 0)
            goto done;
        open_tx = false;
    }
    rc = 0;
done:
    if (open_tx) {
        char keep[sizeof c->err];
        memcpy(keep, c->err, sizeof keep);
        mc_tx(c, TX_ROLLBACK);
        memcpy(c->err, keep, sizeof keep);
    }
    if (restore) {
        char keep[sizeof c->err];
        memcpy(keep, c->err, sizeof keep);
        mc_exec(c, restore);
        memcpy(c->err, keep, sizeof keep);
    }
    return rc;
}

/* Prisma's P3018 text, with the failing statement. */
static void failure_text(const char *name, const mconn *c, const char *stmt, char *out, size_t n)
{
    snprintf(out, n,
             "Migration name: %s\n\nDatabase error:\n%s%s%.*s%s",
             name, c->err, stmt ? "\n\nFailing statement:\n" : "", stmt ? 1500 : 0, stmt ? stmt : "",
             stmt && strlen(stmt) > 1500 ? "\n..." : "");
}

int history_apply_one(const migrate_dialect *D, mconn *c, const migration_file *m, char *err)
{
    char id[37];
    script_run r;
    psl_sql ins = { 0 }, fin = { 0 }, fail = { 0 };
    int rc = -1;
    err[0] = '\0';
    if (history_ensure(D, c, err) != 0 || new_uuid(id, err) != 0)
        return -1;
    plan_script(D, c->a, m->sql ? m->sql : "", m->sql ? m->sql_len : 0, &r);
    /* The started row is committed first: whatever happens next, the
     * history shows the migration was attempted. */
    psl_sql_puts(&ins, "INSERT INTO ");
    D->history_table(c, &ins);
    psl_sql_puts(&ins, " (id, checksum, started_at, migration_name, applied_steps_count) VALUES (");
    param(D, &ins, 1);
    psl_sql_puts(&ins, ", ");
    param(D, &ins, 2);
    psl_sql_printf(&ins, ", %s, ", D->history_now);
    param(D, &ins, 3);
    psl_sql_puts(&ins, ", 0)");
    psl_sql_puts(&fin, "UPDATE ");
    D->history_table(c, &fin);
    psl_sql_printf(&fin, " SET finished_at = %s, applied_steps_count = 1 WHERE id = ", D->history_now);
    param(D, &fin, 1);
    psl_sql_puts(&fail, "UPDATE ");
    D->history_table(c, &fail);
    psl_sql_puts(&fail, " SET logs = ");
    param(D, &fail, 1);
    psl_sql_puts(&fail, " WHERE id = ");
    param(D, &fail, 2);
    if (ins.failed || fin.failed || fail.failed) {
        snprintf(err, MIG_ERR_LEN, "out of memory");
        goto done;
    }
    const char *ip[3] = { id, m->checksum, m->name };
    qres ignored;
    if (mc_query(c, psl_sql_text(&ins), ip, 3, &ignored) != 0) {
        db_fail(c, "cannot record the migration in _prisma_migrations", err);
        goto done;
    }
    const char *fp[1] = { id };
    if (run_script(D, c, &r, psl_sql_text(&fin), fp, 1) == 0) {
        rc = 0;
        goto done;
    }
    failure_text(m->name, c, r.failed_stmt, err, MIG_ERR_LEN);
    /* After the rollback: the row records the failure (finished_at NULL). */
    const char *lp[2] = { err, id };
    char keep[sizeof c->err];
    memcpy(keep, c->err, sizeof keep);
    if (mc_query(c, psl_sql_text(&fail), lp, 2, &ignored) != 0)
        fprintf(stderr, "Warning: cannot record the failure of %s in _prisma_migrations: %s\n", m->name, c->err);
    memcpy(c->err, keep, sizeof keep);
done:
    psl_sql_free(&ins);
    psl_sql_free(&fin);
    psl_sql_free(&fail);
    return rc;
}

int history_mark_applied(const migrate_dialect *D, mconn *c, const migration_file *m, char *err)
{
    char id[37];
    psl_sql q = { 0 };
    if (history_ensure(D, c, err) != 0 || new_uuid(id, err) != 0)
        return -1;
    psl_sql_puts(&q, "INSERT INTO ");
    D->history_table(c, &q);
    psl_sql_puts(&q, " (id, checksum, started_at, finished_at, migration_name, applied_steps_count) VALUES (");
    param(D, &q, 1);
    psl_sql_puts(&q, ", ");
    param(D, &q, 2);
    psl_sql_printf(&q, ", %s, %s, ", D->history_now, D->history_now);
    param(D, &q, 3);
    psl_sql_puts(&q, ", 0)");
    const char *p[3] = { id, m->checksum, m->name };
    qres ignored;
    int rc = q.failed ? -1 : mc_query(c, psl_sql_text(&q), p, 3, &ignored);
    psl_sql_free(&q);
    return rc == 0 ? 0 : db_fail(c, "cannot record the migration in _prisma_migrations", err);
}

int history_mark_rolled_back(const migrate_dialect *D, mconn *c, const char *name, char *err)
{
    psl_sql q = { 0 };
    psl_sql_puts(&q, "UPDATE ");
    D->history_table(c, &q);
    psl_sql_printf(&q, " SET rolled_back_at = %s WHERE migration_name = ", D->history_now);
    param(D, &q, 1);
    psl_sql_puts(&q, " AND finished_at IS NULL AND rolled_back_at IS NULL");
    const char *p[1] = { name };
    qres ignored;
    int rc = q.failed ? -1 : mc_query(c, psl_sql_text(&q), p, 1, &ignored);
    psl_sql_free(&q);
    return rc == 0 ? 0 : db_fail(c, "cannot update _prisma_migrations", err);
}

int history_drop(const migrate_dialect *D, mconn *c, char *err)
{
    psl_sql q = { 0 };
    psl_sql_puts(&q, "DROP TABLE IF EXISTS ");
    D->history_table(c, &q);
    int rc = q.failed ? -1 : mc_exec(c, psl_sql_text(&q));
    psl_sql_free(&q);
    return rc == 0 ? 0 : db_fail(c, "cannot drop _prisma_migrations", err);
}
