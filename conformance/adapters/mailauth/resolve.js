#!/usr/bin/env node
/*
 * Resolve adapter (conformance/ADAPTERS.md, "Resolve protocol (scenarios),
 * version 1") for mailauth's getPolicy and validateMx (lib/mta-sts.js).
 *
 * It runs inside the world's network namespace: mailauth's own DNS resolver
 * (dns.promises.resolve, c-ares, configured from /etc/resolv.conf at start)
 * asks the world's DNS server and its own https.request fetches from the
 * world's server, trusting the world's CA through NODE_EXTRA_CA_CERTS.
 *
 * mailauth keeps no cache: its caller stores the policy object getPolicy
 * returned and passes it back as knownPolicy next time (as mx-connect, the
 * same author's delivery library, does: every returned policy is stored).
 * The adapter is that caller, one stored policy per domain, forgotten at
 * step 0. The clock mailauth sees (Date.now(), new Date()) is the scenario's.
 *
 * Every reported member is read off getPolicy's {policy, status} and
 * validateMx's {valid}; nothing is decided here.
 */
'use strict';

const path = require('node:path');
const readline = require('node:readline');

const RealDate = Date;
let scenarioMillis = null;

/*
 * mailauth reads the time only through Date.now() and new Date() (expiry of
 * the known policy, expires of the returned one). The certificate checks of
 * https.request run in OpenSSL with the system clock and Node's internals use
 * their own copy of Date, so only mailauth's own code sees this clock.
 */
class ScenarioDate extends RealDate {
  constructor(...args) {
    if (args.length === 0 && scenarioMillis !== null) super(scenarioMillis);
    else super(...args);
  }

  static now() {
    return scenarioMillis !== null ? scenarioMillis : RealDate.now();
  }
}
globalThis.Date = ScenarioDate;

function setScenarioClock(seconds) {
  scenarioMillis = seconds * 1000;
}

function loadMailauth() {
  try {
    return { mtaSts: require(path.join(__dirname, 'node_modules', 'mailauth', 'lib', 'mta-sts.js')) };
  } catch (err) {
    return { missing: `mailauth is not installed (${err.message}); run npm ci in ${__dirname}` };
  }
}

function errorText(err) {
  if (!err) return '';
  const code = err.code ? `${err.code}: ` : '';
  return `${code}${err.message || String(err)}`;
}

/*
 * What the returned policy is, in the protocol's terms. A policy mailauth
 * fetched always has version (parsePolicy throws without "STSv1"); the
 * placeholders it returns when there is nothing to apply ({id: false} on
 * not_found or a DNS error, {id: <live id>, mode: "none", expires: +1 h} on a
 * fetch error without a known policy) have none.
 */
function applyOf(status, policy) {
  const fetched = typeof policy.version === 'string';
  switch (status) {
    case 'found':
      return 'new';
    case 'renewed': // knownPolicy with a new expires
    case 'errored': // after a fetch error, knownPolicy as it was passed, or a placeholder
      return fetched ? 'cached' : 'none';
    default:
      return 'none';
  }
}

function describe(status, policy, knownPolicy) {
  const parts = [`status ${status}`];
  if (policy.error) parts.push(`error ${errorText(policy.error)}`);
  if (policy.expires) parts.push(`expires ${policy.expires}`);
  if (status !== 'found' && policy.id) parts.push(`policy id ${policy.id}`);
  parts.push(knownPolicy ? `knownPolicy id ${knownPolicy.id} mode ${knownPolicy.mode}` : 'no knownPolicy');
  return parts.join('; ');
}

async function decide(mtaSts, knownPolicies, req) {
  if (req.step === 0) knownPolicies.delete(req.domain);
  const knownPolicy = knownPolicies.get(req.domain);
  setScenarioClock(req.now);
  const { policy, status } = await mtaSts.getPolicy(req.domain, knownPolicy);
  knownPolicies.set(req.domain, policy);

  const apply = applyOf(status, policy);
  const response = { apply, mode: apply === 'none' ? 'none' : policy.mode };
  if (apply !== 'none') response.id = policy.id;
  response.mx = apply === 'none' ? [] : policy.mx || [];
  if (response.mode === 'enforce' || response.mode === 'testing') {
    response.mxMatch = {};
    for (const host of req.mx) response.mxMatch[host] = mtaSts.validateMx(host, policy).valid;
  }
  response.detail = describe(status, policy, knownPolicy);
  return response;
}

function requestProblem(req) {
  if (req === null || typeof req !== 'object' || Array.isArray(req)) return 'not an object';
  if (typeof req.domain !== 'string' || req.domain === '') return 'no domain';
  if (!Number.isInteger(req.step)) return 'no step';
  if (typeof req.now !== 'number') return 'no now';
  if (!Array.isArray(req.mx) || !req.mx.every(host => typeof host === 'string')) return 'mx is not a list of names';
  return null;
}

async function respond(lib, knownPolicies, line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch (err) {
    return { error: 'bad request: not JSON' };
  }
  const problem = requestProblem(req);
  const head = req && typeof req === 'object' ? { tcId: req.tcId, step: req.step } : {};
  if (problem) return Object.assign(head, { error: `bad request: ${problem}` });
  if (lib.missing) return Object.assign(head, { unsupported: lib.missing });
  try {
    return Object.assign(head, await decide(lib.mtaSts, knownPolicies, req));
  } catch (err) {
    // getPolicy catches what it expects; anything else is a crash, not a decision.
    return Object.assign(head, { error: `exception: ${err && err.stack}` });
  }
}

async function main() {
  const log = message => process.stderr.write(`mailauth resolve adapter: ${message}\n`);
  const lib = loadMailauth();
  if (lib.missing) log(`${lib.missing}. Every request is answered "unsupported".`);
  process.on('unhandledRejection', err => log(`unhandled rejection: ${err && err.stack}`));
  const knownPolicies = new Map();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    // stdout is a pipe: Node writes to pipes synchronously, so each answer is
    // flushed before the next request is read.
    process.stdout.write(`${JSON.stringify(await respond(lib, knownPolicies, line))}\n`);
  }
  process.exit(0);
}

if (require.main === module) main();

module.exports = { setScenarioClock, applyOf };
