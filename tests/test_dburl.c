/* The one datasource resolver (runtime/base/dburl.c and each backend's parse_url): url parsing, Prisma's
 * parameters stripped for libpq, .env edge cases, the relative-path rule;
 * and end to end: with the schema in prisma/, `prismac db push` and the
 * program (the generated client of tests/schemas/crud_sqlite.prisma,
 * prisma_connect with a NULL url) open the same ./dev.db.
 *
 * Arguments: the prismac executable and tests/schemas/crud_sqlite.prisma. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include TEST_CLIENT_H
#include "backend.h"

static const char *prismac_path, *crud_schema_path;

/* ---- helpers ---- */

static char *make_dir(void)
{
    char tmpl[] = "/tmp/prismac-dburl-XXXXXX";
    char *d = mkdtemp(tmpl);
    ck_assert_ptr_nonnull(d);
    return strdup(d);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
    fputs(text, f);
    fclose(f);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
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

static void remove_tree(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* The value of `key` in a .env text, "(absent)" when not there. */
static char *env_of(const char *text, const char *key)
{
    char *v = NULL;
    int rc = dburl_dotenv_find(text, strlen(text), key, &v);
    ck_assert_int_ge(rc, 0);
    return rc ? v : strdup("(absent)");
}

static void expect_env(const char *text, const char *key, const char *want)
{
    char *got = env_of(text, key);
    ck_assert_msg(strcmp(got, want) == 0, "%s in\n%s\n  expected [%s]\n  got      [%s]", key, text, want, got);
    free(got);
}

/* ---- urls ---- */

START_TEST(sqlite_paths)
{
    dburl u;
    char why[256];
    ck_assert_int_eq(backend_parse_url("file:./dev.db", &u, why, sizeof why), 0);
    ck_assert_str_eq(u.backend->name, "sqlite");
    ck_assert_str_eq(u.path, "./dev.db"); /* relative to the current directory, never the schema's */
    ck_assert(!u.memory);
    dburl_free(&u);

    ck_assert_int_eq(backend_parse_url("file:dev.db?connection_limit=3&socket_timeout=7", &u, why, sizeof why), 0);
    ck_assert_str_eq(u.path, "dev.db");
    ck_assert_int_eq(u.params.connection_limit, 3);
    ck_assert_int_eq(u.params.socket_timeout_s, 7);
    ck_assert_int_eq(u.params.pool_timeout_s, -1);
    dburl_free(&u);

    ck_assert_int_eq(backend_parse_url("file:///tmp/x.db", &u, why, sizeof why), 0);
    ck_assert_str_eq(u.path, "/tmp/x.db");
    dburl_free(&u);

    ck_assert_int_eq(backend_parse_url("file::memory:", &u, why, sizeof why), 0);
    ck_assert(u.memory);
    ck_assert_str_eq(u.path, ":memory:");
    dburl_free(&u);

    ck_assert_int_eq(backend_parse_url("file:shared?mode=memory&cache=shared", &u, why, sizeof why), 0);
    ck_assert(u.memory);
    ck_assert_str_eq(u.path, "file:shared?mode=memory&cache=shared");
    dburl_free(&u);

    ck_assert_int_eq(backend_parse_url("file:", &u, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "names no file") != NULL, "%s", why);
    dburl_free(&u);
    ck_assert_int_eq(backend_parse_url("sqlserver://localhost;database=x", &u, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "must start with one of `file:` (SQLite)") != NULL, "%s", why);
    ck_assert_msg(strstr(why, "`mysql://` (MySQL)") != NULL, "%s", why);
    dburl_free(&u);
    /* issue 16: MySQL's urls open with its backend. */
    ck_assert_int_eq(backend_parse_url("mysql://localhost/x", &u, why, sizeof why), 0);
    ck_assert_str_eq(u.database, "x");
    dburl_free(&u);
}
END_TEST

START_TEST(postgres_parameters)
{
    dburl u;
    char why[256];
    const char *url = "postgresql://me:p%23w@db.example:6432/my%20db?schema=my%20app&connection_limit=7"
                      "&pool_timeout=20&connect_timeout=9&socket_timeout=30&pgbouncer=true"
                      "&statement_cache_size=0&sslmode=require&sslaccept=strict&sslidentity=id.p12"
                      "&sslpassword=pw&sslcert=c.pem&max_connection_lifetime=60&max_idle_connection_lifetime=5"
                      "&single_use_connections=false&application_name=app";
    ck_assert_int_eq(backend_parse_url(url, &u, why, sizeof why), 0);
    ck_assert_str_eq(u.backend->name, "postgresql");
    /* libpq's own parameters stay; Prisma's go (sslmode, connect_timeout and
     * sslcert, Prisma's certificate of the server, are applied by pg_connect). */
    ck_assert_str_eq(u.conninfo, "postgresql://me:p%23w@db.example:6432/my%20db?application_name=app");
    ck_assert_str_eq(u.sslmode, "require");
    ck_assert_str_eq(u.sslcert, "c.pem");
    ck_assert_str_eq(u.sslidentity, "id.p12");
    ck_assert_str_eq(u.sslpassword, "pw");
    ck_assert_int_eq(u.params.sslaccept, 1);
    ck_assert_str_eq(u.schema, "my app");
    ck_assert(u.schema_set);
    ck_assert_str_eq(u.database, "my db");
    ck_assert_int_eq(u.params.connection_limit, 7);
    ck_assert_int_eq(u.params.pool_timeout_s, 20);
    ck_assert_int_eq(u.params.connect_timeout_s, 9);
    ck_assert_int_eq(u.params.socket_timeout_s, 30);
    ck_assert_int_eq(u.params.pgbouncer, 1);
    ck_assert_int_eq(u.params.statement_cache_size, 0);
    ck_assert_int_eq(u.params.max_connection_lifetime_s, 60);
    ck_assert_int_eq(u.params.max_idle_connection_lifetime_s, 5);
    ck_assert_int_eq(u.params.single_use_connections, 0);

    char *other = backend_url_with_database(&u, "postgres");
    ck_assert_str_eq(other, "postgresql://me:p%23w@db.example:6432/postgres?schema=my%20app&connection_limit=7"
                            "&pool_timeout=20&connect_timeout=9&socket_timeout=30&pgbouncer=true"
                            "&statement_cache_size=0&sslmode=require&sslaccept=strict&sslidentity=id.p12"
                            "&sslpassword=pw&sslcert=c.pem&max_connection_lifetime=60"
                            "&max_idle_connection_lifetime=5&single_use_connections=false&application_name=app");
    free(other);
    dburl_free(&u);

    ck_assert_int_eq(backend_parse_url("postgres://localhost", &u, why, sizeof why), 0);
    ck_assert_str_eq(u.conninfo, "postgres://localhost");
    ck_assert_str_eq(u.schema, "public");
    ck_assert(!u.schema_set);
    ck_assert_ptr_null(u.database);
    other = backend_url_with_database(&u, "a b");
    ck_assert_str_eq(other, "postgres://localhost/a%20b");
    free(other);
    dburl_free(&u);

    ck_assert_int_eq(backend_parse_url("postgresql://h/d?connection_limit=many", &u, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "connection_limit must be a whole number") != NULL, "%s", why);
    ck_assert_int_eq(backend_parse_url("postgresql://h/d?pgbouncer=yes", &u, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "pgbouncer must be true or false") != NULL, "%s", why);
}
END_TEST

/* issue 15: url. A parameter neither Prisma nor libpq knows is refused,
 * naming it; libpq's own pass through; bad values name their parameter; the
 * multi-host form keeps its hosts. */
START_TEST(postgres_unknown_and_libpq_parameters)
{
    dburl u;
    char why[512];
    ck_assert_int_eq(backend_parse_url("postgresql://h/d?conection_limit=3", &u, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "The provided database string is invalid. Unknown parameter `conection_limit`"), "%s",
                  why);
    ck_assert_int_eq(backend_parse_url("postgresql://h/d?sslmode=bogus", &u, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "sslmode must be disable, prefer or require") && strstr(why, "`bogus`"), "%s", why);
    ck_assert_int_eq(backend_parse_url("postgresql://h/d?sslaccept=x", &u, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "sslaccept must be strict or accept_invalid_certs"), "%s", why);
    ck_assert_int_eq(backend_parse_url("postgresql://h/d?connection_limit=abc", &u, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "The provided database string is invalid. The parameter connection_limit"), "%s", why);

    const char *multi = "postgresql://u:pw@h1:5433,h2:5434,[::1]:5435/app?target_session_attrs=read-write"
                        "&keepalives=1&sslrootcert=ca.pem&options=-c%20geqo%3Doff&connection_limit=4&sslmode=verify-ca";
    ck_assert_int_eq(backend_parse_url(multi, &u, why, sizeof why), 0);
    ck_assert_str_eq(u.conninfo, "postgresql://u:pw@h1:5433,h2:5434,[::1]:5435/app?target_session_attrs=read-write"
                                 "&keepalives=1&sslrootcert=ca.pem&options=-c%20geqo%3Doff");
    ck_assert_str_eq(u.database, "app");
    ck_assert_str_eq(u.sslmode, "verify-ca");
    ck_assert_int_eq(u.params.connection_limit, 4);
    char *other = backend_url_with_database(&u, "postgres");
    ck_assert_str_eq(other, "postgresql://u:pw@h1:5433,h2:5434,[::1]:5435/postgres?target_session_attrs=read-write"
                            "&keepalives=1&sslrootcert=ca.pem&options=-c%20geqo%3Doff&connection_limit=4"
                            "&sslmode=verify-ca");
    free(other);
    dburl_free(&u);
}
END_TEST

/* ---- .env ---- */

START_TEST(dotenv_values)
{
    const char *text = "# a comment\n"
                       "\n"
                       "PLAIN=postgresql://u:p#w@h/db\n"
                       "COMMENTED=value # a comment\n"
                       "TAB_COMMENT=value\t# a comment\n"
                       "HASH_FIRST=#not-a-comment-start?\n"
                       "  export EXPORTED = 'single # kept'\n"
                       "DOUBLE=\"a\\nb \\\"q\\\" # kept\" # comment\n"
                       "SINGLE='a\\nb'\n"
                       "CRLF=crlf value  \r\n"
                       "MULTI=\"line one\nline two\"\n"
                       "AFTER_MULTI=after\n"
                       "EMPTY=\n"
                       "FIRST=one\n"
                       "FIRST=two\n"
                       "FIRSTX=prefix-not-matched\n"
                       "UNCLOSED=\"no end\n"
                       "exportNOT=x\n";
    expect_env(text, "PLAIN", "postgresql://u:p#w@h/db");
    expect_env(text, "COMMENTED", "value");
    expect_env(text, "TAB_COMMENT", "value");
    expect_env(text, "HASH_FIRST", "");
    expect_env(text, "EXPORTED", "single # kept");
    expect_env(text, "DOUBLE", "a\nb \"q\" # kept");
    expect_env(text, "SINGLE", "a\\nb");
    expect_env(text, "CRLF", "crlf value");
    expect_env(text, "MULTI", "line one\nline two");
    expect_env(text, "AFTER_MULTI", "after");
    expect_env(text, "EMPTY", "");
    expect_env(text, "FIRST", "one");
    expect_env(text, "FIRSTX", "prefix-not-matched");
    expect_env(text, "UNCLOSED", "\"no end");
    expect_env(text, "exportNOT", "x");
    expect_env(text, "MISSING", "(absent)");
    expect_env("NO_NEWLINE=last", "NO_NEWLINE", "last");
}
END_TEST

/* The environment wins over .env; .env is read from the current directory. */
START_TEST(dotenv_lookup_order)
{
    char *dir = make_dir();
    char cwd[4096];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    write_file(dir, ".env", "PRISMAC_DBURL_A=from-dotenv\nPRISMAC_DBURL_B=\"b from dotenv\"\n");
    ck_assert_int_eq(chdir(dir), 0);
    setenv("PRISMAC_DBURL_A", "from-environment", 1);
    unsetenv("PRISMAC_DBURL_B");
    unsetenv("PRISMAC_DBURL_C");
    char *a = dburl_getenv("PRISMAC_DBURL_A"), *b = dburl_getenv("PRISMAC_DBURL_B");
    ck_assert_str_eq(a, "from-environment");
    ck_assert_str_eq(b, "b from dotenv");
    ck_assert_ptr_null(dburl_getenv("PRISMAC_DBURL_C"));
    free(a);
    free(b);

    char *url = NULL;
    ck_assert_int_eq(dburl_resolve("file:given.db", "file:literal.db", "PRISMAC_DBURL_B", &url), DBURL_OK);
    ck_assert_str_eq(url, "file:given.db");
    free(url);
    ck_assert_int_eq(dburl_resolve(NULL, "file:literal.db", "PRISMAC_DBURL_B", &url), DBURL_OK);
    ck_assert_str_eq(url, "file:literal.db");
    free(url);
    ck_assert_int_eq(dburl_resolve(NULL, NULL, "PRISMAC_DBURL_B", &url), DBURL_OK);
    ck_assert_str_eq(url, "b from dotenv");
    free(url);
    ck_assert_int_eq(dburl_resolve(NULL, NULL, "PRISMAC_DBURL_C", &url), DBURL_ENV_MISSING);

    /* No url in the schema (Prisma 7): DATABASE_URL, from the environment,
     * else from .env; the caller's url still wins. */
    unsetenv("DATABASE_URL");
    ck_assert_int_eq(dburl_resolve(NULL, NULL, NULL, &url), DBURL_ENV_MISSING);
    ck_assert_ptr_null(url);
    write_file(dir, ".env", "PRISMAC_DBURL_B=\"b from dotenv\"\nDATABASE_URL=file:./from-dotenv.db\n");
    ck_assert_int_eq(dburl_resolve(NULL, NULL, NULL, &url), DBURL_OK);
    ck_assert_str_eq(url, "file:./from-dotenv.db");
    free(url);
    setenv("DATABASE_URL", "file:./from-environment.db", 1);
    ck_assert_int_eq(dburl_resolve(NULL, NULL, NULL, &url), DBURL_OK);
    ck_assert_str_eq(url, "file:./from-environment.db");
    free(url);
    ck_assert_int_eq(dburl_resolve("file:given.db", NULL, NULL, &url), DBURL_OK);
    ck_assert_str_eq(url, "file:given.db");
    free(url);
    unsetenv("DATABASE_URL");

    /* A .env in the schema's folder is not read. */
    ck_assert_int_eq(mkdir("prisma", 0700), 0);
    write_file(dir, "prisma/.env", "PRISMAC_DBURL_C=from-prisma-folder\n");
    ck_assert_ptr_null(dburl_getenv("PRISMAC_DBURL_C"));

    unsetenv("PRISMAC_DBURL_A");
    ck_assert_int_eq(chdir(cwd), 0);
    remove_tree(dir);
    free(dir);
}
END_TEST

/* ---- end to end ---- */

/* Runs `prismac db push --schema <schema>` in `dir`; returns its exit status
 * and its output in *out. */
static int run_push(const char *dir, const char *schema, char **out)
{
    char log[1100];
    snprintf(log, sizeof log, "%s/push.log", dir);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || chdir(dir) != 0)
            _exit(127);
        dup2(fd, 1);
        dup2(fd, 2);
        execl(prismac_path, prismac_path, "db", "push", "--schema", schema, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    *out = read_all(log);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The schema at `schema` (relative to a new project folder), its url
 * env("DATABASE_URL") = file:./dev.db in the project's .env: db push, then
 * the program from the project folder, both open ./dev.db. */
static void push_then_open(const char *schema, const char *schema_dir)
{
    char *dir = make_dir();
    char cwd[4096];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    if (schema_dir) {
        char sub[1100];
        snprintf(sub, sizeof sub, "%s/%s", dir, schema_dir);
        ck_assert_int_eq(mkdir(sub, 0700), 0);
    }
    char *text = read_all(crud_schema_path);
    write_file(dir, schema, text);
    free(text);
    write_file(dir, ".env", "# the project's settings\nDATABASE_URL=\"file:./dev.db\"\n");
    unsetenv("DATABASE_URL");

    char *out = NULL;
    int rc = run_push(dir, schema, &out);
    ck_assert_msg(rc == 0, "db push failed (%d):\n%s", rc, out);
    free(out);

    char path[1100];
    snprintf(path, sizeof path, "%s/dev.db", dir);
    struct stat st;
    ck_assert_msg(stat(path, &st) == 0, "db push did not create ./dev.db");
    if (schema_dir) {
        snprintf(path, sizeof path, "%s/%s/dev.db", dir, schema_dir);
        ck_assert_msg(stat(path, &st) != 0, "db push created %s/dev.db, next to the schema", schema_dir);
    }

    ck_assert_int_eq(chdir(dir), 0);
    prisma_client *db = NULL;
    ck_assert_msg(prisma_connect(&db, NULL) == PRISMA_OK, "%s", prisma_last_connect_error());
    int64_t n = -1;
    int qrc = user_count(db, NULL, &n);
    ck_assert_msg(qrc == PRISMA_OK, "the program's database lacks the pushed tables: %s", prisma_error_message(db));
    ck_assert_int_eq(n, 0);
    prisma_disconnect(db);
    ck_assert_int_eq(chdir(cwd), 0);
    remove_tree(dir);
    free(dir);
}

START_TEST(push_and_program_share_file_schema_in_prisma)
{
    push_then_open("prisma/schema.prisma", "prisma");
}
END_TEST

START_TEST(push_and_program_share_file_schema_in_root)
{
    push_then_open("schema.prisma", NULL);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s PRISMAC CRUD_SQLITE_SCHEMA\n", argv[0]);
        return 2;
    }
    prismac_path = argv[1];
    crud_schema_path = argv[2];
    static char abs_prismac[4096], abs_schema[4096];
    if (realpath(prismac_path, abs_prismac))
        prismac_path = abs_prismac;
    if (realpath(crud_schema_path, abs_schema))
        crud_schema_path = abs_schema;
    Suite *s = suite_create("dburl");
    TCase *tc = tcase_create("dburl");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, sqlite_paths);
    tcase_add_test(tc, postgres_parameters);
    tcase_add_test(tc, postgres_unknown_and_libpq_parameters);
    tcase_add_test(tc, dotenv_values);
    tcase_add_test(tc, dotenv_lookup_order);
    tcase_add_test(tc, push_and_program_share_file_schema_in_prisma);
    tcase_add_test(tc, push_and_program_share_file_schema_in_root);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
