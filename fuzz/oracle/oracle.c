/* oracle.c - the rulings, as a post-pass over what the ABNF matched.
 *
 * Stage 1 (grammar.c) decides membership in the ABNF language and yields
 * the fields in order as (name, value) pairs. Stage 2 here applies, in
 * this order of thought: size limits (R18); the lenient deviations as an
 * input transformation that records it was needed; then the name-based
 * rules (R3, R4, R5, R12, R17, R20) over the field list. */
#include "oracle.h"

#include <stdlib.h>
#include <string.h>

#include "abnf.h"
#include "grammar.h"

typedef struct segment {
  size_t norm, orig, len; /* a piece of the normalised body and its source */
} segment;

struct oracle {
  abnf_ctx *abnf;
  unsigned char *norm; /* the lenient-normalised policy body */
  size_t norm_cap;
  segment *segs;
  size_t seg_count, seg_cap;
  oracle_str *mx;
  size_t mx_cap;
  oracle_field *fields;
  size_t field_count, field_cap;
};

oracle *oracle_new(void) {
  oracle *o = calloc(1, sizeof(oracle));
  if (o == NULL)
    return NULL;
  o->abnf = abnf_new();
  if (o->abnf == NULL) {
    free(o);
    return NULL;
  }
  return o;
}

void oracle_free(oracle *o) {
  if (o == NULL)
    return;
  abnf_free(o->abnf);
  free(o->norm);
  free(o->segs);
  free(o->mx);
  free(o->fields);
  free(o);
}

/* Growing arrays of test equipment; failure to grow is fatal (abort). */
static void *grow(void *p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap)
    return p;
  size_t want = *cap == 0 ? 64 : *cap;
  while (want < need)
    want *= 2;
  void *q = realloc(p, want * elem);
  if (q == NULL)
    abort();
  *cap = want;
  return q;
}

/* ---- small helpers over bytes ---- */

static bool is_wsp(unsigned char c) {
  return c == ' ' || c == '\t';
}

static unsigned char ascii_lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static bool str_is(const unsigned char *s, oracle_str f, const char *lit) {
  size_t n = strlen(lit);
  return f.len == n && memcmp(s + f.off, lit, n) == 0;
}

static bool str_eq(const unsigned char *s, oracle_str a, oracle_str b) {
  return a.len == b.len && memcmp(s + a.off, s + b.off, a.len) == 0;
}

static bool str_ieq_lit(const unsigned char *s, oracle_str f, const char *lit) {
  size_t n = strlen(lit);
  if (f.len != n)
    return false;
  for (size_t i = 0; i < n; i++)
    if (ascii_lower(s[f.off + i]) != (unsigned char)lit[i])
      return false;
  return true;
}

static bool full(oracle *o, const abnf_node *rule, const unsigned char *s, oracle_str f) {
  return abnf_match_all(o->abnf, rule, s + f.off, f.len, NULL, NULL);
}

/* ---- stage 1: the record grammar, then the (name, value) list ---- */

/* Match `rule` against s[0..n) and collect TAG_NAME / TAG_VALUE pairs. */
static oracle_verdict match_fields(oracle *o, const abnf_node *rule, const unsigned char *s,
                                   size_t n) {
  const abnf_cap **caps = NULL;
  size_t count = 0;
  o->field_count = 0;
  bool ok = abnf_match_all(o->abnf, rule, s, n, &caps, &count);
  if (abnf_exhausted(o->abnf))
    return ORACLE_UNDECIDED;
  if (!ok)
    return ORACLE_INVALID;
  oracle_str name = {0, 0};
  for (size_t i = 0; i < count; i++) {
    if (caps[i]->tag == TAG_NAME) {
      name = (oracle_str){caps[i]->start, caps[i]->end - caps[i]->start};
    } else if (caps[i]->tag == TAG_VALUE) {
      o->fields = grow(o->fields, &o->field_cap, o->field_count + 1, sizeof(oracle_field));
      o->fields[o->field_count++] =
          (oracle_field){name, {caps[i]->start, caps[i]->end - caps[i]->start}};
    }
  }
  return ORACLE_VALID;
}

/* Extensions: every name that is not a known one, first occurrence kept
 * (R3, RFC 8461 3.2 "all entries except for the first SHALL be ignored"),
 * at most MTASTS_MAX_EXTENSIONS distinct names. */
static bool add_extension(const unsigned char *s, oracle_field f, oracle_field *ext,
                          size_t *count) {
  for (size_t i = 0; i < *count; i++)
    if (str_eq(s, ext[i].name, f.name))
      return true; /* an ignored duplicate */
  if (*count == MTASTS_MAX_EXTENSIONS)
    return false;
  ext[(*count)++] = f;
  return true;
}

/* Lenient deviation 5: trailing WSP of a TXT record without a final ";".
 * Returns the length to retry with, or n when there is nothing to strip. */
static size_t txt_without_trailing_wsp(const unsigned char *s, size_t n) {
  size_t m = n;
  while (m > 0 && is_wsp(s[m - 1]))
    m--;
  return m;
}

/* The record grammar, retried once in lenient without trailing WSP. */
static oracle_verdict match_txt_record(oracle *o, const abnf_node *rule, const unsigned char *s,
                                       size_t n, bool lenient, bool *deviation) {
  *deviation = false;
  oracle_verdict v = match_fields(o, rule, s, n);
  if (v != ORACLE_INVALID || !lenient)
    return v;
  size_t m = txt_without_trailing_wsp(s, n);
  if (m == n)
    return v;
  v = match_fields(o, rule, s, m);
  *deviation = v == ORACLE_VALID;
  return v;
}

/* ---- RFC 8461 3.1 ---- */

static oracle_verdict reject(const char **why, const char *rule) {
  *why = rule;
  return ORACLE_INVALID;
}

oracle_verdict oracle_txt_record(oracle *o, const unsigned char *s, size_t n, bool lenient,
                                 oracle_txt *out) {
  memset(out, 0, sizeof(*out));
  abnf_reset(o->abnf);
  if (n == 0)
    return reject(&out->why, "empty record");
  if (n > MTASTS_TXT_MAX_SIZE)
    return reject(&out->why, "R18 record size");
  oracle_verdict v = match_txt_record(o, g_sts_text_record, s, n, lenient, &out->deviation);
  if (v == ORACLE_INVALID)
    return reject(&out->why, "RFC 8461 3.1 sts-text-record");
  if (v != ORACLE_VALID)
    return v;
  bool have_id = false;
  for (size_t i = 0; i < o->field_count; i++) {
    oracle_field f = o->fields[i];
    if (str_is(s, f.name, "id")) {
      if (have_id)
        continue; /* R3: a later id is ignored (it is grammatical: it matched) */
      if (!full(o, g_sts_id_value, s, f.value))
        return reject(&out->why, "R4 first id is not an sts-id");
      out->id = f.value;
      have_id = true;
    } else if (str_is(s, f.name, "v")) {
      continue; /* R3: a later v is a duplicate of the version */
    } else if (!add_extension(s, f, out->ext, &out->ext_count)) {
      return reject(&out->why, "MTASTS_MAX_EXTENSIONS");
    }
  }
  if (abnf_exhausted(o->abnf))
    return ORACLE_UNDECIDED;
  if (!have_id)
    return reject(&out->why, "RFC 8461 3.1 id is required");
  return ORACLE_VALID;
}

/* ---- RFC 8460 3 ---- */

typedef struct uri_parts {
  oracle_str uri, scheme, hier, host;
  bool has_host;
} uri_parts;

/* R20/R20a: a URI is usable when its scheme is mailto or https (any case,
 * RFC 3986 3.1) and it has a destination: for mailto an address in its
 * hier-part (RFC 6068 `to`, g_mailto_address), for https an authority
 * with a non-empty host (RFC 9110 4.2.2). Returns the kind, or 0 for
 * "unsupported". */
static int rua_kind(oracle *o, const unsigned char *s, const uri_parts *u) {
  if (str_ieq_lit(s, u->scheme, "mailto"))
    return full(o, g_mailto_address, s, u->hier) ? MTASTS_RUA_MAILTO : 0;
  if (str_ieq_lit(s, u->scheme, "https"))
    return u->has_host && u->host.len > 0 ? MTASTS_RUA_HTTPS : 0;
  return 0;
}

/* The first rua field: its value must be a URI list (R20, name-based like
 * R4); unusable URIs fail strict and are skipped in lenient. */
static oracle_verdict tlsrpt_rua(oracle *o, const unsigned char *s, oracle_str value, bool lenient,
                                 oracle_tlsrpt *out) {
  const abnf_cap **caps = NULL;
  size_t count = 0;
  bool ok = abnf_match_all(o->abnf, g_tlsrpt_rua, s + value.off, value.len, &caps, &count);
  if (abnf_exhausted(o->abnf))
    return ORACLE_UNDECIDED;
  if (!ok)
    return reject(&out->why, "R20 first rua is not a tlsrpt-uri list");
  uri_parts u = {0};
  size_t seen = 0;
  for (size_t i = 0; i < count; i++) {
    oracle_str piece = {value.off + caps[i]->start, caps[i]->end - caps[i]->start};
    switch (caps[i]->tag) {
    case TAG_SCHEME:
      u.scheme = piece;
      break;
    case TAG_HOST:
      u.host = piece;
      u.has_host = true;
      break;
    case TAG_HIER:
      u.hier = piece;
      break;
    case TAG_URI: {
      u.uri = piece;
      seen++;
      int kind = rua_kind(o, s, &u);
      if (kind == 0) {
        if (!lenient)
          return reject(&out->why, "R20 unsupported scheme or no destination");
        out->deviation = true; /* W_RUA_SKIPPED */
      } else {
        if (out->rua_count == MTASTS_MAX_RUA)
          return reject(&out->why, "MTASTS_MAX_RUA");
        out->rua[out->rua_count++] = (oracle_rua){u.uri, u.scheme, kind};
      }
      u = (uri_parts){0};
      break;
    }
    default:
      break;
    }
  }
  if (abnf_exhausted(o->abnf))
    return ORACLE_UNDECIDED; /* g_mailto_address hit a bound */
  if (seen > 0 && out->rua_count == 0)
    return reject(&out->why, "R20 (SPEC 3) no usable rua");
  return ORACLE_VALID;
}

oracle_verdict oracle_tlsrpt_record(oracle *o, const unsigned char *s, size_t n, bool lenient,
                                    oracle_tlsrpt *out) {
  memset(out, 0, sizeof(*out));
  abnf_reset(o->abnf);
  if (n == 0)
    return reject(&out->why, "empty record");
  if (n > MTASTS_TXT_MAX_SIZE)
    return reject(&out->why, "R18 record size");
  bool trailing = false;
  oracle_verdict v = match_txt_record(o, g_tlsrpt_record, s, n, lenient, &trailing);
  if (v == ORACLE_INVALID)
    return reject(&out->why, "RFC 8460 3 tlsrpt-record");
  if (v != ORACLE_VALID)
    return v;
  /* tlsrpt_rua reuses the abnf arena, so copy the field list first. */
  size_t nfields = o->field_count;
  oracle_field *fields = malloc((nfields + 1) * sizeof(oracle_field));
  if (fields == NULL)
    abort();
  memcpy(fields, o->fields, nfields * sizeof(oracle_field));
  bool have_rua = false;
  v = ORACLE_VALID;
  for (size_t i = 0; i < nfields && v == ORACLE_VALID; i++) {
    oracle_field f = fields[i];
    if (str_is(s, f.name, "rua")) {
      if (!have_rua)
        v = tlsrpt_rua(o, s, f.value, lenient, out);
      have_rua = true; /* R20/R3: later rua fields are ignored */
    } else if (str_is(s, f.name, "v")) {
      continue;
    } else if (!add_extension(s, f, out->ext, &out->ext_count)) {
      v = reject(&out->why, "MTASTS_MAX_EXTENSIONS");
    }
  }
  free(fields);
  if (v != ORACLE_VALID)
    return v;
  if (!have_rua)
    return reject(&out->why, "RFC 8460 3 rua is required");
  out->deviation = out->deviation || trailing;
  return ORACLE_VALID;
}

/* ---- RRsets (R1, R2, R18) ---- */

/* RFC 8461 3.1 discards every RR that does not begin with the version, so
 * size (R18) is judged only for the one candidate, by its own parse: a huge
 * unrelated TXT record does not switch MTA-STS off. Candidacy is judged
 * from an RR's first MTASTS_TXT_MAX_SIZE octets (mtasts.h). */
static oracle_verdict select_rr(oracle *o, const oracle_rr *rrs, size_t count,
                                const abnf_node *filter, oracle_select *sel) {
  memset(sel, 0, sizeof(*sel));
  abnf_reset(o->abnf);
  for (size_t i = 0; i < count; i++) {
    size_t seen = rrs[i].len < MTASTS_TXT_MAX_SIZE ? rrs[i].len : MTASTS_TXT_MAX_SIZE;
    if (abnf_match_prefix(o->abnf, filter, rrs[i].data, seen)) {
      if (sel->candidates == 0)
        sel->index = i;
      sel->candidates++;
    }
  }
  if (abnf_exhausted(o->abnf))
    return ORACLE_UNDECIDED;
  return sel->candidates == 1 ? ORACLE_VALID : ORACLE_INVALID;
}

oracle_verdict oracle_txt_rrset(oracle *o, const oracle_rr *rrs, size_t count, bool lenient,
                                bool literal_prefix, oracle_select *sel, oracle_txt *out) {
  memset(out, 0, sizeof(*out));
  const abnf_node *filter = literal_prefix ? g_sts_literal_prefix : g_sts_rrset_prefix;
  oracle_verdict v = select_rr(o, rrs, count, filter, sel);
  if (v != ORACLE_VALID) {
    out->why = "R1/R2 RRset selection";
    return v;
  }
  return oracle_txt_record(o, rrs[sel->index].data, rrs[sel->index].len, lenient, out);
}

oracle_verdict oracle_tlsrpt_rrset(oracle *o, const oracle_rr *rrs, size_t count, bool lenient,
                                   bool literal_prefix, oracle_select *sel, oracle_tlsrpt *out) {
  memset(out, 0, sizeof(*out));
  const abnf_node *filter = literal_prefix ? g_tlsrpt_literal_prefix : g_tlsrpt_rrset_prefix;
  oracle_verdict v = select_rr(o, rrs, count, filter, sel);
  if (v != ORACLE_VALID) {
    out->why = "R1/R2 RRset selection";
    return v;
  }
  return oracle_tlsrpt_record(o, rrs[sel->index].data, rrs[sel->index].len, lenient, out);
}

/* ---- RFC 8461 3.2 ---- */

static void add_segment(oracle *o, size_t orig, size_t len) {
  if (len == 0)
    return;
  size_t norm = 0;
  if (o->seg_count > 0) {
    const segment *last = &o->segs[o->seg_count - 1];
    norm = last->norm + last->len;
  }
  o->segs = grow(o->segs, &o->seg_cap, o->seg_count + 1, sizeof(segment));
  o->segs[o->seg_count++] = (segment){norm, orig, len};
}

static size_t to_original(const oracle *o, size_t norm) {
  for (size_t i = 0; i < o->seg_count; i++)
    if (norm >= o->segs[i].norm && norm < o->segs[i].norm + o->segs[i].len)
      return o->segs[i].orig + (norm - o->segs[i].norm);
  return norm;
}

typedef struct line {
  size_t start, content_len, len; /* len includes the terminator */
} line;

static line line_at(const unsigned char *s, size_t n, size_t start) {
  size_t i = start;
  while (i < n && s[i] != '\n')
    i++;
  line l = {start, i - start, i - start};
  if (i < n) {
    l.len++;
    if (l.content_len > 0 && s[i - 1] == '\r')
      l.content_len--; /* CRLF: the CR belongs to the terminator */
  }
  return l;
}

static bool line_blank(const unsigned char *s, line l) {
  for (size_t i = 0; i < l.content_len; i++)
    if (!is_wsp(s[l.start + i]))
      return false;
  return true;
}

/*
 * Lenient deviations 1-3 as a transformation of the body (R7, with
 * parser/SPEC.md's reading 1): a leading UTF-8 BOM is dropped; every blank
 * (empty or WSP-only) line after the last field line is dropped; an *empty*
 * line between field lines is dropped. A WSP-only line between fields and a
 * blank line before the first field are kept, so the grammar rejects them.
 * Strict keeps everything. Returns true if something was dropped.
 */
static bool normalise_policy(oracle *o, const unsigned char *s, size_t n, bool lenient) {
  o->seg_count = 0;
  size_t start = 0;
  bool dropped = false;
  if (lenient && n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
    start = 3;
    dropped = true;
  }
  if (!lenient) {
    add_segment(o, 0, n);
    return false;
  }
  size_t last_field_end = start; /* end of the last non-blank line */
  for (size_t at = start; at < n;) {
    line l = line_at(s, n, at);
    if (!line_blank(s, l))
      last_field_end = at + l.len;
    at += l.len;
  }
  bool seen_field = false;
  for (size_t at = start; at < n;) {
    line l = line_at(s, n, at);
    bool blank = line_blank(s, l);
    bool drop = false;
    if (blank && at >= last_field_end && seen_field)
      drop = true; /* deviation 1: trailing */
    else if (blank && seen_field && l.content_len == 0)
      drop = true; /* deviation 3: an empty line between fields */
    if (drop)
      dropped = true;
    else
      add_segment(o, at, l.len);
    seen_field = seen_field || !blank;
    at += l.len;
  }
  return dropped;
}

static const unsigned char *normalised_bytes(oracle *o, const unsigned char *s, size_t *len) {
  size_t total = 0;
  for (size_t i = 0; i < o->seg_count; i++)
    total += o->segs[i].len;
  o->norm = grow(o->norm, &o->norm_cap, total + 1, 1);
  for (size_t i = 0; i < o->seg_count; i++)
    memcpy(o->norm + o->segs[i].norm, s + o->segs[i].orig, o->segs[i].len);
  *len = total;
  return o->norm;
}

/* R12: labels of at most 63 octets, at most 253 octets in all ("*." counted). */
static bool dns_lengths_ok(const unsigned char *s, size_t len) {
  if (len > MTASTS_MAX_NAME_LEN)
    return false;
  size_t label = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '.') {
      label = 0;
    } else if (++label > MTASTS_MAX_LABEL_LEN) {
      return false;
    }
  }
  return true;
}

static bool mx_pattern_ok(oracle *o, const unsigned char *s, oracle_str v) {
  return full(o, g_policy_mx_value, s, v) && dns_lengths_ok(s + v.off, v.len);
}

static uint64_t decimal(const unsigned char *s, oracle_str v) {
  uint64_t x = 0;
  for (size_t i = 0; i < v.len; i++)
    x = x * 10u + (uint64_t)(s[v.off + i] - '0');
  return x;
}

/* The first version / mode / max_age (R4, R17). Returns NULL when fine. */
static const char *policy_known_field(oracle *o, const unsigned char *s, oracle_field f,
                                      bool lenient, oracle_policy *out, bool *seen) {
  if (str_is(s, f.name, "version")) {
    if (seen[0])
      return NULL;
    seen[0] = true;
    out->version = f.value;
    return full(o, g_policy_version_value, s, f.value) ? NULL : "R4 version is not STSv1";
  }
  if (str_is(s, f.name, "mode")) {
    if (seen[1])
      return NULL;
    seen[1] = true;
    out->mode_text = f.value;
    if (!full(o, g_policy_mode_value, s, f.value))
      return "R4 mode is not testing / enforce / none";
    out->mode = str_is(s, f.value, "enforce")   ? MTASTS_MODE_ENFORCE
                : str_is(s, f.value, "testing") ? MTASTS_MODE_TESTING
                                                : MTASTS_MODE_NONE;
    return NULL;
  }
  /* max_age */
  if (seen[2])
    return NULL;
  seen[2] = true;
  out->max_age_text = f.value;
  if (!full(o, g_policy_max_age_value, s, f.value))
    return "R4/R5 max_age is not 1*10 DIGIT";
  out->max_age = decimal(s, f.value);
  if (out->max_age > MTASTS_MAX_AGE_LIMIT) {
    if (!lenient)
      return "R5 max_age above 31557600";
    out->max_age = MTASTS_MAX_AGE_LIMIT; /* deviation 4 */
    out->deviation = true;
  }
  return NULL;
}

oracle_verdict oracle_policy_body(oracle *o, const unsigned char *s, size_t n, bool lenient,
                                  oracle_policy *out) {
  memset(out, 0, sizeof(*out));
  abnf_reset(o->abnf);
  o->seg_count = 0;
  if (n == 0)
    return reject(&out->why, "empty body");
  if (n > MTASTS_POLICY_MAX_SIZE)
    return reject(&out->why, "R18 body size");
  out->deviation = normalise_policy(o, s, n, lenient);
  size_t len = 0;
  const unsigned char *body = normalised_bytes(o, s, &len);
  oracle_verdict v = match_fields(o, g_policy_record, body, len);
  if (v == ORACLE_INVALID)
    return reject(&out->why, "RFC 8461 3.2 sts-policy-record");
  if (v != ORACLE_VALID)
    return v;
  /* Back to offsets in the caller's body. */
  for (size_t i = 0; i < o->field_count; i++) {
    o->fields[i].name.off = to_original(o, o->fields[i].name.off);
    o->fields[i].value.off = to_original(o, o->fields[i].value.off);
  }
  bool seen[3] = {false, false, false};
  size_t mx_count = 0;
  for (size_t i = 0; i < o->field_count; i++) {
    oracle_field f = o->fields[i];
    const char *bad = NULL;
    if (str_is(s, f.name, "version") || str_is(s, f.name, "mode") || str_is(s, f.name, "max_age")) {
      bad = policy_known_field(o, s, f, lenient, out, seen);
    } else if (str_is(s, f.name, "mx")) {
      if (!mx_pattern_ok(o, s, f.value))
        bad = "R4/R12 mx is not a valid pattern";
      o->mx = grow(o->mx, &o->mx_cap, mx_count + 1, sizeof(oracle_str));
      o->mx[mx_count++] = f.value;
    } else if (!add_extension(s, f, out->ext, &out->ext_count)) {
      bad = "MTASTS_MAX_EXTENSIONS";
    }
    if (abnf_exhausted(o->abnf))
      return ORACLE_UNDECIDED;
    if (bad != NULL)
      return reject(&out->why, bad);
  }
  out->mx = o->mx;
  out->mx_count = mx_count;
  if (!seen[0])
    return reject(&out->why, "RFC 8461 3.2 version is required");
  if (!seen[1])
    return reject(&out->why, "RFC 8461 3.2 mode is required");
  if (!seen[2])
    return reject(&out->why, "RFC 8461 3.2 max_age is required");
  if (mx_count == 0 && out->mode != MTASTS_MODE_NONE)
    return reject(&out->why, "R17 mx required unless the first mode is none");
  return ORACLE_VALID;
}

/* ---- RFC 8461 4.1 (R12, R13) ---- */

static bool ieq(const unsigned char *a, const unsigned char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (ascii_lower(a[i]) != ascii_lower(b[i]))
      return false;
  return true;
}

oracle_verdict oracle_mx_match(oracle *o, const unsigned char *pattern, size_t pattern_len,
                               const unsigned char *host, size_t host_len, oracle_match *out) {
  memset(out, 0, sizeof(*out));
  abnf_reset(o->abnf);
  out->pattern_ok = mx_pattern_ok(o, pattern, (oracle_str){0, pattern_len});
  /* R13: one trailing dot of the host is removed, then it must be a Domain. */
  if (host_len > 0 && host[host_len - 1] == '.')
    host_len--;
  out->host_ok = host_len > 0 && full(o, g_domain, host, (oracle_str){0, host_len}) &&
                 dns_lengths_ok(host, host_len);
  if (abnf_exhausted(o->abnf))
    return ORACLE_UNDECIDED;
  if (!out->pattern_ok || !out->host_ok)
    return ORACLE_VALID;
  if (pattern_len >= 2 && pattern[0] == '*' && pattern[1] == '.') {
    /* "*." stands for exactly one whole, non-empty, leftmost label. */
    const unsigned char *dot = memchr(host, '.', host_len);
    if (dot != NULL) {
      size_t rest = host_len - (size_t)(dot + 1 - host);
      if (dot > host && rest == pattern_len - 2 && ieq(dot + 1, pattern + 2, rest))
        out->result = MTASTS_MATCH_WILDCARD;
    }
  } else if (host_len == pattern_len && ieq(host, pattern, host_len)) {
    out->result = MTASTS_MATCH_EXACT;
  }
  return ORACLE_VALID;
}
