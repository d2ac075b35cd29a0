/*
 * Self-test of resolve.js without a world: the library's real getStsRecord,
 * getMtaStsPolicy and isMxAllowed run against a stub DNS (every lookup method
 * of dns.promises.Resolver, which the library's DNSResolver extends) and a
 * stub global fetch returning real WHATWG Responses. No lookup or connection
 * leaves the process: an unexpected lookup is recorded and refused.
 * Run: node --test conformance/adapters/email-domain-check/resolve.test.js
 */
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Readable } = require('node:stream');
const dnsPromises = require('node:dns/promises');

const { decide, respond, serve, newChecker } = require('./resolve.js');
const edc = require(path.join(__dirname, 'node_modules', 'email-domain-check'));

const DOMAIN = 's01.world.test';
const TXT_NAME = `_mta-sts.${DOMAIN}`;
const POLICY_URL = `https://mta-sts.${DOMAIN}/.well-known/mta-sts.txt`;
const ENFORCE = 'version: STSv1\nmode: enforce\nmx: mx1.s01.world.test\nmx: *.backup.s01.world.test\nmax_age: 604800\n';
const LOOKUPS = Object.getOwnPropertyNames(dnsPromises.Resolver.prototype)
  .filter(name => name.startsWith('resolve') || name === 'reverse');

function dnsError(code) {
  return Object.assign(new Error(`stub ${code}`), { code });
}

/*
 * The world of one test: `txt` maps a name to its RRset (arrays of strings,
 * as dns.resolveTxt returns them) or an error code; `http` answers a fetch
 * with {status, contentType, body} or an Error to throw. `log` lists every
 * lookup and fetch in order.
 */
function installWorld(t, { txt = {}, http = null }) {
  const log = [];
  const saved = new Map(LOOKUPS.map(name => [name, dnsPromises.Resolver.prototype[name]]));
  for (const name of LOOKUPS) {
    dnsPromises.Resolver.prototype[name] = async host => {
      log.push(`${name} ${host}`);
      if (name !== 'resolveTxt') throw dnsError('ECONNREFUSED');
      const answer = Object.prototype.hasOwnProperty.call(txt, host) ? txt[host] : 'ENOTFOUND';
      if (typeof answer === 'string') throw dnsError(answer);
      return answer;
    };
  }
  const savedFetch = globalThis.fetch;
  const stubFetch = async (url, init) => {
    log.push(`fetch ${url} ${init && init.signal instanceof AbortSignal ? 'with signal' : 'no signal'}`);
    if (http === null) throw new Error('no policy host in this test');
    if (http instanceof Error) throw http;
    const headers = http.contentType === null ? {} : { 'Content-Type': http.contentType || 'text/plain' };
    // Bytes, not a string: a string body would get a default Content-Type.
    return new Response(Buffer.from(http.body, 'utf8'), { status: http.status || 200, headers });
  };
  globalThis.fetch = stubFetch;
  t.after(() => {
    for (const [name, method] of saved) dnsPromises.Resolver.prototype[name] = method;
    globalThis.fetch = savedFetch;
  });
  return { log, stubFetch };
}

function request(step, mx = ['mx1.s01.world.test']) {
  return { tcId: 1, step, domain: DOMAIN, now: 1796083200, elapsed: 0, timeout: 5, refresh: 86400, mx };
}

function withoutDetail(answer) {
  const { detail, ...rest } = answer;
  return rest;
}

test('the checker has no failover resolver and no per-domain NS resolver', () => {
  const checker = newChecker(edc);
  assert.deepEqual(checker.failoverResolvers, []);
  assert.equal(checker.options.useDomainNS, false);
  assert.equal(checker.resolver.kind, edc.ResolverKind.System);
  // Why the option is passed: the library's default asks public resolvers.
  const servers = new edc.DomainChecker().failoverResolvers.map(r => r.getServers());
  assert.deepEqual(servers, [['1.1.1.1', '1.0.0.1'], ['8.8.8.8', '8.8.4.4']]);
});

test('an enforce policy applies as fetched, MX matched by isMxAllowed', async t => {
  const { log } = installWorld(t, { txt: { [TXT_NAME]: [['v=STSv1; id=20261129T01;']] }, http: { body: ENFORCE } });
  const hosts = ['mx1.s01.world.test', 'a.b.backup.s01.world.test', 'MX1.S01.WORLD.TEST', 'evil.world.test'];
  const answer = await decide(edc, request(0, hosts));
  assert.deepEqual(answer, {
    apply: 'new',
    mode: 'enforce',
    id: '20261129T01',
    mx: ['mx1.s01.world.test', '*.backup.s01.world.test'],
    // The library's own matching: a suffix test for "*.", case-sensitive names.
    mxMatch: { 'mx1.s01.world.test': true, 'a.b.backup.s01.world.test': true, 'MX1.S01.WORLD.TEST': false, 'evil.world.test': false },
    detail: 'getStsRecord: id "20261129T01" from "v=STSv1; id=20261129T01;"; ' +
      `fetch ${POLICY_URL}: status 200, Content-Type "text/plain"; body ${ENFORCE.length} chars; ` +
      'policy {"mx":["mx1.s01.world.test","*.backup.s01.world.test"],"version":"STSv1","mode":"enforce","max_age":604800}'
  });
  // cleanMxRecord's order, one TXT lookup, no NS lookups, one fetch with the library's timeout signal.
  assert.deepEqual(log, [`resolveTxt ${TXT_NAME}`, `fetch ${POLICY_URL} with signal`]);
});

/*
 * A measured duration varies with the machine's load, so it never reaches an
 * answer (which tests and the scenario judge compare): it goes to the log
 * (the adapter's stderr), and only its form is checked here, never its value.
 */
test('how long getMtaStsPolicy took is logged, never part of the answer', async t => {
  installWorld(t, { txt: { [TXT_NAME]: [['v=STSv1; id=1;']] }, http: { status: 404, body: 'not here' } });
  const logged = [];
  const answer = await decide(edc, request(3), message => logged.push(message));
  assert.equal(logged.length, 1, logged.join('\n'));
  assert.match(logged[0], /^tcId 1 step 3 \(s01\.world\.test\): getMtaStsPolicy took \d+\.\d s$/);
  assert.ok(!/\btook\b|\d s\b/.test(answer.detail), answer.detail);
  // The same through the loop: one log line per fetch, the answers as without a log.
  const lines = [];
  const answers = await served({ edc }, [JSON.stringify(request(0)), JSON.stringify(request(1))],
    message => lines.push(message));
  assert.deepEqual(lines.map(line => line.replace(/took \d+\.\d s$/, 'took N s')),
    ['tcId 1 step 0 (s01.world.test): getMtaStsPolicy took N s', 'tcId 1 step 1 (s01.world.test): getMtaStsPolicy took N s']);
  assert.deepEqual(answers.map(a => a.detail), [answer.detail, answer.detail]);
});

test('testing reports mxMatch; none reports neither mxMatch nor a match', async t => {
  installWorld(t, {
    txt: { [TXT_NAME]: [['v=STSv1; id=t1;']] },
    http: { body: 'version: STSv1\nmode: testing\nmx: mx1.s01.world.test\nmax_age: 86400\n' }
  });
  assert.deepEqual(withoutDetail(await decide(edc, request(0, ['mx1.s01.world.test', 'mx2.s01.world.test']))), {
    apply: 'new', mode: 'testing', id: 't1', mx: ['mx1.s01.world.test'],
    mxMatch: { 'mx1.s01.world.test': true, 'mx2.s01.world.test': false }
  });
});

test('a mode none policy applies with its (empty) mx and no mxMatch', async t => {
  installWorld(t, { txt: { [TXT_NAME]: [['v=STSv1; id=n1;']] }, http: { body: 'version: STSv1\nmode: none\nmax_age: 86400\n' } });
  assert.deepEqual(withoutDetail(await decide(edc, request(0))), { apply: 'new', mode: 'none', id: 'n1', mx: [] });
});

test('no record: no policy, no fetch', async t => {
  const { log } = installWorld(t, { txt: { [TXT_NAME]: 'ENOTFOUND' } });
  assert.deepEqual(await decide(edc, request(0)),
    { apply: 'none', mode: 'none', mx: [], detail: 'getStsRecord: no v=STSv1 record' });
  assert.deepEqual(log, [`resolveTxt ${TXT_NAME}`]);
});

test('a DNS error is thrown by getStsRecord, asked of one resolver only, and fails open', async t => {
  const { log } = installWorld(t, { txt: { [TXT_NAME]: 'ESERVFAIL' } });
  assert.deepEqual(await decide(edc, request(0)), {
    apply: 'none', mode: 'none', mx: [],
    detail: 'getStsRecord threw ESERVFAIL: stub ESERVFAIL (cleanMxRecord fails open)'
  });
  assert.deepEqual(log, [`resolveTxt ${TXT_NAME}`]);
});

test('a record without an id is "no MTA-STS" (strings are read one by one)', async t => {
  const { log } = installWorld(t, { txt: { [TXT_NAME]: [['v=STSv1; i', 'd=split1;']] }, http: { body: ENFORCE } });
  assert.deepEqual(await decide(edc, request(0)),
    { apply: 'none', mode: 'none', mx: [], detail: 'getStsRecord: id "" from "v=STSv1; i"' });
  assert.deepEqual(log, [`resolveTxt ${TXT_NAME}`]);
});

test('two records: the last id is used, the library\'s complaint goes to detail', async t => {
  installWorld(t, { txt: { [TXT_NAME]: [['v=STSv1; id=a;'], ['v=STSv1; id=b;']] }, http: { body: ENFORCE } });
  const answer = await decide(edc, request(0));
  assert.equal(answer.apply, 'new');
  assert.equal(answer.id, 'b');
  assert.ok(answer.detail.startsWith('getStsRecord: id "b" from "v=STSv1; id=b;", errors ["Multiple MTA-STS records."]; '),
    answer.detail);
});

test('a 404 is a null policy: no policy applies', async t => {
  installWorld(t, { txt: { [TXT_NAME]: [['v=STSv1; id=1;']] }, http: { status: 404, body: 'not here' } });
  assert.deepEqual(await decide(edc, request(0)), {
    apply: 'none', mode: 'none', mx: [],
    detail: `getStsRecord: id "1" from "v=STSv1; id=1;"; fetch ${POLICY_URL}: status 404, ` +
      'Content-Type "text/plain"; getMtaStsPolicy returned null'
  });
});

test('a fetch that throws is a null policy, its cause in detail', async t => {
  const failure = new TypeError('fetch failed', { cause: dnsError('CERT_HAS_EXPIRED') });
  installWorld(t, { txt: { [TXT_NAME]: [['v=STSv1; id=1;']] }, http: failure });
  assert.deepEqual(await decide(edc, request(0)), {
    apply: 'none', mode: 'none', mx: [],
    detail: `getStsRecord: id "1" from "v=STSv1; id=1;"; fetch ${POLICY_URL}: ` +
      'TypeError: fetch failed (CERT_HAS_EXPIRED: stub CERT_HAS_EXPIRED); getMtaStsPolicy returned null'
  });
});

test('the media type is not looked at, and no mx under enforce is accepted', async t => {
  installWorld(t, {
    txt: { [TXT_NAME]: [['v=STSv1; id=1;']] },
    http: { contentType: null, body: 'version: STSv1\nmode: enforce\nmax_age: 604800\n' }
  });
  const answer = await decide(edc, request(0));
  assert.deepEqual(withoutDetail(answer),
    { apply: 'new', mode: 'enforce', id: '1', mx: [], mxMatch: { 'mx1.s01.world.test': false } });
  assert.ok(answer.detail.includes('Content-Type null'), answer.detail);
});

test('nothing is kept between steps: every step looks up and fetches again', async t => {
  const { log } = installWorld(t, { txt: { [TXT_NAME]: [['v=STSv1; id=h1;']] }, http: { body: ENFORCE } });
  const first = await decide(edc, request(0));
  const second = await decide(edc, request(1));
  assert.equal(first.apply, 'new');
  assert.deepEqual(second, first);
  assert.deepEqual(log, [`resolveTxt ${TXT_NAME}`, `fetch ${POLICY_URL} with signal`,
    `resolveTxt ${TXT_NAME}`, `fetch ${POLICY_URL} with signal`]);
});

test('the global fetch is restored after a step', async t => {
  const { stubFetch } = installWorld(t, { txt: { [TXT_NAME]: [['v=STSv1; id=1;']] }, http: new Error('down') });
  await decide(edc, request(0));
  assert.equal(globalThis.fetch, stubFetch);
});

async function served(lib, lines, log) {
  const answers = [];
  await serve(lib, Readable.from([lines.join('\n') + '\n']), text => answers.push(JSON.parse(text)), log);
  return answers;
}

test('the loop answers every line in order, blank lines skipped', async t => {
  installWorld(t, { txt: { [TXT_NAME]: [['v=STSv1; id=1;']] }, http: { body: ENFORCE } });
  const answers = await served({ edc }, [
    JSON.stringify(request(0)),
    '',
    'not json',
    JSON.stringify({ tcId: 2, step: 0, domain: DOMAIN }),
    JSON.stringify({ tcId: 3, domain: DOMAIN, mx: [] }),
    JSON.stringify(Object.assign(request(1), { tcId: 4 }))
  ]);
  assert.deepEqual(answers.map(withoutDetail), [
    { tcId: 1, step: 0, apply: 'new', mode: 'enforce', id: '1', mx: ['mx1.s01.world.test', '*.backup.s01.world.test'],
      mxMatch: { 'mx1.s01.world.test': true } },
    { error: 'bad request: not JSON' },
    { tcId: 2, step: 0, error: 'bad request: mx is not a list of names' },
    { tcId: 3, step: undefined, error: 'bad request: no step' },
    { tcId: 4, step: 1, apply: 'new', mode: 'enforce', id: '1', mx: ['mx1.s01.world.test', '*.backup.s01.world.test'],
      mxMatch: { 'mx1.s01.world.test': true } }
  ].map(answer => JSON.parse(JSON.stringify(answer))));
});

test('without the library every request is unsupported', async () => {
  const answers = await served({ missing: 'not installed' }, [JSON.stringify(request(0))]);
  assert.deepEqual(answers, [{ tcId: 1, step: 0, unsupported: 'not installed' }]);
});

test('a throw outside what the library catches is an error, not a decision', async t => {
  installWorld(t, { txt: { [TXT_NAME]: [['v=STSv1; id=1;']] }, http: { body: ENFORCE } });
  const broken = Object.assign({}, edc, { isMxAllowed: () => { throw new Error('boom'); } });
  const answer = await respond({ edc: broken }, JSON.stringify(request(0)));
  assert.equal(answer.tcId, 1);
  assert.equal(answer.step, 0);
  assert.ok(answer.error.startsWith('exception: Error: boom'), answer.error);
  assert.deepEqual(Object.keys(answer), ['tcId', 'step', 'error']);
});
