/* `prismac format`: rewrite the schema in Prisma's layout, or --check it. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prismac.h"

int cli_format(const cli_options *o)
{
    psl_schema *s = NULL;
    char *text = NULL, *out = NULL;
    size_t len, out_len;
    int rc = CLI_FAILED;
    if (prismac_read_file(o->schema, &text, &len) != 0) {
        fprintf(stderr, "prismac format: cannot read %s: %s\n", o->schema, strerror(errno));
        goto done;
    }
    /* Diagnostics matter only when nothing can be formatted. */
    s = psl_schema_load(o->schema, text, len);
    if (!s) {
        fprintf(stderr, "prismac format: out of memory\n");
        goto done;
    }
    if (prismac_format(s, &out, &out_len) != 0) {
        if (s->ast)
            fprintf(stderr, "prismac format: out of memory\n");
        else
            psl_diags_print(&s->diags, stderr, o->schema, s->source.text, s->source.len, isatty(2) != 0);
        goto done;
    }
    bool same = out_len == len && memcmp(out, text, len) == 0;
    if (o->check) {
        if (same) {
            printf("%s is formatted.\n", o->schema);
            rc = CLI_OK;
        } else {
            fprintf(stderr, "%s is not formatted: run `prismac format --schema %s`.\n", o->schema, o->schema);
        }
        goto done;
    }
    if (!same && prismac_write_file_if_changed(o->schema, out, out_len, NULL) != 0) {
        fprintf(stderr, "prismac format: cannot write %s: %s\n", o->schema, strerror(errno));
        goto done;
    }
    printf("Formatted %s.\n", o->schema);
    rc = CLI_OK;
done:
    free(out);
    free(text);
    psl_schema_free(s);
    return rc;
}
