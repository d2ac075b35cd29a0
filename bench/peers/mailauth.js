#!/usr/bin/env node
'use strict';
/*
 * mailauth.js - times mailauth's own MTA-STS functions (lib/mta-sts.js, the
 * version pinned in conformance/adapters/mailauth/package-lock.json) on the
 * inputs mtasts-bench wrote. Each function gets its input in the form
 * mailauth receives it:
 *   txt       parseDkimHeaders(record): the parser resolvePolicy applies to
 *             the record (a string, as Node's resolver returns it); and
 *             resolvePolicy(domain, {resolver}) itself, with a resolver that
 *             answers at once with the record (RRset filter, join, parse,
 *             checks, plus one await per call);
 *   policy-*  parsePolicy(body): the Buffer fetchPolicy hands over;
 *   mx-match  validateMx(host, policy) with the 64k policy parsePolicy made.
 * mailauth has no TLSRPT parser.
 *
 *   node bench/peers/mailauth.js --inputs DIR [--ours FILE] [--smoke]
 * Exits 77 when mailauth is not installed (ci/setup.sh installs it).
 */
const path = require('node:path');
const { ROOT, main, expect } = require('./harness.js');

const DIR = path.join(ROOT, 'conformance', 'adapters', 'mailauth', 'node_modules', 'mailauth');
let mtaSts;
let parseDkimHeaders;
let version;
try {
  mtaSts = require(path.join(DIR, 'lib', 'mta-sts.js'));
  parseDkimHeaders = require(path.join(DIR, 'lib', 'parse-dkim-headers.js'));
  version = require(path.join(DIR, 'package.json')).version;
} catch (err) {
  process.stdout.write(`# SKIP mailauth: not installed (${err.code || err.message}); ` +
    'run ci/setup.sh\n');
  process.exit(77);
}

const EXPECTED_ID = '20160831085700Z';

function txtSubjects(input) {
  const record = input.bytes.toString('latin1');
  const rrset = [[record]];
  const resolver = async () => rrset;
  return [
    {
      impl: 'mailauth.parseDkimHeaders',
      check: () => {
        const id = parseDkimHeaders(record)?.parsed?.id?.value;
        expect(id === EXPECTED_ID, `id ${id}`);
      },
      loop: iters => {
        let n = 0;
        for (let i = 0; i < iters; i++) n += parseDkimHeaders(record).parsed.id.value.length;
        return n;
      }
    },
    {
      impl: 'mailauth.resolvePolicy',
      check: async () => {
        const id = await mtaSts.resolvePolicy('example.com', { resolver });
        expect(id === EXPECTED_ID, `id ${id}`);
      },
      loop: async iters => {
        let n = 0;
        for (let i = 0; i < iters; i++) n += (await mtaSts.resolvePolicy('example.com', { resolver })).length;
        return n;
      }
    }
  ];
}

function policySubjects(input) {
  const body = input.bytes;
  return [{
    impl: 'mailauth.parsePolicy',
    check: () => {
      const p = mtaSts.parsePolicy(body);
      expect((p.mx || []).length === input.mxLines, `${(p.mx || []).length} mx patterns`);
    },
    loop: iters => {
      let n = 0;
      for (let i = 0; i < iters; i++) n += mtaSts.parsePolicy(body).maxAge;
      return n;
    }
  }];
}

function mxMatchSubjects(input) {
  const policy = mtaSts.parsePolicy(input.policyBytes);
  const host = input.bytes.toString('latin1');
  return [{
    impl: 'mailauth.validateMx',
    check: () => {
      const v = mtaSts.validateMx(host, policy);
      expect(v.valid && v.match === host, `no match: ${JSON.stringify(v)}`);
    },
    loop: iters => {
      let n = 0;
      for (let i = 0; i < iters; i++) n += mtaSts.validateMx(host, policy).valid ? 1 : 0;
      return n;
    }
  }];
}

main('mailauth', () => `mailauth ${version}: parseDkimHeaders, resolvePolicy, parsePolicy, validateMx`,
  input => {
    switch (input.kind) {
      case 'txt': return txtSubjects(input);
      case 'policy': return policySubjects(input);
      case 'mx-match': return mxMatchSubjects(input);
      default: return [];
    }
  });
