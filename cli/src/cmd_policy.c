/* cmd_policy.c - `mtasts policy` and `mtasts fmt`, and the policy loading
 * that `mtasts match --policy` shares. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hints.h"
#include "interop.h"
#include "policy_check.h"

/* ------------------------------------------------------------------ */
/* Reading and parsing                                                 */
/* ------------------------------------------------------------------ */

/* Parse twice when there are mx lines: a sizing pass without mx storage
 * tells how many patterns the policy holds (mx_needed), so the array is
 * exactly as large as needed, whatever the body. The extensions have room
 * for every one (MTASTS_MAX_EXTENSIONS). */
static mtasts_code parse_sized(cli_report *r, cli_policy *cp) {
  mtasts_options opt = report_parse_options(r, 0);
  mtasts_policy_init(&cp->p, NULL, 0, cp->ext, MTASTS_MAX_EXTENSIONS);
  mtasts_code code = mtasts_policy_parse(cp->input.data, cp->input.len, &opt, &cp->p);
  if (code != MTASTS_E_MX_CAPACITY)
    return code;
  cp->mx = calloc(cp->p.mx_needed, sizeof *cp->mx);
  if (cp->mx == NULL)
    return MTASTS_E_MX_CAPACITY;
  mtasts_policy_init(&cp->p, cp->mx, cp->p.mx_needed, cp->ext, MTASTS_MAX_EXTENSIONS);
  return mtasts_policy_parse(cp->input.data, cp->input.len, &opt, &cp->p);
}

/* A note for a body that is not a policy at all, which is what a web
 * server answering with an error page or an image produces. */
static void note_not_text(const cli_policy *cp, cli_diag *d) {
  if (cp->p.err_offset != 0 || cp->input.len == 0 ||
      (cp->code != MTASTS_E_POLICY_FIELD_NAME && cp->code != MTASTS_E_NUL))
    return;
  unsigned char first = (unsigned char)cp->input.data[0];
  if (first == '<')
    snprintf(d->note, sizeof d->note,
             "this looks like HTML, not a policy: does the web server answer with an error "
             "page or a redirect?");
  else if (first < 0x20 || first >= 0x7F)
    snprintf(d->note, sizeof d->note,
             "this does not look like text: is it an image or another binary file?");
}

bool policy_check(cli_report *r, const char *path, cli_policy *cp, char *err, size_t errlen) {
  memset(cp, 0, sizeof *cp);
  if (!input_read(path, MTASTS_POLICY_MAX_SIZE + 1, &cp->input, err, errlen))
    return false;
  cp->src.name = input_name(path);
  cp->src.text = cp->input.data;
  cp->src.len = cp->input.len;
  cp->code = parse_sized(r, cp);
  report_add_warnings(r, &cp->src, -1);
  if (cp->code != MTASTS_OK) {
    cli_diag *d = report_add(r, cp->code, cp->p.err_offset, &cp->src);
    if (cp->code == MTASTS_E_POLICY_TOO_LARGE && cp->input.more)
      snprintf(d->note, sizeof d->note,
               "the input is larger than %u bytes; mtasts read %u bytes and stopped",
               MTASTS_POLICY_MAX_SIZE, MTASTS_POLICY_MAX_SIZE + 1);
    const char *shape =
        hint_policy_shape(cp->code, cp->input.data, cp->input.len, cp->p.err_offset);
    if (shape != NULL)
      snprintf(d->note, sizeof d->note, "%s", shape);
    else
      note_not_text(cp, d);
  }
  return true;
}

void policy_free(cli_policy *cp) {
  input_free(&cp->input);
  free(cp->mx);
  cp->mx = NULL;
}

/* ------------------------------------------------------------------ */
/* Showing the fields                                                  */
/* ------------------------------------------------------------------ */

static json_t *span_json(mtasts_span s) {
  return json_bytes(s.ptr, s.len);
}

json_t *policy_json(const cli_policy *cp) {
  const mtasts_policy *p = &cp->p;
  json_t *o = json_object();
  json_object_set_new(o, "version", span_json(p->version));
  json_object_set_new(o, "mode", span_json(p->mode_text));
  json_object_set_new(o, "max_age", json_integer((json_int_t)p->max_age));
  json_t *mx = json_array();
  for (size_t i = 0; i < p->mx_count; i++) {
    json_t *m = json_object();
    json_object_set_new(m, "pattern", span_json(p->mx[i].pattern));
    json_object_set_new(m, "wildcard", json_boolean(p->mx[i].wildcard));
    json_array_append_new(mx, m);
  }
  json_object_set_new(o, "mx", mx);
  json_t *ext = json_array();
  for (size_t i = 0; i < p->ext_count; i++) {
    json_t *e = json_object();
    json_object_set_new(e, "name", span_json(p->ext[i].name));
    json_object_set_new(e, "value", span_json(p->ext[i].value));
    json_array_append_new(ext, e);
  }
  json_object_set_new(o, "extensions", ext);
  return o;
}

/* "7 days", "365 days 6 hours", "0 seconds". */
static void print_duration(FILE *f, uint64_t s) {
  static const struct {
    uint64_t seconds;
    const char *name;
  } units[] = {{86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}};
  if (s == 0) {
    fputs("0 seconds", f);
    return;
  }
  const char *sep = "";
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    uint64_t n = s / units[i].seconds;
    s %= units[i].seconds;
    if (n > 0) {
      fprintf(f, "%s%llu %s%s", sep, (unsigned long long)n, units[i].name, n == 1 ? "" : "s");
      sep = " ";
    }
  }
}

static const char *mode_meaning(mtasts_mode m) {
  switch (m) {
  case MTASTS_MODE_ENFORCE:
    return "senders deliver only to a matching MX, over TLS with a valid certificate";
  case MTASTS_MODE_TESTING:
    return "senders report failures but deliver anyway";
  case MTASTS_MODE_NONE:
    return "senders enforce nothing, and drop the policy they had cached";
  case MTASTS_MODE_UNSET:
    break;
  }
  return "";
}

static void print_field(FILE *f, const char *name, mtasts_span value) {
  fprintf(f, "  %-8s ", name);
  print_escaped(f, value.ptr, value.len);
}

void policy_print_fields(const cli_policy *cp, FILE *f) {
  const mtasts_policy *p = &cp->p;
  print_field(f, "version", p->version);
  fputc('\n', f);
  print_field(f, "mode", p->mode_text);
  fprintf(f, "  (%s)\n", mode_meaning(p->mode));
  for (size_t i = 0; i < p->mx_count; i++) {
    print_field(f, "mx", p->mx[i].pattern);
    fputs(p->mx[i].wildcard ? "  (any one label in place of \"*\")\n" : "\n", f);
  }
  fprintf(f, "  %-8s %llu  (", "max_age", (unsigned long long)p->max_age);
  print_duration(f, p->max_age);
  fputs(")\n", f);
  for (size_t i = 0; i < p->ext_count; i++) {
    fputs("  ", f);
    print_escaped(f, p->ext[i].name.ptr, p->ext[i].name.len);
    fputs(": ", f);
    print_escaped(f, p->ext[i].value.ptr, p->ext[i].value.len);
    fputs("  (extension field: senders ignore it)\n", f);
  }
}

/* ------------------------------------------------------------------ */
/* The commands                                                        */
/* ------------------------------------------------------------------ */

/* The interop impact of the policy's mistakes; NULL when it has none (the
 * lenient profile reports nothing), since then every reader agrees. */
static json_t *policy_impact(const cli_policy *cp) {
  mtasts_code conds[INTEROP_MAX_CONDITIONS];
  size_t n = interop_conditions(cp->input.data, cp->input.len, conds, INTEROP_MAX_CONDITIONS);
  return n > 0 ? interop_impact(conds, n) : NULL;
}

static const char *path_of(const cli_options *o) {
  return o->nargs > 0 ? o->args[0] : "-";
}

int cmd_policy(const cli_options *o) {
  cli_report r;
  report_init(&r, o, KIND_POLICY, stdout);
  cli_policy cp;
  char err[512];
  const char *path = path_of(o);
  if (!policy_check(&r, path, &cp, err, sizeof err))
    return report_trouble(&r, input_name(path), err);
  bool valid = cp.code == MTASTS_OK;
  json_t *impact = policy_impact(&cp);
  if (o->json) {
    json_t *extra = NULL;
    if (impact != NULL) {
      extra = json_object();
      json_object_set(extra, "interop", impact);
    }
    if (!o->quiet)
      report_print_json(&r, cp.src.name, valid ? "valid" : "invalid",
                        valid ? policy_json(&cp) : NULL, extra);
    else
      json_decref(extra);
  } else if (!o->quiet) {
    report_print(&r);
    report_print_verdict(&r, cp.src.name, "MTA-STS policy", valid);
    if (valid)
      policy_print_fields(&cp, stdout);
    if (impact != NULL)
      interop_print(stdout, impact);
  }
  json_decref(impact);
  policy_free(&cp);
  return valid ? EXIT_VALID : EXIT_INVALID;
}

/* The canonical form of a parsed policy, malloc'd. */
static char *write_canonical(const cli_policy *cp, size_t *len, mtasts_code *code) {
  size_t needed = 0;
  *code = mtasts_policy_write(&cp->p, NULL, 0, &needed);
  if (*code != MTASTS_OK && *code != MTASTS_E_WRITE_SPACE)
    return NULL;
  char *out = malloc(needed > 0 ? needed : 1);
  if (out == NULL)
    return NULL;
  *code = mtasts_policy_write(&cp->p, out, needed, len);
  if (*code != MTASTS_OK) {
    free(out);
    return NULL;
  }
  return out;
}

/* Diagnostics go to stderr: stdout carries the policy, so that
 * `mtasts fmt old.txt > new.txt` works. */
int cmd_fmt(const cli_options *o) {
  cli_report r;
  report_init(&r, o, KIND_POLICY, o->json ? stdout : stderr);
  cli_policy cp;
  char err[512];
  const char *path = path_of(o);
  if (!policy_check(&r, path, &cp, err, sizeof err))
    return report_trouble(&r, input_name(path), err);
  size_t len = 0;
  mtasts_code wcode = MTASTS_OK;
  char *text = cp.code == MTASTS_OK ? write_canonical(&cp, &len, &wcode) : NULL;
  int status = EXIT_INVALID;
  if (cp.code == MTASTS_OK && text == NULL) {
    char msg[160];
    snprintf(msg, sizeof msg, "cannot write the canonical form: %s", mtasts_errname(wcode));
    status = report_trouble(&r, cp.src.name, msg);
  } else if (o->json) {
    json_t *result = NULL;
    if (text != NULL) {
      result = json_object();
      json_object_set_new(result, "canonical", json_bytes(text, len));
    }
    if (!o->quiet)
      report_print_json(&r, cp.src.name, text != NULL ? "valid" : "invalid", result, NULL);
    else
      json_decref(result);
    status = text != NULL ? EXIT_VALID : EXIT_INVALID;
  } else {
    if (!o->quiet) {
      report_print(&r);
      if (text == NULL)
        report_print_verdict(&r, cp.src.name, "MTA-STS policy", false);
      else
        fwrite(text, 1, len, stdout);
    }
    status = text != NULL ? EXIT_VALID : EXIT_INVALID;
  }
  free(text);
  policy_free(&cp);
  return status;
}
