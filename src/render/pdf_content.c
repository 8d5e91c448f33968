/* pdf_content.c - the tokenizer of content streams and CMaps (see pdf_content.h). */
#include "pdf_content.h"

#include <string.h>

/* Character classes of ISO 32000-1, 7.2.2: white space, delimiters, regular. A table:
 * the tokenizer reads every byte of every page. */
enum { C_REGULAR, C_SPACE, C_DELIM };
static const guint8 CLASS[256] = {
    ['\0'] = C_SPACE, ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\f'] = C_SPACE,
    ['\r'] = C_SPACE, [' '] = C_SPACE,
    ['('] = C_DELIM, [')'] = C_DELIM, ['<'] = C_DELIM, ['>'] = C_DELIM,
    ['['] = C_DELIM, [']'] = C_DELIM, ['{'] = C_DELIM, ['}'] = C_DELIM,
    ['/'] = C_DELIM, ['%'] = C_DELIM,
};

static inline int class_of(char c)
{
    return CLASS[(unsigned char)c];
}

const char *pdf_lex(const char *p, const char *end, tk *t)
{
    while (p < end && (class_of(*p) == C_SPACE || *p == '%')) {
        if (*p == '%')
            while (p < end && *p != '\n' && *p != '\r')
                p++;
        else
            p++;
    }
    t->s = p;
    t->kind = TK_END;
    if (p >= end) {
        t->e = p;
        return p;
    }
    char c = *p;
    if (c == '(') {
        int depth = 0;
        for (; p < end; p++) {
            if (*p == '\\') { p++; continue; }
            if (*p == '(') depth++;
            else if (*p == ')' && --depth == 0) { p++; break; }
        }
        if (p > end)
            p = end;   /* a backslash as the last byte */
        t->kind = TK_LIT;
    } else if (c == '<' && p + 1 < end && p[1] == '<') {
        p += 2;
        t->kind = TK_DOPEN;
    } else if (c == '>' && p + 1 < end && p[1] == '>') {
        p += 2;
        t->kind = TK_DCLOSE;
    } else if (c == '<') {
        const char *e = memchr(p, '>', (size_t)(end - p));
        p = e ? e + 1 : end;
        t->kind = TK_HEX;
    } else if (c == '[' || c == ']') {
        p++;
        t->kind = c == '[' ? TK_OPEN : TK_CLOSE;
    } else if (c == '{' || c == '}' || c == ')' || c == '>') {
        p++;
        t->kind = TK_NUM;   /* not in page content; kept as an operand */
    } else {
        const char *s = p++;
        while (p < end && class_of(*p) == C_REGULAR)
            p++;
        size_t n = (size_t)(p - s);
        if (c == '/')
            t->kind = TK_NAME;
        else if (g_ascii_isdigit(c) || c == '-' || c == '+' || c == '.' ||
                 (n == 4 && !memcmp(s, "true", 4)) || (n == 5 && !memcmp(s, "false", 5)) ||
                 (n == 4 && !memcmp(s, "null", 4)))
            t->kind = TK_NUM;
        else
            t->kind = TK_OP;
    }
    t->e = p;
    return p;
}

bool pdf_tk_is(const tk *t, const char *word)
{
    size_t n = (size_t)(t->e - t->s);
    return n == strlen(word) && !memcmp(t->s, word, n);
}

double pdf_tk_number(const tk *t)
{
    const char *p = t->s;
    bool neg = p < t->e && *p == '-';
    p += neg || (p < t->e && *p == '+');
    double v = 0;
    for (; p < t->e && g_ascii_isdigit(*p); p++)
        v = v * 10 + (*p - '0');
    if (p < t->e || p == t->s + neg)   /* a fraction, an exponent, or no digits */
        return g_ascii_strtod(t->s, NULL);
    return neg ? -v : v;
}

static bool two(const char *s, const char *w)
{
    return s[0] == w[0] && s[1] == w[1];
}

pdf_op_kind pdf_op_classify(const tk *op)
{
    size_t n = (size_t)(op->e - op->s);
    const char *s = op->s;
    switch (n) {
    case 1:
        if (*s == '\'' || *s == '"')
            return OP_SHOW;
        return strchr("qQwJjMdigGkK", *s) ? OP_STATE : OP_OTHER;
    case 2:
        if (two(s, "BT")) return OP_BT;
        if (two(s, "ET")) return OP_ET;
        if (two(s, "Tf")) return OP_TF;
        if (two(s, "TJ")) return OP_TJ;
        if (two(s, "Tj")) return OP_SHOW;
        if (two(s, "BI") || two(s, "ID")) return OP_INLINE;
        if (s[0] == 'T' && strchr("cwzLrs", s[1]))
            return OP_STATE;   /* Tc Tw Tz TL Tr Ts */
        if (two(s, "cm") || two(s, "ri") || two(s, "gs") || two(s, "rg") || two(s, "RG") ||
            two(s, "cs") || two(s, "CS") || two(s, "sc") || two(s, "SC"))
            return OP_STATE;
        return OP_OTHER;
    case 3:
        if (!memcmp(s, "BDC", 3)) return OP_BDC;
        if (!memcmp(s, "BMC", 3)) return OP_BMC;
        if (!memcmp(s, "EMC", 3)) return OP_EMC;
        if (!memcmp(s, "scn", 3) || !memcmp(s, "SCN", 3)) return OP_STATE;
        return OP_OTHER;
    default:
        return OP_OTHER;
    }
}

GByteArray *pdf_string_bytes(const tk *t)
{
    GByteArray *b = g_byte_array_new();
    if (t->kind == TK_HEX) {
        int hi = -1;
        for (const char *p = t->s + 1; p < t->e && *p != '>'; p++) {
            if (!g_ascii_isxdigit(*p))
                continue;
            int v = g_ascii_xdigit_value(*p);
            if (hi < 0) {
                hi = v;
            } else {
                guint8 byte = (guint8)(hi * 16 + v);
                g_byte_array_append(b, &byte, 1);
                hi = -1;
            }
        }
        if (hi >= 0) {
            guint8 byte = (guint8)(hi * 16);
            g_byte_array_append(b, &byte, 1);
        }
        return b;
    }
    const char *p = t->s + 1, *end = t->e - 1;   /* inside the outer parentheses */
    while (p < end) {
        guint8 byte = (guint8)*p++;
        if (byte == '\\' && p < end) {
            char e = *p++;
            switch (e) {
            case 'n': byte = '\n'; break;
            case 'r': byte = '\r'; break;
            case 't': byte = '\t'; break;
            case 'b': byte = '\b'; break;
            case 'f': byte = '\f'; break;
            case '\r':
                if (p < end && *p == '\n')
                    p++;
                continue;
            case '\n':
                continue;
            default:
                if (e >= '0' && e <= '7') {
                    int v = e - '0';
                    for (int k = 0; k < 2 && p < end && *p >= '0' && *p <= '7'; k++)
                        v = v * 8 + (*p++ - '0');
                    byte = (guint8)v;
                } else {
                    byte = (guint8)e;
                }
            }
        }
        g_byte_array_append(b, &byte, 1);
    }
    return b;
}

char *pdf_utf16be_to_utf8(const guint8 *b, size_t n)
{
    if (n >= 2 && b[0] == 0xfe && b[1] == 0xff) {
        b += 2;
        n -= 2;
    }
    if (n % 2)
        return NULL;
    gunichar2 *u = g_new(gunichar2, n / 2 + 1);
    for (size_t i = 0; i < n / 2; i++)
        u[i] = (gunichar2)(b[2 * i] << 8 | b[2 * i + 1]);
    char *s = g_utf16_to_utf8(u, (glong)(n / 2), NULL, NULL, NULL);
    g_free(u);
    return s;
}
