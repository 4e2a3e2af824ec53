/* migrate deploy / status / resolve / reset, db execute and db seed, run as
 * the prismac executable on a SQLite file and on a throwaway PostgreSQL
 * server (the PostgreSQL cases fail, never skip, when no server starts,
 * unless PRISMAC_SKIP_POSTGRES=1).
 *
 * The database is read back directly (sqlite3, libpq): the tables a
 * migration made, the rows of _prisma_migrations. The compatibility case
 * writes the folder and the history rows the way Prisma does (its DDL, its
 * checksums computed here by coreutils' sha256sum, not by prismac). */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "pgserver.h"

static const char *prismac_path;
static const char *pg_base_url;
static char pg_error[2048];
static bool with_pg;

enum { B_SQLITE, B_PG, N_BACKENDS };

/* The test's database: its url and how to read it back. */
typedef struct target {
    int backend;
    char *url;  /* DATABASE_URL */
    char *path; /* SQLite: the file */
    char dir[4096]; /* the project folder (the current directory) */
} target;

/* ---- running prismac ---- */

typedef struct run {
    int rc;
    char *out, *err;
} run;

static char *slurp_fd(int fd)
{
    off_t n = lseek(fd, 0, SEEK_END);
    char *buf = malloc(n > 0 ? (size_t)n + 1 : 1);
    ck_assert_ptr_nonnull(buf);
    lseek(fd, 0, SEEK_SET);
    size_t got = 0;
    while (n > 0 && got < (size_t)n) {
        ssize_t r = read(fd, buf + got, (size_t)n - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    buf[got] = '\0';
    return buf;
}

/* Runs `prismac ARGS...` (NULL-terminated) with stdin from `input` (NULL:
 * /dev/null), capturing stdout and stderr. */
static run prismac_in(const char *input, const char *arg, ...)
{
    char *argv[24];
    int argc = 0;
    argv[argc++] = (char *)(uintptr_t)prismac_path;
    va_list ap;
    va_start(ap, arg);
    for (const char *a = arg; a && argc < 23; a = va_arg(ap, const char *))
        argv[argc++] = (char *)(uintptr_t)a;
    va_end(ap);
    argv[argc] = NULL;
    char out_path[] = "/tmp/prismac-migr-outXXXXXX", err_path[] = "/tmp/prismac-migr-errXXXXXX",
         in_path[] = "/tmp/prismac-migr-inXXXXXX";
    int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path), in_fd = mkstemp(in_path);
    ck_assert_int_ge(out_fd, 0);
    ck_assert_int_ge(err_fd, 0);
    ck_assert_int_ge(in_fd, 0);
    unlink(out_path);
    unlink(err_path);
    unlink(in_path);
    if (input)
        ck_assert_int_eq(write(in_fd, input, strlen(input)), (ssize_t)strlen(input));
    lseek(in_fd, 0, SEEK_SET);
    fflush(stdout);
    fflush(stderr);
    run r = { .rc = -1 };
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in_fd, 0);
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        execv(prismac_path, argv);
        _exit(127);
    }
    int status = 0;
    if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
        r.rc = WEXITSTATUS(status);
    r.out = slurp_fd(out_fd);
    r.err = slurp_fd(err_fd);
    close(out_fd);
    close(err_fd);
    close(in_fd);
    printf("---- prismac %s %s -> %d\n%s%s", argc > 1 ? argv[1] : "", argc > 2 ? argv[2] : "", r.rc, r.out, r.err);
    return r;
}

#define prismac(...) prismac_in(NULL, __VA_ARGS__)

static void run_free(run *r)
{
    free(r->out);
    free(r->err);
}

static void expect(run r, int rc, const char *in_out, const char *in_err)
{
    ck_assert_msg(r.rc == rc, "exit %d, expected %d:\n%s%s", r.rc, rc, r.out, r.err);
    if (in_out)
        ck_assert_msg(strstr(r.out, in_out) != NULL, "stdout lacks `%s`:\n%s", in_out, r.out);
    if (in_err)
        ck_assert_msg(strstr(r.err, in_err) != NULL, "stderr lacks `%s`:\n%s", in_err, r.err);
    run_free(&r);
}

/* ---- files ---- */

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
    fputs(text, f);
    fclose(f);
}

static void add_migration(const char *name, const char *sql)
{
    char path[4096];
    snprintf(path, sizeof path, "prisma/migrations/%s", name);
    mkdir("prisma/migrations", 0755);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "prisma/migrations/%s/migration.sql", name);
    put(path, sql);
}

/* coreutils' sha256sum of a migration's file: the checksum Prisma stores. */
static char *sha256sum(const char *name)
{
    char cmd[4096], line[256] = "";
    snprintf(cmd, sizeof cmd, "sha256sum prisma/migrations/%s/migration.sql", name);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, p));
    pclose(p);
    line[64] = '\0';
    return strdup(line);
}

/* ---- the database, read back ---- */

static char *pg_db_url(const char *dbname)
{
    ck_assert_msg(pg_base_url != NULL, "PostgreSQL is not available: %s", pg_error);
    const char *p = strstr(pg_base_url, "://");
    const char *slash = strchr(p + 3, '/');
    size_t host_len = slash ? (size_t)(slash - pg_base_url) : strlen(pg_base_url);
    const char *query = strchr(pg_base_url, '?');
    size_t n = strlen(pg_base_url) + strlen(dbname) + 8;
    char *url = malloc(n);
    snprintf(url, n, "%.*s/%s%s", (int)host_len, pg_base_url, dbname, query ? query : "");
    return url;
}

static void pg_run(const char *url, const char *sql, char **value)
{
    PGconn *c = PQconnectdb(url);
    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    ck_assert_msg(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(c));
    if (value)
        *value = st == PGRES_TUPLES_OK && PQntuples(r) && !PQgetisnull(r, 0, 0) ? strdup(PQgetvalue(r, 0, 0)) : NULL;
    PQclear(r);
    PQfinish(c);
}

static void sqlite_run(const char *path, const char *sql, char **value)
{
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    if (value) {
        sqlite3_stmt *st;
        ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
        int rc = sqlite3_step(st);
        ck_assert_msg(rc == SQLITE_ROW || rc == SQLITE_DONE, "%s: %s", sql, sqlite3_errmsg(db));
        const unsigned char *v = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
        *value = v ? strdup((const char *)v) : NULL;
        sqlite3_finalize(st);
    } else {
        char *msg = NULL;
        ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
    }
    sqlite3_close(db);
}

static void db_exec(const target *t, const char *sql)
{
    if (t->backend == B_PG)
        pg_run(t->url, sql, NULL);
    else
        sqlite_run(t->path, sql, NULL);
}

static char *db_value(const target *t, const char *sql)
{
    char *v = NULL;
    if (t->backend == B_PG)
        pg_run(t->url, sql, &v);
    else
        sqlite_run(t->path, sql, &v);
    return v;
}

static void db_expect(const target *t, const char *sql, const char *want)
{
    char *got = db_value(t, sql);
    int ok = want ? got && strcmp(got, want) == 0 : got == NULL;
    ck_assert_msg(ok, "%s\n  expected: %s\n  got:      %s", sql, want ? want : "(null)", got ? got : "(null)");
    free(got);
}

/* Whether the table exists. */
static bool has_table(const target *t, const char *name)
{
    char sql[512];
    if (t->backend == B_PG)
        snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '%s'",
                 name);
    else
        snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'", name);
    char *v = db_value(t, sql);
    bool yes = v && strcmp(v, "1") == 0;
    free(v);
    return yes;
}

/* ---- a project per test ---- */

static char start_cwd[4096];

/* A project folder (the current directory) with prisma/schema.prisma for
 * the backend, reading DATABASE_URL; a fresh database. */
static void setup(target *t, int backend, const char *tag)
{
    memset(t, 0, sizeof *t);
    t->backend = backend;
    snprintf(t->dir, sizeof t->dir, "/tmp/prismac-migr-%s-XXXXXX", tag);
    ck_assert_ptr_nonnull(mkdtemp(t->dir));
    ck_assert_ptr_nonnull(getcwd(start_cwd, sizeof start_cwd));
    ck_assert_int_eq(chdir(t->dir), 0);
    mkdir("prisma", 0755);
    if (backend == B_PG) {
        char name[64];
        snprintf(name, sizeof name, "migr_%s", tag);
        PGconn *c = PQconnectdb(pg_base_url ? pg_base_url : "");
        ck_assert_msg(pg_base_url && PQstatus(c) == CONNECTION_OK, "PostgreSQL is not available: %s", pg_error);
        char sql[256];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\"", name);
        PQclear(PQexec(c, sql));
        snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", name);
        PGresult *r = PQexec(c, sql);
        ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s", PQerrorMessage(c));
        PQclear(r);
        PQfinish(c);
        t->url = pg_db_url(name);
        put("prisma/schema.prisma", "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n");
    } else {
        size_t n = strlen(t->dir) + 16;
        t->path = malloc(n);
        snprintf(t->path, n, "%s/dev.db", t->dir);
        t->url = malloc(n + 8);
        snprintf(t->url, n + 8, "file:%s", t->path);
        put("prisma/schema.prisma", "datasource db {\n  provider = \"sqlite\"\n  url      = env(\"DATABASE_URL\")\n}\n");
    }
    setenv("DATABASE_URL", t->url, 1);
}

static void rm_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        unlink(path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        rm_tree(sub);
    }
    closedir(d);
    rmdir(path);
}

static void teardown(target *t)
{
    ck_assert_int_eq(chdir(start_cwd), 0);
    rm_tree(t->dir);
    free(t->url);
    free(t->path);
}

static const char *const lock_text[N_BACKENDS] = {
    "# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\n"
    "provider = \"sqlite\"\n",
    "# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\n"
    "provider = \"postgresql\"\n",
};

static void skip_pg_check(int backend)
{
    ck_assert_msg(backend != B_PG || pg_base_url, "PostgreSQL is not available: %s", pg_error);
}

/* deploy, status, deploy again, a new migration. */
START_TEST(deploy_and_status)
{
    target t;
    if (_i == B_PG && !with_pg)
        return;
    skip_pg_check(_i);
    setup(&t, _i, "flow");
    /* No migrations, no history table: not managed by migrations. */
    expect(prismac("migrate", "status", NULL), 1, "No migration found in prisma/migrations",
           "The current database is not managed by Prisma Migrate.");
    add_migration("20240101000000_init", "-- CreateTable\nCREATE TABLE \"User\" (\"id\" INTEGER NOT NULL PRIMARY KEY, "
                                         "\"email\" TEXT NOT NULL);\n");
    add_migration("20240102000000_seed_data", "INSERT INTO \"User\" VALUES (1, 'a;b@x.io');\n"
                                              "INSERT INTO \"User\" VALUES (2, 'it''s@x.io');\n");
    put("prisma/migrations/migration_lock.toml", lock_text[_i]);
    /* A database without the history table has applied none of them. */
    expect(prismac("migrate", "status", NULL), 1,
           "Following migrations have not yet been applied:\n20240101000000_init\n20240102000000_seed_data\n", NULL);
    expect(prismac("migrate", "deploy", NULL), 0, "The following migration(s) have been applied:", NULL);
    db_expect(&t, "SELECT email FROM \"User\" WHERE id = 1", "a;b@x.io");
    db_expect(&t, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL AND applied_steps_count = 1",
              "2");
    expect(prismac("migrate", "status", NULL), 0, "Database schema is up to date!", NULL);
    expect(prismac("migrate", "deploy", NULL), 0, "No pending migrations to apply.", NULL);
    add_migration("20240103000000_name", "ALTER TABLE \"User\" ADD COLUMN \"name\" TEXT;\n");
    expect(prismac("migrate", "status", NULL), 1,
           "Following migration have not yet been applied:\n20240103000000_name\n", NULL);
    expect(prismac("migrate", "deploy", NULL), 0, "20240103000000_name/", NULL);
    db_expect(&t, "SELECT count(*) FROM _prisma_migrations", "3");
    /* The lock file names another provider: P3019, nothing runs. */
    put("prisma/migrations/migration_lock.toml", lock_text[1 - _i]);
    expect(prismac("migrate", "deploy", NULL), 1, NULL, "P3019");
    teardown(&t);
}
END_TEST

/* A migration failing half-way: nothing of it remains, it is recorded
 * failed, deploy refuses until it is resolved, a fixed one applies. */
START_TEST(failure_and_resolve)
{
    target t;
    if (_i == B_PG && !with_pg)
        return;
    skip_pg_check(_i);
    setup(&t, _i, "fault");
    add_migration("20240101000000_users", "CREATE TABLE \"User\" (\"id\" INTEGER PRIMARY KEY, \"email\" TEXT);\n"
                                          "INSERT INTO \"User\" VALUES (1, 'a@x.io'), (2, 'a@x.io');\n");
    add_migration("20240102000000_unique_email", "-- CreateTable\nCREATE TABLE \"Audit\" (\"id\" INTEGER);\n"
                                                 "INSERT INTO \"Audit\" VALUES (7);\n"
                                                 "-- CreateIndex\n"
                                                 "CREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\");\n");
    expect(prismac("migrate", "deploy", NULL), 1, "Applying migration `20240102000000_unique_email`", "P3018");
    ck_assert_msg(!has_table(&t, "Audit"), "the failed migration's table is left behind");
    db_expect(&t, "SELECT count(*) FROM \"User\"", "2");
    db_expect(&t, "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '20240102000000_unique_email' "
                  "AND finished_at IS NULL AND rolled_back_at IS NULL AND applied_steps_count = 0",
              "1");
    char *logs = db_value(&t, "SELECT logs FROM _prisma_migrations WHERE migration_name = "
                              "'20240102000000_unique_email'");
    ck_assert_msg(logs && strstr(logs, "CREATE UNIQUE INDEX") && strstr(logs, "Database error"), "logs: %s",
                  logs ? logs : "(null)");
    free(logs);

    expect(prismac("migrate", "deploy", NULL), 1, NULL, "P3009");
    expect(prismac("migrate", "status", NULL), 1, NULL, "Following migration have failed:\n20240102000000_unique_email");
    expect(prismac("migrate", "resolve", "--applied", "20240101000000_users", NULL), 1, NULL,
           "The migration `20240101000000_users` is already recorded as applied in the database.");
    expect(prismac("migrate", "resolve", "--rolled-back", "20240101000000_users", NULL), 1, NULL, "P3012");
    expect(prismac("migrate", "resolve", "--rolled-back", "20990101000000_nope", NULL), 1, NULL, "P3011");
    expect(prismac("migrate", "resolve", "--applied", "20990101000000_nope", NULL), 1, NULL, "P3017");
    expect(prismac("migrate", "resolve", NULL), 1, NULL, "--applied or --rolled-back must be part of the command");
    expect(prismac("migrate", "resolve", "--rolled-back", "20240102000000_unique_email", NULL), 0,
           "Migration 20240102000000_unique_email marked as rolled back.", NULL);
    expect(prismac("migrate", "status", NULL), 1, "20240102000000_unique_email", NULL);

    /* The fix: deduplicate first. */
    add_migration("20240102000000_unique_email", "CREATE TABLE \"Audit\" (\"id\" INTEGER);\n"
                                                 "UPDATE \"User\" SET \"email\" = 'b@x.io' WHERE \"id\" = 2;\n"
                                                 "CREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\");\n");
    expect(prismac("migrate", "deploy", NULL), 0, "All migrations have been successfully applied.", NULL);
    ck_assert(has_table(&t, "Audit"));
    db_expect(&t, "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '20240102000000_unique_email'", "2");
    db_expect(&t, "SELECT count(*) FROM _prisma_migrations WHERE rolled_back_at IS NOT NULL", "1");
    expect(prismac("migrate", "status", NULL), 0, "Database schema is up to date!", NULL);
    teardown(&t);
}
END_TEST

/* Prisma's table and rows, written here as Prisma writes them. */
static const char *const prisma_history_ddl[N_BACKENDS] = {
    "CREATE TABLE \"_prisma_migrations\" (\n"
    "    \"id\"                    TEXT PRIMARY KEY NOT NULL,\n"
    "    \"checksum\"              TEXT NOT NULL,\n"
    "    \"finished_at\"           DATETIME,\n"
    "    \"migration_name\"        TEXT NOT NULL,\n"
    "    \"logs\"                  TEXT,\n"
    "    \"rolled_back_at\"        DATETIME,\n"
    "    \"started_at\"            DATETIME NOT NULL DEFAULT current_timestamp,\n"
    "    \"applied_steps_count\"   INTEGER UNSIGNED NOT NULL DEFAULT 0\n"
    ")",
    "CREATE TABLE _prisma_migrations (\n"
    "    id                      VARCHAR(36) PRIMARY KEY NOT NULL,\n"
    "    checksum                VARCHAR(64) NOT NULL,\n"
    "    finished_at             TIMESTAMPTZ,\n"
    "    migration_name          VARCHAR(255) NOT NULL,\n"
    "    logs                    TEXT,\n"
    "    rolled_back_at          TIMESTAMPTZ,\n"
    "    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
    "    applied_steps_count     INTEGER NOT NULL DEFAULT 0\n"
    ")",
};

/* The migrations of Prisma's documented example (a User, then a Post
 * related to it), as `prisma migrate dev` writes them per database. */
static const char *const init_sql[N_BACKENDS] = {
    "-- CreateTable\n"
    "CREATE TABLE \"User\" (\n"
    "    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
    "    \"email\" TEXT NOT NULL,\n"
    "    \"name\" TEXT\n"
    ");\n\n"
    "-- CreateIndex\n"
    "CREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\");\n",
    "-- CreateTable\n"
    "CREATE TABLE \"User\" (\n"
    "    \"id\" SERIAL NOT NULL,\n"
    "    \"email\" TEXT NOT NULL,\n"
    "    \"name\" TEXT,\n\n"
    "    CONSTRAINT \"User_pkey\" PRIMARY KEY (\"id\")\n"
    ");\n\n"
    "-- CreateIndex\n"
    "CREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\");\n",
};

static const char *const posts_sql[N_BACKENDS] = {
    "-- CreateTable\n"
    "CREATE TABLE \"Post\" (\n"
    "    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
    "    \"title\" TEXT NOT NULL,\n"
    "    \"authorId\" INTEGER NOT NULL,\n"
    "    CONSTRAINT \"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\" (\"id\") ON DELETE "
    "RESTRICT ON UPDATE CASCADE\n"
    ");\n",
    "-- CreateTable\n"
    "CREATE TABLE \"Post\" (\n"
    "    \"id\" SERIAL NOT NULL,\n"
    "    \"title\" TEXT NOT NULL,\n"
    "    \"authorId\" INTEGER NOT NULL,\n\n"
    "    CONSTRAINT \"Post_pkey\" PRIMARY KEY (\"id\")\n"
    ");\n\n"
    "-- AddForeignKey\n"
    "ALTER TABLE \"Post\" ADD CONSTRAINT \"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\"(\"id\") "
    "ON DELETE RESTRICT ON UPDATE CASCADE;\n",
};

/* The next change as Prisma writes it: SQLite redefines the table (with
 * its PRAGMAs), PostgreSQL alters it. */
static const char *const required_name_sql[N_BACKENDS] = {
    "/*\n  Warnings:\n\n  - Made the column `name` on table `User` required.\n*/\n"
    "-- RedefineTables\n"
    "PRAGMA defer_foreign_keys=ON;\n"
    "PRAGMA foreign_keys=OFF;\n"
    "CREATE TABLE \"new_User\" (\n"
    "    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
    "    \"email\" TEXT NOT NULL,\n"
    "    \"name\" TEXT NOT NULL\n"
    ");\n"
    "INSERT INTO \"new_User\" (\"email\", \"id\", \"name\") SELECT \"email\", \"id\", coalesce(\"name\", '') AS "
    "\"name\" FROM \"User\";\n"
    "DROP TABLE \"User\";\n"
    "ALTER TABLE \"new_User\" RENAME TO \"User\";\n"
    "CREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\");\n"
    "PRAGMA foreign_keys=ON;\n"
    "PRAGMA defer_foreign_keys=OFF;\n",
    "/*\n  Warnings:\n\n  - Made the column `name` on table `User` required.\n*/\n"
    "-- AlterTable\n"
    "UPDATE \"User\" SET \"name\" = '' WHERE \"name\" IS NULL;\n"
    "ALTER TABLE \"User\" ALTER COLUMN \"name\" SET NOT NULL;\n",
};

/* A row as Prisma's engine writes it for an applied migration. */
static void prisma_row(const target *t, const char *id, const char *name)
{
    char *sum = sha256sum(name), sql[1024];
    if (t->backend == B_PG)
        snprintf(sql, sizeof sql,
                 "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, "
                 "started_at, applied_steps_count) VALUES ('%s', '%s', now(), '%s', NULL, NULL, now(), 1)",
                 id, sum, name);
    else
        snprintf(sql, sizeof sql,
                 "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, "
                 "started_at, applied_steps_count) VALUES ('%s', '%s', 1700000000123, '%s', NULL, NULL, "
                 "1700000000001, 1)",
                 id, sum, name);
    db_exec(t, sql);
    free(sum);
}

START_TEST(prisma_history_carried_on)
{
    target t;
    if (_i == B_PG && !with_pg)
        return;
    skip_pg_check(_i);
    setup(&t, _i, "compat");
    add_migration("20210313140442_init", init_sql[_i]);
    add_migration("20210313140500_posts", posts_sql[_i]);
    put("prisma/migrations/migration_lock.toml", lock_text[_i]);
    /* What Prisma left: its table, its rows, the migrations' effect. */
    db_exec(&t, prisma_history_ddl[_i]);
    db_exec(&t, init_sql[_i]);
    db_exec(&t, posts_sql[_i]);
    prisma_row(&t, "0c9f1f63-3f6e-4c1f-9b59-5f8a1c3b6d11", "20210313140442_init");
    prisma_row(&t, "5b2d0a3e-8c4b-4f7a-a0d2-2e6f7c9b1a22", "20210313140500_posts");
    db_exec(&t, "INSERT INTO \"User\" (\"email\", \"name\") VALUES ('ada@x.io', NULL)");
    db_exec(&t, "INSERT INTO \"Post\" (\"title\", \"authorId\") VALUES ('hello', 1)");

    expect(prismac("migrate", "status", NULL), 0, "Database schema is up to date!", NULL);
    expect(prismac("migrate", "deploy", NULL), 0, "No pending migrations to apply.", NULL);

    /* prismac carries on: the next migration, Prisma's row for it. */
    add_migration("20210314090000_required_name", required_name_sql[_i]);
    expect(prismac("migrate", "deploy", NULL), 0, "20210314090000_required_name/", NULL);
    db_expect(&t, "SELECT \"name\" FROM \"User\" WHERE \"email\" = 'ada@x.io'", "");
    db_expect(&t, "SELECT count(*) FROM \"Post\" WHERE \"authorId\" = 1", "1");
    char *sum = sha256sum("20210314090000_required_name");
    db_expect(&t, "SELECT checksum FROM _prisma_migrations WHERE migration_name = '20210314090000_required_name'", sum);
    free(sum);
    db_expect(&t, "SELECT applied_steps_count FROM _prisma_migrations WHERE migration_name = "
                  "'20210314090000_required_name' AND finished_at IS NOT NULL AND rolled_back_at IS NULL AND logs "
                  "IS NULL",
              "1");
    /* A version 4 UUID, as Prisma's. */
    char *id = db_value(&t, "SELECT id FROM _prisma_migrations WHERE migration_name = '20210314090000_required_name'");
    ck_assert_msg(id && strlen(id) == 36 && id[8] == '-' && id[14] == '4' && strchr("89ab", id[19]), "id %s", id);
    free(id);
    expect(prismac("migrate", "status", NULL), 0, "Database schema is up to date!", NULL);

    /* Line endings changed by git: still the same migration. */
    char *crlf = NULL;
    {
        const char *src = init_sql[_i];
        crlf = malloc(2 * strlen(src) + 1);
        char *o = crlf;
        for (const char *p = src; *p; p++) {
            if (*p == '\n')
                *o++ = '\r';
            *o++ = *p;
        }
        *o = '\0';
        add_migration("20210313140442_init", crlf);
        free(crlf);
    }
    run r = prismac("migrate", "status", NULL);
    ck_assert_msg(r.rc == 0 && !strstr(r.err, "was modified"), "%s", r.err);
    run_free(&r);
    /* An edit is not. */
    add_migration("20210313140500_posts", "-- edited\nSELECT 1;\n");
    expect(prismac("migrate", "status", NULL), 0, NULL,
           "The migration `20210313140500_posts` was modified after it was applied.");
    /* A migration the database has and the folder has not. */
    db_exec(&t, "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, "
                "applied_steps_count) VALUES ('9d1e7f4a-1b2c-4d3e-8f5a-6b7c8d9e0f33', 'x', '2021-03-15 00:00:00', "
                "'20210315000000_elsewhere', '2021-03-15 00:00:00', 1)");
    expect(prismac("migrate", "status", NULL), 1, NULL, "are not found locally");
    teardown(&t);
}
END_TEST

/* A database made by hand: deploy refuses (P3005) until it is baselined. */
START_TEST(baseline)
{
    target t;
    if (_i == B_PG && !with_pg)
        return;
    skip_pg_check(_i);
    setup(&t, _i, "baseline");
    add_migration("20210313140442_init", init_sql[_i]);
    add_migration("20210313140500_posts", posts_sql[_i]);
    db_exec(&t, init_sql[_i]);
    expect(prismac("migrate", "deploy", NULL), 1, NULL, "P3005");
    ck_assert(!has_table(&t, "_prisma_migrations"));
    expect(prismac("migrate", "resolve", "--applied", "20210313140442_init", NULL), 0,
           "Migration 20210313140442_init marked as applied.", NULL);
    db_expect(&t, "SELECT applied_steps_count FROM _prisma_migrations", "0");
    expect(prismac("migrate", "deploy", NULL), 0, "20210313140500_posts/", NULL);
    ck_assert(has_table(&t, "Post"));
    teardown(&t);
}
END_TEST

START_TEST(reset)
{
    target t;
    if (_i == B_PG && !with_pg)
        return;
    skip_pg_check(_i);
    setup(&t, _i, "reset");
    add_migration("20210313140442_init", init_sql[_i]);
    add_migration("20210313140500_posts", posts_sql[_i]);
    expect(prismac("migrate", "deploy", NULL), 0, NULL, NULL);
    db_exec(&t, "INSERT INTO \"User\" (\"email\") VALUES ('ada@x.io')");
    db_exec(&t, "CREATE TABLE \"Stray\" (\"x\" INTEGER)");
    /* Not a terminal, no --force: refused, nothing dropped. */
    expect(prismac("migrate", "reset", NULL), 1, NULL, "non-interactive");
    db_expect(&t, "SELECT count(*) FROM \"User\"", "1");
    expect(prismac("migrate", "reset", "--force", NULL), 0, "Database reset successful", NULL);
    db_expect(&t, "SELECT count(*) FROM \"User\"", "0");
    ck_assert(!has_table(&t, "Stray"));
    ck_assert(has_table(&t, "Post"));
    db_expect(&t, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL", "2");
    teardown(&t);
}
END_TEST

START_TEST(db_execute)
{
    target t;
    if (_i == B_PG && !with_pg)
        return;
    skip_pg_check(_i);
    setup(&t, _i, "exec");
    put("script.sql", "-- a script\nCREATE TABLE \"Note\" (\"id\" INTEGER, \"body\" TEXT);\n"
                      "INSERT INTO \"Note\" VALUES (1, 'semi;colon');\nINSERT INTO \"Note\" VALUES (2, 'x');\n");
    expect(prismac("db", "execute", "--file", "script.sql", NULL), 0, "Script executed successfully.", NULL);
    db_expect(&t, "SELECT body FROM \"Note\" WHERE id = 1", "semi;colon");
    expect(prismac_in("INSERT INTO \"Note\" VALUES (3, 'from stdin');", "db", "execute", "--stdin", "--url", t.url,
                      NULL),
           0, "Script executed successfully.", NULL);
    db_expect(&t, "SELECT count(*) FROM \"Note\"", "3");
    expect(prismac_in("INSERT INTO \"Nowhere\" VALUES (1);", "db", "execute", "--stdin", NULL), 1, NULL, "Nowhere");
    expect(prismac("db", "execute", NULL), 1, NULL, "Either --stdin or --file must be provided.");
    expect(prismac("db", "execute", "--file", "script.sql", "--stdin", NULL), 1, NULL, "mutually exclusive");
    teardown(&t);
}
END_TEST

/* PostgreSQL refuses CREATE INDEX CONCURRENTLY in a transaction: such a
 * migration runs statement by statement. */
START_TEST(pg_concurrently)
{
    target t;
    if (!with_pg)
        return;
    skip_pg_check(B_PG);
    setup(&t, B_PG, "concurrently");
    add_migration("20240101000000_t", "CREATE TABLE \"T\" (\"x\" INTEGER);\n");
    add_migration("20240102000000_idx", "-- CreateIndex\nCREATE INDEX CONCURRENTLY \"T_x_idx\" ON \"T\"(\"x\");\n");
    expect(prismac("migrate", "deploy", NULL), 0, "20240102000000_idx/", NULL);
    db_expect(&t, "SELECT count(*) FROM pg_indexes WHERE indexname = 'T_x_idx'", "1");
    /* Outside a transaction a failure keeps what ran before it, recorded
     * failed with the failing statement (as Prisma). */
    db_exec(&t, "INSERT INTO \"T\" VALUES (1), (1)");
    add_migration("20240103000000_unique", "CREATE TABLE \"Before\" (\"y\" INTEGER);\n"
                                           "CREATE UNIQUE INDEX CONCURRENTLY \"T_x_key\" ON \"T\"(\"x\");\n");
    expect(prismac("migrate", "deploy", NULL), 1, NULL, "CREATE UNIQUE INDEX CONCURRENTLY");
    ck_assert(has_table(&t, "Before"));
    db_expect(&t, "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '20240103000000_unique' AND "
                  "finished_at IS NULL AND logs LIKE '%could not create unique index%'",
              "1");
    teardown(&t);
}
END_TEST

START_TEST(db_seed)
{
    char dir[] = "/tmp/prismac-migr-seed-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_ptr_nonnull(getcwd(start_cwd, sizeof start_cwd));
    ck_assert_int_eq(chdir(dir), 0);
    expect(prismac("db", "seed", NULL), 0, "No seed command configured", NULL);
    /* Prisma 6: package.json; the extra arguments follow, quoted. */
    put("package.json", "{\n  \"name\": \"app\",\n  \"prisma\": { \"seed\": \"echo seeded >> seed.out\" }\n}\n");
    expect(prismac("db", "seed", "--", "one", "two words", NULL), 0, "Running seed command `echo seeded", NULL);
    char *s = NULL;
    {
        FILE *f = fopen("seed.out", "r");
        char line[256] = "";
        ck_assert_ptr_nonnull(f);
        ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
        fclose(f);
        s = strdup(line);
    }
    ck_assert_str_eq(s, "seeded one two words\n");
    free(s);
    /* Prisma 7: prisma.config.ts wins; the exit status is passed on. */
    put("prisma.config.ts", "import { defineConfig } from 'prisma/config'\n"
                            "export default defineConfig({\n  migrations: {\n    seed: 'exit 3',\n  },\n})\n");
    expect(prismac("db", "seed", NULL), 3, NULL, "An error occurred while running the seed command");
    put("prisma.config.ts", "export default defineConfig({ migrations: { seed: process.env.SEED } })\n");
    expect(prismac("db", "seed", NULL), 1, NULL, "not a plain string literal");
    ck_assert_int_eq(chdir(start_cwd), 0);
    rm_tree(dir);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PRISMAC\n", argv[0]);
        return 2;
    }
    static char abs_path[4096];
    if (!realpath(argv[1], abs_path)) {
        fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    prismac_path = abs_path;
    const char *skip = getenv("PRISMAC_SKIP_POSTGRES");
    with_pg = !(skip && strcmp(skip, "1") == 0);
    if (with_pg) {
        int skipped = 0;
        pg_base_url = pgserver_shared_url(&skipped, pg_error, sizeof pg_error);
        if (!pg_base_url)
            fprintf(stderr, "test_migrations_cli: no PostgreSQL server: %s\n", pg_error);
    } else {
        printf("test_migrations_cli: PRISMAC_SKIP_POSTGRES=1: the PostgreSQL cases are not run\n");
    }
    Suite *s = suite_create("migrations");
    TCase *tc = tcase_create("commands");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, deploy_and_status, 0, N_BACKENDS);
    tcase_add_loop_test(tc, failure_and_resolve, 0, N_BACKENDS);
    tcase_add_loop_test(tc, prisma_history_carried_on, 0, N_BACKENDS);
    tcase_add_loop_test(tc, baseline, 0, N_BACKENDS);
    tcase_add_loop_test(tc, reset, 0, N_BACKENDS);
    tcase_add_loop_test(tc, db_execute, 0, N_BACKENDS);
    tcase_add_test(tc, pg_concurrently);
    tcase_add_test(tc, db_seed);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
