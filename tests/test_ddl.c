/* psl_ddl_create against Prisma's migration corpus: for every schema tagged
 * sqlite or postgres, the rendered script equals the `// Expected Migration:`
 * block byte for byte. Plus a few renderings the corpus does not cover
 * (defaults, join tables on SQLite, native types, index options).
 *
 * Usage: test_ddl CORPUS_DIR */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "ddl.h"
#include "schema.h"

static char **files;
static size_t n_files;

static int push_file(const char *path)
{
    char **nf = realloc(files, (n_files + 1) * sizeof *files);
    if (!nf)
        return -1;
    files = nf;
    files[n_files] = strdup(path);
    if (!files[n_files])
        return -1;
    n_files++;
    return 0;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects every *.prisma below `dir`. */
static int collect(const char *dir)
{
    int rc = -1;
    DIR *dh = opendir(dir);
    if (!dh) {
        fprintf(stderr, "test_ddl: cannot open %s: %s\n", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            goto done;
        if (S_ISDIR(st.st_mode)) {
            if (collect(path) != 0)
                goto done;
        } else {
            size_t n = strlen(path);
            if (n > 7 && strcmp(path + n - 7, ".prisma") == 0 && push_file(path) != 0)
                goto done;
        }
    }
    rc = 0;
done:
    closedir(dh);
    return rc;
}

/* Whether the `// tags=` line names sqlite, postgres or mysql (vitess: Prisma's MySQL renderer too). */
static int wanted(const char *text)
{
    const char *t = strstr(text, "// tags=");
    if (!t)
        return 0;
    t += 8;
    size_t n = strcspn(t, "\r\n");
    char tags[256];
    if (n >= sizeof tags)
        n = sizeof tags - 1;
    memcpy(tags, t, n);
    tags[n] = '\0';
    for (char *save = NULL, *tok = strtok_r(tags, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
        if (strcmp(tok, "sqlite") == 0 || strcmp(tok, "postgres") == 0 || strcmp(tok, "mysql") == 0 ||
            strcmp(tok, "vitess") == 0)
            return 1;
    return 0;
}

/* The expected script: the comment lines after `// Expected Migration:`
 * without their `// ` prefix. malloc'd; NULL when there is no such block. */
static char *expected_migration(const char *text)
{
    const char *m = strstr(text, "// Expected Migration:");
    if (!m)
        return NULL;
    m = strchr(m, '\n');
    size_t cap = strlen(text) + 2, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    while (m && *m) {
        m++;
        const char *end = strchr(m, '\n');
        size_t len = end ? (size_t)(end - m) : strlen(m);
        if (len >= 2 && m[0] == '/' && m[1] == '/') {
            size_t skip = len >= 3 && m[2] == ' ' ? 3 : 2;
            memcpy(out + n, m + skip, len - skip);
            n += len - skip;
            out[n++] = '\n';
        } else if (len != 0) {
            break;
        }
        m = end;
    }
    while (n >= 2 && out[n - 1] == '\n' && out[n - 2] == '\n')
        n--; /* trailing blank comment lines */
    out[n] = '\0';
    return out;
}

/* Prints both texts and the first differing line. */
static void report_diff(const char *file, const char *want, const char *got)
{
    size_t line = 1;
    const char *a = want, *b = got;
    while (*a && *a == *b) {
        if (*a == '\n')
            line++;
        a++;
        b++;
    }
    fprintf(stderr, "%s: rendered DDL differs at line %zu\n--- expected\n%s--- rendered\n%s---\n", file, line, want,
            got);
}

/* Renders `text` for its datasource provider; NULL with a message on error. */
static char *render(const char *name, const char *text, char *why, size_t why_len)
{
    psl_schema *s = psl_schema_load(name, text, strlen(text));
    char *out = NULL;
    if (!s) {
        snprintf(why, why_len, "out of memory");
        return NULL;
    }
    if (s->diags.errors) {
        psl_diags_print(&s->diags, stderr, s->files, s->n_files, false);
        snprintf(why, why_len, "%s: the schema has %zu error(s)", name, s->diags.errors);
        goto done;
    }
    if (!s->datasource) {
        snprintf(why, why_len, "%s: no datasource", name);
        goto done;
    }
    out = psl_ddl_create(s, s->datasource->provider, NULL);
    if (!out)
        snprintf(why, why_len, "%s: psl_ddl_create failed", name);
done:
    psl_schema_free(s);
    return out;
}

START_TEST(corpus_file)
{
    const char *path = files[_i];
    char *text = NULL, *want = NULL, *got = NULL;
    size_t len;
    char why[512] = "";
    ck_assert_msg(prismac_read_file(path, &text, &len) == 0, "cannot read %s", path);
    if (!wanted(text)) {
        printf("skip %s (not tagged sqlite or postgres)\n", path);
        goto done;
    }
    want = expected_migration(text);
    ck_assert_msg(want != NULL, "%s: no `// Expected Migration:` block", path);
    got = render(path, text, why, sizeof why);
    ck_assert_msg(got != NULL, "%s", why);
    if (strcmp(want, got) != 0)
        report_diff(path, want, got);
    ck_assert_msg(strcmp(want, got) == 0, "%s: rendered DDL differs from Prisma's (see stderr)", path);
    printf("ok   %s\n", path);
done:
    free(text);
    free(want);
    free(got);
}
END_TEST

START_TEST(corpus_not_empty)
{
    size_t tagged = 0;
    for (size_t i = 0; i < n_files; i++) {
        char *text;
        size_t len;
        if (prismac_read_file(files[i], &text, &len) == 0) {
            tagged += (size_t)wanted(text);
            free(text);
        }
    }
    printf("migration corpus: %zu files, %zu tagged sqlite/postgres\n", n_files, tagged);
    ck_assert_uint_gt(tagged, 0);
}
END_TEST

/* ---- renderings beyond the corpus ---- */

static void check_render(const char *schema, const char *want)
{
    char why[512] = "";
    char *got = render("inline.prisma", schema, why, sizeof why);
    ck_assert_msg(got != NULL, "%s", why);
    if (strcmp(want, got) != 0)
        report_diff("inline.prisma", want, got);
    int same = strcmp(want, got) == 0;
    free(got);
    ck_assert_msg(same, "rendered DDL differs (see stderr)");
}

/* PostgreSQL scalar lists of every type: array columns (never NOT NULL, as
 * Prisma), native types, and their defaults as the migration engine writes
 * them (ARRAY[...]::TYPE[]). */
START_TEST(postgres_scalar_lists)
{
    check_render(
        "datasource db {\n"
        "  provider = \"postgresql\"\n"
        "  url      = \"postgresql://x\"\n"
        "}\n"
        "\n"
        "enum Color {\n"
        "  RED\n"
        "  GREEN @map(\"green\")\n"
        "}\n"
        "\n"
        "model L {\n"
        "  id     Int        @id\n"
        "  s      String[]   @default([\"it's\", \"a\\\"b\", \"c\\\\d\"])\n"
        "  e      String[]   @default([])\n"
        "  i      Int[]      @default([1, -2])\n"
        "  b      BigInt[]   @default([9007199254740993])\n"
        "  f      Float[]    @default([1.5, 2])\n"
        "  d      Decimal[]  @default([2.25])\n"
        "  t      Boolean[]  @default([true, false])\n"
        "  dt     DateTime[] @default([\"2018-01-27T08:00:00.5+02:00\"])\n"
        "  j      Json[]     @default([\"{\\\"a\\\": 1}\"])\n"
        "  by     Bytes[]    @default([\"aGVsbG8=\"])\n"
        "  c      Color[]    @default([GREEN])\n"
        "  v      String[]   @db.VarChar(10) @default([\"x\"])\n"
        "  n      Decimal[]  @db.Decimal(10, 2)\n"
        "  tz     DateTime[] @db.Timestamptz(6)\n"
        "  u      String[]   @db.Uuid\n"
        "  plain  Int[]\n"
        "}\n",
        "-- CreateEnum\n"
        "CREATE TYPE \"Color\" AS ENUM ('RED', 'green');\n"
        "\n"
        "-- CreateTable\n"
        "CREATE TABLE \"L\" (\n"
        "    \"id\" INTEGER NOT NULL,\n"
        "    \"s\" TEXT[] DEFAULT ARRAY['it''s', 'a\"b', 'c\\d']::TEXT[],\n"
        "    \"e\" TEXT[] DEFAULT ARRAY[]::TEXT[],\n"
        "    \"i\" INTEGER[] DEFAULT ARRAY[1, -2]::INTEGER[],\n"
        "    \"b\" BIGINT[] DEFAULT ARRAY[9007199254740993]::BIGINT[],\n"
        "    \"f\" DOUBLE PRECISION[] DEFAULT ARRAY[1.5, 2]::DOUBLE PRECISION[],\n"
        "    \"d\" DECIMAL(65,30)[] DEFAULT ARRAY[2.25]::DECIMAL(65,30)[],\n"
        "    \"t\" BOOLEAN[] DEFAULT ARRAY[true, false]::BOOLEAN[],\n"
        "    \"dt\" TIMESTAMP(3)[] DEFAULT ARRAY['2018-01-27 08:00:00.500 +02:00']::TIMESTAMP(3)[],\n"
        "    \"j\" JSONB[] DEFAULT ARRAY['{\"a\": 1}']::JSONB[],\n"
        "    \"by\" BYTEA[] DEFAULT ARRAY['\\x68656c6c6f']::BYTEA[],\n"
        "    \"c\" \"Color\"[] DEFAULT ARRAY['green']::\"Color\"[],\n"
        "    \"v\" VARCHAR(10)[] DEFAULT ARRAY['x']::VARCHAR(10)[],\n"
        "    \"n\" DECIMAL(10,2)[],\n"
        "    \"tz\" TIMESTAMPTZ(6)[],\n"
        "    \"u\" UUID[],\n"
        "    \"plain\" INTEGER[],\n"
        "\n"
        "    CONSTRAINT \"L_pkey\" PRIMARY KEY (\"id\")\n"
        ");\n");
}
END_TEST

/* The example schema on SQLite: enum as TEXT, implicit m-n table with its
 * unique index, inline foreign keys. */
START_TEST(sqlite_example)
{
    check_render("datasource db {\n  provider = \"sqlite\"\n  url = \"file:dev.db\"\n}\n"
                 "enum Role {\n  USER\n  ADMIN\n}\n"
                 "model User {\n  id Int @id @default(autoincrement())\n  email String @unique\n  name String?\n"
                 "  role Role @default(USER)\n  balance Int @default(0)\n  createdAt DateTime @default(now())\n"
                 "  posts Post[]\n}\n"
                 "model Post {\n  id Int @id @default(autoincrement())\n  title String\n"
                 "  published Boolean @default(false)\n  updatedAt DateTime @updatedAt\n"
                 "  author User @relation(fields: [authorId], references: [id], onDelete: Cascade)\n"
                 "  authorId Int\n  tags Tag[]\n  @@index([authorId])\n}\n"
                 "model Tag {\n  id Int @id @default(autoincrement())\n  name String @unique\n  posts Post[]\n}\n",
                 "-- CreateTable\n"
                 "CREATE TABLE \"User\" (\n"
                 "    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
                 "    \"email\" TEXT NOT NULL,\n"
                 "    \"name\" TEXT,\n"
                 "    \"role\" TEXT NOT NULL DEFAULT 'USER',\n"
                 "    \"balance\" INTEGER NOT NULL DEFAULT 0,\n"
                 "    \"createdAt\" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP\n"
                 ");\n\n"
                 "-- CreateTable\n"
                 "CREATE TABLE \"Post\" (\n"
                 "    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
                 "    \"title\" TEXT NOT NULL,\n"
                 "    \"published\" BOOLEAN NOT NULL DEFAULT false,\n"
                 "    \"updatedAt\" DATETIME NOT NULL,\n"
                 "    \"authorId\" INTEGER NOT NULL,\n"
                 "    CONSTRAINT \"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\" (\"id\") ON "
                 "DELETE CASCADE ON UPDATE CASCADE\n"
                 ");\n\n"
                 "-- CreateTable\n"
                 "CREATE TABLE \"Tag\" (\n"
                 "    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
                 "    \"name\" TEXT NOT NULL\n"
                 ");\n\n"
                 "-- CreateTable\n"
                 "CREATE TABLE \"_PostToTag\" (\n"
                 "    \"A\" INTEGER NOT NULL,\n"
                 "    \"B\" INTEGER NOT NULL,\n"
                 "    CONSTRAINT \"_PostToTag_A_fkey\" FOREIGN KEY (\"A\") REFERENCES \"Post\" (\"id\") ON DELETE "
                 "CASCADE ON UPDATE CASCADE,\n"
                 "    CONSTRAINT \"_PostToTag_B_fkey\" FOREIGN KEY (\"B\") REFERENCES \"Tag\" (\"id\") ON DELETE "
                 "CASCADE ON UPDATE CASCADE\n"
                 ");\n\n"
                 "-- CreateIndex\n"
                 "CREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\");\n\n"
                 "-- CreateIndex\n"
                 "CREATE INDEX \"Post_authorId_idx\" ON \"Post\"(\"authorId\");\n\n"
                 "-- CreateIndex\n"
                 "CREATE UNIQUE INDEX \"Tag_name_key\" ON \"Tag\"(\"name\");\n\n"
                 "-- CreateIndex\n"
                 "CREATE UNIQUE INDEX \"_PostToTag_AB_unique\" ON \"_PostToTag\"(\"A\", \"B\");\n\n"
                 "-- CreateIndex\n"
                 "CREATE INDEX \"_PostToTag_B_index\" ON \"_PostToTag\"(\"B\");\n");
}
END_TEST

/* PostgreSQL: SERIAL, the default native types, literal defaults of every
 * kind, an optional foreign key (SET NULL), the relation declared on the
 * back side first, and the join table with its composite key. */
START_TEST(postgres_types_and_defaults)
{
    check_render(
        "datasource db {\n  provider = \"postgresql\"\n  url = \"postgresql://x\"\n}\n"
        "enum Color {\n  RED\n  GREEN @map(\"green\")\n}\n"
        "model A {\n  id BigInt @id @default(autoincrement())\n  bs B[]\n  cs C[]\n}\n"
        "model B {\n  id Int @id @default(autoincrement())\n  s String @default(\"it's\")\n"
        "  f Float @default(1.5)\n  d Decimal @default(2.25)\n  j Json @default(\"{\\\"a\\\": 1}\")\n"
        "  by Bytes @default(\"aGVsbG8=\")\n  t DateTime @default(\"2018-01-27T08:00:00.5+02:00\")\n"
        "  c Color @default(GREEN)\n  cl Color[] @default([RED, GREEN])\n  tags String[] @default([\"a\", \"b\"])\n"
        "  v String @db.VarChar(30)\n  n Decimal? @db.Decimal(10, 2)\n  tz DateTime @db.Timestamptz(6)\n"
        "  a A? @relation(fields: [aId], references: [id])\n  aId BigInt?\n"
        "  @@index([v(sort: Desc), s], type: BTree)\n"
        "}\n"
        "model C {\n  id String @id @default(uuid()) @db.Uuid\n  as A[]\n  data Json\n"
        "  @@index([data(ops: JsonbPathOps)], type: Gin)\n}\n",
        "-- CreateEnum\n"
        "CREATE TYPE \"Color\" AS ENUM ('RED', 'green');\n\n"
        "-- CreateTable\n"
        "CREATE TABLE \"A\" (\n"
        "    \"id\" BIGSERIAL NOT NULL,\n\n"
        "    CONSTRAINT \"A_pkey\" PRIMARY KEY (\"id\")\n"
        ");\n\n"
        "-- CreateTable\n"
        "CREATE TABLE \"B\" (\n"
        "    \"id\" SERIAL NOT NULL,\n"
        "    \"s\" TEXT NOT NULL DEFAULT 'it''s',\n"
        "    \"f\" DOUBLE PRECISION NOT NULL DEFAULT 1.5,\n"
        "    \"d\" DECIMAL(65,30) NOT NULL DEFAULT 2.25,\n"
        "    \"j\" JSONB NOT NULL DEFAULT '{\"a\": 1}',\n"
        "    \"by\" BYTEA NOT NULL DEFAULT '\\x68656c6c6f',\n"
        "    \"t\" TIMESTAMP(3) NOT NULL DEFAULT '2018-01-27 08:00:00.500 +02:00',\n"
        "    \"c\" \"Color\" NOT NULL DEFAULT 'green',\n"
        "    \"cl\" \"Color\"[] DEFAULT ARRAY['RED', 'green']::\"Color\"[],\n"
        "    \"tags\" TEXT[] DEFAULT ARRAY['a', 'b']::TEXT[],\n"
        "    \"v\" VARCHAR(30) NOT NULL,\n"
        "    \"n\" DECIMAL(10,2),\n"
        "    \"tz\" TIMESTAMPTZ(6) NOT NULL,\n"
        "    \"aId\" BIGINT,\n\n"
        "    CONSTRAINT \"B_pkey\" PRIMARY KEY (\"id\")\n"
        ");\n\n"
        "-- CreateTable\n"
        "CREATE TABLE \"C\" (\n"
        "    \"id\" UUID NOT NULL,\n"
        "    \"data\" JSONB NOT NULL,\n\n"
        "    CONSTRAINT \"C_pkey\" PRIMARY KEY (\"id\")\n"
        ");\n\n"
        "-- CreateTable\n"
        "CREATE TABLE \"_AToC\" (\n"
        "    \"A\" BIGINT NOT NULL,\n"
        "    \"B\" UUID NOT NULL,\n\n"
        "    CONSTRAINT \"_AToC_AB_pkey\" PRIMARY KEY (\"A\",\"B\")\n"
        ");\n\n"
        "-- CreateIndex\n"
        "CREATE INDEX \"B_v_s_idx\" ON \"B\"(\"v\" DESC, \"s\");\n\n"
        "-- CreateIndex\n"
        "CREATE INDEX \"C_data_idx\" ON \"C\" USING GIN (\"data\" jsonb_path_ops);\n\n"
        "-- CreateIndex\n"
        "CREATE INDEX \"_AToC_B_index\" ON \"_AToC\"(\"B\");\n\n"
        "-- AddForeignKey\n"
        "ALTER TABLE \"B\" ADD CONSTRAINT \"B_aId_fkey\" FOREIGN KEY (\"aId\") REFERENCES \"A\"(\"id\") ON DELETE "
        "SET NULL ON UPDATE CASCADE;\n\n"
        "-- AddForeignKey\n"
        "ALTER TABLE \"_AToC\" ADD CONSTRAINT \"_AToC_A_fkey\" FOREIGN KEY (\"A\") REFERENCES \"A\"(\"id\") ON "
        "DELETE CASCADE ON UPDATE CASCADE;\n\n"
        "-- AddForeignKey\n"
        "ALTER TABLE \"_AToC\" ADD CONSTRAINT \"_AToC_B_fkey\" FOREIGN KEY (\"B\") REFERENCES \"C\"(\"id\") ON "
        "DELETE CASCADE ON UPDATE CASCADE;\n");
}
END_TEST

/* relationMode = "prisma": no foreign keys at all, join tables included. */
START_TEST(relation_mode_prisma)
{
    check_render("datasource db {\n  provider = \"postgresql\"\n  url = \"postgresql://x\"\n"
                 "  relationMode = \"prisma\"\n}\n"
                 "model U {\n  id Int @id\n  ps P[]\n}\n"
                 "model P {\n  id Int @id\n  u U @relation(fields: [uId], references: [id])\n  uId Int\n"
                 "  @@index([uId])\n}\n",
                 "-- CreateTable\n"
                 "CREATE TABLE \"U\" (\n"
                 "    \"id\" INTEGER NOT NULL,\n\n"
                 "    CONSTRAINT \"U_pkey\" PRIMARY KEY (\"id\")\n"
                 ");\n\n"
                 "-- CreateTable\n"
                 "CREATE TABLE \"P\" (\n"
                 "    \"id\" INTEGER NOT NULL,\n"
                 "    \"uId\" INTEGER NOT NULL,\n\n"
                 "    CONSTRAINT \"P_pkey\" PRIMARY KEY (\"id\")\n"
                 ");\n\n"
                 "-- CreateIndex\n"
                 "CREATE INDEX \"P_uId_idx\" ON \"P\"(\"uId\");\n");
}
END_TEST

/* The building blocks db push uses. */
START_TEST(building_blocks)
{
    const char *text = "datasource db {\n  provider = \"postgresql\"\n  url = \"postgresql://x\"\n}\n"
                       "model T {\n  id Int @id\n  note String? @default(\"n\")\n}\n";
    psl_schema *s = psl_schema_load("t.prisma", text, strlen(text));
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->diags.errors, 0);
    psl_ddl *d = NULL;
    ck_assert_int_eq(psl_ddl_build(s, PSL_PROVIDER_POSTGRESQL, &d), 0);
    ck_assert_uint_eq(d->n_tables, 1);
    psl_sql out = { 0 };
    ck_assert_int_eq(psl_ddl_add_column(d, &d->tables[0], &d->tables[0].cols[1], &out), 0);
    ck_assert_str_eq(psl_sql_text(&out), "ALTER TABLE \"T\" ADD COLUMN \"note\" TEXT DEFAULT 'n'");
    psl_sql_clear(&out);
    psl_sql_qualified(&out, "we\"ird", "x");
    ck_assert_str_eq(psl_sql_text(&out), "\"we\"\"ird\".\"x\"");
    psl_ddl_free(d);
    ck_assert_int_eq(psl_ddl_build(s, PSL_PROVIDER_NONE, &d), -1);
    ck_assert_ptr_null(d);
    ck_assert_ptr_null(psl_ddl_create(s, PSL_PROVIDER_NONE, NULL));
    psl_sql_free(&out);
    psl_schema_free(s);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    if (collect(argv[1]) != 0)
        return 2;
    qsort(files, n_files, sizeof *files, cmp_path);

    Suite *s = suite_create("ddl");
    TCase *tc = tcase_create("corpus");
    tcase_add_test(tc, corpus_not_empty);
    tcase_add_loop_test(tc, corpus_file, 0, (int)n_files);
    suite_add_tcase(s, tc);
    TCase *extra = tcase_create("render");
    tcase_add_test(extra, sqlite_example);
    tcase_add_test(extra, postgres_types_and_defaults);
    tcase_add_test(extra, postgres_scalar_lists);
    tcase_add_test(extra, relation_mode_prisma);
    tcase_add_test(extra, building_blocks);
    suite_add_tcase(s, extra);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    for (size_t i = 0; i < n_files; i++)
        free(files[i]);
    free(files);
    return failed ? 1 : 0;
}
