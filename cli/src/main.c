/*
 * main.c - the `mtasts` command: lint MTA-STS and TLSRPT records and
 * policies with compiler-style diagnostics. See mtasts.1.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
    "\n"
    "Options:\n"
    "  --profile strict|lenient  strict (the default) is the RFC's grammar and limits;\n"
    "                            lenient also accepts a few harmless deviations (blank\n"
    "                            lines, a byte order mark, max_age above one year ...),\n"
    "                            each reported as a warning\n"
    "  --json                    print one JSON object (see diagnostics.schema.json)\n"
    "  -q, --quiet               print nothing: only the exit status tells\n"
    "  --color always|never|auto colour the output (auto, the default: only on a terminal,\n"
    "                            and not when NO_COLOR is set)\n"
    "  --literal-prefix          with --rrset: keep only records that begin with the exact\n"
    "                            bytes \"v=STSv1;\" (or \"v=TLSRPTv1;\")\n"
    "  -h, --help                show this help\n"
    "  --version                 show the version\n"
    "\n"
    "Without FILE or RECORD, or with -, the input is read from standard input; a\n"
    "final line ending of a record read there is not part of the record. Positions\n"
    "are LINE:COLUMN, the column counted in bytes; for --strings STRING... they are\n"
    "positions in the joined record.\n"
    "\n"
    "Exit status:\n"
    "  0  valid (match: the host matches)\n"
    "  1  invalid (match: the host does not match)\n"
    "  2  usage error, or the input cannot be read\n"
    "\n"
    "See mtasts(1) for details.\n";

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

/* One option; *i may advance past its value. */
static parse_state parse_option(cli_options *o, char **argv, int argc, int *i) {
  const char *arg = argv[*i];
  if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
    fputs(usage_text, stdout);
    return PARSE_EXIT_OK;
  }
  if (strcmp(arg, "--version") == 0) {
    printf("mtasts %s\n", MTASTS_VERSION_STRING);
    return PARSE_EXIT_OK;
  }
  if (strcmp(arg, "--json") == 0)
    o->json = true;
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
    return usage_error("unknown option '%s'", arg), PARSE_FAIL;
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

static int check_usage(const cli_options *o) {
  bool record = strcmp(o->command, "txt") == 0 || strcmp(o->command, "tlsrpt") == 0;
  bool match = strcmp(o->command, "match") == 0;
  if (!record && (o->strings || o->rrset != NULL || o->literal_prefix))
    return usage_error("--strings, --rrset and --literal-prefix apply to txt and tlsrpt, not %s",
                       o->command);
  if (!match && o->policy != NULL)
    return usage_error("--policy applies to match, not %s", o->command);
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
  return cmd_match(o);
}

int main(int argc, char **argv) {
  cli_options o;
  memset(&o, 0, sizeof o);
  o.args = calloc((size_t)argc, sizeof *o.args);
  if (o.args == NULL)
    return EXIT_TROUBLE;
  int status;
  parse_state s = parse_args(&o, argc, argv);
  if (s != PARSE_OK) {
    status = s == PARSE_EXIT_OK ? EXIT_VALID : EXIT_TROUBLE;
  } else if (o.command == NULL) {
    fputs("Usage: mtasts [OPTIONS] COMMAND [ARGS]\nTry 'mtasts --help'.\n", stderr);
    status = EXIT_TROUBLE;
  } else if (strcmp(o.command, "help") == 0) {
    fputs(usage_text, stdout);
    status = EXIT_VALID;
  } else if (strcmp(o.command, "policy") != 0 && strcmp(o.command, "fmt") != 0 &&
             strcmp(o.command, "txt") != 0 && strcmp(o.command, "tlsrpt") != 0 &&
             strcmp(o.command, "match") != 0) {
    status = usage_error("unknown command '%s'", o.command);
  } else {
    status = check_usage(&o);
    if (status == EXIT_VALID)
      status = run(&o);
  }
  free(o.args);
  return status;
}
