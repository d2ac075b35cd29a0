#!/usr/bin/env node
/*
 * Conformance adapter (protocol v1, conformance/ADAPTERS.md) for mailauth's
 * MTA-STS code (lib/mta-sts.js), pinned in package-lock.json.
 *
 * It drives mailauth's own functions and only translates:
 *   txt-record, txt-strings, txt-rrset  resolvePolicy(domain, {resolver}) with a
 *       stub resolver that returns the vector's TXT RRs in the shape Node's
 *       dns.resolveTxt returns them (an array of arrays of latin1 strings);
 *   policy      parsePolicy(Buffer): the body exactly as fetchPolicy hands it
 *       over (a Buffer, which parsePolicy decodes as UTF-8);
 *   mx-match    validateMx(host, {mode: 'enforce', mx: [pattern]}), the policy
 *       shape parsePolicy returns.
 * mailauth has no TLSRPT record parser: the tlsrpt kinds are "unsupported".
 */
'use strict';

const path = require('node:path');
const readline = require('node:readline');
const dnsPromises = require('node:dns/promises');

const DOMAIN = 'example.com';
// A DNS character-string holds at most 255 octets (RFC 1035 3.3).
const MAX_CHARACTER_STRING = 255;

function log(message) {
  process.stderr.write(`mailauth adapter: ${message}\n`);
}

// The adapter must never reach the network: any DNS lookup that bypasses the
// injected resolver fails instead of leaving the machine.
function forbidRealDns() {
  const refuse = async () => {
    const err = new Error('real DNS is disabled in the conformance adapter');
    err.code = 'ECONNREFUSED';
    throw err;
  };
  dnsPromises.resolve = refuse;
  for (const name of Object.getOwnPropertyNames(dnsPromises.Resolver.prototype)) {
    if (name.startsWith('resolve')) dnsPromises.Resolver.prototype[name] = refuse;
  }
}

function loadMailauth() {
  try {
    return require(path.join(__dirname, 'node_modules', 'mailauth', 'lib', 'mta-sts.js'));
  } catch (err) {
    log(`mailauth is not installed (${err.message}); run ci/setup.sh (npm ci in ${__dirname}). ` +
        'Every request is answered "unsupported".');
    return null;
  }
}

class BadRequest extends Error {}

function bytesFromHex(hex) {
  if (typeof hex !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(hex)) {
    throw new BadRequest('not a hex string');
  }
  return Buffer.from(hex, 'hex');
}

// Node's resolver hands each character-string over as a latin1 string (one
// JS char per octet); longer than 255 octets it arrives split, as on the wire.
function dnsStrings(bytes) {
  const strings = [];
  for (let at = 0; at < bytes.length; at += MAX_CHARACTER_STRING) {
    strings.push(bytes.subarray(at, at + MAX_CHARACTER_STRING).toString('latin1'));
  }
  return strings.length ? strings : [''];
}

function rrFromStrings(stringsHex) {
  if (!Array.isArray(stringsHex)) throw new BadRequest('strings are not a list');
  return stringsHex.flatMap(hex => dnsStrings(bytesFromHex(hex)));
}

function txtRrsetOf(req) {
  switch (req.kind) {
    case 'txt-record':
      return [dnsStrings(bytesFromHex(req.inputHex))];
    case 'txt-strings':
      return [rrFromStrings(req.stringsHex)];
    default:
      if (!Array.isArray(req.rrsetHex)) throw new BadRequest('rrsetHex is not a list');
      return req.rrsetHex.map(rrFromStrings);
  }
}

function errorName(err) {
  return String((err && (err.code || err.name)) || 'exception');
}

async function answerTxt(mtaSts, req) {
  const rrset = txtRrsetOf(req);
  const resolver = async (name, type) => {
    if (type !== 'TXT') throw Object.assign(new Error(`unexpected ${type} query`), { code: 'ENODATA' });
    return rrset;
  };
  let id;
  try {
    id = await mtaSts.resolvePolicy(DOMAIN, { resolver });
  } catch (err) {
    return { result: 'invalid', error: errorName(err) };
  }
  // resolvePolicy returns false when no usable STSv1 record was found.
  if (id === false) return { result: 'invalid', error: 'no_policy' };
  return { result: 'valid', fields: { id } };
}

function answerPolicy(mtaSts, req) {
  const body = bytesFromHex(req.inputHex);
  let policy;
  try {
    policy = mtaSts.parsePolicy(body);
  } catch (err) {
    return { result: 'invalid', error: errorName(err) };
  }
  return {
    result: 'valid',
    fields: {
      version: policy.version,
      mode: policy.mode,
      max_age: policy.maxAge,
      // parsePolicy leaves mx undefined when there is no mx line.
      mx: policy.mx || []
    }
  };
}

function answerMxMatch(mtaSts, req) {
  if (typeof req.pattern !== 'string' || typeof req.host !== 'string') {
    throw new BadRequest('pattern and host must be strings');
  }
  let verdict;
  try {
    verdict = mtaSts.validateMx(req.host, { mode: 'enforce', mx: [req.pattern] });
  } catch (err) {
    return { result: 'invalid', error: errorName(err) };
  }
  return verdict.valid ? { result: 'valid', fields: {} } : { result: 'invalid', error: 'no_match' };
}

async function answer(mtaSts, req) {
  if (!mtaSts) return { result: 'unsupported', error: 'mailauth is not installed' };
  switch (req.kind) {
    case 'txt-record':
    case 'txt-strings':
    case 'txt-rrset':
      return answerTxt(mtaSts, req);
    case 'policy':
      return answerPolicy(mtaSts, req);
    case 'mx-match':
      return answerMxMatch(mtaSts, req);
    default:
      return { result: 'unsupported' };
  }
}

async function respond(mtaSts, line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch (err) {
    return { result: 'unsupported', error: 'bad request: not JSON' };
  }
  if (req === null || typeof req !== 'object') {
    return { result: 'unsupported', error: 'bad request: not an object' };
  }
  let resp;
  try {
    resp = await answer(mtaSts, req);
  } catch (err) {
    // A malformed request is ours to report; anything the library threw was
    // caught above and is its verdict.
    resp = err instanceof BadRequest
      ? { result: 'unsupported', error: `bad request: ${err.message}` }
      : { result: 'invalid', error: `exception: ${errorName(err)}` };
  }
  return Object.assign({ tcId: req.tcId }, resp);
}

async function main() {
  process.on('unhandledRejection', err => log(`unhandled rejection: ${err && err.stack}`));
  process.on('uncaughtException', err => log(`uncaught exception: ${err && err.stack}`));
  forbidRealDns();
  const mtaSts = loadMailauth();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    // stdout is a pipe: Node writes to pipes synchronously, so each answer is
    // flushed before the next request is read.
    process.stdout.write(`${JSON.stringify(await respond(mtaSts, line))}\n`);
  }
  process.exit(0);
}

main();
