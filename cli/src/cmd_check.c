/*
 * cmd_check.c - `mtasts check DOMAIN`: the operator's view of a published
 * MTA-STS setup in one run. The resolver (resolver/) does what a sender
 * does: the _mta-sts record, the policy fetched over HTTPS with the
 * policy host's certificate checked, and STARTTLS with each MX host; this
 * file adds what only an operator asks: the domain's real MX hosts (an
 * MX no pattern covers, a pattern no MX uses), the _smtp._tls record, and
 * which other senders would not apply the policy (interop.c). Each
 * finding is ok, a note or a problem; any problem makes the exit status 1.
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hints.h"
#include "interop.h"
#include "resolve_output.h"
#include "resolver_mx.h"

#define SEC "\xc2\xa7"

typedef enum level { LEVEL_OK, LEVEL_NOTE, LEVEL_PROBLEM } level;

static const char *const level_names[] = {"ok", "note", "problem"};

typedef struct finding {
  level lv;
  const char *what;  /* "mta-sts-record", "tlsrpt-record", "policy-host", ... */
  char subject[300]; /* a record name, a host, a pattern */
  char text[768];
} finding;

typedef struct check_run {
  const char *domain;
  mtasts_resolution *res;
  dns_mx mx;
  const char **mx_names; /* the MX hosts with a name (not a null MX), by preference */
  size_t mx_count;
  finding *items;
  size_t count, cap;
  size_t problems, notes;
  json_t *impact; /* NULL: no mistake in the policy, or no policy */
} check_run;

__attribute__((format(printf, 5, 6))) static void add(check_run *c, level lv, const char *what,
                                                      const char *subject, const char *fmt, ...) {
  if (c->count == c->cap) {
    size_t cap = c->cap * 2 + 8;
    finding *n = realloc(c->items, cap * sizeof *n);
    if (n == NULL)
      return;
    c->items = n;
    c->cap = cap;
  }
  finding *f = &c->items[c->count++];
  f->lv = lv;
  f->what = what;
  snprintf(f->subject, sizeof f->subject, "%s", subject);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(f->text, sizeof f->text, fmt, ap);
  va_end(ap);
  c->problems += lv == LEVEL_PROBLEM;
  c->notes += lv == LEVEL_NOTE;
}

/* ------------------------------------------------------------------ */
/* The findings                                                        */
/* ------------------------------------------------------------------ */

static void check_sts_record(check_run *c) {
  const mtasts_resolution *r = c->res;
  const char *name = r->txt_name;
  if (r->dns.outcome == DNS_ERROR)
    add(c, LEVEL_PROBLEM, "mta-sts-record", name, "the lookup failed: %s", r->dns.error);
  else if (r->dns.outcome == DNS_ABSENT)
    add(c, LEVEL_PROBLEM, "mta-sts-record", name,
        "no TXT record: senders see no MTA-STS policy (RFC 8461 " SEC "3.1)");
  else if (r->select_code != MTASTS_OK)
    add(c, LEVEL_PROBLEM, "mta-sts-record", name, "%s: %s (RFC 8461 " SEC "3.1)",
        mtasts_errname(r->select_code), mtasts_strerror(r->select_code));
  else
    add(c, LEVEL_OK, "mta-sts-record", name, "v=STSv1, id %.*s", (int)r->live_id_len, r->live_id);
}

static void check_tlsrpt_record(check_run *c) {
  char name[sizeof c->res->domain + 16];
  snprintf(name, sizeof name, "_smtp._tls.%s.", c->res->domain);
  dns_txt t;
  dns_outcome o = dns_lookup_txt(dns_query_system, NULL, name, &t);
  if (o == DNS_ERROR) {
    add(c, LEVEL_PROBLEM, "tlsrpt-record", name, "the lookup failed: %s", t.error);
  } else if (o == DNS_ABSENT) {
    add(c, LEVEL_NOTE, "tlsrpt-record", name,
        "no TXT record: senders will not report TLS failures to you (RFC 8460 " SEC "3)");
  } else {
    mtasts_rrset_result sel;
    mtasts_tlsrpt rpt;
    mtasts_rua rua[MTASTS_MAX_RUA];
    mtasts_ext ext[MTASTS_MAX_EXTENSIONS];
    mtasts_tlsrpt_init(&rpt, rua, MTASTS_MAX_RUA, ext, MTASTS_MAX_EXTENSIONS);
    mtasts_code code = mtasts_tlsrpt_select(t.rrs, t.rr_count, NULL, &sel, &rpt);
    if (code != MTASTS_OK)
      add(c, LEVEL_PROBLEM, "tlsrpt-record", name, "%s: %s (RFC 8460 " SEC "3)",
          mtasts_errname(code), mtasts_strerror(code));
    else
      add(c, LEVEL_OK, "tlsrpt-record", name, "v=TLSRPTv1, %zu report address%s", rpt.rua_count,
          rpt.rua_count == 1 ? "" : "es");
  }
  dns_txt_free(&t);
}

/* The policy host's certificate and the policy, as the fetch left them. */
static void check_policy(check_run *c) {
  const mtasts_resolution *r = c->res;
  if (!r->fetched) {
    add(c, LEVEL_PROBLEM, "policy", r->host,
        "not fetched: a sender looks for the policy only after a valid _mta-sts record");
    return;
  }
  char err[512];
  resolve_fetch_error(r, err, sizeof err);
  if (r->https.status == HTTPS_WEBPKI) {
    add(c, LEVEL_PROBLEM, "policy-host", r->host, "certificate: %s (RFC 8461 " SEC "3.3)", err);
    return;
  }
  if (r->https.status == HTTPS_OK)
    add(c, LEVEL_OK, "policy-host", r->host, "certificate valid for the name");
  if (r->reason != MTASTS_FETCH_OK) {
    add(c, LEVEL_PROBLEM, "policy", r->host, "%s: %s", mtasts_fetch_reason_name(r->reason), err);
    const char *shape = r->reason == MTASTS_FETCH_POLICY_INVALID
                            ? hint_policy_shape(r->verdict.parse_code, r->reader->body,
                                                r->reader->body_len, r->verdict.parse_offset)
                            : NULL;
    if (shape != NULL)
      add(c, LEVEL_NOTE, "policy", r->host, "%s", shape);
    return;
  }
  const mtasts_policy *p = &r->fetched_policy.p;
  add(c, LEVEL_OK, "policy", r->host, "valid: mode %s, max_age %llu, %zu mx pattern%s",
      mtasts_mode_name(p->mode), (unsigned long long)p->max_age, p->mx_count,
      p->mx_count == 1 ? "" : "s");
}

static void check_mx_match(check_run *c, const dns_mx_host *h) {
  const mtasts_resolution *r = c->res;
  long at;
  if (mtasts_resolution_mx_matches(r, h->name, &at)) {
    const mtasts_span pat = r->applied->p.mx[at].pattern;
    add(c, LEVEL_OK, "mx", h->name, "preference %u, matches the mx pattern %.*s", h->preference,
        (int)pat.len, pat.ptr);
  } else if (r->final.mode == MTASTS_MODE_NONE) {
    add(c, LEVEL_NOTE, "mx", h->name, "preference %u, matches no mx pattern (mode none)",
        h->preference);
  } else {
    add(c, LEVEL_PROBLEM, "mx", h->name,
        "preference %u, matches no mx pattern: %s (RFC 8461 " SEC "4.1, " SEC "5)", h->preference,
        r->final.mode == MTASTS_MODE_ENFORCE ? "under enforce, senders will not deliver to it"
                                             : "senders report every delivery to it as a failure");
  }
}

static void check_mx_tls(check_run *c, size_t i) {
  const mtasts_resolved_mx *t = &c->res->mx_tls[i];
  if (t->smtp.tls == MTASTS_TLS_OK)
    add(c, LEVEL_OK, "mx-tls", c->mx_names[i],
        "STARTTLS, and a certificate valid for the name (RFC 8461 " SEC "4.2)");
  else
    add(c, LEVEL_PROBLEM, "mx-tls", c->mx_names[i], "%s: %s (RFC 8461 " SEC "4.2)",
        mtasts_tls_result_name(t->smtp.tls), t->smtp.error);
}

static void check_mx_hosts(check_run *c) {
  char name[sizeof c->res->domain + 1];
  snprintf(name, sizeof name, "%s.", c->res->domain);
  if (c->mx.outcome == DNS_ERROR) {
    add(c, LEVEL_PROBLEM, "mx", name, "the MX lookup failed: %s", c->mx.error);
    return;
  }
  if (c->mx.count == 0) {
    add(c, LEVEL_NOTE, "mx", name, "no MX records: mail goes to the domain's own address");
    return;
  }
  size_t named = 0;
  for (size_t i = 0; i < c->mx.count; i++) {
    const dns_mx_host *h = &c->mx.hosts[i];
    if (h->name[0] == '\0') {
      add(c, LEVEL_NOTE, "mx", name, "a null MX: the domain accepts no mail (RFC 7505)");
      continue;
    }
    if (c->res->applied != NULL)
      check_mx_match(c, h);
    if (c->res->mx_tls != NULL)
      check_mx_tls(c, named);
    named++;
  }
}

/* A pattern no MX host matches is harmless but usually stale. */
static void check_patterns(check_run *c) {
  const mtasts_resolved_policy *p = c->res->applied;
  for (size_t k = 0; p != NULL && k < p->p.mx_count; k++) {
    mtasts_span pat = p->p.mx[k].pattern;
    bool used = false;
    for (size_t j = 0; j < c->mx_count && !used; j++)
      used = mtasts_mx_match(pat.ptr, pat.len, c->mx_names[j], strlen(c->mx_names[j])) > 0;
    if (!used) {
      char subject[300];
      snprintf(subject, sizeof subject, "%.*s", (int)(pat.len > 280 ? 280 : pat.len), pat.ptr);
      add(c, LEVEL_NOTE, "mx-pattern", subject, "no MX host of the domain matches it");
    }
  }
}

/* The interop impact of the body as served, valid or not. */
static void check_interop(check_run *c) {
  const mtasts_resolution *r = c->res;
  if (!r->fetched || r->reader == NULL ||
      (r->reason != MTASTS_FETCH_OK && r->reason != MTASTS_FETCH_POLICY_INVALID))
    return;
  mtasts_code conds[INTEROP_MAX_CONDITIONS];
  size_t n =
      interop_conditions(r->reader->body, r->reader->body_len, conds, INTEROP_MAX_CONDITIONS);
  if (n > 0)
    c->impact = interop_impact(conds, n);
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

static void print_text(const check_run *c, FILE *f) {
  fprintf(f, "MTA-STS setup of %s\n", c->res->domain);
  for (size_t i = 0; i < c->count; i++) {
    const finding *x = &c->items[i];
    fprintf(f, "  %-8s %s: ", level_names[x->lv], x->subject);
    print_escaped(f, x->text, strlen(x->text));
    fputc('\n', f);
  }
  if (c->impact != NULL)
    interop_print(f, c->impact);
  fprintf(f, "%s: %zu problem%s, %zu note%s\n", c->res->domain, c->problems,
          c->problems == 1 ? "" : "s", c->notes, c->notes == 1 ? "" : "s");
}

static json_t *result_json(const check_run *c) {
  json_t *o = json_object();
  json_object_set_new(o, "domain", json_string(c->res->domain));
  json_t *list = json_array();
  for (size_t i = 0; i < c->count; i++) {
    const finding *x = &c->items[i];
    json_t *e = json_object();
    json_object_set_new(e, "level", json_string(level_names[x->lv]));
    json_object_set_new(e, "what", json_string(x->what));
    json_object_set_new(e, "subject", json_bytes(x->subject, strlen(x->subject)));
    json_object_set_new(e, "text", json_bytes(x->text, strlen(x->text)));
    json_array_append_new(list, e);
  }
  json_object_set_new(o, "findings", list);
  json_object_set_new(o, "problems", json_integer((json_int_t)c->problems));
  json_object_set_new(o, "notes", json_integer((json_int_t)c->notes));
  return o;
}

/* ------------------------------------------------------------------ */
/* The command                                                         */
/* ------------------------------------------------------------------ */

/* The MX hosts first: the resolver checks STARTTLS with the ones found. */
static bool look_up_mx(check_run *c) {
  char name[MTASTS_MAX_NAME_LEN + 4];
  size_t n = strnlen(c->domain, MTASTS_MAX_NAME_LEN + 1);
  snprintf(name, sizeof name, "%s%s", c->domain, n > 0 && c->domain[n - 1] == '.' ? "" : ".");
  dns_lookup_mx(dns_query_system_mx, NULL, name, &c->mx);
  c->mx_names = calloc(c->mx.count + 1, sizeof *c->mx_names);
  if (c->mx_names == NULL)
    return false;
  for (size_t i = 0; i < c->mx.count; i++)
    if (c->mx.hosts[i].name[0] != '\0')
      c->mx_names[c->mx_count++] = c->mx.hosts[i].name;
  return true;
}

static mtasts_resolve_status run_checks(check_run *c, const cli_resolve *rs) {
  mtasts_resolver_options opt;
  mtasts_resolver_options_init(&opt);
  opt.ca_file = rs->ca_file;
  opt.timeout = rs->timeout;
  opt.https_port = rs->port;
  opt.smtp_port = rs->smtp_port;
  opt.mx = c->mx_names;
  opt.mx_count = c->mx_count;
  opt.starttls = c->mx_count > 0;
  mtasts_resolve_status st = mtasts_resolve(c->domain, &opt, c->res);
  if (st != MTASTS_RESOLVE_OK)
    return st;
  check_sts_record(c);
  check_tlsrpt_record(c);
  check_policy(c);
  check_mx_hosts(c);
  check_patterns(c);
  check_interop(c);
  return st;
}

static int print_run(const check_run *c, const cli_options *o, cli_report *r) {
  if (o->quiet)
    return c->problems > 0 ? EXIT_INVALID : EXIT_VALID;
  if (o->json) {
    json_t *extra = NULL;
    if (c->impact != NULL) {
      extra = json_object();
      json_object_set(extra, "interop", c->impact);
    }
    report_print_json(r, c->domain, "checked", result_json(c), extra);
  } else {
    print_text(c, stdout);
  }
  return c->problems > 0 ? EXIT_INVALID : EXIT_VALID;
}

int cmd_check(const cli_options *o) {
  signal(SIGPIPE, SIG_IGN); /* a host that hangs up while we write */
  check_run c;
  memset(&c, 0, sizeof c);
  c.domain = o->args[0];
  c.res = calloc(1, sizeof *c.res);
  cli_report r;
  report_init(&r, o, KIND_POLICY, stdout);
  int status = EXIT_TROUBLE;
  if (c.res != NULL && look_up_mx(&c)) {
    if (run_checks(&c, &o->resolve) != MTASTS_RESOLVE_OK)
      status = report_trouble(&r, c.domain, c.res->error);
    else
      status = print_run(&c, o, &r);
  }
  if (c.res != NULL)
    mtasts_resolution_release(c.res);
  free(c.res);
  dns_mx_free(&c.mx);
  free(c.mx_names);
  free(c.items);
  json_decref(c.impact);
  return status;
}
