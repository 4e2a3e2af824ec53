/* W11 of shared/bench/WORKLOAD.md (issue 13): a relation filter. One
 * operation finds 100 users, ordered by id, that have `some` post with
 * views >= 0 and published = false. The prismac side gives the filter; the
 * hand-written side writes the EXISTS query itself.
 *
 * Included by bench_workload.c (it uses that file's connections, measure()
 * and report()); runs on the posts W6 left. */

#define W11_SQL_TAIL                                                                                          \
    " WHERE EXISTS (SELECT 1 FROM \"Post\" AS p WHERE p.\"authorId\" = \"User\".\"id\" AND p.\"views\" >= " \
    W11_P1 " AND p.\"published\" = " W11_P2 ") ORDER BY \"id\" ASC LIMIT " W11_P3

#if defined(BENCH_PG)
#define W11_P1 "$1"
#define W11_P2 "$2"
#define W11_P3 "$3"
static bool w11_prepared;

static void rw11(int i)
{
    (void)i;
    if (!w11_prepared) {
        PGresult *r = PQprepare(raw, "w11", "SELECT \"id\", \"email\", \"name\", \"balance\" FROM \"User\"" W11_SQL_TAIL,
                                0, NULL);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            die("raw prepare w11", PQerrorMessage(raw));
        PQclear(r);
        w11_prepared = true;
    }
    const char *v[] = { "0", "false", "100" };
    raw_exec("w11", 3, v, true);
}

static void raw_w11_done(void) {}
#elif defined(BENCH_MYSQL)
#define W11_P1 "?"
#define W11_P2 "?"
#define W11_P3 "?"
static bm_stmt *s_w11;

static void rw11(int i)
{
    (void)i;
    if (!s_w11)
        s_w11 = bm_prepare(raw, "SELECT \"id\", \"email\", \"name\", \"balance\" FROM \"User\"" W11_SQL_TAIL);
    int64_t s = 0;
    bm_run(s_w11, (bm_param[]){ BM_I(0), BM_I(0), BM_I(100) }, 3, &s, NULL, 0, NULL);
    sink += s;
}

static void raw_w11_done(void)
{
    bm_close(s_w11);
    s_w11 = NULL;
}
#else
#define W11_P1 "?"
#define W11_P2 "?"
#define W11_P3 "?"
static sqlite3_stmt *s_w11;

static void rw11(int i)
{
    (void)i;
    if (!s_w11 && sqlite3_prepare_v3(raw, "SELECT \"id\", \"email\", \"name\", \"balance\" FROM \"User\"" W11_SQL_TAIL, -1,
                                     SQLITE_PREPARE_PERSISTENT, &s_w11, NULL) != SQLITE_OK)
        die("raw prepare w11", sqlite3_errmsg(raw));
    sqlite3_bind_int(s_w11, 1, 0);
    sqlite3_bind_int(s_w11, 2, 0);
    sqlite3_bind_int(s_w11, 3, 100);
    step_user_rows(s_w11);
}

static void raw_w11_done(void)
{
    sqlite3_finalize(s_w11);
    s_w11 = NULL;
}
#endif

static void pw11(int i)
{
    (void)i;
    UserList *l;
    check(user_find_many(db,
                         &(UserFindManyArgs){
                             .where = &(UserWhereInput){ .posts = { .some = &(PostWhereInput){
                                                                        .views = { .gte = PRISMA_INT(0) },
                                                                        .published = { .equals = PRISMA_BOOL(false) } } } },
                             .order_by = (UserOrderByInput[]){ { .id = PRISMA_ASC } }, .order_by_len = 1,
                             .take = PRISMA_TAKE(100) },
                         &l),
          "W11");
    if (l->len != 100)
        die("W11", "expected 100 users with posts");
    for (size_t k = 0; k < l->len; k++)
        read_user(&l->items[k]);
    user_list_free(l);
}

/* N/100 operations (at least 20), after a warm-up slice. Each reads 100
 * users, and is slow on both sides alike: the workload's schema has no index
 * on Post.authorId, and the users W1 made (the first ids) have no post, so
 * each EXISTS scans the posts. */
static void w11(void)
{
    double p, r;
    int n = N / 100 < 20 ? 20 : N / 100;
    measure(pw11, rw11, 0, 2, &p, &r);
    measure(pw11, rw11, 0, n, &p, &r);
    report("W11", p, r);
    raw_w11_done();
}
