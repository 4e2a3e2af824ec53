/* The template values of aggregate and group_by (issue 13): per scalar
 * field, its place in the aggregate structs; per model, which exist. */
#ifndef PRISMAC_EMIT_AGGREGATE_H
#define PRISMAC_EMIT_AGGREGATE_H

#include <stdbool.h>

#include "arena.h"
#include "schema.h"
#include "template.h"

/* minmax_t: the field's optional record type (its _min / _max output). */
void emit_aggregate_field(psl_arena *a, tmpl_value *fm, const psl_field *f, const char *member, const char *minmax_t);
/* has_number, has_minmax over the model's generated scalar fields (table_index[k] >= 0). */
void emit_aggregate_model(psl_arena *a, tmpl_value *mm, const psl_model *m, const int *table_index);

#endif
