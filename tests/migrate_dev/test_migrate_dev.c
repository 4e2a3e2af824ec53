/* migrate dev (generator/migrations/dev.c), the shadow database and drift,
 * and migrate diff --from-migrations, on SQLite and PostgreSQL (a throwaway
 * server: tests/support/pgserver.h; PRISMAC_SKIP_POSTGRES=1 skips it).
 *
 * Each case runs prismac_migrate_dev in the test's process in a temporary
 * project folder, stdout and stderr captured to files, stdin from a file
 * (the answers of an interactive run, when the case is one). After every
 * run the shadow database must be gone: no prisma_migrate_shadow_db_%
 * database on the server, no prismac-shadow-* file in TMPDIR.
 *
 * Arguments: the walk folder (tests/migrate/walk), walked with migrate dev. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "dev.h"
#include "migrate_diff.h"
#include "migrations.h"
#include "pgserver.h"
#include "plan.h"
#include "push.h"
#include "session.h"

static const char *walk_dir;
static const char *pg_base_url;
static char pg_error[2048];

/* ---- a project folder, per backend ---- */

typedef struct project {
    const char *backend; /* "sqlite", "postgresql" */
    const migrate_dialect *D;
    char dir[256];    /* the project: schema.prisma, migrations/ */
    char tmpdir[300]; /* TMPDIR of the runs: where a SQLite shadow file would be */
    char url[1024];
    char out[8192], err[8192]; /* the last run's stdout and stderr */
} project;

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void write_text(const char *path, const char *text, const char *mode)
{
    FILE *f = fopen(path, mode);
    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
    fputs(text, f);
    fclose(f);
}

/* A server database of its own for the case (dropped first when it exists). */
static void pg_database_url(const char *name, char *url, size_t n)
{
    ck_assert_msg(pg_base_url != NULL, "PostgreSQL is not available: %s", pg_error);
    pgserver_database_url(pg_base_url, name, url, n);
    mig_session S = { 0 };
    ck_assert(session_open_url(&S, "test", &migrate_postgres, pg_base_url) == 0);
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\"", name);
    ck_assert_msg(mc_exec(&S.c, sql) == 0, "%s", S.c.err);
    snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", name);
    ck_assert_msg(mc_exec(&S.c, sql) == 0, "%s", S.c.err);
    session_close(&S);
}

static void project_init(project *p, const char *backend, const char *name)
{
    memset(p, 0, sizeof *p);
    p->backend = backend;
    bool lite = strcmp(backend, "sqlite") == 0;
    p->D = lite ? &migrate_sqlite : &migrate_postgres;
    snprintf(p->dir, sizeof p->dir, "/tmp/prismac-dev-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(p->dir));
    snprintf(p->tmpdir, sizeof p->tmpdir, "%s/tmp", p->dir);
    ck_assert_int_eq(mkdir(p->tmpdir, 0700), 0);
    setenv("TMPDIR", p->tmpdir, 1);
    if (lite)
        snprintf(p->url, sizeof p->url, "file:%s/dev.db", p->dir);
    else
        pg_database_url(name, p->url, sizeof p->url);
    setenv("PRISMAC_DEV_URL", p->url, 1);
}

static void project_free(project *p)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", p->dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* schema.prisma: the datasource for the backend, then `models`. `extra`:
 * more datasource lines (shadowDatabaseUrl), or "". */
static void set_schema(project *p, const char *models, const char *extra)
{
    char path[512], *text = malloc(strlen(models) + strlen(extra) + 512);
    ck_assert_ptr_nonnull(text);
    sprintf(text,
            "datasource db {\n  provider = \"%s\"\n  url      = env(\"PRISMAC_DEV_URL\")\n%s}\n\n%s", p->backend,
            extra, models);
    snprintf(path, sizeof path, "%s/schema.prisma", p->dir);
    write_text(path, text, "wb");
    free(text);
}

/* How many temporary shadow databases (or files) are left. */
static long long shadows_left(project *p)
{
    if (p->D == &migrate_sqlite) {
        DIR *d = opendir(p->tmpdir);
        ck_assert_ptr_nonnull(d);
        long long n = 0;
        struct dirent *e;
        while ((e = readdir(d)))
            n += strncmp(e->d_name, "prismac-shadow-", 15) == 0;
        closedir(d);
        return n;
    }
    mig_session S = { 0 };
    ck_assert(session_open_url(&S, "test", &migrate_postgres, pg_base_url) == 0);
    long long n = mc_count(&S.c, "SELECT count(*) FROM pg_database WHERE datname LIKE 'prisma\\_migrate\\_shadow\\_db\\_%'");
    session_close(&S);
    return n;
}

/* stdout, stderr and stdin of a run in the project folder. */
typedef struct capture {
    int so, se, si, fo, fe, fi;
    char cwd[4096], out[512], err[512];
} capture;

static void capture_begin(project *p, capture *c, const char *answers)
{
    char in[512];
    snprintf(c->out, sizeof c->out, "%s/.out", p->dir);
    snprintf(c->err, sizeof c->err, "%s/.err", p->dir);
    snprintf(in, sizeof in, "%s/.in", p->dir);
    write_text(in, answers ? answers : "", "wb");
    ck_assert_ptr_nonnull(getcwd(c->cwd, sizeof c->cwd));
    ck_assert_int_eq(chdir(p->dir), 0);
    fflush(stdout);
    fflush(stderr);
    c->so = dup(1), c->se = dup(2), c->si = dup(0);
    c->fo = open(c->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    c->fe = open(c->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    c->fi = open(in, O_RDONLY);
    ck_assert(c->fo >= 0 && c->fe >= 0 && c->fi >= 0);
    dup2(c->fo, 1);
    dup2(c->fe, 2);
    dup2(c->fi, 0);
    clearerr(stdin);
}

static void capture_end(project *p, capture *c)
{
    fflush(stdout);
    fflush(stderr);
    dup2(c->so, 1);
    dup2(c->se, 2);
    dup2(c->si, 0);
    close(c->so), close(c->se), close(c->si), close(c->fo), close(c->fe), close(c->fi);
    clearerr(stdin);
    ck_assert_int_eq(chdir(c->cwd), 0);
    char *t = read_text(c->out);
    snprintf(p->out, sizeof p->out, "%s", t ? t : "");
    free(t);
    t = read_text(c->err);
    snprintf(p->err, sizeof p->err, "%s", t ? t : "");
    free(t);
}

/* Runs migrate dev in the project with stdout/stderr captured and `answers`
 * on stdin (NULL: a non-interactive run). Returns its exit status; the
 * shadow database is checked gone. */
static int dev(project *p, const char *name, bool create_only, const char *answers)
{
    char schema[512];
    snprintf(schema, sizeof schema, "%s/schema.prisma", p->dir);
    capture c;
    capture_begin(p, &c, answers);
    prismac_dev_options o = { .schema_path = schema, .name = name, .create_only = create_only,
                              .interactive = answers != NULL };
    int rc = prismac_migrate_dev(&o);
    capture_end(p, &c);
    ck_assert_msg(shadows_left(p) == 0, "%s: the shadow database is left after migrate dev", p->backend);
    return rc;
}

/* migrate status (helper B's command): 0 when the database is up to date. */
static int status(project *p)
{
    char schema[512];
    snprintf(schema, sizeof schema, "%s/schema.prisma", p->dir);
    capture c;
    capture_begin(p, &c, NULL);
    migrations_cmd_options o = { .schema_path = schema };
    int rc = migrations_status_cmd(&o);
    capture_end(p, &c);
    return rc;
}

#define ASSERT_HAS(p, where, text)                                                                           \
    ck_assert_msg(strstr((p)->where, text) != NULL, "%s: expected \"%s\" in the %s:\n%s\n(stderr:\n%s)",        \
                  (p)->backend, text, #where, (p)->where, (p)->err)

/* The migration folders, sorted; returns how many. */
static int migrations(project *p, char names[][128], int max)
{
    char path[512];
    snprintf(path, sizeof path, "%s/migrations", p->dir);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max)
        if (e->d_name[0] != '.' && strcmp(e->d_name, "migration_lock.toml") != 0)
            snprintf(names[n++], 128, "%.127s", e->d_name);
    closedir(d);
    qsort(names, (size_t)n, 128, (int (*)(const void *, const void *))strcmp);
    return n;
}

static char *migration_sql(project *p, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/migrations/%s/migration.sql", p->dir, name);
    char *s = read_text(path);
    ck_assert_msg(s != NULL, "%s: %s", path, strerror(errno));
    return s;
}

static long long count(project *p, const char *sql)
{
    mig_session S = { 0 };
    ck_assert(session_open_url(&S, "test", p->D, p->url) == 0);
    long long n = mc_count(&S.c, sql);
    session_close(&S);
    return n;
}

static void exec_sql(project *p, const char *sql)
{
    mig_session S = { 0 };
    ck_assert(session_open_url(&S, "test", p->D, p->url) == 0);
    ck_assert_msg(mc_exec(&S.c, sql) == 0, "%s: %s", sql, S.c.err);
    session_close(&S);
}

/* What the planner renders from the database as it is now to the schema
 * (the shadow holds the same once the migrations are applied). */
static char *planned(project *p)
{
    mig_session S = { 0 };
    char schema[512];
    snprintf(schema, sizeof schema, "%s/schema.prisma", p->dir);
    ck_assert(session_load(&S, "test", schema) == 0);
    ck_assert(session_open(&S, NULL) == 0);
    db_state st = { 0 };
    ck_assert(p->D->describe(&S.c, &st) == 0);
    psl_ddl *want = NULL;
    ck_assert(psl_ddl_build(S.schema, p->D->provider, &want) == 0);
    plan pl = { 0 };
    plan_options po = { .pure_checks = true, .default_schema = S.c.schema };
    ck_assert(migrate_plan(p->D, NULL, &st, want, &po, &S.arena, &pl) == 0);
    char *text = NULL;
    ck_assert(plan_render_script(&pl, &text) == 0);
    psl_ddl_free(want);
    session_close(&S);
    return text;
}

static const char *const V1 = "model User {\n  id    Int     @id @default(autoincrement())\n"
                              "  email String  @unique\n  name  String?\n}\n";
static const char *const V2 = "model User {\n  id    Int     @id @default(autoincrement())\n"
                              "  email String  @unique\n  name  String?\n  posts Post[]\n}\n\n"
                              "model Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n"
                              "  authorId Int\n  author   User   @relation(fields: [authorId], references: [id])\n}\n";
static const char *const V3 = "model User {\n  id    Int     @id @default(autoincrement())\n"
                              "  email String  @unique\n  name  String?\n  age   Int     @default(0)\n"
                              "  posts Post[]\n}\n\n"
                              "model Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n"
                              "  authorId Int\n  author   User   @relation(fields: [authorId], references: [id])\n}\n";

/* ---- the cases ---- */

/* First migration, a second one (its SQL is the planner's), already in
 * sync, --create-only then applied by the next run, data kept. */
static void lifecycle(const char *backend)
{
    project p;
    project_init(&p, backend, "dev_lifecycle");
    char names[16][128];
    set_schema(&p, V1, "");
    char *want = planned(&p);
    ck_assert_int_eq(dev(&p, "init", false, NULL), 0);
    ASSERT_HAS(&p, out, "The following migration(s) have been created and applied from new schema changes:");
    ASSERT_HAS(&p, out, "Your database is now in sync with your schema.");
    ck_assert_int_eq(migrations(&p, names, 16), 1);
    ck_assert_msg(strlen(names[0]) == 19 && strcmp(names[0] + 14, "_init") == 0, "folder %s", names[0]);
    char *sql = migration_sql(&p, names[0]);
    ck_assert_msg(strcmp(sql, want) == 0, "%s: migration.sql:\n%s\nplanner:\n%s", backend, sql, want);
    ck_assert_ptr_nonnull(strstr(sql, "-- CreateTable"));
    free(sql);
    free(want);
    char lock[512];
    snprintf(lock, sizeof lock, "%s/migrations/migration_lock.toml", p.dir);
    char *lt = read_text(lock);
    ck_assert_msg(lt && strstr(lt, p.D->lock_provider), "lock file: %s", lt ? lt : "(none)");
    free(lt);
    ck_assert_int_eq(count(&p, "SELECT count(*) FROM \"_prisma_migrations\" WHERE finished_at IS NOT NULL"), 1);
    exec_sql(&p, "INSERT INTO \"User\" (\"email\", \"name\") VALUES ('ada@example.com', 'Ada')");

    /* Already in sync. */
    ck_assert_int_eq(dev(&p, NULL, false, NULL), 0);
    ASSERT_HAS(&p, out, "Already in sync, no schema change or pending migration was found.");
    ck_assert_int_eq(migrations(&p, names, 16), 1);

    /* A second migration: what the planner renders from the database. */
    set_schema(&p, V2, "");
    want = planned(&p);
    ck_assert_int_eq(dev(&p, "Add posts", false, NULL), 0);
    ck_assert_int_eq(migrations(&p, names, 16), 2);
    ck_assert_msg(strcmp(names[1] + 14, "_add_posts") == 0, "folder %s", names[1]);
    sql = migration_sql(&p, names[1]);
    ck_assert_msg(strcmp(sql, want) == 0, "%s: migration.sql:\n%s\nplanner:\n%s", backend, sql, want);
    ck_assert_ptr_nonnull(strstr(sql, "\"Post\""));
    ck_assert_ptr_null(strstr(sql, "CREATE TABLE \"User\""));
    free(sql);
    free(want);
    ck_assert_int_eq(count(&p, "SELECT count(*) FROM \"User\" WHERE \"email\" = 'ada@example.com' AND \"name\" = 'Ada'"),
                     1);

    /* --create-only writes, applies nothing; the next run applies it. */
    set_schema(&p, V3, "");
    ck_assert_int_eq(dev(&p, "age", true, NULL), 0);
    ASSERT_HAS(&p, out, "Prisma Migrate created the following migration without applying it");
    ck_assert_int_eq(migrations(&p, names, 16), 3);
    ck_assert_int_eq(count(&p, "SELECT count(*) FROM \"_prisma_migrations\""), 2);
    sql = migration_sql(&p, names[2]);
    ck_assert_ptr_nonnull(strstr(sql, "\"age\""));
    free(sql);
    ck_assert_int_eq(dev(&p, NULL, false, NULL), 0);
    ASSERT_HAS(&p, out, "The following migration(s) have been applied:");
    ASSERT_HAS(&p, out, names[2]);
    ck_assert_int_eq(migrations(&p, names, 16), 3);
    ck_assert_int_eq(count(&p, "SELECT count(*) FROM \"_prisma_migrations\" WHERE finished_at IS NOT NULL"), 3);
    ck_assert_int_eq(count(&p, "SELECT count(*) FROM \"User\" WHERE \"age\" = 0 AND \"name\" = 'Ada'"), 1);

    /* --create-only with no change: an empty migration, as Prisma. */
    ck_assert_int_eq(dev(&p, "empty", true, NULL), 0);
    ck_assert_int_eq(migrations(&p, names, 16), 4);
    sql = migration_sql(&p, names[3]);
    ck_assert_str_eq(sql, "-- This is an empty migration.");
    free(sql);
    project_free(&p);
}

/* A column added by hand: drift is reported, nothing is applied, and the
 * run stops as Prisma 7's (exit 130, no reset). Then a modified migration. */
static void drift(const char *backend)
{
    project p;
    project_init(&p, backend, "dev_drift");
    char names[16][128];
    set_schema(&p, V1, "");
    ck_assert_int_eq(dev(&p, "init", false, NULL), 0);
    exec_sql(&p, "ALTER TABLE \"User\" ADD COLUMN \"hack\" TEXT");
    exec_sql(&p, "CREATE TABLE \"Extra\" (\"id\" INTEGER PRIMARY KEY)");
    set_schema(&p, V2, "");
    ck_assert_int_eq(dev(&p, "posts", false, NULL), 130);
    ASSERT_HAS(&p, out, "Drift detected: Your database schema is not in sync with your migration history.");
    ASSERT_HAS(&p, out, "[+] Added tables\n  - Extra\n");
    ASSERT_HAS(&p, out, "[*] Changed the `User` table\n  [+] Added column `hack`\n");
    ASSERT_HAS(&p, out, "We need to reset the ");
    ck_assert_int_eq(migrations(&p, names, 16), 1);
    ck_assert_int_eq(count(&p, "SELECT count(*) FROM \"_prisma_migrations\""), 1);
    ck_assert_int_eq(count(&p, "SELECT count(*) FROM \"User\""), 0); /* the table is still there, not reset */

    /* Undo the drift: migrate dev goes on. Then edit an applied migration. */
    exec_sql(&p, "DROP TABLE \"Extra\"");
    exec_sql(&p, "ALTER TABLE \"User\" DROP COLUMN \"hack\"");
    set_schema(&p, V1, "");
    ck_assert_int_eq(dev(&p, NULL, false, NULL), 0);
    ASSERT_HAS(&p, out, "Already in sync");
    char path[512];
    snprintf(path, sizeof path, "%s/migrations/%s/migration.sql", p.dir, names[0]);
    write_text(path, "\n-- edited\n", "ab");
    ck_assert_int_eq(dev(&p, NULL, false, NULL), 130);
    char expect[256];
    snprintf(expect, sizeof expect, "The migration `%s` was modified after it was applied.", names[0]);
    ASSERT_HAS(&p, out, expect);

    /* A migration missing locally. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/migrations/%s'", p.dir, names[0]);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_int_eq(dev(&p, NULL, false, NULL), 130);
    ASSERT_HAS(&p, out, "are applied to the database but missing from the local migrations directory");
    project_free(&p);
}

/* A migration that fails on the shadow database: P3006, nothing applied. */
static void broken_migration(const char *backend)
{
    project p;
    project_init(&p, backend, "dev_broken");
    set_schema(&p, V1, "");
    char path[512];
    snprintf(path, sizeof path, "%s/migrations/20240101000000_bad", p.dir);
    ck_assert_int_eq(mkdir(path, 0700) == 0 || errno == ENOENT, 1);
    snprintf(path, sizeof path, "%s/migrations", p.dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/migrations/20240101000000_bad", p.dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/migrations/20240101000000_bad/migration.sql", p.dir);
    write_text(path, "CREATE TABLE \"A\" (\"id\" INTEGER PRIMARY KEY);\nCREATE TABLE \"A\" (\"id\" INTEGER);\n", "wb");
    ck_assert_int_eq(dev(&p, "next", false, NULL), 1);
    ASSERT_HAS(&p, err, "P3006");
    ASSERT_HAS(&p, err, "Migration `20240101000000_bad` failed to apply cleanly to the shadow database.");
    ck_assert_int_eq(count(&p, "SELECT count(*) FROM \"User\"") < 0, 1); /* nothing was applied */
    project_free(&p);
}

/* A data-loss warning: refused when not interactive, applied after a yes. */
static void data_loss(const char *backend)
{
    project p;
    project_init(&p, backend, "dev_loss");
    set_schema(&p, V3, "");
    ck_assert_int_eq(dev(&p, "init", false, NULL), 0);
    exec_sql(&p, "INSERT INTO \"User\" (\"email\", \"age\") VALUES ('a@example.com', 7)");
    set_schema(&p, V2, ""); /* drops `age` */
    ck_assert_int_eq(dev(&p, "drop age", false, NULL), 1);
    ASSERT_HAS(&p, out, "Warnings for the current datasource:");
    ASSERT_HAS(&p, out, "`age`");
    ASSERT_HAS(&p, err, "non-interactive");
    char names[16][128];
    ck_assert_int_eq(migrations(&p, names, 16), 1);
    ck_assert_int_eq(dev(&p, "drop age", false, "y\n"), 0);
    ck_assert_int_eq(migrations(&p, names, 16), 2);
    ck_assert_int_eq(count(&p, "SELECT count(*) FROM \"User\" WHERE \"email\" = 'a@example.com'"), 1);
    project_free(&p);
}

/* migrate diff --from-migrations: the folder replayed on a shadow database
 * agrees with the schema it was made from, and differs from another. */
static void diff_from_migrations(const char *backend)
{
    project p;
    project_init(&p, backend, "dev_diff");
    set_schema(&p, V2, "");
    ck_assert_int_eq(dev(&p, "init", false, NULL), 0);
    char shadow[1024] = "", schema[512], folder[512], v3[512];
    if (p.D != &migrate_sqlite)
        pg_database_url("dev_diff_shadow", shadow, sizeof shadow);
    snprintf(schema, sizeof schema, "%s/schema.prisma", p.dir);
    snprintf(folder, sizeof folder, "%s/migrations", p.dir);
    prismac_diff_options d = { .from = { PRISMAC_DIFF_MIGRATIONS, folder }, .to = { PRISMAC_DIFF_SCHEMA, schema },
                               .exit_code = true, .output = "/dev/null", .shadow_url = shadow[0] ? shadow : NULL };
    ck_assert_int_eq(prismac_migrate_diff(&d), 0);
    set_schema(&p, V3, "");
    snprintf(v3, sizeof v3, "%s/v3.sql", p.dir);
    d.script = true;
    d.output = v3;
    ck_assert_int_eq(prismac_migrate_diff(&d), 2);
    char *sql = read_text(v3);
    ck_assert_msg(sql && strstr(sql, "\"age\""), "%s", sql ? sql : "(none)");
    free(sql);
    /* --to-migrations: the folder as the target (the tables it makes, in
     * the order the database lists them). */
    set_schema(&p, V2, "");
    char to_mig[512];
    snprintf(to_mig, sizeof to_mig, "%s/to_mig.sql", p.dir);
    prismac_diff_options e = { .from = { PRISMAC_DIFF_EMPTY, NULL }, .to = { PRISMAC_DIFF_MIGRATIONS, folder },
                               .schema_path = schema, .script = true, .exit_code = true, .output = to_mig,
                               .shadow_url = shadow[0] ? shadow : NULL };
    ck_assert_int_eq(prismac_migrate_diff(&e), 2);
    char *a = read_text(to_mig);
    ck_assert_msg(a && strstr(a, "CREATE TABLE \"User\"") && strstr(a, "CREATE TABLE \"Post\"") &&
                      strstr(a, "CREATE UNIQUE INDEX \"User_email_key\""),
                  "%s: --to-migrations:\n%s", backend, a ? a : "(none)");
    free(a);
    prismac_diff_options same = { .from = { PRISMAC_DIFF_MIGRATIONS, folder },
                                  .to = { PRISMAC_DIFF_MIGRATIONS, folder }, .schema_path = schema,
                                  .exit_code = true, .output = "/dev/null", .shadow_url = shadow[0] ? shadow : NULL };
    ck_assert_int_eq(prismac_migrate_diff(&same), 0);
    ck_assert_int_eq(shadows_left(&p), 0);
    if (p.D != &migrate_sqlite) {
        /* PostgreSQL needs a shadow url, as Prisma. */
        d.shadow_url = NULL;
        ck_assert_int_eq(prismac_migrate_diff(&d), 1);
    }
    project_free(&p);
}

/* The configured shadowDatabaseUrl: used and emptied, not dropped; the
 * main database itself is refused. */
static void configured_shadow(void)
{
    project p;
    project_init(&p, "postgresql", "dev_cfg");
    char shadow[1024], extra[1400];
    pg_database_url("dev_cfg_shadow", shadow, sizeof shadow);
    /* Left-overs in the shadow are dropped before the migrations replay. */
    mig_session S = { 0 };
    ck_assert(session_open_url(&S, "test", &migrate_postgres, shadow) == 0);
    ck_assert(mc_exec(&S.c, "CREATE TABLE \"User\" (\"junk\" TEXT)") == 0);
    session_close(&S);
    snprintf(extra, sizeof extra, "  shadowDatabaseUrl = \"%s\"\n", shadow);
    set_schema(&p, V1, extra);
    ck_assert_int_eq(dev(&p, "init", false, NULL), 0);
    ck_assert_int_eq(dev(&p, NULL, false, NULL), 0);
    ASSERT_HAS(&p, out, "Already in sync");
    ck_assert(session_open_url(&S, "test", &migrate_postgres, shadow) == 0); /* still there */
    session_close(&S);
    snprintf(extra, sizeof extra, "  shadowDatabaseUrl = env(\"PRISMAC_DEV_URL\")\n");
    set_schema(&p, V1, extra);
    ck_assert_int_eq(dev(&p, NULL, false, NULL), 1);
    ASSERT_HAS(&p, err, "appears to be the same as the main database");
    project_free(&p);
}


/* ---- the migrate walk (tests/migrate/walk), taken with migrate dev ---- */

/* One column's values, sorted, as text. */
typedef struct col_snap {
    char *table, *col, *type, *values;
    bool not_null;
} col_snap;

typedef struct snapshot {
    col_snap cols[256];
    int n;
} snapshot;

static void snap_free(snapshot *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->cols[i].table);
        free(s->cols[i].col);
        free(s->cols[i].type);
        free(s->cols[i].values);
    }
    s->n = 0;
}

static void take_snapshot(project *p, snapshot *out)
{
    mig_session S = { 0 };
    ck_assert(session_open_url(&S, "test", p->D, p->url) == 0);
    db_state st = { 0 };
    ck_assert_msg(p->D->describe(&S.c, &st) == 0, "describe: %s", S.c.err);
    out->n = 0;
    for (size_t t = 0; t < st.tables.len; t++) {
        const db_table *h = st.tables.items[t];
        for (size_t k = 0; k < h->cols.len && out->n < 256; k++) {
            const db_col *col = h->cols.items[k];
            psl_sql q = { 0 };
            psl_sql_puts(&q, "SELECT CAST(");
            psl_sql_ident(&q, col->name);
            psl_sql_puts(&q, " AS TEXT) FROM ");
            psl_sql_ident(&q, h->name);
            psl_sql_puts(&q, " ORDER BY 1");
            qres r;
            ck_assert_msg(mc_query(&S.c, psl_sql_text(&q), NULL, 0, &r) == 0, "%s: %s", psl_sql_text(&q), S.c.err);
            psl_sql v = { 0 };
            psl_sql_puts(&v, "");
            for (size_t i = 0; i < r.rows; i++)
                psl_sql_printf(&v, "%s|", cell(&r, i, 0) ? cell(&r, i, 0) : "NULL");
            col_snap *cs = &out->cols[out->n++];
            cs->table = strdup(h->name);
            cs->col = strdup(col->name);
            cs->type = strdup(col->enum_name ? col->enum_name : col->type);
            cs->not_null = col->not_null;
            cs->values = strdup(psl_sql_text(&v));
            psl_sql_free(&q);
            psl_sql_free(&v);
        }
    }
    session_close(&S);
}

/* Columns there before and after, unchanged in type and nullability, keep
 * their values. Returns how many were compared. */
static int compare(const snapshot *before, const snapshot *after, const char *step, const char *backend)
{
    int compared = 0;
    for (int i = 0; i < before->n; i++) {
        const col_snap *b = &before->cols[i];
        for (int k = 0; k < after->n; k++) {
            const col_snap *a = &after->cols[k];
            if (strcmp(a->table, b->table) != 0 || strcmp(a->col, b->col) != 0 || strcmp(a->type, b->type) != 0 ||
                a->not_null != b->not_null)
                continue;
            ck_assert_msg(strcmp(a->values, b->values) == 0, "%s/%s: %s.%s changed: before %s, after %s", step,
                          backend, b->table, b->col, b->values, a->values);
            compared++;
        }
    }
    return compared;
}

/* NN_name.sql's rows (statements separated by ";\n"), when there is one. */
static void run_data(project *p, const char *step)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%.*s.sql", walk_dir, (int)(strlen(step) - 7), step);
    char *sql = read_text(path);
    if (!sql)
        return;
    for (char *s = sql, *end; *s; s = end) {
        end = strstr(s, ";\n");
        end = end ? end + 2 : s + strlen(s);
        char stmt[4096];
        snprintf(stmt, sizeof stmt, "%.*s", (int)(end - s), s);
        char *semi = strrchr(stmt, ';');
        if (semi)
            *semi = '\0';
        if (strspn(stmt, " \n") != strlen(stmt))
            exec_sql(p, stmt);
    }
    free(sql);
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Each step: migrate dev (yes to data-loss warnings, as a developer at a
 * terminal), then the migration is there and applied, migrate status is
 * clean, db push of the same schema has nothing to do, and the data of
 * untouched columns is intact. */
static void walk(const char *backend)
{
    ck_assert_msg(walk_dir != NULL, "no walk folder given");
    char *steps[64];
    int n_steps = 0;
    DIR *d = opendir(walk_dir);
    ck_assert_msg(d != NULL, "%s: %s", walk_dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d)) && n_steps < 64) {
        size_t n = strlen(e->d_name);
        if (n > 7 && strcmp(e->d_name + n - 7, ".prisma") == 0)
            steps[n_steps++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(steps, (size_t)n_steps, sizeof steps[0], cmp_names);
    ck_assert_int_ge(n_steps, 20);

    project p;
    project_init(&p, backend, "dev_walk");
    snapshot before = { 0 }, after = { 0 };
    int compared = 0, n_migrations = 0;
    char names[64][128];
    for (int i = 0; i < n_steps; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", walk_dir, steps[i]);
        char *models = read_text(path);
        ck_assert_ptr_nonnull(models);
        set_schema(&p, models, "");
        free(models);
        if (i)
            take_snapshot(&p, &before);
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(strlen(steps[i]) - 10), steps[i] + 3);
        /* A step the database does not see (a renamed field kept by @map, an
         * enum value on SQLite) makes no migration. */
        char *want = planned(&p);
        bool change = strcmp(want, "-- This is an empty migration.") != 0;
        free(want);
        ck_assert_msg(dev(&p, name, false, "y\ny\ny\n") == 0, "%s/%s: migrate dev failed:\n%s\n%s", steps[i],
                      backend, p.out, p.err);
        n_migrations += change;
        ck_assert_msg(migrations(&p, names, 64) == n_migrations, "%s/%s: %d migrations, not %d:\n%s", steps[i],
                      backend, migrations(&p, names, 64), n_migrations, p.out);
        if (change)
            ck_assert_msg(strstr(names[n_migrations - 1], name) != NULL, "%s: the last migration is %s", steps[i],
                          names[n_migrations - 1]);
        else
            ASSERT_HAS(&p, out, "Already in sync");
        ck_assert_msg(status(&p) == 0, "%s/%s: migrate status is not clean:\n%s\n%s", steps[i], backend, p.out,
                      p.err);
        char schema[512], *script = NULL;
        snprintf(schema, sizeof schema, "%s/schema.prisma", p.dir);
        prismac_push_options po = { .schema_path = schema };
        capture c;
        capture_begin(&p, &c, NULL);
        int prc = prismac_db_push_plan(&po, &script);
        capture_end(&p, &c);
        ck_assert_msg(prc == 0 && script && strcmp(script, "") == 0, "%s/%s: db push would run:\n%s", steps[i],
                      backend, script ? script : p.err);
        free(script);
        if (i) {
            take_snapshot(&p, &after);
            compared += compare(&before, &after, steps[i], backend);
            snap_free(&before);
            snap_free(&after);
        }
        run_data(&p, steps[i]);
    }
    ck_assert_msg(compared > 5 * n_steps, "%s: only %d column comparisons", backend, compared);
    ck_assert_int_ge(n_migrations, n_steps - 5);
    ck_assert_int_eq(count(&p, "SELECT count(*) FROM \"_prisma_migrations\" WHERE finished_at IS NOT NULL"),
                     n_migrations);
    for (int i = 0; i < n_steps; i++)
        free(steps[i]);
    project_free(&p);
}

START_TEST(walk_sqlite) { walk("sqlite"); }
END_TEST
START_TEST(walk_postgresql) { walk("postgresql"); }
END_TEST

START_TEST(lifecycle_sqlite) { lifecycle("sqlite"); }
END_TEST
START_TEST(lifecycle_postgresql) { lifecycle("postgresql"); }
END_TEST
START_TEST(drift_sqlite) { drift("sqlite"); }
END_TEST
START_TEST(drift_postgresql) { drift("postgresql"); }
END_TEST
START_TEST(broken_sqlite) { broken_migration("sqlite"); }
END_TEST
START_TEST(broken_postgresql) { broken_migration("postgresql"); }
END_TEST
START_TEST(data_loss_sqlite) { data_loss("sqlite"); }
END_TEST
START_TEST(data_loss_postgresql) { data_loss("postgresql"); }
END_TEST
START_TEST(diff_sqlite) { diff_from_migrations("sqlite"); }
END_TEST
START_TEST(diff_postgresql) { diff_from_migrations("postgresql"); }
END_TEST
START_TEST(configured_shadow_postgresql) { configured_shadow(); }
END_TEST

START_TEST(slugify)
{
    char out[256];
    dev_slugify("Add posts", out, sizeof out);
    ck_assert_str_eq(out, "add_posts");
    dev_slugify("addUserEmail", out, sizeof out);
    ck_assert_str_eq(out, "add_user_email");
    dev_slugify("  --drop: the 'age' column!  ", out, sizeof out);
    ck_assert_str_eq(out, "drop_the_age_column");
    dev_slugify("", out, sizeof out);
    ck_assert_str_eq(out, "");
}
END_TEST

int main(int argc, char **argv)
{
    walk_dir = argc > 1 ? argv[1] : NULL;
    const char *skip = getenv("PRISMAC_SKIP_POSTGRES");
    bool with_pg = !(skip && strcmp(skip, "1") == 0);
    if (with_pg) {
        int skipped = 0;
        pg_base_url = pgserver_shared_url(&skipped, pg_error, sizeof pg_error);
    }
    Suite *s = suite_create("migrate dev");
    TCase *lite = tcase_create("sqlite");
    tcase_set_timeout(lite, 120);
    tcase_add_test(lite, slugify);
    tcase_add_test(lite, lifecycle_sqlite);
    tcase_add_test(lite, drift_sqlite);
    tcase_add_test(lite, broken_sqlite);
    tcase_add_test(lite, data_loss_sqlite);
    tcase_add_test(lite, diff_sqlite);
    tcase_add_test(lite, walk_sqlite);
    suite_add_tcase(s, lite);
    if (with_pg) {
        TCase *pg = tcase_create("postgresql");
        tcase_set_timeout(pg, 300);
        tcase_add_test(pg, lifecycle_postgresql);
        tcase_add_test(pg, drift_postgresql);
        tcase_add_test(pg, broken_postgresql);
        tcase_add_test(pg, data_loss_postgresql);
        tcase_add_test(pg, diff_postgresql);
        tcase_add_test(pg, configured_shadow_postgresql);
        tcase_add_test(pg, walk_postgresql);
        suite_add_tcase(s, pg);
    }
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
