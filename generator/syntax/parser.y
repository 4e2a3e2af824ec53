/* The Prisma schema parser: pure, with locations, recovering line by line.
 *
 * The grammar follows prisma-engines' datamodel.pest. Block bodies share one
 * line grammar (fields, key = value, @@attributes, comments); which lines a
 * block accepts is decided when the block is reduced, so every block kind
 * reports its own invalid lines in Prisma's words. */
%define api.pure full
%define api.prefix {psl_yy}
%define api.location.type {psl_span}
%define parse.error verbose
%locations
%parse-param {psl_parser *P}
%lex-param {psl_parser *P}
%initial-action { memset(&@$, 0, sizeof @$); @$.file = P->src->file; @$.line = @$.col = 1; }
%expect 0

%code requires {
#include "parse_ctx.h"
}

%code provides {
int psl_lex_string(psl_parser *P, PSL_YYSTYPE *lval, psl_span *loc, const char *text, size_t len);
int psl_lex_block_comment(psl_parser *P, PSL_YYSTYPE *lval, psl_span *loc);
}

%code {
#include "parse_build.h"

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                  \
    do {                                                             \
        if (N) {                                                     \
            (Cur).start = YYRHSLOC(Rhs, 1).start;                    \
            (Cur).line = YYRHSLOC(Rhs, 1).line;                      \
            (Cur).col = YYRHSLOC(Rhs, 1).col;                        \
            (Cur).end = YYRHSLOC(Rhs, N).end;                        \
            (Cur).file = YYRHSLOC(Rhs, 1).file;                      \
        } else {                                                     \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;          \
            (Cur).line = YYRHSLOC(Rhs, 0).line;                      \
            (Cur).col = YYRHSLOC(Rhs, 0).col;                        \
            (Cur).file = YYRHSLOC(Rhs, 0).file;                      \
        }                                                            \
    } while (0)

static int psl_yylex(PSL_YYSTYPE *lval, psl_span *loc, psl_parser *P);
static void psl_yyerror(psl_span *loc, psl_parser *P, const char *msg);
}

%union {
    const char *str;
    psl_expr *expr;
    psl_vec vec;
    psl_args args;
    psl_arg arg;
    psl_attribute attr;
    psl_field_type type;
    psl_line *line;
    psl_top *top;
}

%token <str> T_IDENT T_NUMBER T_STRING T_UNSUPPORTED T_COMMENT T_DOC_COMMENT T_BLOCK_COMMENT T_LBRACE
%token T_NEWLINE T_RBRACE T_ATAT T_BAD T_EOF T_TOO_DEEP

%type <str> path comment opt_comment block_close
%type <expr> expr opt_expr
%type <vec> lines attrs exprs exprs1 args1
%type <args> opt_args args
%type <arg> arg
%type <attr> attr
%type <type> type opt_type base_type
%type <line> line
%type <top> top
%type <str> opt_colon

%%

schema
    : %empty
    | schema top        { if ($2) psl_vec_push(P->arena, &P->tops, $2); }
    | schema T_EOF
    ;

top
    : T_NEWLINE                  { $$ = psl_top_new(P, PSL_TOP_EMPTY, @$); }
    | comment T_NEWLINE          { $$ = psl_top_comment(P, $1, @1); }
    | T_IDENT T_IDENT T_LBRACE T_NEWLINE lines block_close
                                 { $$ = psl_top_block(P, $1, @1, $2, @2, $3, &$5, $6, @$); }
    | T_IDENT T_LBRACE T_NEWLINE lines block_close
                                 { $$ = psl_top_arbitrary(P, $1, @1, &$4, @$); }
    | T_IDENT T_IDENT '=' type attrs opt_comment T_NEWLINE
                                 { $$ = psl_top_alias(P, $1, @1, $2, @2, $4, @$); }
    | error T_NEWLINE            { $$ = psl_top_invalid(P, @1, @2); yyerrok; }
    ;

block_close
    : T_RBRACE opt_comment T_NEWLINE { $$ = $2; }
    | T_RBRACE error T_NEWLINE       { $$ = NULL; psl_close_garbage(P, @2); yyerrok; }
    | T_EOF                          { $$ = NULL; psl_block_unclosed(P, @1); }
    ;

lines
    : %empty            { memset(&$$, 0, sizeof $$); }
    | lines line        { $$ = $1; psl_vec_push(P->arena, &$$, $2); }
    ;

line
    : T_NEWLINE         { $$ = psl_line_new(P, PSL_LINE_EMPTY, @$); }
    | comment T_NEWLINE { $$ = psl_line_comment(P, $1, @1); }
    | T_ATAT attr opt_comment T_NEWLINE
                        { $2.block = true; $2.span.start = @1.start; $2.span.line = @1.line; $2.span.col = @1.col;
                          $$ = psl_line_attribute(P, &$2, $3, @$); }
    | T_IDENT opt_colon opt_type attrs opt_comment T_NEWLINE
                        { $$ = psl_line_field(P, $1, @1, $2 != NULL, &$3, &$4, $5, @$); }
    | T_IDENT '=' opt_expr opt_comment T_NEWLINE
                        { $$ = psl_line_key_value(P, $1, @1, $3, $4, @$); }
    | error T_NEWLINE   { $$ = psl_line_invalid(P, @1, @2); yyerrok; }
    ;

comment
    : T_COMMENT
    | T_DOC_COMMENT
    | T_BLOCK_COMMENT
    ;

opt_comment
    : %empty            { $$ = NULL; }
    | comment
    ;

opt_colon
    : %empty            { $$ = NULL; }
    | ':'               { $$ = ":"; }
    ;

opt_type
    : %empty            { memset(&$$, 0, sizeof $$); $$.span = @$; }
    | type
    ;

type
    : base_type                 { $$ = $1; $$.form = PSL_TYPE_REQUIRED; }
    | base_type '?'             { $$ = $1; $$.form = PSL_TYPE_OPTIONAL; $$.span = @$; }
    | base_type '!'             { $$ = $1; $$.form = PSL_TYPE_BANG; $$.span = @$; }
    | base_type '[' ']'         { $$ = $1; $$.form = PSL_TYPE_LIST; $$.span = @$; }
    | base_type '[' ']' '?'     { $$ = $1; $$.form = PSL_TYPE_OPTIONAL_LIST; $$.span = @$; }
    | '[' base_type ']'         { $$ = $2; $$.form = PSL_TYPE_LEGACY_LIST; $$.span = @$; }
    ;

base_type
    : T_IDENT                   { memset(&$$, 0, sizeof $$); $$.name = $1; $$.span = @$; }
    | T_UNSUPPORTED             { memset(&$$, 0, sizeof $$); $$.name = "Unsupported"; $$.span = @$;
                                  $$.unsupported = true; $$.unsupported_text = $1; }
    ;

attrs
    : %empty            { memset(&$$, 0, sizeof $$); }
    | attrs '@' attr    { $$ = $1; $3.span.start = @2.start; $3.span.line = @2.line; $3.span.col = @2.col;
                          psl_attribute *a = psl_arena_alloc(P->arena, sizeof *a); *a = $3;
                          psl_vec_push(P->arena, &$$, a); }
    ;

attr
    : path opt_args     { memset(&$$, 0, sizeof $$); $$.name = $1; $$.name_span = @1; $$.args = $2; $$.span = @$; }
    ;

path
    : T_IDENT
    | path '.' T_IDENT  { $$ = psl_arena_printf(P->arena, "%s.%s", $1, $3); }
    | path '.'          { $$ = psl_arena_printf(P->arena, "%s.", $1); }
    ;

opt_args
    : %empty            { memset(&$$, 0, sizeof $$); $$.span = @$; }
    | args
    ;

args
    : '(' ')'               { $$ = psl_args_make(P, NULL, false, @$); }
    | '(' args1 ')'         { $$ = psl_args_make(P, &$2, false, @$); }
    | '(' args1 ',' ')'     { $$ = psl_args_make(P, &$2, true, @$); }
    ;

args1
    : arg               { memset(&$$, 0, sizeof $$); psl_arg *a = psl_arena_alloc(P->arena, sizeof *a); *a = $1;
                          psl_vec_push(P->arena, &$$, a); }
    | args1 ',' arg     { $$ = $1; psl_arg *a = psl_arena_alloc(P->arena, sizeof *a); *a = $3;
                          psl_vec_push(P->arena, &$$, a); }
    ;

arg
    : T_IDENT ':' expr  { memset(&$$, 0, sizeof $$); $$.name = $1; $$.name_span = @1; $$.value = $3; $$.span = @$; }
    | T_IDENT ':'       { memset(&$$, 0, sizeof $$); $$.name = $1; $$.name_span = @1; $$.span = @$; }
    | expr              { memset(&$$, 0, sizeof $$); $$.value = $1; $$.span = @$; }
    ;

opt_expr
    : %empty            { $$ = NULL; }
    | expr
    ;

expr
    : T_STRING          { $$ = psl_expr_string(P, $1, @$); }
    | T_NUMBER          { $$ = psl_expr_new(P, PSL_EXPR_NUMBER, $1, @$); }
    | path              { $$ = psl_expr_new(P, PSL_EXPR_CONSTANT, $1, @$); }
    | path args         { $$ = psl_expr_new(P, PSL_EXPR_FUNCTION, $1, @$); $$->args = $2; }
    | '[' exprs ']'     { $$ = psl_expr_array(P, &$2, @$); }
    | '{' '}'           { $$ = psl_expr_new(P, PSL_EXPR_OBJECT, NULL, @$); $$->args = psl_args_make(P, NULL, false, @$); }
    | '{' args1 '}'     { $$ = psl_expr_new(P, PSL_EXPR_OBJECT, NULL, @$); $$->args = psl_args_make(P, &$2, false, @$); }
    | '{' args1 ',' '}' { $$ = psl_expr_new(P, PSL_EXPR_OBJECT, NULL, @$); $$->args = psl_args_make(P, &$2, true, @$); }
    ;

exprs
    : %empty            { memset(&$$, 0, sizeof $$); }
    | exprs1
    ;

exprs1
    : expr              { memset(&$$, 0, sizeof $$); psl_vec_push(P->arena, &$$, $1); }
    | exprs1 ',' expr   { $$ = $1; psl_vec_push(P->arena, &$$, $3); }
    ;

%%

static int psl_yylex(PSL_YYSTYPE *lval, psl_span *loc, psl_parser *P)
{
    int t = psl_yylex_scan(lval, loc, P->scanner);
    P->last_token = t;
    return t;
}

static void psl_yyerror(psl_span *loc, psl_parser *P, const char *msg)
{
    /* Recoverable errors are reported by the `error` rules, in Prisma's
     * words; this one is kept and reported only if the parse fails. */
    if (P->has_fatal)
        return;
    P->has_fatal = true;
    P->fatal_loc = *loc;
    P->fatal_msg = strstr(msg, "memory exhausted") ? "The schema nests too deeply to be parsed."
                                                   : "Unexpected token: the schema cannot be parsed past this point.";
}
