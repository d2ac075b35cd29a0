/*
 * cli.h - what the source files of the `mtasts` command share: the parsed
 * command line, the exit statuses and the kinds of input.
 */
#ifndef MTASTS_CLI_H
#define MTASTS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtasts.h"

/* Exit statuses, documented in --help and mtasts.1. */
enum { EXIT_VALID = 0, EXIT_INVALID = 1, EXIT_TROUBLE = 2 };

/* What an input is; it decides which RFC section a general code cites. */
typedef enum cli_kind { KIND_POLICY, KIND_STS, KIND_TLSRPT } cli_kind;

typedef enum cli_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } cli_color;

/* The options of `resolve` (defaults set by main). */
typedef struct cli_resolve {
  const char **mx; /* --mx HOST, in order */
  size_t mx_count;
  const char *cache_dir;
  const char *ca_file;
  uint64_t now; /* --now; the clock when not given */
  bool now_given;
  uint64_t refresh; /* --refresh, seconds; 0 = never */
  bool refresh_given;
  unsigned timeout;   /* --timeout, seconds */
  unsigned port;      /* --port (tests only) */
  bool starttls;      /* --starttls: check each --mx host over SMTP */
  unsigned smtp_port; /* --smtp-port (tests only) */
  bool smtp_port_given;
  const char *given; /* the first resolve-only option given, for usage errors */
} cli_resolve;

typedef struct cli_options {
  mtasts_profile profile;
  bool json;
  bool csv;  /* report --csv */
  bool html; /* report --html */
  bool quiet;
  cli_color color;
  bool strings;        /* txt/tlsrpt --strings */
  bool literal_prefix; /* txt/tlsrpt --rrset --literal-prefix */
  const char *rrset;   /* txt/tlsrpt --rrset FILE */
  const char *policy;  /* match --policy FILE */
  cli_resolve resolve; /* resolve's options */
  const char *command; /* "policy", "txt", ... */
  char **args;         /* the command's operands */
  size_t nargs;
} cli_options;

/* The commands (cmd_*.c). Each returns an exit status. */
int cmd_policy(const cli_options *o);
int cmd_fmt(const cli_options *o);
int cmd_record(const cli_options *o, cli_kind kind);
int cmd_match(const cli_options *o);
int cmd_resolve(const cli_options *o); /* cmd_resolve.c, built with OpenSSL */
int cmd_check(const cli_options *o);   /* cmd_check.c, built with OpenSSL */
int cmd_report(const cli_options *o);  /* cmd_report.c: TLS-RPT aggregate reports */

/* The name a profile is shown with. */
const char *profile_name(mtasts_profile p);

#endif /* MTASTS_CLI_H */
