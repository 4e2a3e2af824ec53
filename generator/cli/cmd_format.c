/* `prismac format`: rewrite the schema in Prisma's layout, or --check it. A
 * multi-file schema (a folder) is rewritten file by file, in place. */
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
    char *out = NULL;
    size_t out_len, unformatted = 0;
    int rc = CLI_FAILED;
    /* Diagnostics matter only when nothing can be formatted. */
    if (prismac_load(o->schema, NULL, false, &s) != 0) {
        if (errno == ENOMEM)
            fprintf(stderr, "prismac format: out of memory\n");
        else if (errno == ENOENT && prismac_is_dir(o->schema))
            fprintf(stderr, "prismac format: no .prisma files in the folder %s\n", o->schema);
        else
            fprintf(stderr, "prismac format: cannot read %s: %s\n", o->schema, strerror(errno));
        goto done;
    }
    if (!s->ast) {
        prismac_print_diags(s, stderr, isatty(2) != 0);
        goto done;
    }
    for (size_t i = 0; i < s->n_files; i++) {
        const psl_source *f = &s->files[i];
        free(out);
        if (prismac_format(s, i, &out, &out_len) != 0) {
            out = NULL;
            fprintf(stderr, "prismac format: out of memory\n");
            goto done;
        }
        if (out_len == f->len && memcmp(out, f->text, f->len) == 0)
            continue;
        unformatted++;
        if (o->check) {
            fprintf(stderr, "%s is not formatted: run `prismac format --schema %s`.\n", f->name, o->schema);
            continue;
        }
        if (prismac_write_file_if_changed(f->name, out, out_len, NULL) != 0) {
            fprintf(stderr, "prismac format: cannot write %s: %s\n", f->name, strerror(errno));
            goto done;
        }
    }
    if (o->check) {
        if (unformatted == 0) {
            printf("%s is formatted.\n", o->schema);
            rc = CLI_OK;
        }
        goto done;
    }
    printf("Formatted %s.\n", o->schema);
    rc = CLI_OK;
done:
    free(out);
    psl_schema_free(s);
    return rc;
}
