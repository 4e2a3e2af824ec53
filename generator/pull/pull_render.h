/* db pull's renderer, shared by pull.c (models, relations, enums) and
 * pull_views.c (view blocks): the output's model of the database. */
#ifndef PRISMAC_PULL_RENDER_H
#define PRISMAC_PULL_RENDER_H

#include <stdbool.h>

#include "ddl.h"
#include "pull.h"
#include "pull_int.h"

/* ---- the model of the output ---- */

typedef struct pcol {
    const db_col *c;
    const psl_field *prev; /* the same column in the existing schema, or NULL */
    const char *name;      /* the field name; "" when it cannot be one (commented out) */
    pull_type ty;
    bool autoincrement;
    bool required; /* NOT NULL, or in the primary key (SQLite's INTEGER PRIMARY KEY reads as nullable) */
} pcol;

typedef struct ptable ptable;

/* A relation field of a model: the forward side of a foreign key, its back
 * side, or one side of an implicit many-to-many table. */
typedef struct prel {
    const char *name, *relation; /* relation: "" when unnamed */
    const ptable *other;
    const char *arity;           /* "", "?" or "[]" */
    const db_fk *fk;             /* forward: the key it renders; else NULL */
    bool ignore;
    const char *raw; /* relationMode = "prisma": the existing schema's field line, as written */
} prel;

struct ptable {
    const db_table *t;
    const psl_model *prev;
    const char *name;
    const char *definition; /* a view's SELECT */
    bool mapped, reserved, join, ignored, has_id, is_view;
    bool expression_index;
    pcol *cols;
    size_t n_cols;
    const db_index **ix; /* the indexes by name: the order they are written in */
    size_t n_ix;
    psl_vec rels; /* prel* */
};

typedef struct penum {
    const db_enum *e;
    const psl_enum *prev;
    const char *name;
    const char **values; /* value names ("" when it cannot be one) */
} penum;

typedef struct puller {
    psl_arena *a;
    const pull_dialect *P;
    const migrate_dialect *D;
    const db_state *st;
    const psl_schema *prev;
    bool namespaces; /* @@schema on every model and enum */
    const char *ds_name; /* the datasource's name: the @db. prefix */
    bool partial_indexes; /* preview feature partialIndexes: partial indexes get where: raw(...) */
    ptable *tables;
    size_t n_tables;
    penum *enums;
    size_t n_enums;
    bool views;       /* preview feature views: view blocks */
    ptable *view_tables; /* the database's views, by name */
    size_t n_views;
    psl_sql out;
    /* the warnings' lists, one line each */
    psl_sql w_ignored, w_unsupported, w_commented, w_expr_index, w_copied, w_views, w_enum_values;
} puller;

/* pull.c */
const char *pull_sanitize(psl_arena *a, const char *s);
bool pull_reserved_type_name(const char *s);
const char *pull_quoted(psl_arena *a, const char *s);
bool pull_has_preview(const psl_schema *s, const char *feature);
void pull_read_columns(puller *X, ptable *T);
void pull_put_doc(puller *X, const char *doc, const char *indent);
void pull_put_field(puller *X, const ptable *T, const pcol *c);
const char *pull_field_name_of(const ptable *T, const char *col);
ptable *pull_table_of(puller *X, const char *schema, const char *name);
const pcol *pull_col_of(const ptable *T, const char *name);
bool pull_columns_unique(const db_table *t, const char *const *cols, size_t n);

/* pull_relations.c: every table's relation fields (after the tables, their
 * names and columns are read). */
void pull_build_relations(puller *X);

/* pull_views.c: reads the database's views (with the views preview
 * feature) and writes their blocks. */
void pull_build_views(puller *X);
void pull_put_views(puller *X);

#endif
