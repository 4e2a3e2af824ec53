/* db pull and describe on MySQL/MariaDB, against a server of the test's own
 * (support/myserver.c): tables written by hand in MariaDB's own DDL are read
 * back as Prisma's MySQL introspection writes them (native types, tinyint(1)
 * Boolean, MariaDB's Json, enum columns, AUTO_INCREMENT, now(), relations),
 * and the schema read back is in sync with the database (db push plans
 * nothing). */
#include <check.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "myserver.h"
#include "plan.h"
#include "pull.h"
#include "push.h"
#include "session.h"

static char db_url[4096];
static char setup_error[2048];

static const char *const ddl =
    "CREATE TABLE `User` ("
    " `id` INT NOT NULL AUTO_INCREMENT,"
    " `email` VARCHAR(191) NOT NULL,"
    " `nick` VARCHAR(30) NULL,"
    " `active` TINYINT(1) NOT NULL DEFAULT 1,"
    " `karma` INT UNSIGNED NOT NULL DEFAULT 0,"
    " `balance` DECIMAL(10,2) NULL,"
    " `meta` JSON NULL,"
    " `role` ENUM('USER','ADMIN') NOT NULL DEFAULT 'USER',"
    " `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
    " UNIQUE INDEX `User_email_key`(`email`),"
    " PRIMARY KEY (`id`)"
    ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    "CREATE TABLE `Post` ("
    " `id` INT NOT NULL AUTO_INCREMENT,"
    " `title` TEXT NOT NULL,"
    " `authorId` INT NOT NULL,"
    " INDEX `Post_title_idx`(`title`(20)),"
    " FULLTEXT INDEX `Post_title_ft`(`title`),"
    " PRIMARY KEY (`id`)"
    ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    "ALTER TABLE `Post` ADD CONSTRAINT `Post_authorId_fkey` FOREIGN KEY (`authorId`) REFERENCES `User`(`id`) "
    "ON DELETE CASCADE ON UPDATE CASCADE";

/* The schema db pull reads from the test database (malloc'd). */
static char *pulled(void)
{
    const migrate_dialect *D = migrate_dialect_for(PSL_PROVIDER_MYSQL);
    ck_assert_ptr_nonnull(D);
    mig_session S = { 0 };
    ck_assert_msg(session_open_url(&S, "test", D, db_url) == 0, "cannot open %s", db_url);
    db_state st = { 0 };
    ck_assert_msg(D->describe(&S.c, &st) == 0, "describe: %s", S.c.err);
    char *text = prismac_pull_schema_text(D, &st, NULL);
    session_close(&S);
    ck_assert_ptr_nonnull(text);
    return text;
}

static void expect_line(const char *schema, const char *field, const char *rest)
{
    /* the formatter aligns columns: compare with runs of spaces collapsed */
    char want[512];
    snprintf(want, sizeof want, "%s %s", field, rest);
    const char *p = schema;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        char line[512];
        size_t o = 0;
        for (size_t i = 0; i < n && o + 1 < sizeof line; i++) {
            if (p[i] == ' ' && (o == 0 || line[o - 1] == ' '))
                continue;
            line[o++] = p[i];
        }
        line[o] = '\0';
        if (strcmp(line, want) == 0)
            return;
        p += n + (eol ? 1 : 0);
    }
    ck_abort_msg("no line \"%s\" in:\n%s", want, schema);
}

START_TEST(pull_reads_prisma_types)
{
    ck_assert_msg(*db_url, "MariaDB is not available: %s", setup_error);
    char *s = pulled();
    expect_line(s, "id", "Int @id @default(autoincrement())");
    expect_line(s, "email", "String @unique");
    expect_line(s, "nick", "String? @db.VarChar(30)");
    expect_line(s, "active", "Boolean @default(true)");
    expect_line(s, "karma", "Int @default(0) @db.UnsignedInt");
    expect_line(s, "balance", "Decimal? @db.Decimal(10, 2)");
    expect_line(s, "meta", "Json?");
    expect_line(s, "role", "User_role @default(USER)");
    expect_line(s, "createdAt", "DateTime @default(now())");
    expect_line(s, "title", "String @db.Text");
    expect_line(s, "User", "User @relation(fields: [authorId], references: [id], onDelete: Cascade)");
    ck_assert_msg(strstr(s, "enum User_role {") != NULL, "%s", s);
    ck_assert_msg(strstr(s, "@@index([title(length: 20)])") != NULL, "%s", s);
    ck_assert_msg(strstr(s, "@@fulltext([title], map: \"Post_title_ft\")") != NULL, "%s", s);
    ck_assert_msg(strstr(s, "Post_authorId_fkey") == NULL, "the foreign key's own index was read:\n%s", s);
    free(s);
}
END_TEST

/* The schema read back, pushed to the same database, changes nothing. */
START_TEST(pulled_schema_is_in_sync)
{
    ck_assert_msg(*db_url, "MariaDB is not available: %s", setup_error);
    char *s = pulled();
    char dir[] = "/tmp/prismac-pull-mysql-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/schema.prisma", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(s, f);
    fclose(f);
    prismac_push_options o = { .schema_path = path, .url = db_url };
    char *script = NULL;
    ck_assert_int_eq(prismac_db_push_plan(&o, &script), 0);
    ck_assert_msg(strcmp(script, "") == 0, "not in sync:\n%s\nschema:\n%s", script, s);
    free(script);
    free(s);
    unlink(path);
    rmdir(dir);
}
END_TEST

int main(void)
{
    int skipped = 0;
    if (myserver_fresh_database("pull", db_url, sizeof db_url, &skipped, setup_error, sizeof setup_error) != 0) {
        if (skipped)
            return 77;
        db_url[0] = '\0';
    } else {
        void *m = myserver_connect(db_url, setup_error, sizeof setup_error);
        if (!m || myserver_exec(m, ddl, setup_error, sizeof setup_error) != 0)
            db_url[0] = '\0';
        if (m)
            mysql_close(m);
    }
    Suite *s = suite_create("pull mysql");
    TCase *tc = tcase_create("pull");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, pull_reads_prisma_types);
    tcase_add_test(tc, pulled_schema_is_in_sync);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
