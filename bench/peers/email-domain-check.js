#!/usr/bin/env node
'use strict';
/*
 * email-domain-check.js - times email-domain-check's own MTA-STS code (the
 * version pinned in conformance/adapters/email-domain-check/package-lock.json)
 * on the inputs mtasts-bench wrote, each function given its input in the
 * form the library receives it:
 *   txt       new TXTRecord(record): the class getStsRecord() builds from
 *             every TXT string (classification and field parsing);
 *   policy-*  parseMtaStsPolicy(text): the string Response.text() returned.
 *             The library does not export it (only getMtaStsPolicy, which
 *             fetches first), so its own file is compiled with one more
 *             export line; the code is unchanged;
 *   mx-match  isMxAllowed(host, policy) with the 64k policy it parsed.
 * email-domain-check has no TLSRPT parser.
 *
 *   node bench/peers/email-domain-check.js --inputs DIR [--ours FILE] [--smoke]
 * Exits 77 when the package is not installed (ci/setup.sh installs it).
 */
const path = require('node:path');
const { ROOT, main, expect, requireWithExports } = require('./harness.js');

const DIR = path.join(ROOT, 'conformance', 'adapters', 'email-domain-check', 'node_modules',
  'email-domain-check');
let lib;
let parseMtaStsPolicy;
let version;
try {
  lib = require(path.join(DIR, 'dist', 'cjs', 'index.js'));
  ({ parseMtaStsPolicy } = requireWithExports(path.join(DIR, 'dist', 'cjs', 'mta-sts.js'),
    ['parseMtaStsPolicy']));
  version = require(path.join(DIR, 'package.json')).version;
} catch (err) {
  process.stdout.write(`# SKIP email-domain-check: not installed (${err.code || err.message}); ` +
    'run ci/setup.sh\n');
  process.exit(77);
}

const EXPECTED_ID = '20160831085700Z';

function txtSubjects(input) {
  const record = input.bytes.toString('latin1');
  return [{
    impl: 'email-domain-check.TXTRecord',
    check: () => {
      const r = new lib.TXTRecord(record);
      expect(r.kind === lib.RecordKind.STSv1 && r.parsed.id === EXPECTED_ID, `id ${r.parsed.id}`);
    },
    loop: iters => {
      let n = 0;
      for (let i = 0; i < iters; i++) n += new lib.TXTRecord(record).parsed.id.length;
      return n;
    }
  }];
}

function policySubjects(input) {
  const text = input.bytes.toString('utf8');
  return [{
    impl: 'email-domain-check.parseMtaStsPolicy',
    check: () => {
      const p = parseMtaStsPolicy(text);
      expect(p && p.mx.length === input.mxLines, `policy ${JSON.stringify(p && p.mx.length)}`);
    },
    loop: iters => {
      let n = 0;
      for (let i = 0; i < iters; i++) n += parseMtaStsPolicy(text).max_age;
      return n;
    }
  }];
}

function mxMatchSubjects(input) {
  const policy = parseMtaStsPolicy(input.policyBytes.toString('utf8'));
  const host = input.bytes.toString('latin1');
  return [{
    impl: 'email-domain-check.isMxAllowed',
    check: () => expect(lib.isMxAllowed(host, policy), 'no match'),
    loop: iters => {
      let n = 0;
      for (let i = 0; i < iters; i++) n += lib.isMxAllowed(host, policy) ? 1 : 0;
      return n;
    }
  }];
}

main('email-domain-check',
  () => `email-domain-check ${version}: TXTRecord, parseMtaStsPolicy, isMxAllowed`,
  input => {
    switch (input.kind) {
      case 'txt': return txtSubjects(input);
      case 'policy': return policySubjects(input);
      case 'mx-match': return mxMatchSubjects(input);
      default: return [];
    }
  });
