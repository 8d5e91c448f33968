/* pdf_raw_syntax.c - PDF syntax over byte spans, for the roster assembler (pdf_raw.h).
 *
 * Tokens, references, values, dictionaries and arrays are read in place: each answer
 * is a span [s, e) of the caller's buffer, so what is copied can be copied byte for
 * byte. The lexer is the assembler's hot loop (every object of every overlay passes
 * through it), hence the class table. */
#include "pdf_raw.h"

#include <stdlib.h>
#include <string.h>

/* Character classes of PDF syntax, by table: the lexer is the assembler's hot loop. */
enum { C_SPACE = 1, C_DELIM = 2, C_DIGIT = 4 };
static const unsigned char CCLASS[256] = {
    ['\0'] = C_SPACE, ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE,
    [' '] = C_SPACE, ['('] = C_DELIM, [')'] = C_DELIM, ['<'] = C_DELIM, ['>'] = C_DELIM,
    ['['] = C_DELIM, [']'] = C_DELIM, ['{'] = C_DELIM, ['}'] = C_DELIM, ['/'] = C_DELIM,
    ['%'] = C_DELIM, ['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT,
    ['4'] = C_DIGIT, ['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT, ['8'] = C_DIGIT,
    ['9'] = C_DIGIT,
};

static int cclass(char c)
{
    return CCLASS[(unsigned char)c];
}

/* A literal string: balanced parentheses, a backslash escapes the next byte. */
static const char *skip_string(const char *p, const char *end)
{
    int depth = 0;
    for (; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '(')
            depth++;
        else if (*p == ')' && --depth == 0)
            return p + 1;
    }
    return NULL;
}

/* The next token at or after *pp; whitespace and comments are skipped. *pp moves past
 * the token. Strings come whole, so nothing inside them is ever taken for syntax. */
raw_token raw_lex(const char **pp, const char *end)
{
    const char *p = *pp;
    for (;;) {
        while (p < end && cclass(*p) == C_SPACE)
            p++;
        if (p < end && *p == '%') {
            while (p < end && *p != '\n' && *p != '\r')
                p++;
            continue;
        }
        break;
    }
    raw_token t = {TK_END, p, 0};
    if (p >= end)
        return t;
    const char *q = p + 1;
    switch (*p) {
    case '(':
        q = skip_string(p, end);
        t.kind = q ? TK_STR : TK_BAD;
        break;
    case '<':
        if (q < end && *q == '<') {
            t.kind = TK_DICT;
            q++;
        } else {
            q = memchr(q, '>', (size_t)(end - q));
            t.kind = q ? TK_HEX : TK_BAD;
            q = q ? q + 1 : NULL;
        }
        break;
    case '>':
        t.kind = q < end && *q == '>' ? TK_DICT_END : TK_BAD;
        q += t.kind == TK_DICT_END;
        break;
    case '[': t.kind = TK_ARR; break;
    case ']': t.kind = TK_ARR_END; break;
    case ')': t.kind = TK_BAD; break;
    case '{': case '}': t.kind = TK_WORD; break;
    default:
        if (*p == '/')
            t.kind = TK_NAME;
        /* A number is digits, a point and a leading sign; anything else a keyword. */
        bool num = t.kind != TK_NAME;
        num = num && (cclass(*p) == C_DIGIT || *p == '.' || *p == '-' || *p == '+');
        while (q < end && !(cclass(*q) & (C_SPACE | C_DELIM))) {
            num = num && (cclass(*q) == C_DIGIT || *q == '.');
            q++;
        }
        if (t.kind != TK_NAME)
            t.kind = num ? TK_NUM : TK_WORD;
        break;
    }
    if (t.kind == TK_BAD || !q)
        return (raw_token){TK_BAD, p, 0};
    t.n = (size_t)(q - p);
    *pp = q;
    return t;
}

bool raw_tk_is(raw_token t, const char *text)
{
    return t.n == strlen(text) && memcmp(t.s, text, t.n) == 0;
}

/* A non-negative integer token (object numbers, offsets, lengths); -1 otherwise. */
long raw_tk_int(raw_token t)
{
    if (t.kind != TK_NUM || t.n == 0 || t.n > 12)
        return -1;
    long v = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (t.s[i] < '0' || t.s[i] > '9')
            return -1;
        v = v * 10 + (t.s[i] - '0');
    }
    return v;
}

bool raw_tk_real(raw_token t, double *v)
{
    char buf[64];
    if (t.kind != TK_NUM || t.n >= sizeof buf)
        return false;
    memcpy(buf, t.s, t.n);
    buf[t.n] = '\0';
    *v = g_ascii_strtod(buf, NULL); /* '.' whatever the locale */
    return true;
}

/* At p, "N 0 R"? Then *num is N and *pp moves past the R. cairo only writes
 * generation 0 (raw_next_ref refuses any other). */
bool raw_lex_ref(const char **pp, const char *end, long *num)
{
    const char *p = *pp;
    long n = raw_tk_int(raw_lex(&p, end));
    if (n < 0 || raw_tk_int(raw_lex(&p, end)) != 0 || !raw_tk_is(raw_lex(&p, end), "R"))
        return false;
    *num = n;
    *pp = p;
    return true;
}

raw_refs raw_scan_refs(const char *p, const char *end)
{
    return (raw_refs){p, end, {{TK_END, p, 0}, {TK_END, p, 0}}, false};
}

/* The next reference: *at is where its number starts, *num the number. False at the
 * end, or on bad syntax (then s->bad). A reference to another generation is bad too:
 * left as it is, it would point into the template's numbers. */
bool raw_next_ref(raw_refs *s, const char **at, long *num)
{
    for (;;) {
        raw_token t = raw_lex(&s->p, s->end);
        bool ref = t.kind == TK_WORD && raw_tk_is(t, "R") && raw_tk_int(s->prev[0]) >= 0 &&
                   raw_tk_int(s->prev[1]) >= 0;
        if (t.kind == TK_END || t.kind == TK_BAD || (ref && raw_tk_int(s->prev[1]) != 0)) {
            s->bad = t.kind != TK_END;
            return false;
        }
        if (ref) {
            *at = s->prev[0].s;
            *num = raw_tk_int(s->prev[0]);
            s->prev[0] = s->prev[1] = (raw_token){TK_END, s->p, 0};
            return true;
        }
        s->prev[0] = s->prev[1];
        s->prev[1] = t;
    }
}

/* One value at *pp (a dictionary or array whole, a reference as one value); its
 * tokens are [*s, *pp). False on bad syntax. */
bool raw_skip_value(const char **pp, const char *end, const char **s)
{
    const char *p = *pp;
    raw_token t = raw_lex(&p, end);
    *s = t.s;
    if (t.kind == TK_BAD || t.kind == TK_END || t.kind == TK_DICT_END ||
        t.kind == TK_ARR_END)
        return false;
    if (t.kind == TK_DICT || t.kind == TK_ARR) {
        int depth = 1;
        while (depth > 0) {
            t = raw_lex(&p, end);
            if (t.kind == TK_BAD || t.kind == TK_END)
                return false;
            depth += (t.kind == TK_DICT || t.kind == TK_ARR) -
                     (t.kind == TK_DICT_END || t.kind == TK_ARR_END);
        }
    } else if (t.kind == TK_NUM) {
        long num;
        const char *r = t.s;
        if (raw_lex_ref(&r, end, &num))
            p = r;
    }
    *pp = p;
    return true;
}

/* The value of `key` in the dictionary starting at d: [*vs, *ve), set only when found. */
bool raw_dict_get(const char *d, const char *end, const char *key, const char **vs,
                  const char **ve)
{
    const char *p = d, *v;
    if (raw_lex(&p, end).kind != TK_DICT)
        return false;
    for (;;) {
        raw_token k = raw_lex(&p, end);
        if (k.kind != TK_NAME)
            return false; /* the end of the dictionary, or not one */
        if (!raw_skip_value(&p, end, &v))
            return false;
        if (raw_tk_is(k, key)) {
            *vs = v;
            *ve = p;
            return true;
        }
    }
}

bool raw_dict_has_name(const char *d, const char *end, const char *key, const char *name)
{
    const char *vs, *ve;
    return raw_dict_get(d, end, key, &vs, &ve) && raw_tk_is(raw_lex(&vs, ve), name);
}

/* "[ x0 y0 x1 y1 ]" with the origin at 0 0 (cairo's boxes): width and height. */
bool raw_read_box(const char *p, const char *end, double *w, double *h)
{
    double v[4];
    if (raw_lex(&p, end).kind != TK_ARR)
        return false;
    for (int i = 0; i < 4; i++)
        if (!raw_tk_real(raw_lex(&p, end), &v[i]))
            return false;
    *w = v[2];
    *h = v[3];
    return raw_lex(&p, end).kind == TK_ARR_END && v[0] == 0 && v[1] == 0;
}


/* The items of an array value: item i is [starts[i], ends[i]). */
bool raw_array_items(const char *p, const char *end, GArray *starts, GArray *ends)
{
    if (raw_lex(&p, end).kind != TK_ARR)
        return false;
    for (;;) {
        const char *q = p, *v;
        if (raw_lex(&q, end).kind == TK_ARR_END)
            return true;
        if (!raw_skip_value(&p, end, &v))
            return false;
        g_array_append_val(starts, v);
        g_array_append_val(ends, p);
    }
}
