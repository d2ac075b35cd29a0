/*
 * main.c - the `mtasts` command: lint MTA-STS and TLSRPT records and
 * policies with compiler-style diagnostics. See mtasts.1.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mtasts_engine.h"

static const char usage_text[] =
    "Usage: mtasts [OPTIONS] COMMAND [ARGS]\n"
    "\n"
    "Check MTA-STS (RFC 8461) and SMTP TLS Reporting (RFC 8460) records and\n"
    "policies, and say exactly what is wrong, where, and how to fix it.\n"
    "\n"
    "Commands:\n"
    "  policy [FILE|-]           validate an MTA-STS policy (the body of\n"
    "                            https://mta-sts.DOMAIN/.well-known/mta-sts.txt)\n"
    "  txt [RECORD|-]            validate an _mta-sts TXT record, e.g.\n"
    "                            mtasts txt 'v=STSv1; id=20240501T120000;'\n"
    "  txt --strings STRING...   the same record given as its character-strings;\n"
    "                            with - (or none): read them quoted, as `dig +short TXT`\n"
    "                            prints them, from standard input\n"
    "  txt --rrset FILE|-        pick the one v=STSv1 record among all the TXT records\n"
    "                            of the name (one per line, quoted or not) and check it\n"
    "  tlsrpt [RECORD|-]         validate an _smtp._tls TXT record (v=TLSRPTv1);\n"
    "                            --strings and --rrset work as for txt\n"
    "  match PATTERN HOST        does MX host HOST match the mx pattern PATTERN, and why\n"
    "  match --policy FILE HOST  which mx pattern of a policy HOST matches\n"
    "  fmt [FILE|-]              print a valid policy in canonical form (CRLF line endings)\n"
    "  resolve DOMAIN            what a sending MTA does for DOMAIN: look up its _mta-sts\n"
    "                            TXT record, fetch its policy over HTTPS when needed, keep\n"
    "                            it in the cache, and say which policy applies and why\n"
    "  check DOMAIN              the operator's view of DOMAIN's published setup: its\n"
    "                            _mta-sts and _smtp._tls records, the policy fetched as a\n"
    "                            sender does, its MX hosts against the mx patterns, each\n"
    "                            MX host's STARTTLS and certificate, the policy host's\n"
    "                            certificate, and the senders that would not apply it\n"
    "  report FILE...|-          read TLS-RPT aggregate reports (.json, .json.gz, mail\n"
    "                            messages and mboxes with tlsrpt parts, directories of\n"
    "                            them): sessions per sender and day, each failure with\n"
    "                            its result type, MX host, sending IP and reason\n"
    "  report --policy FILE ...  also compare the policy each sender applied with FILE\n"
    "                            (the one you publish) and say whether the domain is\n"
    "                            ready for enforce\n"
    "\n"
    "Options:\n"
    "  --profile strict|lenient  strict (the default) is the RFC's grammar and limits;\n"
    "                            lenient also accepts a few harmless deviations (blank\n"
    "                            lines, a byte order mark, max_age above one year ...),\n"
    "                            each reported as a warning\n"
    "  --json                    print one JSON object (see diagnostics.schema.json)\n"
    "  --csv                     report: one CSV row per failure (RFC 4180)\n"
    "  --html                    report: one self-contained page with a chart per day\n"
    "  -q, --quiet               print nothing: only the exit status tells\n"
    "  --color always|never|auto colour the output (auto, the default: only on a terminal,\n"
    "                            and not when NO_COLOR is set)\n"
    "  --literal-prefix          with --rrset: keep only records that begin with the exact\n"
    "                            bytes \"v=STSv1;\" (or \"v=TLSRPTv1;\")\n"
    "  -h, --help                show this help\n"
    "  --version                 show the version\n"
    "\n";

/* Two strings: C11 compilers need not support one over 4095 bytes. */
static const char usage_resolve_text[] =
    "Options of resolve:\n"
    "  --cache-dir DIR           keep the policy cache in DIR, one file per domain\n"
    "                            (without it: no cache, every run starts afresh)\n"
    "  --mx HOST                 also say whether the MX host HOST matches the policy\n"
    "                            that applies (repeatable)\n"
    "  --starttls                also connect to each --mx host over SMTP: EHLO,\n"
    "                            STARTTLS, its certificate; and say whether mail may be\n"
    "                            delivered to it under the policy (RFC 8461 4, 5)\n"
    "  --now SECONDS             the time of the cache decisions, in Unix seconds\n"
    "                            (default: the clock; certificates use the clock)\n"
    "  --refresh SECONDS         fetch again a cached policy this old (default 86400;\n"
    "                            0: never before it expires)\n"
    "  --timeout SECONDS         limit for connecting, TLS and reading the policy,\n"
    "                            and for each --starttls conversation (default 60)\n"
    "  --ca-file FILE            trust the CA certificates of FILE (PEM) instead of\n"
    "                            the system's (which SSL_CERT_FILE may name)\n"
    "  --port N                  connect to port N instead of 443 (for tests)\n"
    "  --smtp-port N             with --starttls: port N instead of 25 (for tests)\n"
    "check takes --timeout, --ca-file, --port and --smtp-port too.\n"
    "\n"
    "Without FILE or RECORD, or with -, the input is read from standard input; a\n"
    "final line ending of a record read there is not part of the record. Positions\n"
    "are LINE:COLUMN, the column counted in bytes; for --strings STRING... they are\n"
    "positions in the joined record.\n"
    "\n"
    "Exit status:\n"
    "  0  valid (match: the host matches; resolve: resolved, whatever it decided;\n"
    "     check: no problem found)\n"
    "  1  invalid (match: the host does not match; check: a problem found)\n"
    "  2  usage error, or the input cannot be read (resolve: the cache cannot be\n"
    "     read or written)\n"
    "\n"
    "See mtasts(1) for details.\n";

static void print_usage(void) {
  fputs(usage_text, stdout);
  fputs(usage_resolve_text, stdout);
}

const char *profile_name(mtasts_profile p) {
  return p == MTASTS_LENIENT ? "lenient" : "strict";
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("mtasts: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs("\nTry 'mtasts --help'.\n", stderr);
  va_end(ap);
  return EXIT_TROUBLE;
}

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

typedef enum parse_state { PARSE_OK, PARSE_EXIT_OK, PARSE_FAIL } parse_state;

/* The value of an option given as --name=value or --name value. */
static const char *option_value(char **argv, int argc, int *i, const char *arg, const char *name) {
  size_t n = strlen(name);
  if (strncmp(arg, name, n) == 0 && arg[n] == '=')
    return arg + n + 1;
  if (strcmp(arg, name) == 0 && *i + 1 < argc)
    return argv[++*i];
  return NULL;
}

static bool takes_value(const char *arg, const char *name) {
  size_t n = strlen(name);
  return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static parse_state set_profile(cli_options *o, const char *v) {
  if (v != NULL && strcmp(v, "strict") == 0)
    o->profile = MTASTS_STRICT;
  else if (v != NULL && strcmp(v, "lenient") == 0)
    o->profile = MTASTS_LENIENT;
  else if (v == NULL)
    return usage_error("--profile needs a value: strict or lenient"), PARSE_FAIL;
  else
    return usage_error("--profile takes strict or lenient, not '%s'", v), PARSE_FAIL;
  return PARSE_OK;
}

static parse_state set_color(cli_options *o, const char *v) {
  if (v != NULL && strcmp(v, "always") == 0)
    o->color = COLOR_ALWAYS;
  else if (v != NULL && strcmp(v, "never") == 0)
    o->color = COLOR_NEVER;
  else if (v != NULL && strcmp(v, "auto") == 0)
    o->color = COLOR_AUTO;
  else if (v == NULL)
    return usage_error("--color needs a value: always, never or auto"), PARSE_FAIL;
  else
    return usage_error("--color takes always, never or auto, not '%s'", v), PARSE_FAIL;
  return PARSE_OK;
}

/* Whole seconds or a port: decimal digits only, from min to max. */
static bool parse_number(const char *v, uint64_t min, uint64_t max, uint64_t *out) {
  uint64_t n = 0;
  if (v == NULL || *v == '\0')
    return false;
  for (const char *p = v; *p != '\0'; p++) {
    if (*p < '0' || *p > '9')
      return false;
    uint64_t d = (uint64_t)(*p - '0');
    if (n > (UINT64_MAX - d) / 10)
      return false;
    n = n * 10 + d;
  }
  if (n < min || n > max)
    return false;
  *out = n;
  return true;
}

typedef struct number_option {
  const char *name;
  uint64_t min;
  uint64_t max;
  const char *what;
} number_option;

static const number_option number_options[] = {
    {"--now", 0, UINT64_MAX, "Unix seconds"},
    {"--refresh", 0, UINT64_MAX, "seconds (0: never)"},
    {"--timeout", 1, 3600, "whole seconds from 1 to 3600"},
    {"--port", 1, 65535, "a port number from 1 to 65535"},
    {"--smtp-port", 1, 65535, "a port number from 1 to 65535"},
};

static void set_number(cli_resolve *rs, const char *name, uint64_t n) {
  if (strcmp(name, "--now") == 0) {
    rs->now = n;
    rs->now_given = true;
  } else if (strcmp(name, "--refresh") == 0) {
    rs->refresh = n;
    rs->refresh_given = true;
  } else if (strcmp(name, "--timeout") == 0) {
    rs->timeout = (unsigned)n;
  } else if (strcmp(name, "--smtp-port") == 0) {
    rs->smtp_port = (unsigned)n;
    rs->smtp_port_given = true;
  } else {
    rs->port = (unsigned)n;
  }
}

/* The options of resolve. Returns PARSE_OK with *matched false for an
 * option that is not one of them. */
static parse_state parse_resolve_option(cli_options *o, char **argv, int argc, int *i,
                                        bool *matched) {
  const char *arg = argv[*i];
  cli_resolve *rs = &o->resolve;
  *matched = true;
  if (strcmp(arg, "--starttls") == 0) {
    rs->starttls = true;
    rs->given = rs->given != NULL ? rs->given : arg;
    return PARSE_OK;
  }
  for (size_t k = 0; k < sizeof number_options / sizeof number_options[0]; k++) {
    const number_option *no = &number_options[k];
    if (!takes_value(arg, no->name))
      continue;
    const char *v = option_value(argv, argc, i, arg, no->name);
    uint64_t n;
    if (v == NULL)
      return usage_error("%s needs a value: %s", no->name, no->what), PARSE_FAIL;
    if (!parse_number(v, no->min, no->max, &n))
      return usage_error("%s takes %s, not '%s'", no->name, no->what, v), PARSE_FAIL;
    set_number(rs, no->name, n);
    rs->given = rs->given != NULL ? rs->given : no->name;
    return PARSE_OK;
  }
  static const struct {
    const char *name;
    const char *needs;
  } texts[] = {{"--mx", "a HOST"}, {"--cache-dir", "a DIR"}, {"--ca-file", "a FILE"}};
  for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
    if (!takes_value(arg, texts[k].name))
      continue;
    const char *v = option_value(argv, argc, i, arg, texts[k].name);
    if (v == NULL || *v == '\0')
      return usage_error("%s needs %s", texts[k].name, texts[k].needs), PARSE_FAIL;
    if (strcmp(texts[k].name, "--mx") == 0)
      rs->mx[rs->mx_count++] = v; /* as many as argv has words */
    else if (strcmp(texts[k].name, "--cache-dir") == 0)
      rs->cache_dir = v;
    else
      rs->ca_file = v;
    rs->given = rs->given != NULL ? rs->given : texts[k].name;
    return PARSE_OK;
  }
  *matched = false;
  return PARSE_OK;
}

/* One option; *i may advance past its value. */
static parse_state parse_option(cli_options *o, char **argv, int argc, int *i) {
  const char *arg = argv[*i];
  if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
    print_usage();
    return PARSE_EXIT_OK;
  }
  if (strcmp(arg, "--version") == 0) {
    printf("mtasts %s\n", MTASTS_VERSION_STRING);
    return PARSE_EXIT_OK;
  }
  if (strcmp(arg, "--json") == 0)
    o->json = true;
  else if (strcmp(arg, "--csv") == 0)
    o->csv = true;
  else if (strcmp(arg, "--html") == 0)
    o->html = true;
  else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0)
    o->quiet = true;
  else if (strcmp(arg, "--strings") == 0)
    o->strings = true;
  else if (strcmp(arg, "--literal-prefix") == 0)
    o->literal_prefix = true;
  else if (takes_value(arg, "--profile"))
    return set_profile(o, option_value(argv, argc, i, arg, "--profile"));
  else if (takes_value(arg, "--color"))
    return set_color(o, option_value(argv, argc, i, arg, "--color"));
  else if (takes_value(arg, "--rrset")) {
    if ((o->rrset = option_value(argv, argc, i, arg, "--rrset")) == NULL)
      return usage_error("%s needs a FILE (or - for standard input)", "--rrset"), PARSE_FAIL;
  } else if (takes_value(arg, "--policy")) {
    if ((o->policy = option_value(argv, argc, i, arg, "--policy")) == NULL)
      return usage_error("%s needs a FILE (or - for standard input)", "--policy"), PARSE_FAIL;
  } else {
    bool matched;
    parse_state st = parse_resolve_option(o, argv, argc, i, &matched);
    if (!matched)
      return usage_error("unknown option '%s'", arg), PARSE_FAIL;
    return st;
  }
  return PARSE_OK;
}

/* Options may come before or after the command; "--" ends them, and "-"
 * alone is an operand (standard input). */
static parse_state parse_args(cli_options *o, int argc, char **argv) {
  bool options_done = false;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (!options_done && strcmp(arg, "--") == 0) {
      options_done = true;
    } else if (!options_done && arg[0] == '-' && arg[1] != '\0') {
      parse_state s = parse_option(o, argv, argc, &i);
      if (s != PARSE_OK)
        return s;
    } else if (o->command == NULL) {
      o->command = arg;
    } else {
      o->args[o->nargs++] = argv[i];
    }
  }
  return PARSE_OK;
}

/* ------------------------------------------------------------------ */
/* Which options and operands each command takes                       */
/* ------------------------------------------------------------------ */

static int check_record_usage(const cli_options *o) {
  if (o->rrset != NULL && (o->strings || o->nargs > 0))
    return usage_error("%s --rrset FILE takes no other operand, and no --strings", o->command);
  if (o->literal_prefix && o->rrset == NULL)
    return usage_error("%s: --literal-prefix applies to --rrset only", o->command);
  if (!o->strings && o->nargs > 1)
    return usage_error("%s takes one RECORD: quote it, or pass its character-strings with "
                       "--strings",
                       o->command);
  return EXIT_VALID;
}

/* resolve DOMAIN: one operand, a domain a Policy Host can be made of. */
static int check_resolve_usage(const cli_options *o) {
  if (o->nargs != 1)
    return usage_error("resolve takes one DOMAIN, e.g. mtasts resolve example.com");
  if (o->profile == MTASTS_LENIENT)
    return usage_error("resolve parses records and policies with the strict profile only");
  if (o->resolve.starttls && o->resolve.mx_count == 0)
    return usage_error("--starttls checks the --mx hosts: give at least one --mx HOST");
  if (o->resolve.smtp_port_given && !o->resolve.starttls)
    return usage_error("--smtp-port applies to --starttls only");
  const char *d = o->args[0];
  if (mtasts_policy_host(d, strlen(d), NULL, 0) == 0)
    return usage_error("'%s' is not a domain resolve can use: it takes a domain name of "
                       "A-labels (letters, digits and hyphens, labels of 1-63 octets, e.g. "
                       "example.com; an internationalized name as xn--...)",
                       d);
  return EXIT_VALID;
}

/* check DOMAIN: resolve's domain rule; of its options only those that say
 * how to reach the hosts. */
static int check_check_usage(const cli_options *o) {
  const cli_resolve *rs = &o->resolve;
  const char *wrong = rs->mx_count > 0        ? "--mx"
                      : rs->cache_dir != NULL ? "--cache-dir"
                      : rs->now_given         ? "--now"
                      : rs->refresh_given     ? "--refresh"
                      : rs->starttls          ? "--starttls"
                                              : NULL;
  if (wrong != NULL)
    return usage_error("%s applies to resolve, not check (check finds the MX hosts itself, "
                       "with no cache)",
                       wrong);
  if (o->nargs != 1)
    return usage_error("check takes one DOMAIN, e.g. mtasts check example.com");
  if (o->profile == MTASTS_LENIENT)
    return usage_error("check reads records and policies as senders do: strict, with the "
                       "interop impact of what lenient readers accept");
  const char *d = o->args[0];
  if (mtasts_policy_host(d, strlen(d), NULL, 0) == 0)
    return usage_error("'%s' is not a domain check can use: it takes a domain name of "
                       "A-labels, e.g. example.com",
                       d);
  return EXIT_VALID;
}

static int check_usage(const cli_options *o) {
  if ((o->csv || o->html) && strcmp(o->command, "report") != 0)
    return usage_error("%s applies to report, not %s", o->csv ? "--csv" : "--html", o->command);
  bool check = strcmp(o->command, "check") == 0;
  if (check && (o->strings || o->rrset != NULL || o->literal_prefix || o->policy != NULL))
    return usage_error("--strings, --rrset, --literal-prefix and --policy do not apply to check");
  if (check)
    return check_check_usage(o);
  if (strcmp(o->command, "resolve") == 0) {
    if (o->strings || o->rrset != NULL || o->literal_prefix || o->policy != NULL)
      return usage_error("--strings, --rrset, --literal-prefix and --policy do not apply to "
                         "resolve");
    return check_resolve_usage(o);
  }
  if (o->resolve.given != NULL)
    return usage_error("%s applies to resolve, not %s", o->resolve.given, o->command);
  bool record = strcmp(o->command, "txt") == 0 || strcmp(o->command, "tlsrpt") == 0;
  bool match = strcmp(o->command, "match") == 0;
  if (!record && (o->strings || o->rrset != NULL || o->literal_prefix))
    return usage_error("--strings, --rrset and --literal-prefix apply to txt and tlsrpt, not %s",
                       o->command);
  if (!match && o->policy != NULL && strcmp(o->command, "report") != 0)
    return usage_error("--policy applies to match, not %s", o->command);
  if (strcmp(o->command, "report") == 0 && (o->csv + o->json + o->html) > 1)
    return usage_error("--json, --csv and --html: choose one");
  if (strcmp(o->command, "report") == 0)
    return EXIT_VALID; /* any number of FILEs */
  if (record)
    return check_record_usage(o);
  if (match && o->policy != NULL && o->nargs != 1)
    return usage_error("%s --policy FILE takes one HOST", o->command);
  if (match && o->policy == NULL && o->nargs != 2)
    return usage_error("%s takes a PATTERN and a HOST (or --policy FILE HOST)", o->command);
  if (!match && o->nargs > 1)
    return usage_error("%s takes one FILE (or - for standard input)", o->command);
  return EXIT_VALID;
}

static int run(const cli_options *o) {
  if (strcmp(o->command, "policy") == 0)
    return cmd_policy(o);
  if (strcmp(o->command, "fmt") == 0)
    return cmd_fmt(o);
  if (strcmp(o->command, "txt") == 0)
    return cmd_record(o, KIND_STS);
  if (strcmp(o->command, "tlsrpt") == 0)
    return cmd_record(o, KIND_TLSRPT);
  if (strcmp(o->command, "resolve") == 0)
    return cmd_resolve(o);
  if (strcmp(o->command, "check") == 0)
    return cmd_check(o);
  if (strcmp(o->command, "report") == 0)
    return cmd_report(o);
  return cmd_match(o);
}

#ifndef MTASTS_HAVE_RESOLVE
/* Built without OpenSSL: everything but the HTTPS client is there. */
int cmd_resolve(const cli_options *o) {
  (void)o;
  fputs("mtasts: resolve is not available: this mtasts was built without OpenSSL\n", stderr);
  return EXIT_TROUBLE;
}

int cmd_check(const cli_options *o) {
  (void)o;
  fputs("mtasts: check is not available: this mtasts was built without OpenSSL\n", stderr);
  return EXIT_TROUBLE;
}
#endif

int main(int argc, char **argv) {
  cli_options o;
  memset(&o, 0, sizeof o);
  o.args = calloc((size_t)argc, sizeof *o.args);
  o.resolve.mx = calloc((size_t)argc, sizeof *o.resolve.mx);
  o.resolve.refresh = 86400; /* RFC 8461 3.3: "a suggested refresh frequency is once per day" */
  o.resolve.timeout = 60;    /* RFC 8461 3.3: "A suggested timeout is one minute" */
  o.resolve.port = 443;
  o.resolve.smtp_port = 25; /* the SMTP port, where senders reach an MX */
  if (o.args == NULL || o.resolve.mx == NULL) {
    free(o.args);
    free(o.resolve.mx);
    return EXIT_TROUBLE;
  }
  int status;
  parse_state s = parse_args(&o, argc, argv);
  if (s != PARSE_OK) {
    status = s == PARSE_EXIT_OK ? EXIT_VALID : EXIT_TROUBLE;
  } else if (o.command == NULL) {
    fputs("Usage: mtasts [OPTIONS] COMMAND [ARGS]\nTry 'mtasts --help'.\n", stderr);
    status = EXIT_TROUBLE;
  } else if (strcmp(o.command, "help") == 0) {
    print_usage();
    status = EXIT_VALID;
  } else if (strcmp(o.command, "policy") != 0 && strcmp(o.command, "fmt") != 0 &&
             strcmp(o.command, "txt") != 0 && strcmp(o.command, "tlsrpt") != 0 &&
             strcmp(o.command, "match") != 0 && strcmp(o.command, "resolve") != 0 &&
             strcmp(o.command, "check") != 0 && strcmp(o.command, "report") != 0) {
    status = usage_error("unknown command '%s'", o.command);
  } else {
    status = check_usage(&o);
    if (status == EXIT_VALID)
      status = run(&o);
  }
  free(o.args);
  free(o.resolve.mx);
  return status;
}
