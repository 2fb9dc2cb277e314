import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers/artifact.js';

/**
 * Builds the shipped artifact once before any suite runs, so suites that start `node dist/main.mjs`
 * test what ships, built from these sources. (test/artifact/production-start.test.ts also runs `npm start`,
 * which builds again; builds swap dist/ in atomically.)
 */
export default function buildArtifact() {
  const build = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: ROOT,
    stdio: 'inherit',
    timeout: 120_000,
  });
  if (build.status !== 0) throw new Error(`npm run build failed (status ${build.status})`);
}
