/* Shard keys (`@shardKey`, `@@shardKey([a, b])`, preview feature
 * shardKeys): the columns a sharded MySQL (Vitess, PlanetScale) routes rows
 * by. Prisma's MySQL connector accepts them (Connector::supports_shard_keys);
 * they change no DDL. The checked key is kept on the model
 * (psl_model.shard_key). */
#include "provider.h"
#include "schema_int.h"

/* The preview feature and the provider, for `@shardKey` or `@@shardKey`. */
static bool shard_keys_allowed(psl_ctx *C, const psl_attribute *a)
{
    if (!C->has_preview_shard_keys) {
        psl_attr_error(C, a, a->span, "Defining shard keys requires enabling the `shardKeys` preview feature");
        return false;
    }
    const psl_connector *conn = psl_schema_connector(C->s);
    if (conn && !psl_connector_can(conn, PSL_CAP_SHARD_KEYS)) {
        psl_attr_error(C, a, a->span, "Shard keys are not currently supported for provider %s", conn->name);
        return false;
    }
    return true;
}

/* @shardKey on fields: how many there are; the first is *first. */
static size_t field_shard_keys(psl_ctx *C, psl_model *m, psl_field **first)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_fields; i++) {
        psl_field *f = m->fields[i];
        const psl_attribute *a = NULL;
        for (size_t k = 0; k < f->ast->n_attrs && !a; k++)
            if (streq(f->ast->attrs[k].name, "shardKey"))
                a = &f->ast->attrs[k];
        if (!a || !shard_keys_allowed(C, a))
            continue;
        psl_argv av;
        psl_argv_init(&av, C, a);
        psl_argv_finish(&av);
        if (f->arity == PSL_OPTIONAL && !m->is_ignored) {
            psl_attr_error(C, a, a->span, "Fields that are marked as shard keys must be required.");
            continue;
        }
        if (n++ == 0)
            *first = f;
    }
    return n;
}

/* @@shardKey([fields]): whether it is there (`*present`) and valid; the
 * fields go to the model. */
static bool block_shard_key(psl_ctx *C, psl_model *m, bool *present)
{
    const psl_attribute *a = NULL;
    for (size_t i = 0; i < m->ast->n_lines && !a; i++)
        if (m->ast->lines[i].kind == PSL_LINE_ATTRIBUTE && streq(m->ast->lines[i].attrs[0].name, "shardKey"))
            a = &m->ast->lines[i].attrs[0];
    *present = a != NULL;
    if (!a || !shard_keys_allowed(C, a))
        return false;
    psl_argv av;
    psl_argv_init(&av, C, a);
    const psl_arg *g = psl_argv_require(&av, "fields", true);
    psl_argv_finish(&av);
    if (!g || !g->value)
        return false;
    const psl_expr *one;
    size_t n;
    const psl_expr *const *items = psl_expr_items(g->value, &one, &n);
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        if (!psl_expect_constant(C, items[i]))
            ok = false;
    if (!ok)
        return false;
    if (n == 0) {
        psl_attr_error(C, a, a->span,
                       "The list of fields in a `@@shardKey()` attribute cannot be empty. Please specify at least "
                       "one field.");
        return false;
    }
    const char *unknown = NULL;
    psl_field **fields = psl_arena_alloc(C->a, n * sizeof *fields);
    for (size_t i = 0; i < n; i++) {
        fields[i] = psl_model_field(m, items[i]->text);
        if (!fields[i])
            unknown = psl_arena_printf(C->a, "%s%s`%s`", unknown ? unknown : "", unknown ? ", " : "",
                                       items[i]->text);
    }
    if (unknown) {
        psl_error(C->d, a->span,
                  "Error validating model \"%s\": The multi field shard key declaration refers to the unknown "
                  "fields %s.",
                  m->name, unknown);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (fields[i]->kind == PSL_FIELD_RELATION) {
            psl_error(C->d, a->span,
                      "Error validating model \"%s\": The shard key definition refers to the relation field `%s`. "
                      "Shard key definitions must reference only scalar fields.",
                      m->name, fields[i]->name);
            return false;
        }
        if (fields[i]->arity == PSL_OPTIONAL && !m->is_ignored) {
            psl_error(C->d, a->span,
                      "Error validating model \"%s\": The shard key definition refers to the optional field `%s`. "
                      "Shard key definitions must reference only required fields.",
                      m->name, fields[i]->name);
            return false;
        }
    }
    m->shard_key = fields;
    m->n_shard_key = n;
    return true;
}

void psl_check_shard_keys(psl_ctx *C, psl_model *m)
{
    psl_field *first = NULL;
    size_t n_fields = field_shard_keys(C, m, &first);
    bool block_present;
    bool block_ok = block_shard_key(C, m, &block_present);
    if (n_fields > 1) {
        psl_error(C->d, m->ast->span,
                  "Error validating model \"%s\": At most one field must be marked as the shard key with the "
                  "`@shardKey` attribute.",
                  m->name);
        return;
    }
    if (n_fields == 1 && block_present) {
        psl_error(C->d, m->ast->span,
                  "Error validating model \"%s\": Each model must have at most one shard key. You can't have "
                  "`@shardKey` and `@@shardKey` at the same time.",
                  m->name);
        m->shard_key = NULL;
        m->n_shard_key = 0;
        return;
    }
    if (n_fields == 1 && !block_ok) {
        m->shard_key = psl_arena_alloc(C->a, sizeof *m->shard_key);
        m->shard_key[0] = first;
        m->n_shard_key = 1;
    }
}
