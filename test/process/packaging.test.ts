/**
 * This machine runs no container engine, so the Dockerfile and compose.yaml are checked against the
 * code instead: what they run exists, the ports and health paths are the ones the code serves, and
 * every variable they set is one the code reads and docs/configuration.md documents.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT as EMULATOR_DEFAULT_PORT } from '../../src/emulator/index.js';
import { ROOT } from '../helpers/artifact.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const dockerfile = read('Dockerfile');
const compose = read('compose.yaml');
const nginx = read('deploy/nginx.conf');
const configurationDoc = read('docs/configuration.md');
const emulatorDoc = read('docs/emulator.md');
const pkg = JSON.parse(read('package.json')) as {
  bin: Record<string, string>;
  engines: { node: string };
  license: string;
};
const main = read('src/main.ts');
const defaultPort = Number(/readPort\('PORT', (\d+)\)/.exec(main)?.[1]);
/** Every source file's text, to find where a variable is read. */
const sources = [
  'src/main.ts',
  'src/config.ts',
  'src/auth/config.ts',
  'src/security/index.ts',
  'src/security/limits.ts',
  'src/security/request-limits.ts',
  'src/observability/config.ts',
]
  .map(read)
  .join('\n');

/** `KEY: value` lines of one compose service's `environment:` block. */
function environmentOf(service: string): Record<string, string> {
  const block = new RegExp(`^  ${service}:\\n((?:    .*\\n|\\n)*)`, 'm').exec(compose)?.[1] ?? '';
  const env = /^ {4}environment:\n((?: {6}.*\n)*)/m.exec(block)?.[1] ?? '';
  return Object.fromEntries(
    [...env.matchAll(/^ {6}([A-Z_][A-Z0-9_]*): (.*)$/gm)].map((m) => [
      m[1] as string,
      (m[2] as string).trim(),
    ]),
  );
}

describe('the Dockerfile', () => {
  const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('builds with the dev tools and ships the bundle, started as npm start starts it', () => {
    expect(dockerfile).toMatch(/RUN npm ci --include=dev/);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(final).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(final).toMatch(/CMD \["node", "dist\/main\.mjs"\]/);
    expect(read('package.json')).toContain('node dist/main.mjs');
  });

  it('runs in production mode as an unprivileged user, on the default port, with a health check on /health', () => {
    expect(final).toMatch(/NODE_ENV=production/);
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(new RegExp(`^EXPOSE ${defaultPort}$`, 'm'));
    expect(final).toMatch(new RegExp(`PORT=${defaultPort}`));
    expect(final).toMatch(/HEALTHCHECK[\s\S]*\/health'/);
    expect(final).toMatch(/HOST=0\.0\.0\.0/);
  });

  it('uses the Node major the project declares', () => {
    const major = /(\d+)/.exec(pkg.engines.node)?.[1];
    expect(dockerfile).toMatch(new RegExp(`FROM node:${major}-`));
    expect(read('.nvmrc').trim()).toBe(major);
  });
});

describe('compose.yaml', () => {
  const graphql = environmentOf('graphql');

  it('sets only variables the server reads and the docs document', () => {
    expect(Object.keys(graphql).length).toBeGreaterThan(3);
    for (const name of Object.keys(graphql)) {
      expect(sources, name).toContain(name);
      expect(configurationDoc, name).toContain(`\`${name}\``);
    }
  });

  it('points two replicas at the emulator service on its port, with its demo keys', () => {
    expect(compose).toMatch(/replicas: 2/);
    expect(graphql.ONESIGNAL_API_URL).toBe(`http://emulator:${EMULATOR_DEFAULT_PORT}`);
    expect(compose).toMatch(
      new RegExp(`"dist/emulator\\.mjs", "--host", "0\\.0\\.0\\.0", "--port", "${EMULATOR_DEFAULT_PORT}"`),
    );
    expect(compose).toContain(`127.0.0.1:${EMULATOR_DEFAULT_PORT}/__emulator/health`);
    expect(read('scripts/build.mjs')).toContain("emulator: 'src/emulator/main.ts'");
    expect(JSON.parse(graphql.ONESIGNAL_APP_KEYS!.replace(/^'|'$/g, ''))).toEqual(
      Object.fromEntries(
        [...emulatorDoc.matchAll(/\| app id +\| `([0-9a-f-]{36})` +\| `([0-9a-f-]{36})`/g)].flatMap((m) => [
          [m[1], 'emulator-rest-key-demo-shop'],
          [m[2], 'emulator-rest-key-demo-news'],
        ]),
      ),
    );
  });

  it('serves both replicas behind one port through the proxy', () => {
    expect(nginx).toMatch(new RegExp(`server graphql:${defaultPort}[ ;]`));
    expect(nginx).toMatch(new RegExp(`listen ${defaultPort};`));
    expect(compose).toMatch(new RegExp(`"${defaultPort}:${defaultPort}"`));
    // The proxy must admit the server's own body limit (512 KiB) and a little more.
    expect(nginx).toMatch(/client_max_body_size 1m;/);
  });

  it('passes WebSocket upgrades and streams through the proxy, with the browser’s Host for the Origin check', () => {
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(nginx).toMatch(/map \$http_upgrade \$connection_upgrade \{\s*default upgrade;\s*'' '';\s*\}/);
    expect(nginx).toMatch(/proxy_set_header Host \$http_host;/);
    expect(nginx).toMatch(/proxy_buffering off;/);
  });

  it('retries a replica that refuses connections (a rolling restart) on another, and keeps no upstream connection the server is closing', () => {
    // test/redis/rolling-restart.test.ts runs these settings under load through two restarts.
    expect(nginx).toMatch(/proxy_next_upstream error timeout http_503 non_idempotent;/);
    expect(nginx).toMatch(/server graphql:4000 max_fails=1 fail_timeout=2s;/);
    // Under Node's own 5 s keep-alive timeout, so nginx drops an idle connection first.
    expect(nginx).toMatch(/keepalive_timeout 4s;/);
  });
});

describe('the package', () => {
  it('has a bin for npx onesignal-graphql, a license file matching package.json, and .nvmrc', () => {
    expect(pkg.bin).toEqual({ 'onesignal-graphql': 'dist/main.mjs' });
    expect(read('src/main.ts').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(pkg.license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License/);
  });
});
