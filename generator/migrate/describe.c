/* What every dialect's describe shares: rows of the catalog, in one column
 * order, grouped into the db_state structures. */
#include "describe.h"

#include <string.h>

void describe_fks(mconn *c, db_table *t, const qres *fk, const char *(*action)(const char *))
{
    for (size_t i = 0; i < fk->rows;) {
        size_t j = i;
        while (j < fk->rows && strcmp(cell(fk, j, 0), cell(fk, i, 0)) == 0)
            j++;
        db_fk *f = psl_arena_alloc(c->a, sizeof *f);
        f->name = cell(fk, i, 1);
        f->ref_schema = cell(fk, i, 3);
        f->ref_table = cell(fk, i, 4);
        f->on_delete = action ? action(cell(fk, i, 6)) : cell(fk, i, 6);
        f->on_update = action ? action(cell(fk, i, 7)) : cell(fk, i, 7);
        f->n = j - i;
        f->cols = psl_arena_alloc(c->a, (f->n + 1) * sizeof *f->cols);
        f->ref_cols = psl_arena_alloc(c->a, (f->n + 1) * sizeof *f->ref_cols);
        for (size_t k = i; k < j; k++) {
            f->cols[k - i] = cell(fk, k, 2);
            f->ref_cols[k - i] = cell(fk, k, 5) ? cell(fk, k, 5) : "";
        }
        psl_vec_push(c->a, &t->fks, f);
        i = j;
    }
}
