/* Partial indexes (Prisma's preview feature "partialIndexes", `where:` on @@index, @@unique and
 * @unique) end to end: `prismac db push` creates them with their predicate on SQLite and on a
 * throwaway PostgreSQL server, a partial unique index constrains only the rows its predicate
 * selects, a second push changes nothing, a changed predicate recreates the index, and the
 * generated client offers no where-unique input for a partial unique index (it identifies no row
 * outside its predicate).
 *
 * Usage: test_partial_index PRISMAC */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "pgserver.h"

static char prismac_path[PATH_MAX];
static const char *pg_base_url;
static char pg_error[2048];

static const char schema_head[] = "generator client {\n"
                                  "  provider        = \"prismac\"\n"
                                  "  output          = \"./gen\"\n"
                                  "  previewFeatures = [\"partialIndexes\"]\n"
                                  "}\n\n"
                                  "datasource db {\n"
                                  "  provider = \"%s\"\n"
                                  "}\n\n"
                                  "model Account {\n"
                                  "  id        Int       @id\n"
                                  "  email     String\n"
                                  "  status    String\n"
                                  "  deletedAt DateTime?\n"
                                  "  handle    String    @unique(where: raw(\"\\\"status\\\" <> 'banned'\"))\n\n"
                                  "  @@index([email], where: { deletedAt: null })\n"
                                  "  @@unique([email], where: { status: \"%s\" })\n"
                                  "  @@unique([status, id], where: { deletedAt: { not: null } })\n"
                                  "}\n";

/* A fresh folder holding schema.prisma for `provider`, the partial unique on status = `live`. */
static void write_schema(const char *provider, const char *live)
{
    FILE *f = fopen("schema.prisma", "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, schema_head, provider, live);
    ck_assert_int_eq(fclose(f), 0);
}

static void enter_fresh_dir(void)
{
    char dir[] = "/tmp/prismac-partial-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(chdir(dir), 0);
}

/* Runs prismac with `args` (NULL-terminated), output into `out` (NULL: discarded); its exit status. */
static int run_prismac(char **out, const char *a1, const char *a2, const char *a3, const char *a4, const char *a5)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' %s %s %s %s %s > prismac.out 2>&1", prismac_path, a1, a2 ? a2 : "",
             a3 ? a3 : "", a4 ? a4 : "", a5 ? a5 : "");
    int status = system(cmd);
    FILE *f = fopen("prismac.out", "rb");
    ck_assert_ptr_nonnull(f);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    printf("---- prismac %s %s -> %d\n%s", a1, a2 ? a2 : "", status, buf);
    if (out)
        *out = strdup(buf);
    ck_assert(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static char *sqlite_index_sql(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1", -1,
                                        &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    char *sql = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return sql;
}

static int sqlite_exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

START_TEST(sqlite_partial_indexes)
{
    enter_fresh_dir();
    write_schema("sqlite", "live");
    char *out = NULL;
    ck_assert_int_eq(run_prismac(NULL, "db", "push", "--schema", "schema.prisma", "--url file:./p.db"), 0);
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open("p.db", &db), SQLITE_OK);
    char *sql = sqlite_index_sql(db, "Account_email_key");
    ck_assert_msg(strstr(sql, "UNIQUE INDEX") && strstr(sql, "WHERE \"status\" = 'live'"), "%s", sql);
    free(sql);
    sql = sqlite_index_sql(db, "Account_email_idx");
    ck_assert_msg(strstr(sql, "WHERE \"deletedAt\" IS NULL"), "%s", sql);
    free(sql);
    sql = sqlite_index_sql(db, "Account_status_id_key");
    ck_assert_msg(strstr(sql, "WHERE \"deletedAt\" IS NOT NULL"), "%s", sql);
    free(sql);
    sql = sqlite_index_sql(db, "Account_handle_key");
    ck_assert_msg(strstr(sql, "WHERE \"status\" <> 'banned'"), "%s", sql);
    free(sql);

    /* Only the rows the predicate selects are constrained. */
    ck_assert_int_eq(sqlite_exec(db, "INSERT INTO Account (id, email, status, handle) VALUES "
                                     "(1, 'a@x', 'old', 'h1'), (2, 'a@x', 'old', 'h2'), (3, 'a@x', 'live', 'h3')"),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite_exec(db, "INSERT INTO Account (id, email, status, handle) VALUES (4, 'a@x', 'live', 'h4')"),
                     SQLITE_CONSTRAINT);
    ck_assert_int_eq(sqlite_exec(db, "INSERT INTO Account (id, email, status, handle) VALUES "
                                     "(5, 'b@x', 'banned', 'h1'), (6, 'c@x', 'banned', 'h1')"),
                     SQLITE_OK);
    sqlite3_close(db);

    /* A second push finds nothing to do. */
    ck_assert_int_eq(run_prismac(&out, "db", "push", "--schema", "schema.prisma", "--url file:./p.db"), 0);
    ck_assert_msg(strstr(out, "already in sync"), "%s", out);
    free(out);

    /* A changed predicate recreates the index; the rows stay. */
    write_schema("sqlite", "gone");
    ck_assert_int_eq(run_prismac(&out, "db", "push", "--schema", "schema.prisma", "--url file:./p.db"), 0);
    ck_assert_msg(strstr(out, "Account_email_key"), "%s", out);
    free(out);
    ck_assert_int_eq(sqlite3_open("p.db", &db), SQLITE_OK);
    sql = sqlite_index_sql(db, "Account_email_key");
    ck_assert_msg(strstr(sql, "WHERE \"status\" = 'gone'"), "%s", sql);
    free(sql);
    ck_assert_int_eq(sqlite_exec(db, "INSERT INTO Account (id, email, status, handle) VALUES (7, 'a@x', 'live', 'h7')"),
                     SQLITE_OK);
    sqlite3_close(db);
}
END_TEST

START_TEST(generated_client_has_no_partial_where_unique)
{
    enter_fresh_dir();
    write_schema("sqlite", "live");
    ck_assert_int_eq(run_prismac(NULL, "generate", "--schema", "schema.prisma", NULL, NULL), 0);
    FILE *f = fopen("gen/client.h", "rb");
    ck_assert_ptr_nonnull(f);
    static char header[1 << 20];
    size_t n = fread(header, 1, sizeof header - 1, f);
    header[n] = '\0';
    fclose(f);
    const char *start = strstr(header, "struct AccountWhereUniqueInput {");
    ck_assert_ptr_nonnull(start);
    const char *end = strstr(start, "};");
    ck_assert_ptr_nonnull(end);
    char body[8192];
    snprintf(body, sizeof body, "%.*s", (int)(end - start), start);
    ck_assert_msg(strstr(body, " id;") || strstr(body, "id;"), "the id is unique: %s", body);
    ck_assert_msg(!strstr(body, "email") && !strstr(body, "handle") && !strstr(body, "status"),
                  "a partial unique index is no where-unique input: %s", body);
}
END_TEST

static PGresult *pg_query(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql,
                  PQerrorMessage(c));
    return r;
}

START_TEST(postgres_partial_indexes)
{
    ck_assert_msg(pg_base_url != NULL, "PostgreSQL is not available: %s", pg_error);
    char url[4096];
    const char *slash = strrchr(pg_base_url, '/');
    ck_assert_ptr_nonnull(slash);
    snprintf(url, sizeof url, "--url '%.*s/partial_idx'", (int)(slash - pg_base_url), pg_base_url);
    PGconn *admin = PQconnectdb(pg_base_url);
    ck_assert_int_eq(PQstatus(admin), CONNECTION_OK);
    PQclear(pg_query(admin, "DROP DATABASE IF EXISTS partial_idx"));
    PQfinish(admin);

    enter_fresh_dir();
    write_schema("postgresql", "live");
    char *out = NULL;
    ck_assert_int_eq(run_prismac(NULL, "db", "push", "--schema", "schema.prisma", url), 0);
    char conninfo[4096];
    snprintf(conninfo, sizeof conninfo, "%.*s/partial_idx", (int)(slash - pg_base_url), pg_base_url);
    PGconn *c = PQconnectdb(conninfo);
    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
    PGresult *r = pg_query(c, "SELECT indexdef FROM pg_indexes WHERE indexname = 'Account_email_key'");
    ck_assert_int_eq(PQntuples(r), 1);
    ck_assert_msg(strstr(PQgetvalue(r, 0, 0), "UNIQUE") && strstr(PQgetvalue(r, 0, 0), "WHERE") &&
                      strstr(PQgetvalue(r, 0, 0), "'live'"),
                  "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    PQclear(pg_query(c, "INSERT INTO \"Account\" (id, email, status, handle) VALUES "
                        "(1, 'a@x', 'old', 'h1'), (2, 'a@x', 'old', 'h2'), (3, 'a@x', 'live', 'h3')"));
    r = PQexec(c, "INSERT INTO \"Account\" (id, email, status, handle) VALUES (4, 'a@x', 'live', 'h4')");
    ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
    ck_assert_str_eq(PQresultErrorField(r, PG_DIAG_SQLSTATE), "23505");
    PQclear(r);
    PQfinish(c);

    ck_assert_int_eq(run_prismac(&out, "db", "push", "--schema", "schema.prisma", url), 0);
    ck_assert_msg(strstr(out, "already in sync"), "PostgreSQL's printed predicates match the schema's: %s", out);
    free(out);

    write_schema("postgresql", "gone");
    ck_assert_int_eq(run_prismac(&out, "db", "push", "--schema", "schema.prisma", url), 0);
    ck_assert_msg(strstr(out, "Account_email_key"), "%s", out);
    free(out);
    c = PQconnectdb(conninfo);
    r = pg_query(c, "SELECT indexdef FROM pg_indexes WHERE indexname = 'Account_email_key'");
    ck_assert_msg(strstr(PQgetvalue(r, 0, 0), "'gone'"), "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(c);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc != 2 || !realpath(argv[1], prismac_path)) {
        fprintf(stderr, "usage: %s PRISMAC\n", argv[0]);
        return 2;
    }
    const char *skip = getenv("PRISMAC_SKIP_POSTGRES");
    bool with_pg = !(skip && strcmp(skip, "1") == 0);
    if (with_pg) {
        int skipped = 0;
        pg_base_url = pgserver_shared_url(&skipped, pg_error, sizeof pg_error);
    }
    Suite *s = suite_create("partial indexes");
    TCase *tc = tcase_create("push");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, sqlite_partial_indexes);
    tcase_add_test(tc, generated_client_has_no_partial_where_unique);
    if (with_pg)
        tcase_add_test(tc, postgres_partial_indexes);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
