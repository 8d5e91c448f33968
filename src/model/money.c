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
static void group_digits(char *out, unsigned long long v, bool indian)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%llu", v);
    int pos = 0;
    for (int i = 0; i < n; i++) {
        int left = n - i; /* digits remaining including this one */
        if (i > 0) {
            bool sep = indian ? (left == 3 || (left > 3 && (left - 3) % 2 == 0))
                              : left % 3 == 0;
            if (sep)
                out[pos++] = ',';
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

static void short_form(char *out, size_t size, double v, bool indian)
{
    char num[32];
    const char *unit = "";
    if (indian && v >= 1e7) { compact(num, sizeof num, v / 1e7); unit = "Cr"; }
    else if (indian && v >= 1e5) { compact(num, sizeof num, v / 1e5); unit = "L"; }
    else if (!indian && v >= 1e6) { compact(num, sizeof num, v / 1e6); unit = "M"; }
    else if (v >= 1e3) { compact(num, sizeof num, v / 1e3); unit = "K"; }
    else snprintf(num, sizeof num, "%.0f", v);
    snprintf(out, size, "%s%s", num, unit);
}

bool money_format(char *buf, size_t size, double amount, const char *code,
                  money_style style)
{
    const currency *c = find(code);
    if (!c || !isfinite(amount) || fabs(amount) > 1e15)
        return false;
    char num[64];
    double v = fabs(round(amount));
    if (style == MONEY_SHORT)
        short_form(num, sizeof num, v, c->indian);
    else
        group_digits(num, (unsigned long long)v, c->indian);
    int n = snprintf(buf, size, "%s%s%s", amount < 0 ? "-" : "", c->symbol, num);
    return n >= 0 && (size_t)n < size;
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
