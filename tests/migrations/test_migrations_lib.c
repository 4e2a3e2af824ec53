/* The migrations library without a database: SHA-256 against FIPS 180-4's
 * vectors, Prisma's checksum matching (CRLF, the old unpadded form), the
 * folder's layout and lock file, name sanitizing, statement splitting,
 * prisma.config.ts / package.json reading and the folder-vs-table report. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "migrations.h"
#include "sha256.h"

static char *tmpdir(void)
{
    char t[] = "/tmp/prismac-migr-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(t));
    return strdup(t);
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static char *slurp(const char *path)
{
    char *s = NULL;
    size_t n;
    ck_assert_int_eq(prismac_read_file(path, &s, &n), 0);
    return s;
}

/* FIPS 180-4 (and the NIST example) vectors. */
START_TEST(sha256_vectors)
{
    char hex[65];
    sha256_hex("abc", 3, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha256_hex("", 0, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_hex(two, strlen(two), hex);
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *four = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                       "mnopqrstnopqrstu";
    sha256_hex(four, strlen(four), hex);
    ck_assert_str_eq(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    /* One million 'a', fed in uneven pieces: the block boundaries move. */
    sha256_ctx c;
    unsigned char d[32];
    char *a = malloc(1000000);
    memset(a, 'a', 1000000);
    sha256_init(&c);
    for (size_t off = 0, step = 1; off < 1000000; off += step, step = step * 3 % 997 + 1)
        sha256_update(&c, a + off, off + step > 1000000 ? 1000000 - off : step);
    sha256_final(&c, d);
    char got[65];
    for (int i = 0; i < 32; i++)
        snprintf(got + 2 * i, 3, "%02x", d[i]);
    ck_assert_str_eq(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}
END_TEST

START_TEST(checksum_matching)
{
    const char *lf = "CREATE TABLE \"A\" (id INT);\nCREATE TABLE \"B\" (id INT);\n";
    const char *crlf = "CREATE TABLE \"A\" (id INT);\r\nCREATE TABLE \"B\" (id INT);\r\n";
    char a[65], b[65];
    migration_checksum(lf, strlen(lf), a);
    migration_checksum(crlf, strlen(crlf), b);
    ck_assert_str_ne(a, b);
    /* git may check a file out with either line ending: both match both. */
    ck_assert(migration_checksum_matches(lf, strlen(lf), a));
    ck_assert(migration_checksum_matches(crlf, strlen(crlf), a));
    ck_assert(migration_checksum_matches(lf, strlen(lf), b));
    ck_assert(!migration_checksum_matches("CREATE TABLE \"C\" (id INT);\n", 27, a));
    /* The old unpadded form (each byte %x): a digest with a byte < 0x10. */
    unsigned char d[32];
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, lf, strlen(lf));
    sha256_final(&c, d);
    char old[65] = "";
    size_t o = 0;
    for (int i = 0; i < 32; i++)
        o += (size_t)snprintf(old + o, sizeof old - o, "%x", d[i]);
    if (strlen(old) != 64)
        ck_assert(migration_checksum_matches(lf, strlen(lf), old));
    ck_assert(!migration_checksum_matches(lf, strlen(lf), "abc"));
}
END_TEST

START_TEST(names)
{
    char out[256];
    migrations_name_sanitize("Add User table", out, sizeof out);
    ck_assert_str_eq(out, "add_user_table");
    migrations_name_sanitize("addUserEmail", out, sizeof out);
    ck_assert_str_eq(out, "add_user_email");
    migrations_name_sanitize("  --init!! ", out, sizeof out);
    ck_assert_str_eq(out, "init");
    migrations_name_sanitize("it's done", out, sizeof out);
    ck_assert_str_eq(out, "its_done");
    migrations_name_sanitize("HTMLParser v2", out, sizeof out);
    ck_assert_str_eq(out, "html_parser_v2");
    char longname[400];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    migrations_name_sanitize(longname, out, sizeof out);
    ck_assert_uint_eq(strlen(out), 200);
    /* 2021-03-13 14:04:42 UTC */
    migrations_folder_name("init", 1615644282, out, sizeof out);
    ck_assert_str_eq(out, "20210313140442_init");
}
END_TEST

static size_t split(const char *sql, psl_arena *a, psl_vec *v)
{
    memset(v, 0, sizeof *v);
    sql_split(a, sql, strlen(sql), v);
    return v->len;
}

START_TEST(statements)
{
    psl_arena a;
    psl_vec v;
    psl_arena_init(&a);
    ck_assert_uint_eq(split("-- CreateTable\nCREATE TABLE a (x TEXT DEFAULT ';');\n\n-- only a comment;\n", &a, &v), 1);
    ck_assert_str_eq(v.items[0], "-- CreateTable\nCREATE TABLE a (x TEXT DEFAULT ';')");
    ck_assert_uint_eq(split("INSERT INTO \"a;b\" VALUES ('it''s; fine'); SELECT 1", &a, &v), 2);
    ck_assert_str_eq(v.items[1], "SELECT 1");
    ck_assert_uint_eq(split("CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE "
                            "plpgsql; SELECT $$a;b$$;",
                            &a, &v),
                      2);
    ck_assert_uint_eq(split("/* a; /* nested; */ still; */ SELECT 1; SELECT E'\\';'", &a, &v), 2);
    ck_assert_str_eq(v.items[1], "SELECT E'\\';'");
    ck_assert_uint_eq(split("CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = CASE WHEN 1 THEN 2 END; "
                            "DELETE FROM c; END; SELECT 2",
                            &a, &v),
                      2);
    ck_assert_str_eq(v.items[1], "SELECT 2");
    ck_assert_uint_eq(split("BEGIN; CREATE TABLE x (y INT); COMMIT;", &a, &v), 3);
    ck_assert_uint_eq(split("   \n-- nothing\n", &a, &v), 0);
    psl_arena_release(&a);
}
END_TEST

START_TEST(folder_and_lock)
{
    char *root = tmpdir(), path[4096], err[MIG_ERR_LEN] = "";
    snprintf(path, sizeof path, "%s/migrations", root);
    migrations_dir d;
    /* A missing folder is an empty one. */
    ck_assert_int_eq(migrations_dir_read(path, &d, err), 0);
    ck_assert(!d.exists);
    ck_assert_uint_eq(d.n, 0);
    migrations_dir_free(&d);

    char *first = NULL, *second = NULL;
    ck_assert_int_eq(migrations_dir_create(path, "Init", "CREATE TABLE a (x INT);\n", "postgresql", &first, err), 0);
    sleep(1);
    ck_assert_int_eq(migrations_dir_create(path, "two", "CREATE TABLE b (x INT);\n", "postgresql", &second, err), 0);
    ck_assert_uint_eq(strlen(first), 14 + 5);
    ck_assert_str_eq(first + 14, "_init");
    snprintf(path, sizeof path, "%s/migrations/migration_lock.toml", root);
    char *lock = slurp(path);
    ck_assert_str_eq(lock, "# Please do not edit this file manually\n"
                           "# It should be added in your version-control system (e.g., Git)\n"
                           "provider = \"postgresql\"\n");
    free(lock);
    snprintf(path, sizeof path, "%s/migrations/README.md", root);
    put(path, "not a migration\n");

    snprintf(path, sizeof path, "%s/migrations", root);
    ck_assert_int_eq(migrations_dir_read(path, &d, err), 0);
    ck_assert(d.exists);
    ck_assert_uint_eq(d.n, 2);
    ck_assert_str_eq(d.items[0].name, first);
    ck_assert_str_eq(d.items[1].name, second);
    ck_assert_str_eq(d.items[0].sql, "CREATE TABLE a (x INT);\n");
    char want[65];
    sha256_hex("CREATE TABLE a (x INT);\n", 24, want);
    ck_assert_str_eq(d.items[0].checksum, want);
    ck_assert_str_eq(d.lock_provider, "postgresql");
    ck_assert_int_eq(migrations_check_lock(&d, "postgresql", err), 0);
    ck_assert_int_eq(migrations_check_lock(&d, "sqlite", err), -1);
    ck_assert_msg(strstr(err, "P3019") && strstr(err, "`sqlite`") && strstr(err, "`postgresql`"), "%s", err);
    migrations_dir_free(&d);

    /* A folder without migration.sql: P3015. */
    snprintf(path, sizeof path, "%s/migrations/20990101000000_empty", root);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/migrations", root);
    ck_assert_int_eq(migrations_dir_read(path, &d, err), -1);
    ck_assert_msg(strstr(err, "P3015") != NULL, "%s", err);
    migrations_dir_free(&d);
    free(first);
    free(second);
    free(root);
}
END_TEST

START_TEST(config_files)
{
    char *root = tmpdir(), path[4096], err[MIG_ERR_LEN] = "", *v = NULL;
    snprintf(path, sizeof path, "%s/prisma", root);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/prisma/schema.prisma", root);
    put(path, "datasource db {\n  provider = \"sqlite\"\n}\n");
    char *loc = NULL;
    /* No config: next to the schema. */
    ck_assert_int_eq(migrations_dir_locate(path, &loc, err), 0);
    char want[4096];
    snprintf(want, sizeof want, "%s/prisma/migrations", root);
    ck_assert_str_eq(loc, want);
    free(loc);

    char cfg[4096];
    snprintf(cfg, sizeof cfg, "%s/prisma.config.ts", root);
    put(cfg, "import { defineConfig, env } from 'prisma/config'\n"
             "// migrations: { path: 'commented/out' }\n"
             "export default defineConfig({\n"
             "  schema: 'prisma/schema.prisma',\n"
             "  migrations: {\n"
             "    path: \"db/migrations\", // where they are\n"
             "    seed: `tsx prisma/seed.ts`,\n"
             "  },\n"
             "  datasource: { url: env('DATABASE_URL') },\n"
             "})\n");
    ck_assert_int_eq(migrations_dir_locate(path, &loc, err), 0);
    snprintf(want, sizeof want, "%s/db/migrations", root);
    ck_assert_str_eq(loc, want);
    free(loc);
    ck_assert_int_eq(migrations_config_string(cfg, "migrations", "seed", &v, err), 1);
    ck_assert_str_eq(v, "tsx prisma/seed.ts");
    free(v);
    ck_assert_int_eq(migrations_config_string(cfg, "migrations", "nothing", &v, err), 0);

    /* What the reader cannot read is an error, not a guess. */
    put(cfg, "const dir = 'x'\nexport default defineConfig({ migrations: { path: dir } })\n");
    ck_assert_int_eq(migrations_dir_locate(path, &loc, err), -1);
    ck_assert_msg(strstr(err, "migrations.path") && strstr(err, "not a plain string literal"), "%s", err);
    put(cfg, "export default defineConfig({ migrations: { path: `${root}/m` } })\n");
    ck_assert_int_eq(migrations_dir_locate(path, &loc, err), -1);

    /* package.json's prisma.seed (Prisma 6 and before). */
    snprintf(cfg, sizeof cfg, "%s/package.json", root);
    put(cfg, "{ \"name\": \"app\", \"devDependencies\": { \"prisma\": \"^6.0.0\" }, \"scripts\": { \"seed\": \"no\" },\n"
             "  \"prisma\": { \"seed\": \"node \\\"prisma/seed.js\\\"\" } }\n");
    ck_assert_int_eq(migrations_config_string(cfg, "prisma", "seed", &v, err), 1);
    ck_assert_str_eq(v, "node \"prisma/seed.js\"");
    free(v);
    free(root);
}
END_TEST

/* The report over rows as Prisma writes them. */
START_TEST(report)
{
    psl_arena a;
    psl_arena_init(&a);
    char na[] = "20240101000000_a", nb[] = "20240102000000_b", nc[] = "20240103000000_c";
    char sa[] = "A;\n", sb[] = "B;\n", sc[] = "C;\n";
    migration_file files[3] = {
        { .name = na, .sql = sa, .sql_len = 3 },
        { .name = nb, .sql = sb, .sql_len = 3 },
        { .name = nc, .sql = sc, .sql_len = 3 },
    };
    for (int i = 0; i < 3; i++)
        migration_checksum(files[i].sql, 3, files[i].checksum);
    migrations_dir d = { .items = files, .n = 3 };
    history_row rows[4] = {
        { .migration_name = "20240101000000_a", .checksum = files[0].checksum, .finished_at = "t",
          .state = HIST_APPLIED },
        /* modified after it was applied */
        { .migration_name = "20240102000000_b", .checksum = files[0].checksum, .finished_at = "t",
          .state = HIST_APPLIED },
    };
    migrations_report r;
    migrations_status(&a, &d, rows, 2, &r);
    ck_assert_uint_eq(r.applied.len, 2);
    ck_assert_uint_eq(r.pending.len, 1);
    ck_assert_str_eq(r.pending.items[0], "20240103000000_c");
    ck_assert_uint_eq(r.modified.len, 1);
    ck_assert_str_eq(r.modified.items[0], "20240102000000_b");
    ck_assert(!r.diverged);
    ck_assert_str_eq(r.last_common, "20240102000000_b");

    /* A failed then rolled-back attempt, and one missing locally. */
    rows[1].checksum = files[1].checksum;
    rows[2] = (history_row){ .migration_name = "20240103000000_c", .checksum = files[2].checksum,
                             .rolled_back_at = "t", .state = HIST_ROLLED_BACK };
    rows[3] = (history_row){ .migration_name = "20231231000000_gone", .checksum = "x", .finished_at = "t",
                             .state = HIST_APPLIED };
    migrations_status(&a, &d, rows, 4, &r);
    ck_assert_uint_eq(r.pending.len, 1);
    ck_assert_uint_eq(r.failed.len, 0);
    ck_assert_uint_eq(r.missing_locally.len, 1);
    ck_assert(r.diverged);
    rows[2].rolled_back_at = NULL;
    rows[2].state = HIST_FAILED;
    migrations_status(&a, &d, rows, 3, &r);
    ck_assert_uint_eq(r.pending.len, 0);
    ck_assert_uint_eq(r.failed.len, 1);
    psl_arena_release(&a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("migrations library");
    TCase *t = tcase_create("lib");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, sha256_vectors);
    tcase_add_test(t, checksum_matching);
    tcase_add_test(t, names);
    tcase_add_test(t, statements);
    tcase_add_test(t, folder_and_lock);
    tcase_add_test(t, config_files);
    tcase_add_test(t, report);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
