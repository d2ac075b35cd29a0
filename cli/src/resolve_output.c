/* resolve_output.c - what `mtasts resolve` found and decided, as text for
 * people or as the --json object (cli/diagnostics.schema.json, $defs/resolve). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve_output.h"

#define SECTION "\xc2\xa7"

/* ------------------------------------------------------------------ */
/* Sentences shared by both forms                                      */
/* ------------------------------------------------------------------ */

/* One TXT record, its character-strings joined (RFC 8461 3.1). */
char *resolve_joined_record(const mtasts_rr *rr, size_t *len) {
  size_t n = 0;
  for (size_t i = 0; i < rr->count; i++)
    n += rr->strings[i].len;
  char *p = malloc(n + 1);
  if (p == NULL) {
    *len = 0;
    return NULL;
  }
  n = 0;
  for (size_t i = 0; i < rr->count; i++) {
    if (rr->strings[i].len > 0)
      memcpy(p + n, rr->strings[i].ptr, rr->strings[i].len);
    n += rr->strings[i].len;
  }
  *len = n;
  return p;
}

/* Why the fetch did not give a policy, or "" when it did. */
void resolve_fetch_error(const mtasts_resolution *run, char *buf, size_t len) {
  const http_reader *rd = run->reader;
  const mtasts_fetch_verdict *v = &run->verdict;
  buf[0] = '\0';
  switch (run->reason) {
  case MTASTS_FETCH_OK:
    break;
  case MTASTS_FETCH_NETWORK:
  case MTASTS_FETCH_WEBPKI:
    snprintf(buf, len, "%s", run->https.error);
    break;
  case MTASTS_FETCH_REDIRECT:
  case MTASTS_FETCH_STATUS:
    if (rd->location.ptr != NULL && rd->status >= 300 && rd->status < 400)
      snprintf(buf, len, "HTTP status %d, not 200 (the redirect to %.*s is not followed)",
               rd->status, (int)(rd->location.len > 200 ? 200 : rd->location.len),
               rd->location.ptr);
    else
      snprintf(buf, len, "HTTP status %d, not 200", rd->status);
    break;
  case MTASTS_FETCH_MEDIA_TYPE:
    snprintf(buf, len, "%s",
             rd->content_type.ptr != NULL ? "the media type is not text/plain"
                                          : "no Content-Type: not text/plain");
    break;
  case MTASTS_FETCH_TOO_LARGE:
    snprintf(buf, len, "the body is larger than %u bytes", MTASTS_POLICY_MAX_SIZE);
    break;
  case MTASTS_FETCH_POLICY_INVALID: {
    mtasts_location at = mtasts_locate(rd->body, rd->body_len, v->parse_offset);
    snprintf(buf, len, "the body is not a valid policy: %s at %zu:%zu: %s",
             mtasts_errname(v->parse_code), at.line, at.column, mtasts_strerror(v->parse_code));
    break;
  }
  case MTASTS_FETCH_CAPACITY:
    snprintf(buf, len, "out of memory for the mx patterns");
    break;
  }
}

static const char *fetch_rfc(mtasts_fetch_reason r) {
  return r == MTASTS_FETCH_MEDIA_TYPE || r == MTASTS_FETCH_POLICY_INVALID || r == MTASTS_FETCH_OK
             ? "RFC 8461 " SECTION "3.2"
             : "RFC 8461 " SECTION "3.3";
}

static const char *why_text(mtasts_fetch_why w) {
  switch (w) {
  case MTASTS_WHY_NO_CACHE:
    return "no valid cached policy";
  case MTASTS_WHY_NEW_ID:
    return "the TXT record's id is not the cached policy's";
  case MTASTS_WHY_REFRESH:
    return "the cached policy is due for a refresh";
  case MTASTS_WHY_NONE:
    break;
  }
  return "";
}

static const char *why_rfc(mtasts_fetch_why w) {
  return w == MTASTS_WHY_NEW_ID    ? "RFC 8461 " SECTION "3.1"
         : w == MTASTS_WHY_REFRESH ? "RFC 8461 " SECTION "3.3, " SECTION "10.2"
                                   : "RFC 8461 " SECTION "5.1";
}

static const char *event_sentence(const mtasts_resolution *run) {
  const mtasts_decision *d = &run->final;
  switch (d->event) {
  case MTASTS_EV_CACHE_HIT:
    return "the cached policy applies: its id is the TXT record's (RFC 8461 " SECTION "5.1)";
  case MTASTS_EV_NO_POLICY:
    return "no policy applies: no usable TXT record, and no valid cached policy "
           "(RFC 8461 " SECTION "3.1, " SECTION "5.1)";
  case MTASTS_EV_DISCOVERY_FAILED:
    return "the cached policy applies: a missing or unusable TXT record does not remove it "
           "(RFC 8461 " SECTION "3.1)";
  case MTASTS_EV_FETCH_DEFERRED:
    return d->apply == MTASTS_APPLY_CACHED
               ? "a fetch is due, but the last one for this id failed less than 5 minutes "
                 "ago; the cached policy applies meanwhile (RFC 8461 " SECTION "3.3)"
               : "a fetch is due, but the last one for this id failed less than 5 minutes "
                 "ago; no policy applies meanwhile (RFC 8461 " SECTION "3.3)";
  case MTASTS_EV_FETCHED:
    return d->mode == MTASTS_MODE_NONE
               ? "the policy fetched now applies: mode none replaces any cached policy and "
                 "enforces nothing (RFC 8461 " SECTION "5)"
               : "the policy fetched now applies (RFC 8461 " SECTION "5.1)";
  case MTASTS_EV_FETCH_FAILED:
    return d->apply == MTASTS_APPLY_CACHED
               ? "the fetch failed: the valid cached policy applies (RFC 8461 " SECTION "3.3)"
               : "the fetch failed: deliver as if the domain had no MTA-STS policy "
                 "(RFC 8461 " SECTION "3.3)";
  case MTASTS_EV_FETCH_IGNORED:
    return "the fetched policy is not used: there is no TXT id to keep it under "
           "(RFC 8461 " SECTION "3.1)";
  case MTASTS_EV_FETCH_PENDING:
  case MTASTS_EV_NONE:
    break;
  }
  return "";
}

static uint64_t age_of(const mtasts_resolution *run, uint64_t then) {
  return run->now >= then ? run->now - then : 0;
}

/* ------------------------------------------------------------------ */
/* Text                                                                */
/* ------------------------------------------------------------------ */

static void label(FILE *f, const char *name) {
  fprintf(f, "  %-9s ", name);
}

static void print_record(FILE *f, const mtasts_rr *rr) {
  size_t len;
  char *p = resolve_joined_record(rr, &len);
  fputc('"', f);
  if (p != NULL)
    print_escaped(f, p, len);
  fputc('"', f);
  free(p);
}

static void print_txt(const mtasts_resolution *run, FILE *f) {
  label(f, "TXT");
  fprintf(f, "%.*s: ", (int)strlen(run->txt_name) - 1, run->txt_name);
  const dns_txt *dns = &run->dns;
  switch (run->discovery) {
  case MTASTS_TXT_DNS_ERROR:
    fprintf(f, "DNS error: %s; nothing learnt, as if there were no record\n", dns->error);
    return;
  case MTASTS_TXT_ABSENT:
    if (dns->rr_count == 0)
      fputs("no TXT record (RFC 8461 " SECTION "3.1)\n", f);
    else
      fprintf(f, "%zu TXT record%s, none begins with v=STSv1 (RFC 8461 " SECTION "3.1)\n",
              dns->rr_count, dns->rr_count == 1 ? "" : "s");
    return;
  case MTASTS_TXT_MULTIPLE:
    fprintf(f,
            "%zu records begin with v=STSv1, and only one may: none is used "
            "(RFC 8461 " SECTION "3.1)\n",
            run->select.candidates);
    return;
  case MTASTS_TXT_INVALID:
    if (run->select.err_rr < dns->rr_count)
      print_record(f, &dns->rrs[run->select.err_rr]);
    fprintf(f, ": invalid: %s at byte %zu: %s (RFC 8461 " SECTION "3.1)\n",
            mtasts_errname(run->select_code), run->txt.err_offset,
            mtasts_strerror(run->select_code));
    return;
  case MTASTS_TXT_VALID:
    print_record(f, &dns->rrs[run->select.index]);
    fprintf(f, ": valid, id %s (RFC 8461 " SECTION "3.1)\n", run->live_id);
    return;
  }
}

static void print_cache(const mtasts_resolution *run, FILE *f) {
  const cache_record *c = &run->cached;
  label(f, "cache");
  if (run->cache_state == MTASTS_CACHE_STATE_OFF) {
    fputs("none (no --cache-dir)\n", f);
    return;
  }
  if (run->cache_state == MTASTS_CACHE_STATE_CORRUPT) {
    fprintf(f, "ignored: %s\n", run->cache_msg);
    return;
  }
  fprintf(f, "%s: ", run->cache_path);
  if (c->has_policy)
    fprintf(f, "policy id %.*s, mode %s, max_age %" PRIu64 ", fetched %" PRIu64 " s ago: %s",
            (int)c->id.len, c->id.ptr, mtasts_mode_name(c->mode), c->max_age,
            age_of(run, c->fetched_at),
            run->cache_state == MTASTS_CACHE_STATE_VALID ? "valid" : "expired");
  else
    fputs("no cached policy", f);
  if (c->has_failure)
    fprintf(f, "; the last fetch for id \"%.*s\" failed %" PRIu64 " s ago", (int)c->failure_id.len,
            c->failure_id.ptr, age_of(run, c->failure_at));
  fputc('\n', f);
}

static void print_fetch(const mtasts_resolution *run, FILE *f) {
  const mtasts_decision *first = &run->first;
  label(f, "fetch");
  if (!run->fetched) {
    if (first->event == MTASTS_EV_FETCH_DEFERRED)
      fprintf(f, "due (%s), but deferred (RFC 8461 " SECTION "3.3)\n", why_text(first->why));
    else
      fputs("not needed\n", f);
    return;
  }
  fprintf(f, "https://%s%s: %s (%s)\n", run->host, MTASTS_RESOLVER_WELL_KNOWN, why_text(first->why),
          why_rfc(first->why));
  label(f, "");
  const http_reader *rd = run->reader;
  if (run->reason != MTASTS_FETCH_NETWORK && run->reason != MTASTS_FETCH_WEBPKI) {
    fprintf(f, "HTTP %d, Content-Type ", rd->status);
    if (rd->content_type.ptr != NULL)
      print_escaped(f, rd->content_type.ptr, rd->content_type.len);
    else
      fputs("(none)", f);
    fputs(": ", f);
  }
  char err[512];
  resolve_fetch_error(run, err, sizeof err);
  fprintf(f, "%s (%s)\n", run->reason == MTASTS_FETCH_OK ? "a valid policy" : err,
          fetch_rfc(run->reason));
}

static void print_policy(const mtasts_resolution *run, FILE *f) {
  const mtasts_policy *p = &run->applied->p;
  label(f, "policy");
  fprintf(f, "mode %s, id %.*s, max_age %" PRIu64 "\n", mtasts_mode_name(p->mode),
          (int)run->applied_id_len, run->applied_id, run->applied_max_age);
  for (size_t i = 0; i < p->mx_count; i++) {
    label(f, "");
    fputs("mx ", f);
    print_escaped(f, p->mx[i].pattern.ptr, p->mx[i].pattern.len);
    fputc('\n', f);
  }
}

/* --starttls: what the MX host showed, and what a sender does with it. */
static void print_mx_tls(const mtasts_resolution *run, size_t i, FILE *f) {
  const mtasts_resolved_mx *t = &run->mx_tls[i];
  const mtasts_mx_outcome *m = &t->outcome;
  label(f, "STARTTLS");
  print_escaped(f, run->opt->mx[i], strlen(run->opt->mx[i]));
  if (t->smtp.tls == MTASTS_TLS_OK)
    fputs(": ok: STARTTLS, and a valid certificate for the host (RFC 8461 " SECTION "4.2); ", f);
  else {
    fprintf(f, ": %s: ", mtasts_tls_result_name(t->smtp.tls));
    print_escaped(f, t->smtp.error, strlen(t->smtp.error)); /* it names the host as given */
    fputs("; ", f);
  }
  if (m->verdict == MTASTS_MX_REFUSE)
    fprintf(f,
            "under enforce, do not deliver to it: report %s, try the next MX, and look for a "
            "new policy before bouncing (RFC 8461 " SECTION "5)\n",
            mtasts_rpt_name(m->rpt));
  else if (m->verdict == MTASTS_MX_DELIVER_AND_REPORT)
    fprintf(f, "under testing, deliver, and report %s (RFC 8461 " SECTION "5)\n",
            mtasts_rpt_name(m->rpt));
  else if (t->smtp.tls == MTASTS_TLS_OK)
    fputs("deliver\n", f);
  else /* a failure that no policy in force makes a refusal or a report */
    fputs("deliver: no policy is enforced\n", f);
}

static void print_mx(const mtasts_resolution *run, FILE *f) {
  const mtasts_resolver_options *rs = run->opt;
  for (size_t i = 0; i < rs->mx_count; i++) {
    long at;
    bool hit = mtasts_resolution_mx_matches(run, rs->mx[i], &at);
    label(f, "MX");
    print_escaped(f, rs->mx[i], strlen(rs->mx[i]));
    if (run->applied == NULL) {
      fputs(": no policy to match\n", f);
    } else if (hit) {
      fputs(": matches the mx pattern ", f);
      const mtasts_span pat = run->applied->p.mx[at].pattern;
      print_escaped(f, pat.ptr, pat.len);
      fputs(" (RFC 8461 " SECTION "4.1)\n", f);
    } else {
      fprintf(f, ": matches no mx pattern (RFC 8461 " SECTION "4.1)%s\n",
              run->final.mode == MTASTS_MODE_ENFORCE
                  ? ": under enforce, mail is not delivered to it (RFC 8461 " SECTION "5)"
              : run->final.mode == MTASTS_MODE_TESTING
                  ? ": under testing, mail is delivered and the failure reported"
                  : "");
    }
    if (run->mx_tls != NULL)
      print_mx_tls(run, i, f);
  }
}

static void print_cache_action(const mtasts_resolution *run, FILE *f) {
  if (run->cache_state == MTASTS_CACHE_STATE_OFF)
    return;
  const mtasts_decision *d = &run->final;
  label(f, "cache");
  if (d->cache == MTASTS_CACHE_STORE)
    fprintf(f, "stored the new policy under id %.*s", (int)d->store.id_len, d->store.id);
  else if (d->cache == MTASTS_CACHE_EVICT)
    fputs("removed the expired policy (RFC 8461 " SECTION "5.1)", f);
  else
    fputs("policy unchanged", f);
  if (d->record_failure)
    fputs("; failure recorded: no new attempt for this id within 5 minutes "
          "(RFC 8461 " SECTION "3.3)",
          f);
  fputc('\n', f);
}

void resolve_print_text(const mtasts_resolution *run, FILE *f) {
  const mtasts_decision *d = &run->final;
  fprintf(f, "%s: resolved at %" PRIu64 "\n", run->domain_arg, run->now);
  label(f, "host");
  fprintf(f, "%s (RFC 8461 " SECTION "3.2)\n", run->host);
  print_txt(run, f);
  print_cache(run, f);
  print_fetch(run, f);
  label(f, "decision");
  fprintf(f, "%s\n", event_sentence(run));
  if (run->applied != NULL)
    print_policy(run, f);
  if (d->rpt != MTASTS_RPT_NONE) {
    label(f, "report");
    fprintf(f, "%s (RFC 8460 " SECTION "4.3.2.2)\n", mtasts_rpt_name(d->rpt));
  }
  if (d->log != MTASTS_LOG_NONE) {
    label(f, "log");
    fprintf(f, "%s\n",
            d->log == MTASTS_LOG_ALERT ? "alert the administrators (RFC 8461 " SECTION
                                         "3.3, " SECTION "10.2)"
                                       : "notice");
  }
  print_mx(run, f);
  print_cache_action(run, f);
  if (run->applied != NULL)
    fprintf(f, "%s: MTA-STS policy in force: mode %s (%s policy, id %.*s)\n", run->domain_arg,
            mtasts_mode_name(d->mode), d->apply == MTASTS_APPLY_NEW ? "new" : "cached",
            (int)run->applied_id_len, run->applied_id);
  else
    fprintf(f, "%s: no MTA-STS policy applies: deliver as if the domain had none\n",
            run->domain_arg);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

static json_t *string_or_null(const char *p, size_t n, bool present) {
  return present ? json_bytes(p, n) : json_null();
}

static json_t *txt_json(const mtasts_resolution *run) {
  json_t *o = json_object();
  json_object_set_new(o, "name", json_stringn(run->txt_name, strlen(run->txt_name) - 1));
  json_t *records = json_array();
  for (size_t i = 0; i < run->dns.rr_count; i++) {
    size_t len;
    char *p = resolve_joined_record(&run->dns.rrs[i], &len);
    json_array_append_new(records, json_bytes(p != NULL ? p : "", len));
    free(p);
  }
  json_object_set_new(o, "records", records);
  bool dns_error = run->discovery == MTASTS_TXT_DNS_ERROR;
  json_object_set_new(o, "dns_error",
                      string_or_null(run->dns.error, strlen(run->dns.error), dns_error));
  json_t *err = json_null();
  if (run->discovery == MTASTS_TXT_INVALID) {
    err = json_object();
    json_object_set_new(err, "name", json_string(mtasts_errname(run->select_code)));
    json_object_set_new(err, "message", json_string(mtasts_strerror(run->select_code)));
    json_object_set_new(err, "record", json_integer((json_int_t)run->select.err_rr));
    json_object_set_new(err, "offset", json_integer((json_int_t)run->txt.err_offset));
  }
  json_object_set_new(o, "error", err);
  return o;
}

static json_t *cache_json(const mtasts_resolution *run) {
  const cache_record *c = &run->cached;
  json_t *o = json_object();
  bool on = run->cache_state != MTASTS_CACHE_STATE_OFF;
  json_object_set_new(o, "file", on ? json_string(run->cache_path) : json_null());
  json_object_set_new(o, "state", json_string(mtasts_cache_state_name(run->cache_state)));
  json_object_set_new(o, "warning",
                      run->cache_state == MTASTS_CACHE_STATE_CORRUPT
                          ? json_bytes(run->cache_msg, strlen(run->cache_msg))
                          : json_null());
  json_t *entry = json_null();
  if (c->has_policy) {
    entry = json_object();
    json_object_set_new(entry, "id", json_bytes(c->id.ptr, c->id.len));
    json_object_set_new(entry, "mode", json_string(mtasts_mode_name(c->mode)));
    json_object_set_new(entry, "max_age", json_integer((json_int_t)c->max_age));
    json_object_set_new(entry, "fetched_at", json_integer((json_int_t)c->fetched_at));
    json_object_set_new(entry, "age", json_integer((json_int_t)age_of(run, c->fetched_at)));
  }
  json_object_set_new(o, "entry", entry);
  json_t *failure = json_null();
  if (c->has_failure) {
    failure = json_object();
    json_object_set_new(failure, "id", json_bytes(c->failure_id.ptr, c->failure_id.len));
    json_object_set_new(failure, "at", json_integer((json_int_t)c->failure_at));
  }
  json_object_set_new(o, "last_failure", failure);
  json_object_set_new(o, "action", json_string(mtasts_cache_action_name(run->final.cache)));
  json_object_set_new(o, "record_failure", json_boolean(run->final.record_failure));
  json_object_set_new(o, "written", json_boolean(run->cache_written));
  return o;
}

static json_t *fetch_json(const mtasts_resolution *run) {
  json_t *o = json_object();
  const http_reader *rd = run->reader;
  bool head =
      run->fetched && run->reason != MTASTS_FETCH_NETWORK && run->reason != MTASTS_FETCH_WEBPKI;
  json_object_set_new(o, "needed",
                      run->first.why != MTASTS_WHY_NONE
                          ? json_string(mtasts_fetch_why_name(run->first.why))
                          : json_null());
  json_object_set_new(o, "attempted", json_boolean(run->fetched));
  char url[MTASTS_MAX_NAME_LEN + 64];
  snprintf(url, sizeof url, "https://%s%s", run->host, MTASTS_RESOLVER_WELL_KNOWN);
  json_object_set_new(o, "url", json_string(url));
  json_object_set_new(
      o, "reason", run->fetched ? json_string(mtasts_fetch_reason_name(run->reason)) : json_null());
  json_object_set_new(o, "status", head ? json_integer(rd->status) : json_null());
  json_object_set_new(o, "content_type",
                      head && rd->content_type.ptr != NULL
                          ? json_bytes(rd->content_type.ptr, rd->content_type.len)
                          : json_null());
  char err[512] = "";
  if (run->fetched)
    resolve_fetch_error(run, err, sizeof err);
  json_object_set_new(o, "error", err[0] != '\0' ? json_bytes(err, strlen(err)) : json_null());
  return o;
}

static json_t *mx_json(const mtasts_resolution *run) {
  json_t *list = json_array();
  if (run->applied != NULL)
    for (size_t i = 0; i < run->applied->p.mx_count; i++)
      json_array_append_new(
          list, json_bytes(run->applied->p.mx[i].pattern.ptr, run->applied->p.mx[i].pattern.len));
  return list;
}

static json_t *mx_match_json(const mtasts_resolution *run) {
  json_t *o = json_object();
  const mtasts_resolver_options *rs = run->opt;
  for (size_t i = 0; i < rs->mx_count; i++) {
    long at;
    json_object_set_new(o, rs->mx[i],
                        json_boolean(mtasts_resolution_mx_matches(run, rs->mx[i], &at)));
  }
  return o;
}

static json_t *mx_tls_json(const mtasts_resolution *run) {
  json_t *o = json_object();
  const mtasts_resolver_options *rs = run->opt;
  for (size_t i = 0; i < rs->mx_count; i++) {
    const mtasts_resolved_mx *t = &run->mx_tls[i];
    const mtasts_mx_outcome *m = &t->outcome;
    json_t *host = json_object();
    json_object_set_new(host, "tls", json_string(mtasts_tls_result_name(t->smtp.tls)));
    json_object_set_new(host, "verdict", json_string(mtasts_mx_verdict_name(m->verdict)));
    json_object_set_new(host, "rpt", json_string(mtasts_rpt_name(m->rpt)));
    json_object_set_new(host, "pattern_index",
                        m->pattern_index >= 0 ? json_integer((json_int_t)m->pattern_index)
                                              : json_null());
    json_object_set_new(host, "recheck_policy", json_boolean(m->recheck_policy));
    json_object_set_new(host, "error",
                        t->smtp.tls != MTASTS_TLS_OK
                            ? json_bytes(t->smtp.error, strlen(t->smtp.error))
                            : json_null());
    json_object_set_new(o, rs->mx[i], host);
  }
  return o;
}

static json_t *result_json(const mtasts_resolution *run) {
  const mtasts_decision *d = &run->final;
  json_t *o = json_object();
  json_object_set_new(o, "domain", json_string(run->domain));
  json_object_set_new(o, "policy_host", json_string(run->host));
  json_object_set_new(o, "now", json_integer((json_int_t)run->now));
  json_object_set_new(o, "discovery", json_string(mtasts_discovery_name(run->discovery)));
  json_object_set_new(o, "txt", txt_json(run));
  json_object_set_new(
      o, "live_id",
      string_or_null(run->live_id, run->live_id_len, run->discovery == MTASTS_TXT_VALID));
  json_object_set_new(o, "cache", cache_json(run));
  json_object_set_new(o, "fetch", fetch_json(run));
  json_object_set_new(o, "apply", json_string(mtasts_apply_name(d->apply)));
  json_object_set_new(o, "mode", json_string(mtasts_mode_name(d->mode)));
  json_object_set_new(o, "id",
                      string_or_null(run->applied_id, run->applied_id_len, run->applied != NULL));
  json_object_set_new(o, "mx", mx_json(run));
  json_object_set_new(o, "max_age",
                      run->applied != NULL ? json_integer((json_int_t)run->applied_max_age)
                                           : json_null());
  json_object_set_new(o, "rpt", json_string(mtasts_rpt_name(d->rpt)));
  json_object_set_new(o, "event", json_string(mtasts_event_name(d->event)));
  json_object_set_new(o, "log", json_string(mtasts_log_name(d->log)));
  json_object_set_new(o, "mxMatch", mx_match_json(run));
  if (run->mx_tls != NULL)
    json_object_set_new(o, "mxTls", mx_tls_json(run));
  return o;
}

void resolve_print_json(const mtasts_resolution *run, const cli_options *o) {
  cli_report r;
  report_init(&r, o, KIND_POLICY, stdout);
  report_print_json(&r, run->domain_arg, "resolved", result_json(run), NULL);
}
