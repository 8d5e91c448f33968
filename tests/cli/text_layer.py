#!/usr/bin/env python3
"""text_layer.py - what a PDF's text reads as without marked-content ActualText, and the
language of each run, read through qpdf's JSON (an independent reader of our files).

    text_layer.py facts FILE.pdf        KEY=VALUE lines (below)
    text_layer.py text FILE.pdf         the text, from the fonts' ToUnicode maps only
    text_layer.py words CAREER.yaml SCRIPT [--skip=PATH...] TEXT_FILE...
                                        the career's words in SCRIPT (deva, arab) that
                                        none of the texts holds, one a line; --skip
                                        leaves out the strings at a path the layout
                                        does not show (tools.text)

facts:
  tounicode_fffd      ToUnicode entries that map to U+FFFD
  actualtext_spans    marked-content sequences with an /ActualText (pages and forms)
  lang_spans          tagged sequences with a marked-content /Lang
  lang_spans_mixed    of those, the ones whose letters are not all in the script of
                      their /Lang (a wrong span)
  foreign_letters     letters of tagged content in another script than the language of
                      their element (its /Lang, an ancestor's or the catalog's)
  foreign_unmarked    of those, the ones with no marked-content /Lang of their script
  lang:XX             letters marked with marked-content /Lang XX

The text is the ToUnicode readings of the glyphs in content order, one line per text
object, right-to-left runs reversed into reading order (what pdf.js and other readers
that ignore ActualText do), so it needs no ActualText at all.
"""
import base64
import json
import re
import subprocess
import sys
import unicodedata

import yaml

TOKEN = re.compile(rb"""
    (?P<ws>[\x00\t\n\f\r ]+|%[^\r\n]*)
  | (?P<lit>\()
  | (?P<dopen><<) | (?P<dclose>>>)
  | (?P<hex><[0-9A-Fa-f\s]*>)
  | (?P<aopen>\[) | (?P<aclose>\])
  | (?P<name>/[^\x00\t\n\f\r ()<>\[\]{}/%]*)
  | (?P<word>[^\x00\t\n\f\r ()<>\[\]{}/%]+)
""", re.X)

SCRIPT_LANG = {'Latin': 'en', 'Devanagari': 'hi', 'Arabic': 'ar'}
LANG_SCRIPT = {'en': 'Latin', 'hi': 'Devanagari', 'ar': 'Arabic'}
RANGES = {'Devanagari': (0x0900, 0x097F), 'Arabic': (0x0600, 0x06FF),
          'Latin': (0x0041, 0x024F)}


def script_of(ch):
    """The script of a letter (of the three our content uses), or None."""
    if not unicodedata.category(ch).startswith('L'):
        return None
    o = ord(ch)
    for s, (lo, hi) in RANGES.items():
        if lo <= o <= hi or (s == 'Arabic' and 0xFB50 <= o <= 0xFEFF):
            return s
    return None


def literal(data, i):
    """The bytes of the literal string starting at data[i] == '(' and its end."""
    out, depth = bytearray(), 0
    while i < len(data):
        c = data[i]
        if c == 0x5C:  # backslash
            i += 1
            e = data[i:i + 1]
            esc = {b'n': 10, b'r': 13, b't': 9, b'b': 8, b'f': 12}
            if e in esc:
                out.append(esc[e])
            elif e.isdigit():
                m = re.match(rb'[0-7]{1,3}', data[i:])
                out.append(int(m.group(), 8) & 255)
                i += len(m.group()) - 1
            elif e not in (b'\n', b'\r'):
                out += e
        elif c == 0x28:
            depth += 1
            if depth > 1:
                out.append(c)
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
            out.append(c)
        else:
            out.append(c)
        i += 1
    return bytes(out), i


def tokens(data):
    """Operands and operators of a content stream: ('op', b'Tj'), ('str', bytes)..."""
    i = 0
    while i < len(data):
        m = TOKEN.match(data, i)
        if not m:
            i += 1
            continue
        kind = m.lastgroup
        if kind == 'lit':
            s, i = literal(data, i)
            yield 'str', s
            continue
        i = m.end()
        v = m.group()
        if kind == 'ws':
            continue
        if kind == 'hex':
            h = re.sub(rb'\s', b'', v[1:-1])
            yield 'str', bytes.fromhex((h + b'0' * (len(h) % 2)).decode())
        elif kind == 'word':
            if re.fullmatch(rb'[-+.0-9]+|true|false|null', v):
                yield 'num', v
            else:
                yield 'op', v
        else:
            yield kind, v


def utf16(b):
    if b[:2] == b'\xfe\xff':
        b = b[2:]
    return b.decode('utf-16-be', 'replace')


def pdf_text(b):
    """A text string: UTF-16BE with its byte order mark, else (our ASCII) Latin-1."""
    return utf16(b) if b[:2] == b'\xfe\xff' else b.decode('latin-1')


def parse_cmap(data):
    """ToUnicode: code -> text."""
    m = {}
    toks = list(tokens(data))
    mode, args = None, []
    for kind, v in toks:
        if kind == 'op':
            mode = {b'beginbfchar': 'char', b'beginbfrange': 'range'}.get(v, None) \
                if v.startswith(b'begin') else None
            args = []
            continue
        if mode is None:
            continue
        args.append((kind, v))
        if mode == 'char' and len(args) == 2:
            m[int.from_bytes(args[0][1], 'big')] = utf16(args[1][1])
            args = []
        elif mode == 'range' and len(args) >= 3 and args[2][0] == 'str':
            lo, hi = (int.from_bytes(a[1], 'big') for a in args[:2])
            dst = args[2][1]
            for k, code in enumerate(range(lo, hi + 1)):
                last = int.from_bytes(dst[-2:], 'big') + k
                m[code] = utf16(dst[:-2] + last.to_bytes(2, 'big'))
            args = []
        elif mode == 'range' and len(args) >= 3 and args[2][0] == 'aopen':
            if args[-1][0] == 'aclose':
                lo = int.from_bytes(args[0][1], 'big')
                for k, a in enumerate(args[3:-1]):
                    m[lo + k] = utf16(a[1])
                args = []
    return m


class Doc:
    def __init__(self, path):
        out = subprocess.run(['qpdf', '--json', '--json-stream-data=inline',
                              '--decode-level=generalized', path],
                             capture_output=True, check=False).stdout
        self.j = json.loads(out)
        self.objs = self.j['qpdf'][1]
        self.fonts = {}

    def get(self, ref):
        if isinstance(ref, str) and ref.endswith(' R'):
            o = self.objs.get('obj:' + ref, {})
            return o.get('value', o.get('stream', {}).get('dict'))
        return ref

    def data(self, ref):
        s = self.objs.get('obj:' + ref, {}).get('stream', {})
        return base64.b64decode(s.get('data', ''))

    def font(self, ref):
        if ref not in self.fonts:
            f = self.get(ref) or {}
            tu = f.get('/ToUnicode')
            two = f.get('/Subtype') == '/Type0'
            self.fonts[ref] = (parse_cmap(self.data(tu)) if tu else {}, two)
        return self.fonts[ref]

    def pages(self):
        return [p['object'] for p in self.j['pages']]

    def contents(self, page):
        c = self.get(page).get('/Contents')
        refs = c if isinstance(c, list) else [c]
        return b'\n'.join(self.data(r) for r in refs)

    def catalog_lang(self):
        root = self.get(self.j['qpdf'][1]['trailer']['value']['/Root'])
        return text_of(root.get('/Lang', 'u:en'))

    def parent_array(self, page):
        """The page's ParentTree array (MCID -> element), or None."""
        p = self.get(page)
        root = self.get(self.get(self.j['qpdf'][1]['trailer']['value']['/Root'])
                        .get('/StructTreeRoot'))
        if not root or '/StructParents' not in p:
            return None
        return self.get(find_num(self, self.get(root.get('/ParentTree')), p['/StructParents']))

    def element_langs(self, page):
        """MCID -> the language of its element (nearest /Lang up the tree)."""
        doc_lang = self.catalog_lang()
        p = self.get(page)
        root = self.get(self.get(self.j['qpdf'][1]['trailer']['value']['/Root'])
                        .get('/StructTreeRoot'))
        if not root or '/StructParents' not in p:
            return {}
        arr = find_num(self, self.get(root.get('/ParentTree')), p['/StructParents'])
        langs = {}
        for mcid, e in enumerate(self.get(arr) or []):
            lang, ref = None, e
            for _ in range(100):
                d = self.get(ref)
                if not isinstance(d, dict):
                    break
                if '/Lang' in d:
                    lang = text_of(d['/Lang'])
                    break
                ref = d.get('/P')
            langs[mcid] = lang or doc_lang
        return langs


def find_num(doc, node, key):
    node = doc.get(node) or {}
    nums = node.get('/Nums', [])
    for i in range(0, len(nums) - 1, 2):
        if nums[i] == key:
            return nums[i + 1]
    for kid in node.get('/Kids', []):
        r = find_num(doc, kid, key)
        if r is not None:
            return r
    return None


def text_of(v):
    if isinstance(v, str) and v.startswith('u:'):
        return v[2:]
    if isinstance(v, str) and v.startswith('b:'):
        return utf16(bytes.fromhex(v[2:]))
    return v


def dict_of(operands):
    """The /Key value pairs of an inline property dictionary."""
    d, key = {}, None
    for kind, v in operands:
        if kind == 'name' and key is None:
            key = v.decode()
        elif key is not None:
            d[key] = v
            key = None
    return d


def runs(doc, page):
    """(text, mcid, marked /Lang or None, in ActualText) per text operator, and text
    object breaks as None, in content order."""
    res = doc.get(doc.get(page).get('/Resources')) or {}
    fonts = doc.get(res.get('/Font')) or {}
    font, ops, stack = ({}, False), [], []
    for kind, v in tokens(doc.contents(page)):
        if kind != 'op':
            ops.append((kind, v))
            continue
        if v == b'Tf' and len(ops) >= 2 and ops[-2][0] == 'name':
            ref = fonts.get(ops[-2][1].decode())
            font = doc.font(ref) if ref else ({}, False)
        elif v in (b'BDC', b'BMC'):
            d = dict_of(ops[1:]) if v == b'BDC' else {}
            mcid = int(d['/MCID']) if '/MCID' in d else None
            lang = pdf_text(d['/Lang']) if isinstance(d.get('/Lang'), bytes) else None
            stack.append((mcid, lang, '/ActualText' in d))
        elif v == b'EMC' and stack:
            stack.pop()
        elif v in (b'BT', b'ET'):
            yield None
        elif v in (b'Tj', b'TJ', b"'", b'"'):
            tu, two = font
            text = ''
            for k, s in ops:
                if k != 'str':
                    continue
                step = 2 if two else 1
                for i in range(0, len(s) - step + 1, step):
                    text += tu.get(int.from_bytes(s[i:i + step], 'big'), '')
            mcid = next((m for m, _, _ in reversed(stack) if m is not None), None)
            lang = next((l for _, l, _ in reversed(stack) if l), None)
            actual = any(a for _, _, a in stack)
            yield text, mcid, lang, actual
        ops = []


def visual_to_logical(line):
    """A line drawn left to right with its right-to-left runs put back in reading order:
    each run of Arabic (with the marks and spaces inside it) reversed."""
    out, i = [], 0
    rtl = lambda c: script_of(c) == 'Arabic' or (
        unicodedata.bidirectional(c) in ('AL', 'R', 'NSM', 'AN'))
    while i < len(line):
        if rtl(line[i]):
            j = i
            while j < len(line) and (rtl(line[j]) or (line[j] == ' ' and j + 1 < len(line)
                                                       and rtl(line[j + 1]))):
                j += 1
            out.append(line[i:j][::-1])
            i = j
        else:
            out.append(line[i])
            i += 1
    return ''.join(out)


def page_text(doc, page):
    lines, cur = [], ''
    for r in runs(doc, page):
        if r is None:
            lines.append(cur)
            cur = ''
        else:
            cur += r[0]
    lines.append(cur)
    return '\n'.join(visual_to_logical(l) for l in lines if l)


def facts(path):
    doc = Doc(path)
    fffd = actual = spans = mixed = foreign = unmarked = 0
    per_lang = {}
    for page in doc.pages():
        langs = doc.element_langs(page)
        for r in runs(doc, page):
            if r is None:
                continue
            text, mcid, lang, in_actual = r
            if mcid is None:
                continue
            own = LANG_SCRIPT.get((langs.get(mcid) or 'en')[:2], 'Latin')
            for ch in text:
                s = script_of(ch)
                if not s:
                    continue
                if lang:
                    per_lang[lang] = per_lang.get(lang, 0) + 1
                if s != own:
                    foreign += 1
                    if not lang or LANG_SCRIPT.get(lang[:2]) != s:
                        unmarked += 1
        data = doc.contents(page)
        actual += len(re.findall(rb'/ActualText', data))
        spans += len(re.findall(rb'<<[^<>]*/MCID[^<>]*/Lang[^<>]*>>\s*BDC', data))
    for key, o in doc.objs.items():   # form XObjects: a roster's student pages
        d = o.get('stream', {}).get('dict', {})
        if d.get('/Subtype') == '/Form':
            actual += len(re.findall(rb'/ActualText', doc.data(key[4:])))
    for key, o in doc.objs.items():
        v = o.get('value')
        if isinstance(v, dict) and v.get('/Type') == '/Font' and '/ToUnicode' in v:
            tu, _ = doc.font(key[4:])
            fffd += sum(1 for t in tu.values() if '\ufffd' in t)
    # a marked-content /Lang span must hold letters of its own script only
    for page in doc.pages():
        seen = {}
        for r in runs(doc, page):
            if r is None or not r[2]:
                continue
            key = (r[1], r[2])
            for ch in r[0]:
                s = script_of(ch)
                if s and LANG_SCRIPT.get(r[2][:2]) != s:
                    seen[key] = True
        mixed += len(seen)
    # every marked-content id in a page's content belongs to an element: content whose
    # MCID leads nowhere is neither in the structure tree nor an artifact
    orphans = 0
    for page in doc.pages():
        arr = doc.parent_array(page) or []
        ops = []
        for kind, v in tokens(doc.contents(page)):
            if kind != 'op':
                ops.append((kind, v))
                continue
            if v == b'BDC':
                d = dict_of(ops[1:])
                if '/MCID' in d:
                    m = int(d['/MCID'])
                    if m >= len(arr) or not isinstance(doc.get(arr[m]), dict):
                        orphans += 1
            ops = []
    print(f'tounicode_fffd={fffd}')
    print(f'mcid_orphans={orphans}')
    print(f'actualtext_spans={actual}')
    print(f'lang_spans={spans}')
    print(f'lang_spans_mixed={mixed}')
    print(f'foreign_letters={foreign}')
    print(f'foreign_unmarked={unmarked}')
    for k in sorted(per_lang):
        print(f'lang:{k}={per_lang[k]}')


def words(s):
    out, cur = [], []
    for c in unicodedata.normalize('NFC', s):
        if unicodedata.category(c)[0] in 'LMN' or c in '\u200c\u200d':
            cur.append(c)
        elif cur:
            out.append(''.join(cur))
            cur = []
    if cur:
        out.append(''.join(cur))
    return out


def strings(x, skip=(), path=''):
    """Every string of a career, but those at the paths in `skip` ("tools.text")."""
    if path in skip:
        return
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for k, v in x.items():
            yield from strings(v, skip, f'{path}.{k}' if path else str(k))
    elif isinstance(x, list):
        for v in x:
            yield from strings(v, skip, path)


def missing_words(career, script, texts, skip):
    s = {'deva': 'Devanagari', 'arab': 'Arabic'}[script]
    with open(career, encoding='utf-8') as f:
        data = yaml.safe_load(f)
    want = {w for t in strings(data, skip) for w in words(t)
            if any(script_of(c) == s for c in w)}
    have = set()
    for t in texts:
        with open(t, encoding='utf-8') as f:
            have |= set(words(f.read()))
    for w in sorted(want - have):
        print(w)


def main():
    cmd = sys.argv[1]
    if cmd == 'facts':
        facts(sys.argv[2])
    elif cmd == 'text':
        doc = Doc(sys.argv[2])
        print('\n'.join(page_text(doc, p) for p in doc.pages()))
    elif cmd == 'words':
        args = sys.argv[4:]
        skip = [a[len('--skip='):] for a in args if a.startswith('--skip=')]
        missing_words(sys.argv[2], sys.argv[3], [a for a in args if not a.startswith('--')],
                      skip)


if __name__ == '__main__':
    main()
