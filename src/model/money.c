#include "money.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *code;
    const char *symbol;   /* written before the number */
    bool indian;          /* lakh/crore grouping */
} currency;

static const currency CURRENCIES[] = {
    {"USD", "$", false},     {"INR", "₹", true},      {"EUR", "€", false},
    {"GBP", "£", false},     {"JPY", "¥", false},     {"CNY", "CN¥", false},
    {"CAD", "CA$", false},   {"AUD", "A$", false},    {"SGD", "S$", false},
    {"AED", "AED ", false},  {"SAR", "SAR ", false},
};
#define NCUR (sizeof CURRENCIES / sizeof *CURRENCIES)

static const currency *find(const char *code)
{
    for (size_t i = 0; code && i < NCUR; i++)
        if (!strcmp(CURRENCIES[i].code, code))
            return &CURRENCIES[i];
    return NULL;
}

bool currency_known(const char *code) { return find(code) != NULL; }

const char *currency_list(void)
{
    return "USD, INR, EUR, GBP, JPY, CNY, CAD, AUD, SGD, AED, SAR";
}

/* Digits of a whole number with separators: groups of 3, or 3 then 2s (Indian). */
static void group_digits(char *out, unsigned long long v, bool indian, const char *sep)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%llu", v);
    int pos = 0;
    for (int i = 0; i < n; i++) {
        int left = n - i; /* digits remaining including this one */
        if (i > 0) {
            bool sep_here = indian ? (left == 3 || (left > 3 && (left - 3) % 2 == 0))
                                   : left % 3 == 0;
            if (sep_here) {
                size_t sep_len = strlen(sep);
                memcpy(out + pos, sep, sep_len);
                pos += (int)sep_len;
            }
        }
        out[pos++] = digits[i];
    }
    out[pos] = '\0';
}

/* 95000 → "95", 1250000 → "1.25" (at most two decimals, trailing zeros dropped). */
static void compact(char *out, size_t size, double v)
{
    snprintf(out, size, "%.2f", v);
    char *dot = strchr(out, '.');
    char *end = out + strlen(out) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
}

/* Puts `value` where `tmpl` says {key}; without a template, value + fallback suffix. */
static void fill(char *out, size_t size, const char *tmpl, const char *key,
                 const char *value, const char *fallback_suffix)
{
    const char *at = tmpl ? strstr(tmpl, key) : NULL;
    if (!at) {
        snprintf(out, size, "%s%s", value, fallback_suffix);
        return;
    }
    snprintf(out, size, "%.*s%s%s", (int)(at - tmpl), tmpl, value, at + strlen(key));
}

static void short_form(char *out, size_t size, double v, bool indian,
                       const money_locale *loc)
{
    char num[32];
    const char *tmpl = NULL, *unit = "";
    if (indian && v >= 1e7) { compact(num, sizeof num, v / 1e7); tmpl = loc->crore; unit = "Cr"; }
    else if (indian && v >= 1e5) { compact(num, sizeof num, v / 1e5); tmpl = loc->lakh; unit = "L"; }
    else if (!indian && v >= 1e6) { compact(num, sizeof num, v / 1e6); tmpl = loc->million; unit = "M"; }
    else if (v >= 1e3) { compact(num, sizeof num, v / 1e3); tmpl = loc->thousand; unit = "K"; }
    else snprintf(num, sizeof num, "%.0f", v);
    char *dot = strchr(num, '.');
    char local[48];
    if (dot && loc->decimal_sep) {
        snprintf(local, sizeof local, "%.*s%s%s", (int)(dot - num), num, loc->decimal_sep,
                 dot + 1);
        snprintf(num, sizeof num, "%s", local);
    }
    fill(out, size, *unit ? tmpl : NULL, "{n}", num, unit);
}

bool money_digits_known(const char *digits)
{
    return !digits || !strcmp(digits, "latin") || !strcmp(digits, "devanagari") ||
           !strcmp(digits, "arabic-indic");
}

/* ASCII digits to the language's own (U+0966.. Devanagari, U+0660.. Arabic-Indic). */
static void native_digits(char *buf, size_t size, const char *digits)
{
    unsigned base = digits && !strcmp(digits, "devanagari") ? 0x966
                  : digits && !strcmp(digits, "arabic-indic") ? 0x660 : 0;
    if (!base)
        return;
    char out[256];
    size_t n = 0;
    for (const char *p = buf; *p && n + 3 < sizeof out; p++) {
        if (*p >= '0' && *p <= '9') {
            unsigned cp = base + (unsigned)(*p - '0');   /* two UTF-8 bytes or three */
            if (cp < 0x800) {
                out[n++] = (char)(0xC0 | (cp >> 6));
                out[n++] = (char)(0x80 | (cp & 0x3F));
            } else {
                out[n++] = (char)(0xE0 | (cp >> 12));
                out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (char)(0x80 | (cp & 0x3F));
            }
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    snprintf(buf, size, "%s", out);
}

bool money_format_in(char *buf, size_t size, double amount, const char *code,
                     money_style style, const money_locale *loc)
{
    static const money_locale english = {0};
    const currency *c = find(code);
    if (!loc)
        loc = &english;
    if (!c || !isfinite(amount) || fabs(amount) > 1e15 || !money_digits_known(loc->digits))
        return false;
    char num[128], signed_num[140];
    double v = fabs(round(amount));
    if (style == MONEY_SHORT)
        short_form(num, sizeof num, v, c->indian, loc);
    else
        group_digits(num, (unsigned long long)v, c->indian,
                     loc->thousands_sep ? loc->thousands_sep : ",");
    native_digits(num, sizeof num, loc->digits);
    snprintf(signed_num, sizeof signed_num, "%s%s", amount < 0 ? "-" : "", num);
    char out[256];
    if (loc->currency && strstr(loc->currency, "{amount}"))
        fill(out, sizeof out, loc->currency, "{amount}", signed_num, "");
    else
        snprintf(out, sizeof out, "%s%s%s", amount < 0 ? "-" : "", c->symbol, num);
    int n = snprintf(buf, size, "%s", out);
    return n >= 0 && (size_t)n < size;
}

bool money_format(char *buf, size_t size, double amount, const char *code,
                  money_style style)
{
    return money_format_in(buf, size, amount, code, style, NULL);
}

bool money_range(char *buf, size_t size, double min, double max, const char *code,
                 money_style style, bool open_ended)
{
    char a[64], b[64];
    if (!money_format(a, sizeof a, min, code, style) ||
        !money_format(b, sizeof b, max, code, style))
        return false;
    int n = snprintf(buf, size, "%s – %s%s", a, b, open_ended ? "+" : "");
    return n >= 0 && (size_t)n < size;
}
